// RUN: loom-opt %s -split-input-file -verify-diagnostics
// Every error of the recurrent ops' shape rule: each names the operand and
// both shapes involved.

func.func @lstm_x_rank(%x: tensor<4x3xf32>, %h: tensor<4x8xf32>, %wih: tensor<32x3xf32>, %whh: tensor<32x8xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{'loom.lstm' expects x [batch, time, input] of rank 3 with at least one time step, got [4, 3]}}
  %ys, %cs = loom.lstm %x, %h, %h, %wih, %whh, %b, %b : tensor<4x3xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<32x3xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<32xf32>
  return
}

// -----

func.func @lstm_no_steps(%x: tensor<4x0x3xf32>, %h: tensor<4x8xf32>, %wih: tensor<32x3xf32>, %whh: tensor<32x8xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{'loom.lstm' expects x [batch, time, input] of rank 3 with at least one time step, got [4, 0, 3]}}
  %ys, %cs = loom.lstm %x, %h, %h, %wih, %whh, %b, %b : tensor<4x0x3xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<32x3xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<32xf32>
  return
}

// -----

func.func @lstm_batch(%x: tensor<4x5x3xf32>, %h: tensor<2x8xf32>, %wih: tensor<32x3xf32>, %whh: tensor<32x8xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{'loom.lstm' h0 has shape [2, 8] but x [4, 5, 3] needs [4, hidden]}}
  %ys, %cs = loom.lstm %x, %h, %h, %wih, %whh, %b, %b : tensor<4x5x3xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<32x3xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<32xf32>
  return
}

// -----

func.func @lstm_c0(%x: tensor<4x5x3xf32>, %h: tensor<4x8xf32>, %c: tensor<4x7xf32>, %wih: tensor<32x3xf32>, %whh: tensor<32x8xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{'loom.lstm' c0 has shape [4, 7] but h0 has shape [4, 8]: they must match}}
  %ys, %cs = loom.lstm %x, %h, %c, %wih, %whh, %b, %b : tensor<4x5x3xf32>, tensor<4x8xf32>, tensor<4x7xf32>, tensor<32x3xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<32xf32>
  return
}

// -----

func.func @lstm_weight_ih(%x: tensor<4x5x2xf32>, %h: tensor<4x8xf32>, %wih: tensor<32x3xf32>, %whh: tensor<32x8xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{'loom.lstm' weight_ih has shape [32, 3] but x [4, 5, 2] and h0 [4, 8] need [32, 2] (4 gates i, f, g, o of hidden size 8)}}
  %ys, %cs = loom.lstm %x, %h, %h, %wih, %whh, %b, %b : tensor<4x5x2xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<32x3xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<32xf32>
  return
}

// -----

func.func @lstm_weight_hh(%x: tensor<4x5x3xf32>, %h: tensor<4x8xf32>, %wih: tensor<32x3xf32>, %whh: tensor<24x8xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{'loom.lstm' weight_hh has shape [24, 8] but x [4, 5, 3] and h0 [4, 8] need [32, 8] (4 gates i, f, g, o of hidden size 8)}}
  %ys, %cs = loom.lstm %x, %h, %h, %wih, %whh, %b, %b : tensor<4x5x3xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<32x3xf32>, tensor<24x8xf32>, tensor<32xf32>, tensor<32xf32>
  return
}

// -----

func.func @lstm_bias_hh(%x: tensor<4x5x3xf32>, %h: tensor<4x8xf32>, %wih: tensor<32x3xf32>, %whh: tensor<32x8xf32>, %b: tensor<32xf32>, %bhh: tensor<8xf32>) {
  // expected-error @+1 {{'loom.lstm' bias_hh has shape [8] but x [4, 5, 3] and h0 [4, 8] need [32] (4 gates i, f, g, o of hidden size 8)}}
  %ys, %cs = loom.lstm %x, %h, %h, %wih, %whh, %b, %bhh : tensor<4x5x3xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<32x3xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<8xf32>
  return
}

// -----

// A GRU has three gates: LSTM-sized weights are an error.
func.func @gru_lstm_weights(%x: tensor<4x5x3xf32>, %h: tensor<4x8xf32>, %wih: tensor<32x3xf32>, %whh: tensor<32x8xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{'loom.gru' weight_ih has shape [32, 3] but x [4, 5, 3] and h0 [4, 8] need [24, 3] (3 gates r, z, n of hidden size 8)}}
  %ys = loom.gru %x, %h, %wih, %whh, %b, %b : tensor<4x5x3xf32>, tensor<4x8xf32>, tensor<32x3xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<32xf32>
  return
}

// -----

func.func @gru_h0_rank(%x: tensor<4x5x3xf32>, %h: tensor<4x1x8xf32>, %w: tensor<24x3xf32>, %whh: tensor<24x8xf32>, %b: tensor<24xf32>) {
  // expected-error @+1 {{'loom.gru' h0 has shape [4, 1, 8] but x [4, 5, 3] needs [4, hidden]}}
  %ys = loom.gru %x, %h, %w, %whh, %b, %b : tensor<4x5x3xf32>, tensor<4x1x8xf32>, tensor<24x3xf32>, tensor<24x8xf32>, tensor<24xf32>, tensor<24xf32>
  return
}

// -----

// The backward op's sequences must all have the forward's [B, T, H]: a
// gradient over a different number of steps is an error.
func.func @lstm_grad_steps(%x: tensor<4x5x3xf32>, %h: tensor<4x8xf32>, %wih: tensor<32x3xf32>, %whh: tensor<32x8xf32>, %b: tensor<32xf32>, %s: tensor<4x5x8xf32>, %d: tensor<4x6x8xf32>) {
  // expected-error @+1 {{'loom.lstm_grad' dys has shape [4, 6, 8] but the lstm it differentiates produces [4, 5, 8]}}
  %0:7 = loom.lstm_grad %x, %h, %h, %wih, %whh, %b, %b, %s, %s, %d, %s : tensor<4x5x3xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<32x3xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<32xf32>, tensor<4x5x8xf32>, tensor<4x5x8xf32>, tensor<4x6x8xf32>, tensor<4x5x8xf32>
  return
}

// -----

func.func @gru_grad_ys(%x: tensor<4x5x3xf32>, %h: tensor<4x8xf32>, %w: tensor<24x3xf32>, %whh: tensor<24x8xf32>, %b: tensor<24xf32>, %s: tensor<4x5x7xf32>, %d: tensor<4x5x8xf32>) {
  // expected-error @+1 {{'loom.gru_grad' ys has shape [4, 5, 7] but the gru it differentiates produces [4, 5, 8]}}
  %0:6 = loom.gru_grad %x, %h, %w, %whh, %b, %b, %s, %d : tensor<4x5x3xf32>, tensor<4x8xf32>, tensor<24x3xf32>, tensor<24x8xf32>, tensor<24xf32>, tensor<24xf32>, tensor<4x5x7xf32>, tensor<4x5x8xf32>
  return
}

// -----

func.func @gru_grad_forward(%x: tensor<4x5x3xf32>, %h: tensor<3x8xf32>, %w: tensor<24x3xf32>, %whh: tensor<24x8xf32>, %b: tensor<24xf32>, %s: tensor<4x5x8xf32>) {
  // expected-error @+1 {{'loom.gru_grad' h0 has shape [3, 8] but x [4, 5, 3] needs [4, hidden]}}
  %0:6 = loom.gru_grad %x, %h, %w, %whh, %b, %b, %s, %s : tensor<4x5x3xf32>, tensor<3x8xf32>, tensor<24x3xf32>, tensor<24x8xf32>, tensor<24xf32>, tensor<24xf32>, tensor<4x5x8xf32>, tensor<4x5x8xf32>
  return
}
