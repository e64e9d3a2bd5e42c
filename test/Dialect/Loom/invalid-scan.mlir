// RUN: loom-opt %s -split-input-file -verify-diagnostics
// Every error of argmax's and cumsum's shape rules (inferArgmax,
// inferAxisPreserving in ShapeInference.cpp), checked while parsing.

func.func @argmax_axis_out_of_range(%x: tensor<8x10xf32>) {
  // expected-error @+1 {{'loom.argmax' axis 2 is out of range for shape [8, 10]}}
  %0 = loom.argmax %x axis 2 : tensor<8x10xf32>
  return
}

// -----

func.func @argmax_negative_axis(%x: tensor<8x10xf32>) {
  // expected-error @+1 {{'loom.argmax' axis -1 is out of range for shape [8, 10]}}
  %0 = loom.argmax %x axis -1 : tensor<8x10xf32>
  return
}

// -----

func.func @argmax_scalar(%x: tensor<f32>) {
  // expected-error @+1 {{'loom.argmax' axis 0 is out of range for shape []}}
  %0 = loom.argmax %x axis 0 : tensor<f32>
  return
}

// -----

func.func @argmax_empty_axis(%x: tensor<3x0xf32>) {
  // expected-error @+1 {{'loom.argmax' needs at least one element along axis 1, got shape [3, 0]}}
  %0 = loom.argmax %x axis 1 : tensor<3x0xf32>
  return
}

// -----

func.func @argmax_wrong_result(%x: tensor<4x3xf32>) {
  // expected-error @+2 {{'loom.argmax' op inferred type(s) 'tensor<1x3xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{'loom.argmax' op failed to infer returned types}}
  %0 = "loom.argmax"(%x) {axis = 0 : i64, keepdims} : (tensor<4x3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @argmax_i1(%x: tensor<4xi1>) {
  // expected-error @+1 {{'loom.argmax' op operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<4xi1>'}}
  %0 = "loom.argmax"(%x) {axis = 0 : i64} : (tensor<4xi1>) -> tensor<f32>
  return
}

// -----

func.func @cumsum_axis_out_of_range(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'loom.cumsum' axis 2 is out of range for shape [4, 3]}}
  %0 = loom.cumsum %x axis 2 : tensor<4x3xf32>
  return
}

// -----

func.func @cumsum_scalar(%x: tensor<f32>) {
  // expected-error @+1 {{'loom.cumsum' axis 0 is out of range for shape []}}
  %0 = loom.cumsum %x axis 0 reverse : tensor<f32>
  return
}
