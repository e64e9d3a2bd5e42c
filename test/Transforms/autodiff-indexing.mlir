// RUN: loom-opt %s -split-input-file -loom-autodiff -canonicalize -cse | FileCheck %s
// gather and scatter_add are each other's gradients, with the same indices
// and axis; the indices themselves get none.

// CHECK-LABEL: func.func @embedding_grad
// CHECK-SAME: (%[[T:.*]]: tensor<10x4xf32> {loom.param = "emb.weight"}, %[[I:.*]]: tensor<3xf32> {loom.input = "ids"})
// CHECK-SAME: -> (tensor<f32> {loom.loss}, tensor<10x4xf32> {loom.grad = "emb.weight"})
// CHECK: %[[G:.*]] = loom.constant dense<1.000000e+00> : tensor<3x4xf32>
// CHECK: %[[DT:.*]] = loom.scatter_add %[[G]], %[[I]] axis 0 dim_size 10 : tensor<3x4xf32>, tensor<3xf32>
// CHECK: return %{{.*}}, %[[DT]] : tensor<f32>, tensor<10x4xf32>
func.func @embedding(%t: tensor<10x4xf32> {loom.param = "emb.weight"}, %i: tensor<3xf32> {loom.input = "ids"}) -> (tensor<f32> {loom.loss}) {
  %0 = loom.gather %t, %i axis 0 : tensor<10x4xf32>, tensor<3xf32>
  %1 = loom.reduce_sum %0 axes [0, 1] : tensor<3x4xf32>
  return %1 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @segment_sum_grad
// CHECK-SAME: (%[[U:.*]]: tensor<2x5xf32> {loom.param = "u"}, %[[I:.*]]: tensor<5xf32> {loom.input = "segments"}, %[[W:.*]]: tensor<2x3xf32> {loom.input = "w"})
// CHECK-SAME: -> (tensor<f32> {loom.loss}, tensor<2x5xf32> {loom.grad = "u"})
// CHECK: %[[DU:.*]] = loom.gather %[[W]], %[[I]] axis 1 : tensor<2x3xf32>, tensor<5xf32>
// CHECK: return %{{.*}}, %[[DU]] : tensor<f32>, tensor<2x5xf32>
func.func @segment_sum(%u: tensor<2x5xf32> {loom.param = "u"}, %i: tensor<5xf32> {loom.input = "segments"}, %w: tensor<2x3xf32> {loom.input = "w"}) -> (tensor<f32> {loom.loss}) {
  %0 = loom.scatter_add %u, %i axis 1 dim_size 3 : tensor<2x5xf32>, tensor<5xf32>
  %1 = loom.mul %0, %w : tensor<2x3xf32>, tensor<2x3xf32>
  %2 = loom.reduce_sum %1 axes [0, 1] : tensor<2x3xf32>
  return %2 : tensor<f32>
}
