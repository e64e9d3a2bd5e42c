// RUN: loom-opt %s | loom-opt | FileCheck %s
// argmax and cumsum parse, verify, infer their result types, print and
// parse again.

// CHECK-LABEL: func.func @argmax
// CHECK-SAME: (%[[X:.*]]: tensor<8x10xf32>)
func.func @argmax(%x: tensor<8x10xf32>) -> (tensor<8xf32>, tensor<1x10xf32>) {
  // CHECK: %[[A:.*]] = loom.argmax %[[X]] axis 1 : tensor<8x10xf32>
  %a = loom.argmax %x axis 1 : tensor<8x10xf32>
  // CHECK: %[[K:.*]] = loom.argmax %[[X]] axis 0 keepdims : tensor<8x10xf32>
  %k = loom.argmax %x axis 0 keepdims : tensor<8x10xf32>
  // CHECK: return %[[A]], %[[K]] : tensor<8xf32>, tensor<1x10xf32>
  return %a, %k : tensor<8xf32>, tensor<1x10xf32>
}

// CHECK-LABEL: func.func @argmax_to_scalar
func.func @argmax_to_scalar(%x: tensor<5xf32>) -> tensor<f32> {
  // CHECK: loom.argmax %{{.*}} axis 0 : tensor<5xf32>
  %a = loom.argmax %x axis 0 : tensor<5xf32>
  return %a : tensor<f32>
}

// CHECK-LABEL: func.func @cumsum
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
func.func @cumsum(%x: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
  // CHECK: %[[C:.*]] = loom.cumsum %[[X]] axis 1 : tensor<4x3xf32>
  %c = loom.cumsum %x axis 1 : tensor<4x3xf32>
  // CHECK: %[[R:.*]] = loom.cumsum %[[X]] axis 0 reverse : tensor<4x3xf32>
  %r = loom.cumsum %x axis 0 reverse : tensor<4x3xf32>
  // CHECK: %[[E:.*]] = loom.cumsum %[[X]] axis 0 exclusive : tensor<4x3xf32>
  %e = loom.cumsum %x axis 0 exclusive : tensor<4x3xf32>
  // CHECK: %[[RE:.*]] = loom.cumsum %[[X]] axis 1 reverse exclusive : tensor<4x3xf32>
  %re = loom.cumsum %x axis 1 reverse exclusive : tensor<4x3xf32>
  // CHECK: return %[[C]], %[[R]], %[[E]], %[[RE]]
  return %c, %r, %e, %re : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
}
