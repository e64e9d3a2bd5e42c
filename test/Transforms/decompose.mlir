// RUN: loom-opt %s -split-input-file -loom-decompose | FileCheck %s
// softmax, log_softmax and reduce_mean become primitive loom ops; the
// reductions keep the axis so the broadcasts line up.

// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK: %[[MAX:.*]] = loom.reduce_max %[[X]] axes [1] keepdims : tensor<2x3xf32>
// CHECK: %[[SH:.*]] = loom.sub %[[X]], %[[MAX]] : tensor<2x3xf32>, tensor<2x1xf32>
// CHECK: %[[E:.*]] = loom.exp %[[SH]] : tensor<2x3xf32>
// CHECK: %[[SUM:.*]] = loom.reduce_sum %[[E]] axes [1] keepdims : tensor<2x3xf32>
// CHECK: %[[R:.*]] = loom.div %[[E]], %[[SUM]] : tensor<2x3xf32>, tensor<2x1xf32>
// CHECK: return %[[R]]
// CHECK-NOT: loom.softmax
func.func @softmax(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = loom.softmax %a axis 1 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @log_softmax
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK: %[[MAX:.*]] = loom.reduce_max %[[X]] axes [0] keepdims
// CHECK: %[[SH:.*]] = loom.sub %[[X]], %[[MAX]] : tensor<2x3xf32>, tensor<1x3xf32>
// CHECK: %[[E:.*]] = loom.exp %[[SH]]
// CHECK: %[[SUM:.*]] = loom.reduce_sum %[[E]] axes [0] keepdims
// CHECK: %[[LOG:.*]] = loom.log %[[SUM]] : tensor<1x3xf32>
// CHECK: %[[R:.*]] = loom.sub %[[SH]], %[[LOG]] : tensor<2x3xf32>, tensor<1x3xf32>
// CHECK: return %[[R]]
func.func @log_softmax(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = loom.log_softmax %a axis 0 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// 1/n with n = 2 * 4, the product of the reduced dims.
// CHECK-LABEL: func.func @reduce_mean
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-DAG: %[[SCALE:.*]] = loom.constant dense<1.250000e-01> : tensor<f32>
// CHECK-DAG: %[[SUM:.*]] = loom.reduce_sum %[[X]] axes [0, 2] keepdims : tensor<2x3x4xf32>
// CHECK: %[[R:.*]] = loom.mul %[[SUM]], %[[SCALE]] : tensor<1x3x1xf32>, tensor<f32>
// CHECK: return %[[R]]
func.func @reduce_mean(%a: tensor<2x3x4xf32>) -> tensor<1x3x1xf32> {
  %0 = loom.reduce_mean %a axes [0, 2] keepdims : tensor<2x3x4xf32>
  return %0 : tensor<1x3x1xf32>
}

// -----

// Primitives are left alone.
// CHECK-LABEL: func.func @primitives
// CHECK-NEXT: loom.reduce_sum
// CHECK-NEXT: loom.exp
// CHECK-NEXT: return
func.func @primitives(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  %0 = loom.reduce_sum %a axes [1] : tensor<2x3xf32>
  %1 = loom.exp %0 : tensor<2xf32>
  return %1 : tensor<2xf32>
}
