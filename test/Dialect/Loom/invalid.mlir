// RUN: loom-opt %s -split-input-file -verify-diagnostics
// Every error the loom dialect reports: the shape rules of
// ShapeInference.cpp (checked while parsing, since the custom assembly infers
// the result type), the inferred-vs-declared check of the generic form, and
// the ODS element-type constraints.

//===----------------------------------------------------------------------===//
// Static shapes and element types
//===----------------------------------------------------------------------===//

func.func @add_dynamic_shape(%a: tensor<?xf32>, %b: tensor<2xf32>) {
  // expected-error @+1 {{'loom.add' expects ranked tensors with static shapes}}
  %0 = loom.add %a, %b : tensor<?xf32>, tensor<2xf32>
  return
}

// -----

func.func @constant_not_a_tensor() {
  // expected-error @+1 {{'loom.constant' needs a statically shaped tensor value}}
  %0 = loom.constant dense<1.0> : vector<2xf32>
  return
}

// -----

func.func @add_integer_operand(%a: tensor<2xi32>, %b: tensor<2xf32>) {
  // expected-error @+1 {{'loom.add' op operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<2xi32>'}}
  %0 = loom.add %a, %b : tensor<2xi32>, tensor<2xf32>
  return
}

// -----

func.func @select_float_condition(%c: tensor<2xf32>, %a: tensor<2xf32>) {
  // expected-error @+1 {{'loom.select' op operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = loom.select %c, %a, %a : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  return
}

// -----

func.func @generic_result_type_mismatch(%a: tensor<2xf32>, %b: tensor<2xf32>) {
  // expected-error @+2 {{'loom.add' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{'loom.add' op failed to infer returned types}}
  %0 = "loom.add"(%a, %b) : (tensor<2xf32>, tensor<2xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @generic_shape_error(%x: tensor<4x3xf32>) {
  // expected-error @+2 {{'loom.reshape' cannot reshape [4, 3] (12 elements) to [5] (5 elements)}}
  // expected-error @+1 {{'loom.reshape' op failed to infer returned types}}
  %0 = "loom.reshape"(%x) <{shape = array<i64: 5>}> : (tensor<4x3xf32>) -> tensor<5xf32>
  return
}

// -----

func.func @compare_bad_predicate(%a: tensor<2xf32>) {
  // expected-error @+2 {{expected ::loom::ComparePredicate to be one of: eq, ne, lt, le, gt, ge}}
  // expected-error @+1 {{failed to parse Loom_ComparePredicateAttr parameter}}
  %0 = loom.compare bigger, %a, %a : tensor<2xf32>, tensor<2xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Broadcasting
//===----------------------------------------------------------------------===//

func.func @add_incompatible(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'loom.add' cannot broadcast shapes [2, 3] and [4] (each dimension pair, aligned from the right, must be equal or 1)}}
  %0 = loom.add %a, %b : tensor<2x3xf32>, tensor<4xf32>
  return
}

// -----

func.func @compare_incompatible(%a: tensor<3xf32>, %b: tensor<2x2xf32>) {
  // expected-error @+1 {{'loom.compare' cannot broadcast shapes [3] and [2, 2]}}
  %0 = loom.compare lt, %a, %b : tensor<3xf32>, tensor<2x2xf32>
  return
}

// -----

// The condition and on_true broadcast to [4, 3]; on_false does not fit that.
func.func @select_incompatible(%c: tensor<4x1xi1>, %a: tensor<1x3xf32>, %b: tensor<2x3xf32>) {
  // expected-error @+1 {{'loom.select' cannot broadcast shapes [4, 3] and [2, 3]}}
  %0 = loom.select %c, %a, %b : tensor<4x1xi1>, tensor<1x3xf32>, tensor<2x3xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Matmul
//===----------------------------------------------------------------------===//

func.func @matmul_rank_one(%a: tensor<4xf32>, %b: tensor<4x3xf32>) {
  // expected-error @+1 {{'loom.matmul' expects operands of rank >= 2, got [4] and [4, 3]}}
  %0 = loom.matmul %a, %b : tensor<4xf32>, tensor<4x3xf32>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{'loom.matmul' contraction sizes differ: lhs [2, 3] has K = 3, rhs [4, 5] has K = 4}}
  %0 = loom.matmul %a, %b : tensor<2x3xf32>, tensor<4x5xf32>
  return
}

// -----

// Without the flags these shapes would multiply; with them K is 2 and 5.
func.func @matmul_contraction_transposed(%a: tensor<2x3xf32>, %b: tensor<3x5xf32>) {
  // expected-error @+1 {{'loom.matmul' contraction sizes differ: lhs [2, 3] (transposed) has K = 2, rhs [3, 5] (transposed) has K = 5}}
  %0 = loom.matmul %a, %b transpose_lhs transpose_rhs : tensor<2x3xf32>, tensor<3x5xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x4x3xf32>, %b: tensor<5x3x6xf32>) {
  // expected-error @+1 {{'loom.matmul' cannot broadcast batch dimensions [2] and [5]}}
  %0 = loom.matmul %a, %b : tensor<2x4x3xf32>, tensor<5x3x6xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

func.func @reduce_axis_out_of_range(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'loom.reduce_sum' axis 2 is out of range for shape [4, 3] (rank 2)}}
  %0 = loom.reduce_sum %x axes [2] : tensor<4x3xf32>
  return
}

// -----

func.func @reduce_negative_axis(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'loom.reduce_mean' axis -1 is out of range for shape [4, 3] (rank 2)}}
  %0 = loom.reduce_mean %x axes [-1] : tensor<4x3xf32>
  return
}

// -----

func.func @reduce_repeated_axis(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'loom.reduce_max' axis 1 is repeated in axes [1, 0, 1]}}
  %0 = loom.reduce_max %x axes [1, 0, 1] : tensor<4x3xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

func.func @reshape_element_count(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'loom.reshape' cannot reshape [4, 3] (12 elements) to [5, 2] (10 elements)}}
  %0 = loom.reshape %x [5, 2] : tensor<4x3xf32>
  return
}

// -----

func.func @reshape_negative_dim(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'loom.reshape' target shape [-1, 3] has a negative dimension}}
  %0 = loom.reshape %x [-1, 3] : tensor<4x3xf32>
  return
}

// -----

func.func @transpose_wrong_length(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'loom.transpose' permutation [2, 0, 1] has 3 entries for shape [4, 3] of rank 2}}
  %0 = loom.transpose %x [2, 0, 1] : tensor<4x3xf32>
  return
}

// -----

func.func @transpose_repeated(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'loom.transpose' [0, 0] is not a permutation of [0, 2)}}
  %0 = loom.transpose %x [0, 0] : tensor<4x3xf32>
  return
}

// -----

func.func @transpose_out_of_range(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'loom.transpose' [0, 2] is not a permutation of [0, 2)}}
  %0 = loom.transpose %x [0, 2] : tensor<4x3xf32>
  return
}

// -----

func.func @broadcast_to_incompatible(%x: tensor<3xf32>) {
  // expected-error @+1 {{'loom.broadcast_to' cannot broadcast [3] to [4, 2]}}
  %0 = loom.broadcast_to %x [4, 2] : tensor<3xf32>
  return
}

// -----

func.func @broadcast_to_lower_rank(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'loom.broadcast_to' cannot broadcast [2, 3] to [3]}}
  %0 = loom.broadcast_to %x [3] : tensor<2x3xf32>
  return
}

// -----

func.func @broadcast_to_negative(%x: tensor<1xf32>) {
  // expected-error @+1 {{'loom.broadcast_to' cannot broadcast [1] to [-2, 1]}}
  %0 = loom.broadcast_to %x [-2, 1] : tensor<1xf32>
  return
}

// -----

func.func @slice_entry_count(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'loom.slice' start, limit and stride need 2 entries each for shape [4, 3]}}
  %0 = loom.slice %x start [0] limit [4, 3] stride [1, 1] : tensor<4x3xf32>
  return
}

// -----

func.func @slice_start_after_limit(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'loom.slice' dimension 1: need 0 <= start (2) <= limit (1) <= size (3)}}
  %0 = loom.slice %x start [0, 2] limit [4, 1] stride [1, 1] : tensor<4x3xf32>
  return
}

// -----

func.func @slice_negative_start(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'loom.slice' dimension 0: need 0 <= start (-1) <= limit (4) <= size (4)}}
  %0 = loom.slice %x start [-1, 0] limit [4, 3] stride [1, 1] : tensor<4x3xf32>
  return
}

// -----

func.func @slice_limit_past_end(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'loom.slice' dimension 0: need 0 <= start (0) <= limit (5) <= size (4)}}
  %0 = loom.slice %x start [0, 0] limit [5, 3] stride [1, 1] : tensor<4x3xf32>
  return
}

// -----

func.func @slice_zero_stride(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'loom.slice' dimension 1: stride must be >= 1, got 0}}
  %0 = loom.slice %x start [0, 0] limit [4, 3] stride [1, 0] : tensor<4x3xf32>
  return
}

// -----

// The custom assembly cannot spell a concat of nothing; the generic form can.
func.func @concat_no_inputs() {
  // expected-error @+2 {{'loom.concat' needs at least one input}}
  // expected-error @+1 {{'loom.concat' op failed to infer returned types}}
  %0 = "loom.concat"() <{axis = 0 : i64}> : () -> tensor<1xf32>
  return
}

// -----

func.func @concat_axis_out_of_range(%a: tensor<4x3xf32>) {
  // expected-error @+1 {{'loom.concat' axis 2 is out of range for rank 2}}
  %0 = loom.concat %a, %a axis 2 : tensor<4x3xf32>, tensor<4x3xf32>
  return
}

// -----

func.func @concat_mismatched_dims(%a: tensor<4x3xf32>, %b: tensor<3x2xf32>) {
  // expected-error @+1 {{'loom.concat' along axis 1: shape [3, 2] does not match [4, 3] outside the axis}}
  %0 = loom.concat %a, %b axis 1 : tensor<4x3xf32>, tensor<3x2xf32>
  return
}

// -----

func.func @concat_mismatched_rank(%a: tensor<4x3xf32>, %b: tensor<4x3x1xf32>) {
  // expected-error @+1 {{'loom.concat' along axis 0: shape [4, 3, 1] does not match [4, 3] outside the axis}}
  %0 = loom.concat %a, %b axis 0 : tensor<4x3xf32>, tensor<4x3x1xf32>
  return
}

// -----

func.func @concat_element_types(%a: tensor<4x3xf32>, %b: tensor<4x3xi1>) {
  // expected-error @+1 {{'loom.concat' inputs differ in element type}}
  %0 = loom.concat %a, %b axis 0 : tensor<4x3xf32>, tensor<4x3xi1>
  return
}

// -----

func.func @pad_entry_count(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'loom.pad' low, high and interior need 2 entries each for shape [4, 3]}}
  %0 = loom.pad %x low [0] high [0, 0] interior [0, 0] : tensor<4x3xf32>
  return
}

// -----

func.func @pad_negative(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'loom.pad' dimension 1: padding must be >= 0, got low 0, high -1, interior 0}}
  %0 = loom.pad %x low [0, 0] high [0, -1] interior [0, 0] : tensor<4x3xf32>
  return
}

// -----

func.func @stop_gradient_result_type(%x: tensor<4x3xf32>) {
  // expected-error @+2 {{'loom.stop_gradient' op inferred type(s) 'tensor<4x3xf32>' are incompatible with return type(s) of operation 'tensor<3x4xf32>'}}
  // expected-error @+1 {{'loom.stop_gradient' op failed to infer returned types}}
  %0 = "loom.stop_gradient"(%x) : (tensor<4x3xf32>) -> tensor<3x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Softmax family
//===----------------------------------------------------------------------===//

func.func @softmax_axis_out_of_range(%x: tensor<8x10xf32>) {
  // expected-error @+1 {{'loom.softmax' axis 2 is out of range for shape [8, 10]}}
  %0 = loom.softmax %x axis 2 : tensor<8x10xf32>
  return
}

// -----

func.func @log_softmax_negative_axis(%x: tensor<8x10xf32>) {
  // expected-error @+1 {{'loom.log_softmax' axis -1 is out of range for shape [8, 10]}}
  %0 = loom.log_softmax %x axis -1 : tensor<8x10xf32>
  return
}
