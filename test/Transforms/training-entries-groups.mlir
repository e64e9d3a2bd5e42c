// RUN: loom-opt %s -loom-training-entries="optimizer=adam" | FileCheck %s

// Two named losses, each over its own parameter group (a GAN in miniature:
// a generator gen.w maps noise to samples, a critic disc.w scores real and
// generated rows). Each group gets its own step, which differentiates its
// own loss w.r.t. its own parameters and updates only those and their Adam
// state; @eval returns both losses; @forward keeps the samples. The noise
// is drawn with the step as counter in both steps (the same numbers for a
// given step) and with counter 0 in @forward.

// CHECK-LABEL: func.func @forward(
// CHECK-SAME:    -> (tensor<4x2xf32> {loom.output = "samples"})
// CHECK:         loom.random_normal seed 0 : tensor<4x3xf32>

// CHECK-LABEL: func.func @eval(
// CHECK-SAME:    -> (tensor<f32> {loom.loss = "disc", loom.loss_params = ["disc."]},
// CHECK-SAME:        tensor<f32> {loom.loss = "gen", loom.loss_params = ["gen."]})

// CHECK-LABEL: func.func @train_step_disc(
// CHECK-SAME:    {loom.param = "disc.w"}, %{{[^:]*}}: tensor<2x1xf32> {loom.state = "disc.w.m"},
// CHECK-SAME:    %{{[^:]*}}: tensor<2x1xf32> {loom.state = "disc.w.v"}, %{{[^:]*}}: tensor<f32> {loom.hyper = "lr"},
// CHECK-SAME:    %[[STEP:[^:]*]]: tensor<f32> {loom.hyper = "step"})
// CHECK-SAME:    -> (tensor<f32> {loom.loss = "disc", loom.loss_params = ["disc."]},
// CHECK-SAME:        tensor<2x1xf32> {loom.param_update = "disc.w"},
// CHECK-SAME:        tensor<2x1xf32> {loom.state_update = "disc.w.m"},
// CHECK-SAME:        tensor<2x1xf32> {loom.state_update = "disc.w.v"}) {
// CHECK:         loom.random_normal counter %[[STEP]] seed 0 training : tensor<4x3xf32>
// CHECK:         return

// CHECK-LABEL: func.func @train_step_gen(
// CHECK-SAME:    {loom.param = "gen.w"}, %{{[^:]*}}: tensor<2x1xf32> {loom.param = "disc.w"},
// CHECK-SAME:    %{{[^:]*}}: tensor<3x2xf32> {loom.state = "gen.w.m"},
// CHECK-SAME:    %{{[^:]*}}: tensor<3x2xf32> {loom.state = "gen.w.v"}, %{{[^:]*}}: tensor<f32> {loom.hyper = "lr"},
// CHECK-SAME:    %[[STEP2:[^:]*]]: tensor<f32> {loom.hyper = "step"})
// CHECK-SAME:    -> (tensor<f32> {loom.loss = "gen", loom.loss_params = ["gen."]},
// CHECK-SAME:        tensor<3x2xf32> {loom.param_update = "gen.w"},
// CHECK-SAME:        tensor<3x2xf32> {loom.state_update = "gen.w.m"},
// CHECK-SAME:        tensor<3x2xf32> {loom.state_update = "gen.w.v"}) {
// CHECK:         loom.random_normal counter %[[STEP2]] seed 0 training : tensor<4x3xf32>
// CHECK:         return
func.func @forward(%x: tensor<4x2xf32> {loom.input = "x"},
                   %gw: tensor<3x2xf32> {loom.param = "gen.w"},
                   %dw: tensor<2x1xf32> {loom.param = "disc.w"})
    -> (tensor<4x2xf32> {loom.output = "samples"},
        tensor<f32> {loom.loss = "disc", loom.loss_params = ["disc."]},
        tensor<f32> {loom.loss = "gen", loom.loss_params = ["gen."]}) {
  %z = loom.random_normal seed 0 : tensor<4x3xf32>
  %fake = loom.matmul %z, %gw : tensor<4x3xf32>, tensor<3x2xf32>
  %real_score = loom.matmul %x, %dw : tensor<4x2xf32>, tensor<2x1xf32>
  %fake_score = loom.matmul %fake, %dw : tensor<4x2xf32>, tensor<2x1xf32>
  %gap = loom.sub %fake_score, %real_score : tensor<4x1xf32>, tensor<4x1xf32>
  %dl = loom.reduce_mean %gap axes [0, 1] : tensor<4x1xf32>
  %neg = loom.neg %fake_score : tensor<4x1xf32>
  %gl = loom.reduce_mean %neg axes [0, 1] : tensor<4x1xf32>
  return %fake, %dl, %gl : tensor<4x2xf32>, tensor<f32>, tensor<f32>
}
