// RUN: loom-opt %s -split-input-file -convert-loom-to-linalg | FileCheck %s
// Reductions are linalg.generic with reduction iterators into a filled init
// of the squeezed shape (0 for sum, -inf for max, combined with the
// NaN-propagating arith.maximumf); keepdims is a tensor.expand_shape after.

// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @sum_non_adjacent
// CHECK-SAME: (%[[A:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<3xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<3xf32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$OUT]]], iterator_types = ["reduction", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[A]] : tensor<2x3x4xf32>) outs(%[[INIT]] : tensor<3xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK:   %[[S:.*]] = arith.addf %[[X]], %[[ACC]] : f32
// CHECK:   linalg.yield %[[S]]
// CHECK: return %[[R]] : tensor<3xf32>
func.func @sum_non_adjacent(%a: tensor<2x3x4xf32>) -> tensor<3xf32> {
  %0 = loom.reduce_sum %a axes [2, 0] : tensor<2x3x4xf32>
  return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @sum_keepdims
// CHECK: %[[R:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction"]
// CHECK: } -> tensor<3xf32>
// CHECK: %[[K:.*]] = tensor.expand_shape %[[R]] {{\[\[}}0, 1, 2]] output_shape [1, 3, 1] : tensor<3xf32> into tensor<1x3x1xf32>
// CHECK: return %[[K]]
func.func @sum_keepdims(%a: tensor<2x3x4xf32>) -> tensor<1x3x1xf32> {
  %0 = loom.reduce_sum %a axes [0, 2] keepdims : tensor<2x3x4xf32>
  return %0 : tensor<1x3x1xf32>
}

// -----

// Reducing every axis gives rank 0; keepdims expands it with no groups.
// CHECK-DAG: #[[$ALL:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @max_all
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<f32>)
// CHECK: %[[R0:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[$ALL]]], iterator_types = ["reduction", "reduction"]}
// CHECK-SAME: outs(%[[INIT]] : tensor<f32>)
// CHECK: arith.maximumf
// CHECK: %[[R1:.*]] = linalg.generic
// CHECK: tensor.expand_shape %[[R1]] [] output_shape [1, 1] : tensor<f32> into tensor<1x1xf32>
func.func @max_all(%a: tensor<4x3xf32>) -> (tensor<f32>, tensor<1x1xf32>) {
  %0 = loom.reduce_max %a axes [0, 1] : tensor<4x3xf32>
  %1 = loom.reduce_max %a axes [1, 0] keepdims : tensor<4x3xf32>
  return %0, %1 : tensor<f32>, tensor<1x1xf32>
}

// -----

// Leading reduced dims join the first kept dim's group.
// CHECK-LABEL: func.func @keepdims_leading
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [1, 3, 4] : tensor<3x4xf32> into tensor<1x3x4xf32>
func.func @keepdims_leading(%a: tensor<2x3x4xf32>) -> tensor<1x3x4xf32> {
  %0 = loom.reduce_sum %a axes [0] keepdims : tensor<2x3x4xf32>
  return %0 : tensor<1x3x4xf32>
}
