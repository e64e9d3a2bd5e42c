// RUN: loom-opt %s -split-input-file -loom-autodiff -canonicalize -cse | FileCheck %s
// Data movement and reductions: a strided slice's gradient is a loom.pad
// (interior padding = stride - 1), concat's is one slice per input,
// reduce_max splits g evenly among the positions equal to the maximum, and
// softmax's VJP is y * (g - sum(g * y)).

// CHECK-LABEL: func.func @slice_concat_grad
// CHECK-SAME: (%[[X:.*]]: tensor<5x4xf32>, %[[Y:.*]]: tensor<2x4xf32>)
// CHECK: %[[E:.*]] = loom.exp
// CHECK: %[[GA:.*]] = loom.slice %[[E]] start [0, 0] limit [2, 4] stride [1, 1] : tensor<4x4xf32>
// CHECK: %[[GB:.*]] = loom.slice %[[E]] start [2, 0] limit [4, 4] stride [1, 1] : tensor<4x4xf32>
// Rows 1 and 3 of 5 were read: one zero row before, between and after.
// CHECK: %[[DX:.*]] = loom.pad %[[GA]] low [1, 0] high [1, 0] interior [1, 0] : tensor<2x4xf32>
// CHECK: return %{{.*}}, %[[DX]], %[[GB]] : tensor<f32>, tensor<5x4xf32>, tensor<2x4xf32>
func.func @slice_concat(%x: tensor<5x4xf32>, %y: tensor<2x4xf32>) -> (tensor<f32> {loom.loss}) {
  %0 = loom.slice %x start [1, 0] limit [5, 4] stride [2, 1] : tensor<5x4xf32>
  %1 = loom.concat %0, %y axis 0 : tensor<2x4xf32>, tensor<2x4xf32>
  %2 = loom.exp %1 : tensor<4x4xf32>
  %3 = loom.reduce_sum %2 axes [0, 1] : tensor<4x4xf32>
  return %3 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @max_of_softmax_grad
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-DAG: %[[G:.*]] = loom.constant dense<1.000000e+00> : tensor<2x1xf32>
// CHECK-DAG: %[[ZERO:.*]] = loom.constant dense<0.000000e+00> : tensor<f32>
// CHECK-DAG: %[[ONE:.*]] = loom.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[Y:.*]] = loom.softmax %[[X]] axis 1
// CHECK: %[[M:.*]] = loom.reduce_max %[[Y]] axes [1]
// reduce_max: mask of the maxima, each gets g / (number of ties).
// CHECK: %[[MK:.*]] = loom.reshape %[[M]] [2, 1]
// CHECK: %[[IS:.*]] = loom.compare eq, %[[Y]], %[[MK]]
// CHECK: %[[IND:.*]] = loom.select %[[IS]], %[[ONE]], %[[ZERO]]
// CHECK: %[[TIES:.*]] = loom.reduce_sum %[[IND]] axes [1] keepdims
// CHECK: %[[SHARE:.*]] = loom.div %[[G]], %[[TIES]]
// CHECK: %[[DY:.*]] = loom.select %[[IS]], %[[SHARE]], %[[ZERO]]
// softmax: y * (g - sum(g * y)).
// CHECK: %[[GY:.*]] = loom.mul %[[DY]], %[[Y]]
// CHECK: %[[DOT:.*]] = loom.reduce_sum %[[GY]] axes [1] keepdims
// CHECK: %[[C:.*]] = loom.sub %[[DY]], %[[DOT]]
// CHECK: %[[DX:.*]] = loom.mul %[[Y]], %[[C]]
// CHECK: return %{{.*}}, %[[DX]]
func.func @max_of_softmax(%x: tensor<2x3xf32>) -> (tensor<f32> {loom.loss}) {
  %0 = loom.softmax %x axis 1 : tensor<2x3xf32>
  %1 = loom.reduce_max %0 axes [1] : tensor<2x3xf32>
  %2 = loom.reduce_sum %1 axes [0] : tensor<2xf32>
  return %2 : tensor<f32>
}

// -----

// transpose goes back by the inverse permutation, reshape to the old shape,
// broadcast_to is summed over the broadcast dimensions.
// CHECK-LABEL: func.func @movement_grad
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[B:.*]]: tensor<3x1xf32>, %[[W:.*]]: tensor<4x6xf32>)
// CHECK-DAG: %[[DB:.*]] = loom.reduce_sum %{{.*}} axes [0, 2] : tensor<2x3x4xf32>
// CHECK-DAG: %[[DBR:.*]] = loom.reshape %[[DB]] [3, 1] : tensor<3xf32>
// CHECK-DAG: %[[DT:.*]] = loom.reshape %[[W]] [4, 2, 3] : tensor<4x6xf32>
// CHECK-DAG: %[[DX:.*]] = loom.transpose %[[DT]] [1, 2, 0] : tensor<4x2x3xf32>
// CHECK: return %{{.*}}, %[[DX]], %[[DBR]], %{{.*}}
func.func @movement(%x: tensor<2x3x4xf32>, %b: tensor<3x1xf32>, %w: tensor<4x6xf32>) -> (tensor<f32> {loom.loss}) {
  %0 = loom.transpose %x [2, 0, 1] : tensor<2x3x4xf32>
  %1 = loom.reshape %0 [4, 6] : tensor<4x2x3xf32>
  %2 = loom.broadcast_to %b [2, 3, 4] : tensor<3x1xf32>
  %3 = loom.mul %1, %w : tensor<4x6xf32>, tensor<4x6xf32>
  %4 = loom.reduce_sum %3 axes [0, 1] : tensor<4x6xf32>
  %5 = loom.reduce_sum %2 axes [0, 1, 2] : tensor<2x3x4xf32>
  %6 = loom.add %4, %5 : tensor<f32>, tensor<f32>
  return %6 : tensor<f32>
}
