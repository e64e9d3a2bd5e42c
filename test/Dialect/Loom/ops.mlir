// RUN: loom-opt %s | loom-opt | FileCheck %s
// Every loom op parses, verifies, prints and parses again.

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%a: tensor<4x3xf32>, %b: tensor<3xf32>, %s: tensor<f32>) -> tensor<4x3xf32> {
  // CHECK: loom.add %{{.*}}, %{{.*}} : tensor<4x3xf32>, tensor<3xf32>
  %0 = loom.add %a, %b : tensor<4x3xf32>, tensor<3xf32>
  // CHECK: loom.sub
  %1 = loom.sub %0, %s : tensor<4x3xf32>, tensor<f32>
  // CHECK: loom.mul
  %2 = loom.mul %1, %a : tensor<4x3xf32>, tensor<4x3xf32>
  // CHECK: loom.div
  %3 = loom.div %2, %b : tensor<4x3xf32>, tensor<3xf32>
  // CHECK: loom.maximum
  %4 = loom.maximum %3, %s : tensor<4x3xf32>, tensor<f32>
  // CHECK: loom.minimum
  %5 = loom.minimum %4, %s : tensor<4x3xf32>, tensor<f32>
  // CHECK: loom.pow
  %6 = loom.pow %5, %s : tensor<4x3xf32>, tensor<f32>
  // CHECK: loom.neg
  %7 = loom.neg %6 : tensor<4x3xf32>
  // CHECK: loom.exp
  %8 = loom.exp %7 : tensor<4x3xf32>
  // CHECK: loom.log
  %9 = loom.log %8 : tensor<4x3xf32>
  // CHECK: loom.sqrt
  %10 = loom.sqrt %9 : tensor<4x3xf32>
  // CHECK: loom.rsqrt
  %11 = loom.rsqrt %10 : tensor<4x3xf32>
  // CHECK: loom.tanh
  %12 = loom.tanh %11 : tensor<4x3xf32>
  // CHECK: loom.sigmoid
  %13 = loom.sigmoid %12 : tensor<4x3xf32>
  // CHECK: loom.relu
  %14 = loom.relu %13 : tensor<4x3xf32>
  // CHECK: loom.abs
  %15 = loom.abs %14 : tensor<4x3xf32>
  return %15 : tensor<4x3xf32>
}

// CHECK-LABEL: func.func @compare_select
func.func @compare_select(%a: tensor<4x3xf32>, %z: tensor<f32>) -> tensor<4x3xf32> {
  // CHECK: %[[M:.*]] = loom.compare gt, %{{.*}}, %{{.*}} : tensor<4x3xf32>, tensor<f32>
  %m = loom.compare gt, %a, %z : tensor<4x3xf32>, tensor<f32>
  // CHECK: loom.select %[[M]], %{{.*}}, %{{.*}} : tensor<4x3xi1>, tensor<4x3xf32>, tensor<f32>
  %r = loom.select %m, %a, %z : tensor<4x3xi1>, tensor<4x3xf32>, tensor<f32>
  return %r : tensor<4x3xf32>
}

// CHECK-LABEL: func.func @contraction
func.func @contraction(%x: tensor<8x4xf32>, %w: tensor<4x16xf32>, %b: tensor<2x8x4xf32>, %v: tensor<16x4xf32>) -> (tensor<8x16xf32>, tensor<2x8x16xf32>) {
  // CHECK: loom.matmul %{{.*}}, %{{.*}} : tensor<8x4xf32>, tensor<4x16xf32>
  %0 = loom.matmul %x, %w : tensor<8x4xf32>, tensor<4x16xf32>
  // CHECK: loom.matmul %{{.*}}, %{{.*}} transpose_rhs : tensor<2x8x4xf32>, tensor<16x4xf32>
  %1 = loom.matmul %b, %v transpose_rhs : tensor<2x8x4xf32>, tensor<16x4xf32>
  return %0, %1 : tensor<8x16xf32>, tensor<2x8x16xf32>
}

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<4x3x2xf32>) -> (tensor<4x2xf32>, tensor<1x1x2xf32>, tensor<3x2xf32>) {
  // CHECK: loom.reduce_sum %{{.*}} axes [1] : tensor<4x3x2xf32>
  %0 = loom.reduce_sum %x axes [1] : tensor<4x3x2xf32>
  // CHECK: loom.reduce_mean %{{.*}} axes [0, 1] keepdims : tensor<4x3x2xf32>
  %1 = loom.reduce_mean %x axes [0, 1] keepdims : tensor<4x3x2xf32>
  // CHECK: loom.reduce_max %{{.*}} axes [0] : tensor<4x3x2xf32>
  %2 = loom.reduce_max %x axes [0] : tensor<4x3x2xf32>
  return %0, %1, %2 : tensor<4x2xf32>, tensor<1x1x2xf32>, tensor<3x2xf32>
}

// CHECK-LABEL: func.func @shapes
func.func @shapes(%x: tensor<4x3xf32>, %y: tensor<4x2xf32>, %b: tensor<3xf32>) -> (tensor<2x6xf32>, tensor<3x4xf32>, tensor<5x4x3xf32>, tensor<2x2xf32>, tensor<4x5xf32>) {
  // CHECK: loom.reshape %{{.*}} [2, 6] : tensor<4x3xf32>
  %0 = loom.reshape %x [2, 6] : tensor<4x3xf32>
  // CHECK: loom.transpose %{{.*}} [1, 0] : tensor<4x3xf32>
  %1 = loom.transpose %x [1, 0] : tensor<4x3xf32>
  // CHECK: loom.broadcast_to %{{.*}} [5, 4, 3] : tensor<3xf32>
  %2 = loom.broadcast_to %b [5, 4, 3] : tensor<3xf32>
  // CHECK: loom.slice %{{.*}} start [0, 1] limit [4, 3] stride [2, 1] : tensor<4x3xf32>
  %3 = loom.slice %x start [0, 1] limit [4, 3] stride [2, 1] : tensor<4x3xf32>
  // CHECK: loom.concat %{{.*}}, %{{.*}} axis 1 : tensor<4x3xf32>, tensor<4x2xf32>
  %4 = loom.concat %x, %y axis 1 : tensor<4x3xf32>, tensor<4x2xf32>
  return %0, %1, %2, %3, %4 : tensor<2x6xf32>, tensor<3x4xf32>, tensor<5x4x3xf32>, tensor<2x2xf32>, tensor<4x5xf32>
}

// CHECK-LABEL: func.func @pad_and_stop_gradient
func.func @pad_and_stop_gradient(%x: tensor<2x3xf32>, %m: tensor<2xi1>) -> (tensor<3x7xf32>, tensor<4xi1>, tensor<2x3xf32>) {
  // CHECK: loom.pad %{{.*}} low [1, 0] high [0, 2] interior [0, 1] : tensor<2x3xf32>
  %0 = loom.pad %x low [1, 0] high [0, 2] interior [0, 1] : tensor<2x3xf32>
  // CHECK: loom.pad %{{.*}} low [1] high [0] interior [1] : tensor<2xi1>
  %1 = loom.pad %m low [1] high [0] interior [1] : tensor<2xi1>
  // CHECK: loom.stop_gradient %{{.*}} : tensor<2x3xf32>
  %2 = loom.stop_gradient %x : tensor<2x3xf32>
  return %0, %1, %2 : tensor<3x7xf32>, tensor<4xi1>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @softmax
func.func @softmax(%x: tensor<8x10xf32>) -> (tensor<8x10xf32>, tensor<8x10xf32>) {
  // CHECK: loom.softmax %{{.*}} axis 1 : tensor<8x10xf32>
  %0 = loom.softmax %x axis 1 : tensor<8x10xf32>
  // CHECK: loom.log_softmax %{{.*}} axis 0 : tensor<8x10xf32>
  %1 = loom.log_softmax %x axis 0 : tensor<8x10xf32>
  return %0, %1 : tensor<8x10xf32>, tensor<8x10xf32>
}

// CHECK-LABEL: func.func @constants
func.func @constants() -> (tensor<2xf32>, tensor<2x2xi1>) {
  // CHECK: loom.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  %0 = loom.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // CHECK: loom.constant dense<true> : tensor<2x2xi1>
  %1 = loom.constant dense<true> : tensor<2x2xi1>
  return %0, %1 : tensor<2xf32>, tensor<2x2xi1>
}
