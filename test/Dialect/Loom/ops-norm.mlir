// RUN: loom-opt %s | loom-opt | FileCheck %s
// Activations, normalization and dropout parse, verify, infer their result
// types, print and parse again.

// CHECK-LABEL: func.func @activations
func.func @activations(%x: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
  // CHECK: loom.erf %{{.*}} : tensor<4x3xf32>
  %0 = loom.erf %x : tensor<4x3xf32>
  // CHECK: loom.gelu %{{.*}} : tensor<4x3xf32>
  %1 = loom.gelu %x : tensor<4x3xf32>
  // CHECK: loom.gelu %{{.*}} approximate_tanh : tensor<4x3xf32>
  %2 = loom.gelu %x approximate_tanh : tensor<4x3xf32>
  // CHECK: loom.leaky_relu %{{.*}} alpha 2.000000e-01 : tensor<4x3xf32>
  %3 = loom.leaky_relu %x alpha 0.2 : tensor<4x3xf32>
  // CHECK: loom.clamp %{{.*}} min -1.000000e+00 max 1.000000e+00 : tensor<4x3xf32>
  %4 = loom.clamp %x min -1.0 max 1.0 : tensor<4x3xf32>
  return %0, %1, %2, %3, %4 : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
}

// CHECK-LABEL: func.func @layer_norm
func.func @layer_norm(%x: tensor<2x5x8xf32>, %g: tensor<5x8xf32>, %b: tensor<5x8xf32>) -> tensor<2x5x8xf32> {
  // CHECK: loom.layer_norm %{{.*}}, %{{.*}}, %{{.*}} axis 1 epsilon 1.000000e-05 : tensor<2x5x8xf32>, tensor<5x8xf32>
  %y = loom.layer_norm %x, %g, %b axis 1 epsilon 1.0e-05 : tensor<2x5x8xf32>, tensor<5x8xf32>
  return %y : tensor<2x5x8xf32>
}

// CHECK-LABEL: func.func @batch_norm
func.func @batch_norm(%x: tensor<4x3x5x5xf32>, %c: tensor<3xf32>) -> (tensor<4x3x5x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<4x3x5x5xf32>) {
  // CHECK: loom.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} epsilon 1.000000e-05 momentum 1.000000e-01 training : tensor<4x3x5x5xf32>, tensor<3xf32>
  %y, %m, %v = loom.batch_norm %x, %c, %c, %c, %c epsilon 1.0e-05 momentum 0.1 training : tensor<4x3x5x5xf32>, tensor<3xf32>
  // CHECK: loom.batch_norm {{.*}} momentum 1.000000e-01 : tensor<4x3x5x5xf32>, tensor<3xf32>
  %z, %m2, %v2 = loom.batch_norm %x, %c, %c, %c, %c epsilon 1.0e-05 momentum 0.1 : tensor<4x3x5x5xf32>, tensor<3xf32>
  return %y, %m, %v, %z : tensor<4x3x5x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<4x3x5x5xf32>
}

// CHECK-LABEL: func.func @dropout
func.func @dropout(%x: tensor<8x16xf32>, %step: tensor<f32>) -> (tensor<8x16xf32>, tensor<8x16xf32>) {
  // CHECK: loom.dropout %{{.*}} rate 5.000000e-01 seed 3 : tensor<8x16xf32>
  %0 = loom.dropout %x rate 0.5 seed 3 : tensor<8x16xf32>
  // CHECK: loom.dropout %{{.*}} counter %{{.*}} rate 2.500000e-01 seed 0 training : tensor<8x16xf32>
  %1 = loom.dropout %x counter %step rate 0.25 seed 0 training : tensor<8x16xf32>
  return %0, %1 : tensor<8x16xf32>, tensor<8x16xf32>
}
