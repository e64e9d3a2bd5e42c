// RUN: not loom-opt %s -loom-training-entries="optimizer=rmsprop" 2>&1 | FileCheck %s --check-prefix=KIND
// RUN: not loom-opt %s -loom-training-entries="nesterov=true" 2>&1 | FileCheck %s --check-prefix=NESTEROV
// RUN: not loom-opt %s -loom-training-entries="optimizer=adam beta2=1.0" 2>&1 | FileCheck %s --check-prefix=BETA

// KIND: error: unknown optimizer 'rmsprop' (expected sgd, momentum, adam or adamw)
// NESTEROV: error: nesterov needs the momentum optimizer with momentum > 0
// BETA: error: beta1 and beta2 must be in [0, 1), got 0.9 and 1

func.func @forward(%x: tensor<f32> {loom.input = "x"},
                   %w: tensor<f32> {loom.param = "w"})
    -> (tensor<f32> {loom.loss}) {
  %d = loom.sub %w, %x : tensor<f32>, tensor<f32>
  %l = loom.mul %d, %d : tensor<f32>, tensor<f32>
  return %l : tensor<f32>
}
