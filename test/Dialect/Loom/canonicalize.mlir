// RUN: loom-opt %s -split-input-file -canonicalize | FileCheck %s
// The folds and canonicalizations of Folders.cpp: neutral elements, constant
// folding through the reference rules, collapsing reshape and transpose
// chains, and folding matrix transposes into matmul's flags.

//===----------------------------------------------------------------------===//
// Neutral elements
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @add_zero
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK-NOT: loom.add
// CHECK: return %[[X]], %[[X]]
func.func @add_zero(%x: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %z = loom.constant dense<0.0> : tensor<3xf32>
  %0 = loom.add %x, %z : tensor<4x3xf32>, tensor<3xf32>
  %1 = loom.add %z, %x : tensor<3xf32>, tensor<4x3xf32>
  return %0, %1 : tensor<4x3xf32>, tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func.func @mul_one
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK-NOT: loom.mul
// CHECK: return %[[X]], %[[X]]
func.func @mul_one(%x: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %one = loom.constant dense<1.0> : tensor<f32>
  %0 = loom.mul %x, %one : tensor<4x3xf32>, tensor<f32>
  %1 = loom.mul %one, %x : tensor<f32>, tensor<4x3xf32>
  return %0, %1 : tensor<4x3xf32>, tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func.func @sub_zero_div_one
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK-NOT: loom.sub
// CHECK-NOT: loom.div
// CHECK: return %[[X]], %[[X]]
func.func @sub_zero_div_one(%x: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %zero = loom.constant dense<0.0> : tensor<1x3xf32>
  %one = loom.constant dense<1.0> : tensor<4x1xf32>
  %0 = loom.sub %x, %zero : tensor<4x3xf32>, tensor<1x3xf32>
  %1 = loom.div %x, %one : tensor<4x3xf32>, tensor<4x1xf32>
  return %0, %1 : tensor<4x3xf32>, tensor<4x3xf32>
}

// -----

// 0 - x and 1 / x are not x.
// CHECK-LABEL: func.func @zero_sub_one_div
// CHECK: loom.sub
// CHECK: loom.div
func.func @zero_sub_one_div(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %zero = loom.constant dense<0.0> : tensor<3xf32>
  %one = loom.constant dense<1.0> : tensor<3xf32>
  %0 = loom.sub %zero, %x : tensor<3xf32>, tensor<3xf32>
  %1 = loom.div %one, %x : tensor<3xf32>, tensor<3xf32>
  return %0, %1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// The neutral constant broadcasts x to a bigger shape, so x cannot replace
// the result.
// CHECK-LABEL: func.func @neutral_that_broadcasts
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>)
// CHECK-DAG: %[[Z:.*]] = loom.constant dense<0.000000e+00> : tensor<4x3xf32>
// CHECK-DAG: %[[O:.*]] = loom.constant dense<1.000000e+00> : tensor<2x1xf32>
// CHECK: %[[A:.*]] = loom.add %[[X]], %[[Z]] : tensor<3xf32>, tensor<4x3xf32>
// CHECK: %[[M:.*]] = loom.mul %[[X]], %[[O]] : tensor<3xf32>, tensor<2x1xf32>
// CHECK: %[[S:.*]] = loom.sub %[[X]], %[[Z]] : tensor<3xf32>, tensor<4x3xf32>
// CHECK: %[[D:.*]] = loom.div %[[X]], %[[O]] : tensor<3xf32>, tensor<2x1xf32>
// CHECK: return %[[A]], %[[M]], %[[S]], %[[D]]
func.func @neutral_that_broadcasts(%x: tensor<3xf32>) -> (tensor<4x3xf32>, tensor<2x3xf32>, tensor<4x3xf32>, tensor<2x3xf32>) {
  %z = loom.constant dense<0.0> : tensor<4x3xf32>
  %o = loom.constant dense<1.0> : tensor<2x1xf32>
  %0 = loom.add %x, %z : tensor<3xf32>, tensor<4x3xf32>
  %1 = loom.mul %x, %o : tensor<3xf32>, tensor<2x1xf32>
  %2 = loom.sub %x, %z : tensor<3xf32>, tensor<4x3xf32>
  %3 = loom.div %x, %o : tensor<3xf32>, tensor<2x1xf32>
  return %0, %1, %2, %3 : tensor<4x3xf32>, tensor<2x3xf32>, tensor<4x3xf32>, tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// Constant folding
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @fold_unary
// CHECK-DAG: %[[N:.*]] = loom.constant dense<[-1.000000e+00, 2.000000e+00, -0.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[R:.*]] = loom.constant dense<[1.000000e+00, 0.000000e+00, 0.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[A:.*]] = loom.constant dense<[1.000000e+00, 2.000000e+00, 0.000000e+00]> : tensor<3xf32>
// CHECK-NOT: loom.neg
// CHECK-NOT: loom.relu
// CHECK-NOT: loom.abs
// CHECK: return %[[N]], %[[R]], %[[A]]
func.func @fold_unary() -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %c = loom.constant dense<[1.0, -2.0, 0.0]> : tensor<3xf32>
  %0 = loom.neg %c : tensor<3xf32>
  %1 = loom.relu %c : tensor<3xf32>
  %2 = loom.abs %c : tensor<3xf32>
  return %0, %1, %2 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// [1, 30] against the column [[10], [20]] broadcasts to 2x2.
// CHECK-LABEL: func.func @fold_binary_broadcast
// CHECK-DAG: %[[ADD:.*]] = loom.constant dense<{{\[}}[1.100000e+01, 4.000000e+01], [2.100000e+01, 5.000000e+01]]> : tensor<2x2xf32>
// CHECK-DAG: %[[SUB:.*]] = loom.constant dense<{{\[}}[-9.000000e+00, 2.000000e+01], [-1.900000e+01, 1.000000e+01]]> : tensor<2x2xf32>
// CHECK-DAG: %[[MAX:.*]] = loom.constant dense<{{\[}}[1.000000e+01, 3.000000e+01], [2.000000e+01, 3.000000e+01]]> : tensor<2x2xf32>
// CHECK-NOT: loom.add
// CHECK-NOT: loom.sub
// CHECK-NOT: loom.maximum
// CHECK: return %[[ADD]], %[[SUB]], %[[MAX]]
func.func @fold_binary_broadcast() -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %a = loom.constant dense<[1.0, 30.0]> : tensor<2xf32>
  %b = loom.constant dense<[[10.0], [20.0]]> : tensor<2x1xf32>
  %0 = loom.add %a, %b : tensor<2xf32>, tensor<2x1xf32>
  %1 = loom.sub %a, %b : tensor<2xf32>, tensor<2x1xf32>
  %2 = loom.maximum %a, %b : tensor<2xf32>, tensor<2x1xf32>
  return %0, %1, %2 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func.func @fold_compare_select
// CHECK-DAG: %[[M:.*]] = loom.constant dense<{{\[}}[false, true], [false, true]]> : tensor<2x2xi1>
// CHECK-DAG: %[[S:.*]] = loom.constant dense<{{\[}}[1.000000e+01, 3.000000e+01], [2.000000e+01, 3.000000e+01]]> : tensor<2x2xf32>
// CHECK-NOT: loom.compare
// CHECK-NOT: loom.select
// CHECK: return %[[M]], %[[S]]
func.func @fold_compare_select() -> (tensor<2x2xi1>, tensor<2x2xf32>) {
  %a = loom.constant dense<[1.0, 30.0]> : tensor<2xf32>
  %b = loom.constant dense<[[10.0], [20.0]]> : tensor<2x1xf32>
  %m = loom.compare gt, %a, %b : tensor<2xf32>, tensor<2x1xf32>
  %s = loom.select %m, %a, %b : tensor<2x2xi1>, tensor<2xf32>, tensor<2x1xf32>
  return %m, %s : tensor<2x2xi1>, tensor<2x2xf32>
}

// -----

// A uniform condition picks one side even when it is not constant.
// CHECK-LABEL: func.func @select_splat_condition
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<2x3xf32>)
// CHECK-NOT: loom.select
// CHECK: return %[[X]], %[[Y]]
func.func @select_splat_condition(%x: tensor<2x3xf32>, %y: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %t = loom.constant dense<true> : tensor<3xi1>
  %f = loom.constant dense<false> : tensor<2x3xi1>
  %0 = loom.select %t, %x, %y : tensor<3xi1>, tensor<2x3xf32>, tensor<2x3xf32>
  %1 = loom.select %f, %x, %y : tensor<2x3xi1>, tensor<2x3xf32>, tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @fold_shape_ops
// CHECK-DAG: %[[T:.*]] = loom.constant dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-DAG: %[[R:.*]] = loom.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00], [5.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-DAG: %[[B:.*]] = loom.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00], [1.000000e+00, 2.000000e+00, 3.000000e+00]]> : tensor<2x3xf32>
// CHECK-DAG: %[[S:.*]] = loom.constant dense<7.000000e+00> : tensor<2x2xf32>
// CHECK-NOT: loom.transpose
// CHECK-NOT: loom.reshape
// CHECK-NOT: loom.broadcast_to
// CHECK: return %[[T]], %[[R]], %[[B]], %[[S]]
func.func @fold_shape_ops() -> (tensor<3x2xf32>, tensor<3x2xf32>, tensor<2x3xf32>, tensor<2x2xf32>) {
  %c = loom.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %v = loom.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %s = loom.constant dense<7.0> : tensor<1xf32>
  %0 = loom.transpose %c [1, 0] : tensor<2x3xf32>
  %1 = loom.reshape %c [3, 2] : tensor<2x3xf32>
  %2 = loom.broadcast_to %v [2, 3] : tensor<3xf32>
  %3 = loom.broadcast_to %s [2, 2] : tensor<1xf32>
  return %0, %1, %2, %3 : tensor<3x2xf32>, tensor<3x2xf32>, tensor<2x3xf32>, tensor<2x2xf32>
}

//===----------------------------------------------------------------------===//
// Reshape
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @reshape_of_reshape
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK: %[[R:.*]] = loom.reshape %[[X]] [2, 6] : tensor<4x3xf32>
// CHECK-NOT: loom.reshape
// CHECK: return %[[R]]
func.func @reshape_of_reshape(%x: tensor<4x3xf32>) -> tensor<2x6xf32> {
  %0 = loom.reshape %x [12] : tensor<4x3xf32>
  %1 = loom.reshape %0 [2, 6] : tensor<12xf32>
  return %1 : tensor<2x6xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_round_trip
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK-NOT: loom.reshape
// CHECK: return %[[X]]
func.func @reshape_round_trip(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = loom.reshape %x [3, 4] : tensor<4x3xf32>
  %1 = loom.reshape %0 [4, 3] : tensor<3x4xf32>
  return %1 : tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_same_type
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK-NOT: loom.reshape
// CHECK: return %[[X]]
func.func @reshape_same_type(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = loom.reshape %x [4, 3] : tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

//===----------------------------------------------------------------------===//
// Transpose and broadcast_to
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NOT: loom.transpose
// CHECK: return %[[X]]
func.func @transpose_identity(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = loom.transpose %x [0, 1, 2] : tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// [1, 2, 0] gives 3x4x2, and [2, 0, 1] of that gives back 2x3x4.
// CHECK-LABEL: func.func @transpose_inverse_pair
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NOT: loom.transpose
// CHECK: return %[[X]]
func.func @transpose_inverse_pair(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = loom.transpose %x [1, 2, 0] : tensor<2x3x4xf32>
  %1 = loom.transpose %0 [2, 0, 1] : tensor<3x4x2xf32>
  return %1 : tensor<2x3x4xf32>
}

// -----

// x is 2x3x4; [1, 0, 2] gives 3x2x4; [0, 2, 1] of that gives 3x4x2, which is
// x's dimensions [1, 2, 0].
// CHECK-LABEL: func.func @transpose_compose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[T:.*]] = loom.transpose %[[X]] [1, 2, 0] : tensor<2x3x4xf32>
// CHECK-NOT: loom.transpose
// CHECK: return %[[T]] : tensor<3x4x2xf32>
func.func @transpose_compose(%x: tensor<2x3x4xf32>) -> tensor<3x4x2xf32> {
  %0 = loom.transpose %x [1, 0, 2] : tensor<2x3x4xf32>
  %1 = loom.transpose %0 [0, 2, 1] : tensor<3x2x4xf32>
  return %1 : tensor<3x4x2xf32>
}

// -----

// CHECK-LABEL: func.func @broadcast_to_same_shape
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK-NOT: loom.broadcast_to
// CHECK: return %[[X]]
func.func @broadcast_to_same_shape(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = loom.broadcast_to %x [4, 3] : tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

//===----------------------------------------------------------------------===//
// Transposes folded into matmul
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @matmul_transposed_lhs
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<4x16xf32>)
// CHECK-NOT: loom.transpose
// CHECK: %[[R:.*]] = loom.matmul %[[A]], %[[B]] transpose_lhs : tensor<4x8xf32>, tensor<4x16xf32>
// CHECK: return %[[R]] : tensor<8x16xf32>
func.func @matmul_transposed_lhs(%a: tensor<4x8xf32>, %b: tensor<4x16xf32>) -> tensor<8x16xf32> {
  %t = loom.transpose %a [1, 0] : tensor<4x8xf32>
  %0 = loom.matmul %t, %b : tensor<8x4xf32>, tensor<4x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_transposed_rhs
// CHECK-SAME: (%[[A:.*]]: tensor<8x4xf32>, %[[B:.*]]: tensor<16x4xf32>)
// CHECK-NOT: loom.transpose
// CHECK: %[[R:.*]] = loom.matmul %[[A]], %[[B]] transpose_rhs : tensor<8x4xf32>, tensor<16x4xf32>
// CHECK: return %[[R]] : tensor<8x16xf32>
func.func @matmul_transposed_rhs(%a: tensor<8x4xf32>, %b: tensor<16x4xf32>) -> tensor<8x16xf32> {
  %t = loom.transpose %b [1, 0] : tensor<16x4xf32>
  %0 = loom.matmul %a, %t : tensor<8x4xf32>, tensor<4x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_batched_both
// CHECK-SAME: (%[[A:.*]]: tensor<2x4x8xf32>, %[[B:.*]]: tensor<2x16x4xf32>)
// CHECK-NOT: loom.transpose
// CHECK: %[[R:.*]] = loom.matmul %[[A]], %[[B]] transpose_lhs transpose_rhs : tensor<2x4x8xf32>, tensor<2x16x4xf32>
// CHECK: return %[[R]] : tensor<2x8x16xf32>
func.func @matmul_batched_both(%a: tensor<2x4x8xf32>, %b: tensor<2x16x4xf32>) -> tensor<2x8x16xf32> {
  %ta = loom.transpose %a [0, 2, 1] : tensor<2x4x8xf32>
  %tb = loom.transpose %b [0, 2, 1] : tensor<2x16x4xf32>
  %0 = loom.matmul %ta, %tb : tensor<2x8x4xf32>, tensor<2x4x16xf32>
  return %0 : tensor<2x8x16xf32>
}

// -----

// Transposing an operand that is already read transposed clears the flag.
// CHECK-LABEL: func.func @matmul_flag_toggles_back
// CHECK-SAME: (%[[A:.*]]: tensor<8x4xf32>, %[[B:.*]]: tensor<4x16xf32>)
// CHECK-NOT: loom.transpose
// CHECK: %[[R:.*]] = loom.matmul %[[A]], %[[B]] : tensor<8x4xf32>, tensor<4x16xf32>
// CHECK: return %[[R]] : tensor<8x16xf32>
func.func @matmul_flag_toggles_back(%a: tensor<8x4xf32>, %b: tensor<4x16xf32>) -> tensor<8x16xf32> {
  %ta = loom.transpose %a [1, 0] : tensor<8x4xf32>
  %tb = loom.transpose %b [1, 0] : tensor<4x16xf32>
  %0 = loom.matmul %ta, %tb transpose_lhs transpose_rhs : tensor<4x8xf32>, tensor<16x4xf32>
  return %0 : tensor<8x16xf32>
}

// -----

// [1, 0, 2] swaps a batch dimension with a matrix one; matmul's flags cannot
// express that.
// CHECK-LABEL: func.func @matmul_batch_transpose_stays
// CHECK-SAME: (%[[A:.*]]: tensor<8x2x4xf32>, %[[B:.*]]: tensor<2x4x16xf32>)
// CHECK: %[[T:.*]] = loom.transpose %[[A]] [1, 0, 2] : tensor<8x2x4xf32>
// CHECK: %[[R:.*]] = loom.matmul %[[T]], %[[B]] : tensor<2x8x4xf32>, tensor<2x4x16xf32>
// CHECK: return %[[R]]
func.func @matmul_batch_transpose_stays(%a: tensor<8x2x4xf32>, %b: tensor<2x4x16xf32>) -> tensor<2x8x16xf32> {
  %t = loom.transpose %a [1, 0, 2] : tensor<8x2x4xf32>
  %0 = loom.matmul %t, %b : tensor<2x8x4xf32>, tensor<2x4x16xf32>
  return %0 : tensor<2x8x16xf32>
}

//===----------------------------------------------------------------------===//
// Constants that are not folded
//===----------------------------------------------------------------------===//

// -----

// A dense_resource blob cannot be read element by element, so nothing folds
// through it (this used to be a fatal error).
// CHECK-LABEL: func.func @resource_constant_is_kept
// CHECK: %[[C:.*]] = loom.constant dense_resource<blob1> : tensor<2xf32>
// CHECK: %[[N:.*]] = loom.neg %[[C]] : tensor<2xf32>
// CHECK: return %[[N]]
func.func @resource_constant_is_kept() -> tensor<2xf32> {
  %c = loom.constant dense_resource<blob1> : tensor<2xf32>
  %0 = loom.neg %c : tensor<2xf32>
  return %0 : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      blob1: "0x040000000000803F00000040"
    }
  }
#-}

// -----

// Folding stops above 4096 result elements, so this add stays.
// CHECK-LABEL: func.func @large_constant_is_kept
// CHECK: %[[R:.*]] = loom.add
// CHECK: return %[[R]]
func.func @large_constant_is_kept() -> tensor<4097xf32> {
  %a = loom.constant dense<2.0> : tensor<4097xf32>
  %0 = loom.add %a, %a : tensor<4097xf32>, tensor<4097xf32>
  return %0 : tensor<4097xf32>
}

// -----

// A pad of nothing is its operand; stop_gradient has no folder, so it
// survives until autodiff has seen it (the lowering erases it).
// CHECK-LABEL: func.func @pad_nothing_and_stop_gradient
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK: %[[S:.*]] = loom.stop_gradient %[[X]]
// CHECK: return %[[X]], %[[S]]
func.func @pad_nothing_and_stop_gradient(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = loom.pad %x low [0, 0] high [0, 0] interior [0, 0] : tensor<2x3xf32>
  %1 = loom.stop_gradient %x : tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}
