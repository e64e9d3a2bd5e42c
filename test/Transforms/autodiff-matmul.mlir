// RUN: loom-opt %s -split-input-file -loom-autodiff -canonicalize -cse | FileCheck %s
// matmul's VJP is two matmuls whose transpose flags do the transposing (no
// loom.transpose), and a broadcast batch is summed back to the operand.

// C = A B: dA = G B^T, dB = A^T G, with G = 1 here.
// CHECK-LABEL: func.func @plain_grad
// CHECK-SAME: (%[[A:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<3x2xf32>)
// CHECK: %[[G:.*]] = loom.constant dense<1.000000e+00> : tensor<4x2xf32>
// CHECK: %[[DA:.*]] = loom.matmul %[[G]], %[[B]] transpose_rhs : tensor<4x2xf32>, tensor<3x2xf32>
// CHECK: %[[DB:.*]] = loom.matmul %[[A]], %[[G]] transpose_lhs : tensor<4x3xf32>, tensor<4x2xf32>
// CHECK-NOT: loom.transpose
// CHECK: return %{{.*}}, %[[DA]], %[[DB]]
func.func @plain(%a: tensor<4x3xf32>, %b: tensor<3x2xf32>) -> (tensor<f32> {loom.loss}) {
  %0 = loom.matmul %a, %b : tensor<4x3xf32>, tensor<3x2xf32>
  %1 = loom.reduce_sum %0 axes [0, 1] : tensor<4x2xf32>
  return %1 : tensor<f32>
}

// -----

// C = A^T B^T: dA = B^T G^T, dB = G^T A^T. The upstream gradient G is the
// weight tensor %g (an input: no gradient of its own).
// CHECK-LABEL: func.func @both_flags_grad
// CHECK-SAME: (%[[A:.*]]: tensor<3x4xf32> {loom.param = "a"}, %[[B:.*]]: tensor<2x3xf32> {loom.param = "b"}, %[[G:.*]]: tensor<4x2xf32> {loom.input = "g"})
// CHECK-SAME: -> (tensor<f32> {loom.loss}, tensor<3x4xf32> {loom.grad = "a"}, tensor<2x3xf32> {loom.grad = "b"})
// CHECK: %[[DA:.*]] = loom.matmul %[[B]], %[[G]] transpose_lhs transpose_rhs : tensor<2x3xf32>, tensor<4x2xf32>
// CHECK: %[[DB:.*]] = loom.matmul %[[G]], %[[A]] transpose_lhs transpose_rhs : tensor<4x2xf32>, tensor<3x4xf32>
// CHECK: return %{{.*}}, %[[DA]], %[[DB]]
func.func @both_flags(%a: tensor<3x4xf32> {loom.param = "a"}, %b: tensor<2x3xf32> {loom.param = "b"},
                      %g: tensor<4x2xf32> {loom.input = "g"}) -> (tensor<f32> {loom.loss}) {
  %0 = loom.matmul %a, %b transpose_lhs transpose_rhs : tensor<3x4xf32>, tensor<2x3xf32>
  %1 = loom.mul %0, %g : tensor<4x2xf32>, tensor<4x2xf32>
  %2 = loom.reduce_sum %1 axes [0, 1] : tensor<4x2xf32>
  return %2 : tensor<f32>
}

// -----

// C = A^T B: dA = B G^T; C = A B^T: dB = G^T A.
// CHECK-LABEL: func.func @one_flag_each_grad
// CHECK-SAME: (%[[A:[^:]*]]: tensor<3x4xf32> {{[^,]*}}, %[[B:[^:]*]]: tensor<3x2xf32> {{[^,]*}}, %[[C:[^:]*]]: tensor<4x3xf32> {{[^,]*}}, %[[D:[^:]*]]: tensor<2x3xf32> {{[^,]*}}, %[[G:[^:]*]]: tensor<4x2xf32> {loom.input = "g"})
// CHECK-DAG: %[[DA:.*]] = loom.matmul %[[B]], %[[G]] transpose_rhs : tensor<3x2xf32>, tensor<4x2xf32>
// CHECK-DAG: %[[DB:.*]] = loom.matmul %[[A]], %[[G]] : tensor<3x4xf32>, tensor<4x2xf32>
// CHECK-DAG: %[[DC:.*]] = loom.matmul %[[G]], %[[D]] : tensor<4x2xf32>, tensor<2x3xf32>
// CHECK-DAG: %[[DD:.*]] = loom.matmul %[[G]], %[[C]] transpose_lhs : tensor<4x2xf32>, tensor<4x3xf32>
// CHECK: return %{{.*}}, %[[DA]], %[[DB]], %[[DC]], %[[DD]]
func.func @one_flag_each(%a: tensor<3x4xf32> {loom.param = "a"}, %b: tensor<3x2xf32> {loom.param = "b"},
                         %c: tensor<4x3xf32> {loom.param = "c"}, %d: tensor<2x3xf32> {loom.param = "d"},
                         %g: tensor<4x2xf32> {loom.input = "g"}) -> (tensor<f32> {loom.loss}) {
  %0 = loom.matmul %a, %b transpose_lhs : tensor<3x4xf32>, tensor<3x2xf32>
  %1 = loom.matmul %c, %d transpose_rhs : tensor<4x3xf32>, tensor<2x3xf32>
  %2 = loom.add %0, %1 : tensor<4x2xf32>, tensor<4x2xf32>
  %3 = loom.mul %2, %g : tensor<4x2xf32>, tensor<4x2xf32>
  %4 = loom.reduce_sum %3 axes [0, 1] : tensor<4x2xf32>
  return %4 : tensor<f32>
}

// -----

// A 2-D weight against a batch: its gradient is summed over the batch.
// CHECK-LABEL: func.func @batch_grad
// CHECK-SAME: (%[[X:.*]]: tensor<5x4x3xf32> {loom.input = "x"}, %[[W:.*]]: tensor<3x2xf32> {loom.param = "w"}, %[[G:.*]]: tensor<5x4x2xf32> {loom.input = "g"})
// CHECK-SAME: -> (tensor<f32> {loom.loss}, tensor<3x2xf32> {loom.grad = "w"})
// CHECK: %[[PER:.*]] = loom.matmul %[[X]], %[[G]] transpose_lhs : tensor<5x4x3xf32>, tensor<5x4x2xf32>
// CHECK: %[[DW:.*]] = loom.reduce_sum %[[PER]] axes [0] : tensor<5x3x2xf32>
// CHECK: return %{{.*}}, %[[DW]]
func.func @batch(%x: tensor<5x4x3xf32> {loom.input = "x"}, %w: tensor<3x2xf32> {loom.param = "w"},
                 %g: tensor<5x4x2xf32> {loom.input = "g"}) -> (tensor<f32> {loom.loss}) {
  %0 = loom.matmul %x, %w : tensor<5x4x3xf32>, tensor<3x2xf32>
  %1 = loom.mul %0, %g : tensor<5x4x2xf32>, tensor<5x4x2xf32>
  %2 = loom.reduce_sum %1 axes [0, 1, 2] : tensor<5x4x2xf32>
  return %2 : tensor<f32>
}
