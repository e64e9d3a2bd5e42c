// RUN: loom-opt %s -split-input-file -convert-loom-to-linalg | FileCheck %s
// matmul is a contraction linalg.generic on a zero-filled init, over
// (batch..., m, k, n), or (batch..., m, n, k) with a `reassoc` body when
// only rhs is transposed; the body is `contract` (FMA). Transpose flags swap
// the operand's two matrix expressions, and batch dims broadcast like
// elementwise operands.

// CHECK-DAG: #[[$LHS:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$RHS:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @plain
// CHECK-SAME: (%[[A:.*]]: tensor<5x4xf32>, %[[B:.*]]: tensor<4x3xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<5x3xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<5x3xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[$LHS]], #[[$RHS]], #[[$OUT]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<5x4xf32>, tensor<4x3xf32>) outs(%[[INIT]] : tensor<5x3xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK:   %[[P:.*]] = arith.mulf %[[X]], %[[Y]] fastmath<contract> : f32
// CHECK:   %[[S:.*]] = arith.addf %[[ACC]], %[[P]] fastmath<contract> : f32
// CHECK:   linalg.yield %[[S]] : f32
func.func @plain(%a: tensor<5x4xf32>, %b: tensor<4x3xf32>) -> tensor<5x3xf32> {
  %0 = loom.matmul %a, %b : tensor<5x4xf32>, tensor<4x3xf32>
  return %0 : tensor<5x3xf32>
}

// -----

// CHECK-DAG: #[[$LHS:.*]] = affine_map<(d0, d1, d2) -> (d1, d0)>
// CHECK-DAG: #[[$RHS:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @both_transposed
// CHECK: linalg.generic {indexing_maps = [#[[$LHS]], #[[$RHS]], #[[$OUT]]]
func.func @both_transposed(%a: tensor<4x5xf32>, %b: tensor<3x4xf32>) -> tensor<5x3xf32> {
  %0 = loom.matmul %a, %b transpose_lhs transpose_rhs : tensor<4x5xf32>, tensor<3x4xf32>
  return %0 : tensor<5x3xf32>
}

// -----

// Only rhs transposed: the dot-product order, k innermost.
// CHECK-DAG: #[[$LHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[$RHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @batch_times_weight
// CHECK: linalg.generic {indexing_maps = [#[[$LHS]], #[[$RHS]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK: arith.mulf %{{.*}}, %{{.*}} fastmath<reassoc,contract> : f32
// CHECK: arith.addf %{{.*}}, %{{.*}} fastmath<reassoc,contract> : f32
func.func @batch_times_weight(%a: tensor<2x5x4xf32>, %b: tensor<3x4xf32>) -> tensor<2x5x3xf32> {
  %0 = loom.matmul %a, %b transpose_rhs : tensor<2x5x4xf32>, tensor<3x4xf32>
  return %0 : tensor<2x5x3xf32>
}

// -----

// A size-1 batch dim reads batch index 0; a missing one is dropped.
// CHECK-DAG: #[[$LHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d3)>
// CHECK-DAG: #[[$RHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d3, d4)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
// CHECK-LABEL: func.func @broadcast_batch
// CHECK: linalg.generic {indexing_maps = [#[[$LHS]], #[[$RHS]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]}
// CHECK: } -> tensor<2x3x5x6xf32>
func.func @broadcast_batch(%a: tensor<2x1x5x4xf32>, %b: tensor<3x4x6xf32>) -> tensor<2x3x5x6xf32> {
  %0 = loom.matmul %a, %b : tensor<2x1x5x4xf32>, tensor<3x4x6xf32>
  return %0 : tensor<2x3x5x6xf32>
}
