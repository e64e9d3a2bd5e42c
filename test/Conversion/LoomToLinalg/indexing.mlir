// RUN: loom-opt %s -split-input-file -convert-loom-to-linalg | FileCheck %s
// The indexing family (IndexingToLinalg.cpp): every op first checks its f32
// indices in a generic that calls the runtime's reporter for a bad one and
// yields a safe `index` (0 for gather: a clamped read; -1 for scatter_add
// and one_hot: matches nothing), with the op's location and a description
// of the range as string constants.

// CHECK-DAG: llvm.mlir.global internal constant @[[WHERE:.*]]("{{.*}}indexing.mlir:[[@LINE+27]]:8\00")
// CHECK-DAG: llvm.mlir.global internal constant @[[WHAT:.*]]("gather\00")
// CHECK-DAG: llvm.mlir.global internal constant @[[RANGE:.*]]("a table of 50 rows\00")
// CHECK-DAG: func.func private @loom_rt_report_index_error(f64, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr)
// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[T:.*]]: tensor<50x8xf32>, %[[I:.*]]: tensor<4x3xf32>)
// CHECK: %[[IDX:.*]] = linalg.generic {{.*}} ins(%[[I]] : tensor<4x3xf32>) outs(%{{.*}} : tensor<4x3xindex>)
// CHECK: ^bb0(%[[F:.*]]: f32, %{{.*}}: index):
// CHECK-DAG: %[[LIMIT:.*]] = arith.constant 5.000000e+01 : f32
// CHECK-DAG: %[[GE:.*]] = arith.cmpf oge, %[[F]]
// CHECK-DAG: %[[LT:.*]] = arith.cmpf olt, %[[F]], %[[LIMIT]]
// CHECK-DAG: %[[FLOOR:.*]] = math.floor %[[F]]
// CHECK-DAG: %[[INT:.*]] = arith.cmpf oeq, %[[FLOOR]], %[[F]]
// CHECK: scf.if
// CHECK: %[[D:.*]] = arith.extf %[[F]] : f32 to f64
// CHECK: %[[SIZE:.*]] = arith.constant 50 : i64
// CHECK: %[[P0:.*]] = llvm.mlir.addressof @[[WHERE]]
// CHECK: %[[P1:.*]] = llvm.mlir.addressof @[[WHAT]]
// CHECK: %[[P2:.*]] = llvm.mlir.addressof @[[RANGE]]
// CHECK: func.call @loom_rt_report_index_error(%[[D]], %[[SIZE]], %[[P0]], %[[P1]], %[[P2]])
// CHECK: %[[SAFE:.*]] = arith.select %{{.*}}, %[[F]], %{{.*}} : f32
// CHECK: arith.fptosi %[[SAFE]] : f32 to i64
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[IDX]] : tensor<4x3xindex>)
// CHECK: ^bb0(%[[ROW:.*]]: index, %{{.*}}: f32):
// CHECK: %[[COL:.*]] = linalg.index 2 : index
// CHECK: tensor.extract %[[T]][%[[ROW]], %[[COL]]] : tensor<50x8xf32>
func.func @gather(%t: tensor<50x8xf32>, %i: tensor<4x3xf32>) -> tensor<4x3x8xf32> {
  %g = loom.gather %t, %i axis 0 : tensor<50x8xf32>, tensor<4x3xf32>
  return %g : tensor<4x3x8xf32>
}

// -----

// Repeated strings share one global.
// CHECK-LABEL: func.func @two_gathers
// CHECK-COUNT-2: llvm.mlir.addressof @loom_index_text_2
func.func @two_gathers(%t: tensor<50x8xf32>, %i: tensor<3xf32>, %j: tensor<3xf32>) -> (tensor<3x8xf32>, tensor<3x8xf32>) {
  %g = loom.gather %t, %i axis 0 : tensor<50x8xf32>, tensor<3xf32>
  %h = loom.gather %t, %j axis 0 : tensor<50x8xf32>, tensor<3xf32>
  return %g, %h : tensor<3x8xf32>, tensor<3x8xf32>
}

// -----

// scatter_add: the result's dimensions are parallel loops, the index
// positions a reduction; a bad index becomes -1 and matches no row.
// CHECK-DAG: #[[$U:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[$I:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-DAG: #[[$Y:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: llvm.mlir.global internal constant @{{.*}}("axis 1 of size 7\00")
// CHECK-LABEL: func.func @scatter_add
// CHECK-SAME: (%[[U:.*]]: tensor<2x4x3xf32>, %[[I:.*]]: tensor<4xf32>)
// CHECK: %[[IDX:.*]] = linalg.generic {{.*}} ins(%[[I]] : tensor<4xf32>)
// CHECK: %[[BAD:.*]] = arith.constant -1 : index
// CHECK: arith.select %{{.*}}, %{{.*}}, %[[BAD]] : index
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<2x7x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$U]], #[[$I]], #[[$Y]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[U]], %[[IDX]] : tensor<2x4x3xf32>, tensor<4xindex>) outs(%[[ZERO]] : tensor<2x7x3xf32>)
// CHECK: ^bb0(%[[V:.*]]: f32, %[[K:.*]]: index, %[[ACC:.*]]: f32):
// CHECK: %[[ROW:.*]] = linalg.index 1 : index
// CHECK: %[[HIT:.*]] = arith.cmpi eq, %[[K]], %[[ROW]] : index
// CHECK: %[[PICK:.*]] = arith.select %[[HIT]], %[[V]], %{{.*}} : f32
// CHECK: arith.addf %[[ACC]], %[[PICK]] : f32
func.func @scatter_add(%u: tensor<2x4x3xf32>, %i: tensor<4xf32>) -> tensor<2x7x3xf32> {
  %s = loom.scatter_add %u, %i axis 1 dim_size 7 : tensor<2x4x3xf32>, tensor<4xf32>
  return %s : tensor<2x7x3xf32>
}

// -----

// CHECK-DAG: llvm.mlir.global internal constant @{{.*}}("10 classes\00")
// CHECK-LABEL: func.func @one_hot
// CHECK: %[[IDX:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<32xindex>)
// CHECK: linalg.generic {{.*}} ins(%[[IDX]] : tensor<32xindex>) outs(%{{.*}} : tensor<32x10xf32>)
// CHECK: ^bb0(%[[K:.*]]: index, %{{.*}}: f32):
// CHECK: %[[C:.*]] = linalg.index 1 : index
// CHECK: %[[HIT:.*]] = arith.cmpi eq, %[[K]], %[[C]] : index
// CHECK: arith.select %[[HIT]], %{{.*}}, %{{.*}} : f32
func.func @one_hot(%i: tensor<32xf32>) -> tensor<32x10xf32> {
  %h = loom.one_hot %i num_classes 10 : tensor<32xf32>
  return %h : tensor<32x10xf32>
}
