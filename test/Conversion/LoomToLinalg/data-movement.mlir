// RUN: loom-opt %s -split-input-file -convert-loom-to-linalg | FileCheck %s
// reshape, transpose, broadcast_to, slice, pad, concat, stop_gradient and
// constant.

// Any reshape is a collapse to 1-D and an expand, both row-major.
// CHECK-LABEL: func.func @reshape_not_nested
// CHECK-SAME: (%[[A:.*]]: tensor<4x3xf32>)
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[A]] {{\[\[}}0, 1]] : tensor<4x3xf32> into tensor<12xf32>
// CHECK: %[[R:.*]] = tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1]] output_shape [2, 6] : tensor<12xf32> into tensor<2x6xf32>
// CHECK: return %[[R]]
func.func @reshape_not_nested(%a: tensor<4x3xf32>) -> tensor<2x6xf32> {
  %0 = loom.reshape %a [2, 6] : tensor<4x3xf32>
  return %0 : tensor<2x6xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_rank0
// CHECK-SAME: (%[[A:.*]]: tensor<1x1xf32>, %[[S:.*]]: tensor<f32>)
// CHECK: tensor.collapse_shape %[[A]] [] : tensor<1x1xf32> into tensor<f32>
// CHECK: tensor.expand_shape %[[S]] [] output_shape [1] : tensor<f32> into tensor<1xf32>
// CHECK-NOT: tensor.collapse_shape
func.func @reshape_rank0(%a: tensor<1x1xf32>, %s: tensor<f32>) -> (tensor<f32>, tensor<1xf32>, tensor<12xf32>) {
  %0 = loom.reshape %a [] : tensor<1x1xf32>
  %1 = loom.reshape %s [1] : tensor<f32>
  %2 = loom.constant dense<1.0> : tensor<12xf32>
  %3 = loom.reshape %2 [12] : tensor<12xf32>
  return %0, %1, %3 : tensor<f32>, tensor<1xf32>, tensor<12xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[A:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<4x2x3xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[A]] : tensor<2x3x4xf32>) outs(%[[INIT]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
// CHECK: return %[[T]]
func.func @transpose(%a: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = loom.transpose %a [2, 0, 1] : tensor<2x3x4xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// CHECK-DAG: #[[$SRC:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[$DST:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @broadcast_to
// CHECK-SAME: (%[[A:.*]]: tensor<4x1xf32>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x4x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$SRC]], #[[$DST]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%[[A]] : tensor<4x1xf32>) outs(%[[INIT]] : tensor<2x4x3xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[X]] : f32
func.func @broadcast_to(%a: tensor<4x1xf32>) -> tensor<2x4x3xf32> {
  %0 = loom.broadcast_to %a [2, 4, 3] : tensor<4x1xf32>
  return %0 : tensor<2x4x3xf32>
}

// -----

// CHECK-LABEL: func.func @strided_slice
// CHECK-SAME: (%[[A:.*]]: tensor<7x5xf32>)
// CHECK: %[[S:.*]] = tensor.extract_slice %[[A]][1, 0] [3, 2] [2, 3] : tensor<7x5xf32> to tensor<3x2xf32>
// CHECK: return %[[S]]
func.func @strided_slice(%a: tensor<7x5xf32>) -> tensor<3x2xf32> {
  %0 = loom.slice %a start [1, 0] limit [7, 5] stride [2, 3] : tensor<7x5xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Interior padding is the insert_slice's stride.
// CHECK-LABEL: func.func @pad
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>)
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E:.*]] = tensor.empty() : tensor<3x7xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<3x7xf32>)
// CHECK: %[[R:.*]] = tensor.insert_slice %[[A]] into %[[F]][1, 0] [2, 3] [1, 2] : tensor<2x3xf32> into tensor<3x7xf32>
// CHECK: return %[[R]]
func.func @pad(%a: tensor<2x3xf32>) -> tensor<3x7xf32> {
  %0 = loom.pad %a low [1, 0] high [0, 2] interior [0, 1] : tensor<2x3xf32>
  return %0 : tensor<3x7xf32>
}

// -----

// CHECK-LABEL: func.func @stop_gradient
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[A]]
func.func @stop_gradient(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = loom.stop_gradient %a : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @concat_middle
// CHECK-SAME: (%[[A:.*]]: tensor<2x3x4xf32>, %[[B:.*]]: tensor<2x1x4xf32>, %[[C:.*]]: tensor<2x2x4xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x6x4xf32>
// CHECK: %[[I0:.*]] = tensor.insert_slice %[[A]] into %[[E]][0, 0, 0] [2, 3, 4] [1, 1, 1]
// CHECK: %[[I1:.*]] = tensor.insert_slice %[[B]] into %[[I0]][0, 3, 0] [2, 1, 4] [1, 1, 1]
// CHECK: %[[I2:.*]] = tensor.insert_slice %[[C]] into %[[I1]][0, 4, 0] [2, 2, 4] [1, 1, 1]
// CHECK: return %[[I2]]
func.func @concat_middle(%a: tensor<2x3x4xf32>, %b: tensor<2x1x4xf32>, %c: tensor<2x2x4xf32>) -> tensor<2x6x4xf32> {
  %0 = loom.concat %a, %b, %c axis 1 : tensor<2x3x4xf32>, tensor<2x1x4xf32>, tensor<2x2x4xf32>
  return %0 : tensor<2x6x4xf32>
}

// -----

// CHECK-LABEL: func.func @constants
// CHECK-DAG: arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<true> : tensor<i1>
// CHECK-NOT: loom.
func.func @constants() -> (tensor<2xf32>, tensor<i1>) {
  %0 = loom.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %1 = loom.constant dense<true> : tensor<i1>
  return %0, %1 : tensor<2xf32>, tensor<i1>
}
