// RUN: loom-opt %s -split-input-file -verify-diagnostics -loom-training-entries

// expected-error@+1 {{@forward has no loss result}}
func.func @forward(%x: tensor<4xf32> {loom.input = "x"})
    -> (tensor<4xf32> {loom.output = "y"}) {
  return %x : tensor<4xf32>
}

// -----

// expected-error@+1 {{the loss must be a rank-0 f32 tensor, got 'tensor<4xf32>'}}
func.func @forward(%x: tensor<4xf32> {loom.input = "x"})
    -> (tensor<4xf32> {loom.loss}) {
  return %x : tensor<4xf32>
}

// -----

// expected-error@+1 {{@forward has more than one loss result (0 and 1)}}
func.func @forward(%x: tensor<f32> {loom.input = "x"})
    -> (tensor<f32> {loom.loss}, tensor<f32> {loom.loss}) {
  return %x, %x : tensor<f32>, tensor<f32>
}

// -----

// expected-error@+1 {{the module already has @eval}}
func.func @forward(%x: tensor<f32> {loom.input = "x"})
    -> (tensor<f32> {loom.loss}) {
  return %x : tensor<f32>
}
func.func @eval() {
  return
}

// -----

// expected-error@+1 {{the module has no @forward with a body}}
module {
  func.func @main(%x: tensor<f32>) -> tensor<f32> {
    return %x : tensor<f32>
  }
}
