// RUN: loom-opt %s -split-input-file -verify-diagnostics
// Every error of random_normal.

func.func @training_without_counter() {
  // expected-error @+1 {{'loom.random_normal' op in training mode needs a counter (the step number)}}
  %0 = loom.random_normal seed 0 training : tensor<4xf32>
  return
}

// -----

func.func @seed_too_large() {
  // expected-error @+1 {{'loom.random_normal' op seed must be in [0, 2^32), got 4294967296}}
  %0 = loom.random_normal seed 4294967296 : tensor<4xf32>
  return
}

// -----

func.func @dynamic_shape() {
  // expected-error @+1 {{'loom.random_normal' op needs a static shape, got 'tensor<?x4xf32>'}}
  %0 = loom.random_normal seed 1 : tensor<?x4xf32>
  return
}

// -----

func.func @too_many_elements() {
  // expected-error @+1 {{'loom.random_normal' op draws at most 2^31 elements, got 4294967296}}
  %0 = loom.random_normal seed 1 : tensor<65536x65536xf32>
  return
}

// -----

func.func @not_f32() {
  // expected-error @+1 {{result #0 must be ranked tensor of 32-bit float values}}
  %0 = loom.random_normal seed 1 : tensor<4xi1>
  return
}
