// RUN: loom-opt %s -split-input-file -verify-diagnostics
// Every error of the activation, normalization and dropout ops.

func.func @clamp_min_above_max(%x: tensor<4xf32>) {
  // expected-error @+1 {{'loom.clamp' op needs min <= max, got min 2.000000e+00 and max 1.000000e+00}}
  %0 = loom.clamp %x min 2.0 max 1.0 : tensor<4xf32>
  return
}

// -----

func.func @layer_norm_gamma_shape(%x: tensor<2x5x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'loom.layer_norm' gamma has shape [8] but normalizing [2, 5, 8] from axis 1 needs [5, 8]}}
  %0 = loom.layer_norm %x, %g, %g axis 1 epsilon 1.0e-05 : tensor<2x5x8xf32>, tensor<8xf32>
  return
}

// -----

func.func @layer_norm_axis(%x: tensor<2x5xf32>, %g: tensor<5xf32>) {
  // expected-error @+1 {{'loom.layer_norm' axis 2 is out of range for a rank-2 operand [2, 5]}}
  %0 = loom.layer_norm %x, %g, %g axis 2 epsilon 1.0e-05 : tensor<2x5xf32>, tensor<5xf32>
  return
}

// -----

func.func @layer_norm_epsilon(%x: tensor<2x5xf32>, %g: tensor<5xf32>) {
  // expected-error @+1 {{'loom.layer_norm' epsilon must be > 0, got 0}}
  %0 = loom.layer_norm %x, %g, %g axis 1 epsilon 0.0 : tensor<2x5xf32>, tensor<5xf32>
  return
}

// -----

func.func @batch_norm_channels(%x: tensor<4x3x5x5xf32>, %c: tensor<5xf32>) {
  // expected-error @+1 {{'loom.batch_norm' gamma has shape [5] but [4, 3, 5, 5] has 3 channels (dimension 1): it must be [3]}}
  %y, %m, %v = loom.batch_norm %x, %c, %c, %c, %c epsilon 1.0e-05 momentum 0.1 : tensor<4x3x5x5xf32>, tensor<5xf32>
  return
}

// -----

func.func @batch_norm_rank(%x: tensor<4xf32>, %c: tensor<4xf32>) {
  // expected-error @+1 {{'loom.batch_norm' expects an operand [N, C, ...] of rank >= 2, got [4]}}
  %y, %m, %v = loom.batch_norm %x, %c, %c, %c, %c epsilon 1.0e-05 momentum 0.1 : tensor<4xf32>, tensor<4xf32>
  return
}

// -----

func.func @batch_norm_momentum(%x: tensor<4x3xf32>, %c: tensor<3xf32>) {
  // expected-error @+1 {{'loom.batch_norm' momentum must be in [0, 1], got 1.5}}
  %y, %m, %v = loom.batch_norm %x, %c, %c, %c, %c epsilon 1.0e-05 momentum 1.5 : tensor<4x3xf32>, tensor<3xf32>
  return
}

// -----

func.func @dropout_rate(%x: tensor<4xf32>) {
  // expected-error @+1 {{'loom.dropout' rate must be in [0, 1), got 1}}
  %0 = loom.dropout %x rate 1.0 seed 0 : tensor<4xf32>
  return
}

// -----

func.func @dropout_training_without_counter(%x: tensor<4xf32>) {
  // expected-error @+1 {{'loom.dropout' op in training mode needs a counter (the step number)}}
  %0 = loom.dropout %x rate 0.5 seed 0 training : tensor<4xf32>
  return
}
