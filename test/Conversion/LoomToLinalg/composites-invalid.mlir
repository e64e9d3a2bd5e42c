// RUN: loom-opt %s -split-input-file -convert-loom-to-linalg -verify-diagnostics
// Composite ops have no lowering: the pass names them and says what to run.

func.func @softmax(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'loom.softmax' op is a composite with no lowering to linalg; run -loom-decompose first}}
  %0 = loom.softmax %a axis 1 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @log_softmax(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'loom.log_softmax' op is a composite with no lowering to linalg; run -loom-decompose first}}
  %0 = loom.log_softmax %a axis 0 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @reduce_mean(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'loom.reduce_mean' op is a composite with no lowering to linalg; run -loom-decompose first}}
  %0 = loom.reduce_mean %a axes [1] : tensor<2x3xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @lstm(%x: tensor<2x5x3xf32>, %h: tensor<2x4xf32>, %wih: tensor<16x3xf32>, %whh: tensor<16x4xf32>, %b: tensor<16xf32>) -> tensor<2x5x4xf32> {
  // expected-error @+1 {{'loom.lstm' op is a composite with no lowering to linalg; run -loom-decompose first}}
  %ys, %cs = loom.lstm %x, %h, %h, %wih, %whh, %b, %b : tensor<2x5x3xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>
  return %ys : tensor<2x5x4xf32>
}
