// RUN: loom-opt %s -split-input-file -convert-loom-to-linalg | FileCheck %s
// argmax is one linalg.generic reducing along its axis into two results
// (the maximum so far, filled with -inf, and its position, filled with 0);
// the position is the op's result, expanded for keepdims. cumsum is an
// scf.for over its axis carrying the result and the running sum of one
// slice, which an elementwise generic updates in place.

// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @argmax_middle
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MAX0:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[POS0:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: %[[R:.*]]:2 = linalg.generic {indexing_maps = [#[[$ID]], #[[$OUT]], #[[$OUT]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-SAME: ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[MAX0]], %[[POS0]] : tensor<2x4xf32>, tensor<2x4xf32>)
// CHECK: ^bb0(%[[V:.*]]: f32, %[[BEST:.*]]: f32, %[[BESTPOS:.*]]: f32):
// CHECK:   %[[I:.*]] = linalg.index 1 : index
// CHECK:   %[[I64:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK:   %[[POS:.*]] = arith.sitofp %[[I64]] : i64 to f32
// CHECK:   %[[VNAN:.*]] = arith.cmpf uno, %[[V]], %[[V]] : f32
// CHECK:   %[[BNAN:.*]] = arith.cmpf uno, %[[BEST]], %[[BEST]] : f32
// CHECK:   %[[EARLIER:.*]] = arith.cmpf olt, %[[POS]], %[[BESTPOS]] : f32
// CHECK:   %[[TRUE:.*]] = arith.constant true
// CHECK:   %[[BNUM:.*]] = arith.xori %[[BNAN]], %[[TRUE]] : i1
// CHECK:   %[[NANWIN:.*]] = arith.andi %[[VNAN]], %[[BNUM]] : i1
// CHECK:   %[[BOTHNAN:.*]] = arith.andi %[[VNAN]], %[[BNAN]] : i1
// CHECK:   %[[EQ:.*]] = arith.cmpf oeq, %[[V]], %[[BEST]] : f32
// CHECK:   %[[TIE:.*]] = arith.ori %[[EQ]], %[[BOTHNAN]] : i1
// CHECK:   %[[TIEWIN:.*]] = arith.andi %[[TIE]], %[[EARLIER]] : i1
// CHECK:   %[[GT:.*]] = arith.cmpf ogt, %[[V]], %[[BEST]] : f32
// CHECK:   %[[WIN:.*]] = arith.ori %[[NANWIN]], %[[GT]] : i1
// CHECK:   %[[TAKE:.*]] = arith.ori %[[WIN]], %[[TIEWIN]] : i1
// CHECK:   %[[NEWMAX:.*]] = arith.select %[[TAKE]], %[[V]], %[[BEST]] : f32
// CHECK:   %[[NEWPOS:.*]] = arith.select %[[TAKE]], %[[POS]], %[[BESTPOS]] : f32
// CHECK:   linalg.yield %[[NEWMAX]], %[[NEWPOS]] : f32, f32
// CHECK: return %[[R]]#1 : tensor<2x4xf32>
func.func @argmax_middle(%x: tensor<2x3x4xf32>) -> tensor<2x4xf32> {
  %0 = loom.argmax %x axis 1 : tensor<2x3x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @argmax_keepdims
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "parallel"]
// CHECK: %[[K:.*]] = tensor.expand_shape %[[R]]#1 {{\[\[}}0, 1], [2]] output_shape [1, 3, 4] : tensor<3x4xf32> into tensor<1x3x4xf32>
// CHECK: %[[R2:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: %[[K2:.*]] = tensor.expand_shape %[[R2]]#1 {{\[\[}}0], [1, 2]] output_shape [2, 3, 1] : tensor<2x3xf32> into tensor<2x3x1xf32>
// CHECK: return %[[K]], %[[K2]]
func.func @argmax_keepdims(%x: tensor<2x3x4xf32>) -> (tensor<1x3x4xf32>, tensor<2x3x1xf32>) {
  %0 = loom.argmax %x axis 0 keepdims : tensor<2x3x4xf32>
  %1 = loom.argmax %x axis 2 keepdims : tensor<2x3x4xf32>
  return %0, %1 : tensor<1x3x4xf32>, tensor<2x3x1xf32>
}

// -----

// A vector's argmax is rank 0; keepdims expands it with no groups.
// CHECK-LABEL: func.func @argmax_vector
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction"]
// CHECK-SAME: outs(%{{.*}}, %{{.*}} : tensor<f32>, tensor<f32>)
// CHECK: tensor.expand_shape %{{.*}} [] output_shape [1] : tensor<f32> into tensor<1xf32>
func.func @argmax_vector(%x: tensor<5xf32>) -> tensor<1xf32> {
  %0 = loom.argmax %x axis 0 keepdims : tensor<5xf32>
  return %0 : tensor<1xf32>
}

// -----

// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @cumsum_middle
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[SUM0:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x1x4xf32>)
// CHECK: %[[Y0:.*]] = tensor.empty() : tensor<2x3x4xf32>
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[C3:.*]] = arith.constant 3 : index
// CHECK: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[LOOP:.*]]:2 = scf.for %[[K:.*]] = %[[C0]] to %[[C3]] step %[[C1]] iter_args(%[[Y:.*]] = %[[Y0]], %[[SUM:.*]] = %[[SUM0]])
// CHECK:   %[[XS:.*]] = tensor.extract_slice %[[X]][0, %[[K]], 0] [2, 1, 4] [1, 1, 1] : tensor<2x3x4xf32> to tensor<2x1x4xf32>
// CHECK:   %[[NEW:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[XS]] : tensor<2x1x4xf32>) outs(%[[SUM]] : tensor<2x1x4xf32>)
// CHECK:   ^bb0(%[[IN:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK:     %[[ADD:.*]] = arith.addf %[[ACC]], %[[IN]] : f32
// CHECK:     linalg.yield %[[ADD]]
// CHECK:   %[[YNEW:.*]] = tensor.insert_slice %[[NEW]] into %[[Y]][0, %[[K]], 0] [2, 1, 4] [1, 1, 1]
// CHECK:   scf.yield %[[YNEW]], %[[NEW]] : tensor<2x3x4xf32>, tensor<2x1x4xf32>
// CHECK: return %[[LOOP]]#0 : tensor<2x3x4xf32>
func.func @cumsum_middle(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = loom.cumsum %x axis 1 : tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// reverse walks the positions from the end (3 - k); exclusive inserts the
// running sum before adding the step's slice.
// CHECK-LABEL: func.func @cumsum_reverse_exclusive
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>)
// CHECK: %[[LAST:.*]] = arith.constant 3 : index
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[Y:.*]] = %{{.*}}, %[[SUM:.*]] = %{{.*}}) -> (tensor<2x4xf32>, tensor<2x1xf32>)
// CHECK:   %[[POS:.*]] = arith.subi %[[LAST]], %[[K]] : index
// CHECK:   %[[YNEW:.*]] = tensor.insert_slice %[[SUM]] into %[[Y]][0, %[[POS]]] [2, 1] [1, 1]
// CHECK:   %[[XS:.*]] = tensor.extract_slice %[[X]][0, %[[POS]]] [2, 1] [1, 1]
// CHECK:   %[[NEW:.*]] = linalg.generic {{.*}} ins(%[[XS]] : tensor<2x1xf32>) outs(%[[SUM]] : tensor<2x1xf32>)
// CHECK:   scf.yield %[[YNEW]], %[[NEW]]
func.func @cumsum_reverse_exclusive(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %0 = loom.cumsum %x axis 1 reverse exclusive : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
