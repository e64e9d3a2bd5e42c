// The recurrent layers declare PyTorch's parameters (without the _l0
// suffix) initialized U(-1/sqrt(H), 1/sqrt(H)), start from zero states
// unless given (here a learned one), return the final states as the
// sequence's last step, and a model using them compiles to one loop per
// layer and runs.
// RUN: rm -rf %t && mkdir -p %t
// RUN: loomc emit %s --batch 2 | FileCheck %s --check-prefix=IR
// RUN: loomc emit %s --batch 2 --stage lowered | FileCheck %s --check-prefix=LOOP
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.ones((2, 5, 3), np.float32))"
// RUN: loomc run %s --input x=%t/x.npy | FileCheck %s --check-prefix=OUT
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(recurrent_layers) {
  Tensor x = input("x", {batch, 5, 3});
  // IR: %arg1: tensor<16x3xf32> {loom.init = {a = -5.000000e-01 : f64, b = 5.000000e-01 : f64, kind = "uniform"}, loom.param = "enc.weight_ih"}
  // IR-SAME: %arg2: tensor<16x4xf32> {{.*}}loom.param = "enc.weight_hh"}
  // IR-SAME: %arg3: tensor<16xf32> {{.*}}loom.param = "enc.bias_ih"}
  // IR-SAME: %arg4: tensor<16xf32> {{.*}}loom.param = "enc.bias_hh"}
  // IR-SAME: %arg5: tensor<1x3xf32> {{.*}}loom.param = "dec.h0"}
  // IR-SAME: %arg6: tensor<9x4xf32> {loom.init = {a = -0.57735026918962584 : f64, b = 0.57735026918962584 : f64, kind = "uniform"}, loom.param = "gru0.weight_ih"}
  // IR-SAME: %arg7: tensor<9x3xf32> {{.*}}loom.param = "gru0.weight_hh"}
  // IR-DAG: %[[Z4:.*]] = loom.constant dense<0.000000e+00> : tensor<2x4xf32>
  // IR: %[[YS:.*]], %[[CS:.*]] = loom.lstm %arg0, %[[Z4]], %[[Z4]], %arg1, %arg2, %arg3, %arg4 : tensor<2x5x3xf32>
  // IR: %[[LAST:.*]] = loom.slice %[[CS]] start [0, 4, 0] limit [2, 5, 4] stride [1, 1, 1]
  // IR: %[[C:.*]] = loom.reshape %[[LAST]] [2, 4] : tensor<2x1x4xf32>
  LstmResult enc = lstm_with_state(x, {.hidden = 4, .name = "enc"});
  // A learned initial state, broadcast over the batch.
  // IR: %[[H0:.*]] = loom.broadcast_to %arg5 [2, 3] : tensor<1x3xf32>
  // IR: %[[DEC:.*]] = loom.gru %[[YS]], %[[H0]], %arg6, %arg7, %arg8, %arg9 : tensor<2x5x4xf32>, tensor<2x3xf32>, tensor<9x4xf32>
  // IR: return %[[C]], %[[DEC]]
  Tensor h0 = broadcast_to(param("dec.h0", {1, 3}), {x.dim(0), 3});
  Tensor dec = gru(enc.ys, {.hidden = 3, .h0 = h0});
  output("c", enc.c);
  output("dec", dec);
}
// Two layers, two loops over the 5 steps.
// LOOP-COUNT-2: scf.for %{{.*}} = %{{.*}} to %c5
// LOOP-NOT: scf.for
// OUT: c f32[2,4] =
// OUT: dec f32[2,5,3] =
