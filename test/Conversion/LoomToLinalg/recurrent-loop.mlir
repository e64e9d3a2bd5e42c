// RUN: loom-opt %s -loom-decompose -convert-loom-to-linalg | FileCheck %s
// The loom ops inside a recurrent layer's time loop are converted like any
// others; the scf.for and its tensor iter_args stay, and the step's slices
// of the projected inputs stay tensor.extract_slice at the loop index.

// CHECK-LABEL: func.func @gru
// CHECK-SAME: (%[[X:.*]]: tensor<2x6x3xf32>, %[[H0:.*]]: tensor<2x4xf32>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]{{.*}} ins(%{{.*}}, %{{.*}} : tensor<12x3xf32>, tensor<12x3xf32>)
// CHECK: %[[PROJ:.*]] = tensor.expand_shape %{{.*}} output_shape [2, 6, 12]
// CHECK: %[[LOOP:.*]]:2 = scf.for %[[T:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[H:.*]] = %[[H0]], %[[YS:.*]] = %{{.*}}) -> (tensor<2x4xf32>, tensor<2x6x4xf32>)
// CHECK: tensor.extract_slice %[[PROJ]][0, %[[T]], 0] [2, 1, 12] [1, 1, 1] : tensor<2x6x12xf32> to tensor<2x12xf32>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]{{.*}} ins(%[[H]], %{{.*}} : tensor<2x4xf32>, tensor<12x4xf32>)
// CHECK: math.tanh
// CHECK: %[[YS2:.*]] = tensor.insert_slice %[[HN:.*]] into %[[YS]][0, %[[T]], 0] [2, 1, 4] [1, 1, 1]
// CHECK: scf.yield %[[HN]], %[[YS2]] : tensor<2x4xf32>, tensor<2x6x4xf32>
// CHECK: return %[[LOOP]]#1
// CHECK-NOT: loom.
func.func @gru(%x: tensor<2x6x3xf32>, %h0: tensor<2x4xf32>, %wih: tensor<12x3xf32>, %whh: tensor<12x4xf32>, %bih: tensor<12xf32>, %bhh: tensor<12xf32>) -> tensor<2x6x4xf32> {
  %ys = loom.gru %x, %h0, %wih, %whh, %bih, %bhh : tensor<2x6x3xf32>, tensor<2x4xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<12xf32>, tensor<12xf32>
  return %ys : tensor<2x6x4xf32>
}
