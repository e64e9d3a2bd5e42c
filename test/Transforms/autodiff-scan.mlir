// RUN: loom-opt %s -split-input-file -loom-autodiff -canonicalize -cse | FileCheck %s
// cumsum's gradient is the cumsum of g the other way, with the same
// `exclusive`; argmax passes no gradient (its parameter gets zeros).

// CHECK-LABEL: func.func @prefix_sums_grad
// CHECK-SAME: (%[[X:.*]]: tensor<3x4xf32> {loom.param = "x"}, %[[W:.*]]: tensor<3x4xf32> {loom.input = "w"})
// CHECK: %[[DX:.*]] = loom.cumsum %[[W]] axis 1 reverse : tensor<3x4xf32>
// CHECK: return %{{.*}}, %[[DX]] : tensor<f32>, tensor<3x4xf32>
func.func @prefix_sums(%x: tensor<3x4xf32> {loom.param = "x"}, %w: tensor<3x4xf32> {loom.input = "w"}) -> (tensor<f32> {loom.loss}) {
  %0 = loom.cumsum %x axis 1 : tensor<3x4xf32>
  %1 = loom.mul %0, %w : tensor<3x4xf32>, tensor<3x4xf32>
  %2 = loom.reduce_sum %1 axes [0, 1] : tensor<3x4xf32>
  return %2 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @suffix_sums_grad
// CHECK-SAME: (%[[X:.*]]: tensor<3x4xf32> {loom.param = "x"}, %[[W:.*]]: tensor<3x4xf32> {loom.input = "w"})
// CHECK: %[[DX:.*]] = loom.cumsum %[[W]] axis 0 exclusive : tensor<3x4xf32>
// CHECK: return %{{.*}}, %[[DX]] : tensor<f32>, tensor<3x4xf32>
func.func @suffix_sums(%x: tensor<3x4xf32> {loom.param = "x"}, %w: tensor<3x4xf32> {loom.input = "w"}) -> (tensor<f32> {loom.loss}) {
  %0 = loom.cumsum %x axis 0 reverse exclusive : tensor<3x4xf32>
  %1 = loom.mul %0, %w : tensor<3x4xf32>, tensor<3x4xf32>
  %2 = loom.reduce_sum %1 axes [0, 1] : tensor<3x4xf32>
  return %2 : tensor<f32>
}

// -----

// The loss still needs the argmax; its gradient is a zero constant.
// CHECK-LABEL: func.func @argmax_grad
// CHECK: %[[Z:.*]] = loom.constant dense<0.000000e+00> : tensor<3x4xf32>
// CHECK: return %{{.*}}, %[[Z]] : tensor<f32>, tensor<3x4xf32>
func.func @argmax(%x: tensor<3x4xf32> {loom.param = "x"}) -> (tensor<f32> {loom.loss}) {
  %0 = loom.argmax %x axis 1 : tensor<3x4xf32>
  %1 = loom.reduce_sum %0 axes [0] : tensor<3xf32>
  return %1 : tensor<f32>
}
