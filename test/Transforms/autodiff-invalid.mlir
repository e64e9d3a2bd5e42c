// RUN: loom-opt %s -split-input-file -verify-diagnostics -loom-autodiff
// Errors of -loom-autodiff, each at the op (the user's model line) it is
// about; never a crash.

// An op on the path from a parameter to the loss without a gradient rule.
func.func @no_rule(%x: tensor<2x3xf32>) -> (tensor<f32> {loom.loss}) {
  // expected-error @+1 {{'arith.addf' has no gradient rule (needed to differentiate the loss)}}
  %0 = arith.addf %x, %x : tensor<2x3xf32>
  %1 = loom.reduce_sum %0 axes [0, 1] : tensor<2x3xf32>
  return %1 : tensor<f32>
}

// -----

// The same op off the path (it does not depend on a parameter) is fine.
func.func @no_rule_off_path(%x: tensor<2x3xf32> {loom.input = "x"},
                            %w: tensor<2x3xf32> {loom.param = "w"}) -> (tensor<f32> {loom.loss}) {
  %0 = arith.addf %x, %x : tensor<2x3xf32>
  %1 = loom.mul %0, %w : tensor<2x3xf32>, tensor<2x3xf32>
  %2 = loom.reduce_sum %1 axes [0, 1] : tensor<2x3xf32>
  return %2 : tensor<f32>
}

// -----

func.func @not_scalar(%x: tensor<3xf32>) -> (tensor<3xf32> {loom.loss}) {
  // expected-error @+1 {{the loss must be a rank-0 f32 tensor (reduce it to a scalar first), got 'tensor<3xf32>'}}
  %0 = loom.exp %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// expected-error @+1 {{cannot create @taken_grad for the loss's gradients: the name is taken}}
func.func @taken(%x: tensor<f32>) -> (tensor<f32> {loom.loss}) {
  return %x : tensor<f32>
}
func.func @taken_grad() {
  return
}

// -----

// The recurrent backward ops have no rule of their own: a second
// derivative through a recurrent layer is an error, not a crash.
func.func @second_order_lstm(%x: tensor<2x3x1xf32>, %h: tensor<2x2xf32>, %wih: tensor<8x1xf32>, %whh: tensor<8x2xf32>, %b: tensor<8xf32>, %s: tensor<2x3x2xf32>) -> (tensor<f32> {loom.loss}) {
  // expected-error @+1 {{'loom.lstm_grad' has no gradient rule (needed to differentiate the loss)}}
  %dx, %dh0, %dc0, %dwih, %dwhh, %dbih, %dbhh = loom.lstm_grad %x, %h, %h, %wih, %whh, %b, %b, %s, %s, %s, %s : tensor<2x3x1xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<8x1xf32>, tensor<8x2xf32>, tensor<8xf32>, tensor<8xf32>, tensor<2x3x2xf32>, tensor<2x3x2xf32>, tensor<2x3x2xf32>, tensor<2x3x2xf32>
  %1 = loom.reduce_sum %dwhh axes [0, 1] : tensor<8x2xf32>
  return %1 : tensor<f32>
}
