// RUN: loom-opt %s -split-input-file -convert-loom-to-linalg | FileCheck %s
// Every elementwise op becomes one linalg.generic whose body is the op's
// scalar rule; NumPy broadcasting lives in the indexing maps.

// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_row_vector
// CHECK-SAME: (%[[A:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<4x3xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<4x3xf32>, tensor<3xf32>) outs(%[[INIT]] : tensor<4x3xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK:   %[[S:.*]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK:   linalg.yield %[[S]] : f32
// CHECK: return %[[R]]
func.func @add_row_vector(%a: tensor<4x3xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %0 = loom.add %a, %b : tensor<4x3xf32>, tensor<3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// A size-1 dim facing a larger one reads index 0.
// CHECK-DAG: #[[$COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @mul_outer
// CHECK: linalg.generic {indexing_maps = [#[[$COL]], #[[$ROW]], #[[$ID]]]
// CHECK: arith.mulf
func.func @mul_outer(%a: tensor<4x1xf32>, %b: tensor<1x3xf32>) -> tensor<4x3xf32> {
  %0 = loom.mul %a, %b : tensor<4x1xf32>, tensor<1x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Rank-0 operands broadcast through an empty map; a rank-0 op has no loops.
// CHECK-DAG: #[[$SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[$NONE:.*]] = affine_map<() -> ()>
// CHECK-LABEL: func.func @rank0
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$SCALAR]], #{{.*}}], iterator_types = ["parallel", "parallel"]}
// CHECK: arith.subf
// CHECK: linalg.generic {indexing_maps = [#[[$NONE]], #[[$NONE]]], iterator_types = []}
// CHECK-SAME: ins(%{{.*}} : tensor<f32>) outs(%{{.*}} : tensor<f32>)
// CHECK: math.tanh
func.func @rank0(%a: tensor<2x3xf32>, %s: tensor<f32>) -> (tensor<2x3xf32>, tensor<f32>) {
  %0 = loom.sub %a, %s : tensor<2x3xf32>, tensor<f32>
  %1 = loom.tanh %s : tensor<f32>
  return %0, %1 : tensor<2x3xf32>, tensor<f32>
}

// -----

// Each unary op's scalar rule.
// CHECK-LABEL: func.func @unary
// CHECK: arith.negf
// CHECK: math.exp
// CHECK: math.log
// CHECK: math.sqrt
// CHECK: math.rsqrt
// CHECK: math.tanh
// CHECK: arith.negf
// CHECK-NEXT: math.exp
// CHECK-NEXT: arith.constant 1.0
// CHECK-NEXT: arith.addf
// CHECK-NEXT: arith.divf
// CHECK: arith.maximumf
// CHECK: math.absf
func.func @unary(%a: tensor<5xf32>) -> tensor<5xf32> {
  %0 = loom.neg %a : tensor<5xf32>
  %1 = loom.exp %0 : tensor<5xf32>
  %2 = loom.log %1 : tensor<5xf32>
  %3 = loom.sqrt %2 : tensor<5xf32>
  %4 = loom.rsqrt %3 : tensor<5xf32>
  %5 = loom.tanh %4 : tensor<5xf32>
  %6 = loom.sigmoid %5 : tensor<5xf32>
  %7 = loom.relu %6 : tensor<5xf32>
  %8 = loom.abs %7 : tensor<5xf32>
  return %8 : tensor<5xf32>
}

// -----

// CHECK-LABEL: func.func @binary
// CHECK: arith.divf
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: math.powf
func.func @binary(%a: tensor<5xf32>, %b: tensor<5xf32>) -> tensor<5xf32> {
  %0 = loom.div %a, %b : tensor<5xf32>, tensor<5xf32>
  %1 = loom.maximum %0, %b : tensor<5xf32>, tensor<5xf32>
  %2 = loom.minimum %1, %a : tensor<5xf32>, tensor<5xf32>
  %3 = loom.pow %2, %b : tensor<5xf32>, tensor<5xf32>
  return %3 : tensor<5xf32>
}

// -----

// compare yields i1 into an i1 init; ne is unordered, the rest ordered.
// CHECK-LABEL: func.func @compare_select
// CHECK-SAME: (%[[A:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[MI:.*]] = tensor.empty() : tensor<4x3xi1>
// CHECK: %[[M:.*]] = linalg.generic {{.*}} ins(%[[A]], %[[B]] : tensor<4x3xf32>, tensor<3xf32>) outs(%[[MI]] : tensor<4x3xi1>)
// CHECK: arith.cmpf ogt
// CHECK: linalg.yield %{{.*}} : i1
// CHECK: arith.cmpf une
// CHECK: arith.cmpf oeq
// CHECK: arith.cmpf olt
// CHECK: arith.cmpf ole
// CHECK: arith.cmpf oge
// CHECK: linalg.generic {{.*}} ins(%[[M]], %[[A]], %[[B]] : tensor<4x3xi1>, tensor<4x3xf32>, tensor<3xf32>)
// CHECK: ^bb0(%[[C:.*]]: i1, %[[T:.*]]: f32, %[[F:.*]]: f32, %{{.*}}: f32):
// CHECK: arith.select %[[C]], %[[T]], %[[F]] : f32
func.func @compare_select(%a: tensor<4x3xf32>, %b: tensor<3xf32>) -> (tensor<4x3xf32>, tensor<4x3xi1>, tensor<4x3xi1>, tensor<4x3xi1>, tensor<4x3xi1>, tensor<4x3xi1>) {
  %m = loom.compare gt, %a, %b : tensor<4x3xf32>, tensor<3xf32>
  %ne = loom.compare ne, %a, %b : tensor<4x3xf32>, tensor<3xf32>
  %eq = loom.compare eq, %a, %b : tensor<4x3xf32>, tensor<3xf32>
  %lt = loom.compare lt, %a, %b : tensor<4x3xf32>, tensor<3xf32>
  %le = loom.compare le, %a, %b : tensor<4x3xf32>, tensor<3xf32>
  %ge = loom.compare ge, %a, %b : tensor<4x3xf32>, tensor<3xf32>
  %0 = loom.select %m, %a, %b : tensor<4x3xi1>, tensor<4x3xf32>, tensor<3xf32>
  return %0, %ne, %eq, %lt, %le, %ge : tensor<4x3xf32>, tensor<4x3xi1>, tensor<4x3xi1>, tensor<4x3xi1>, tensor<4x3xi1>, tensor<4x3xi1>
}
