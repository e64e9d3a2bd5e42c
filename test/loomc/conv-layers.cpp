// The convolution layers build the loom ops with PyTorch's parameter names
// and layouts, and a model using them runs: with all-ones weights, bias 0.5
// and padding 1 on a 4x4 image of ones, each output is 0.5 plus the number
// of in-range taps (4 in a corner, 6 on an edge, 9 inside).
// RUN: rm -rf %t && mkdir -p %t
// RUN: loomc emit %s --batch 2 | FileCheck %s --check-prefix=IR
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.ones((2, 1, 4, 4), np.float32))"
// RUN: loomc run %s --input x=%t/x.npy | FileCheck %s --check-prefix=OUT
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(conv_layers) {
  Tensor x = input("x", {batch, 1, 4, 4});
  // IR: %arg1: tensor<2x1x3x3xf32> {loom.init = {{.*}}kind = "ones"}, loom.param = "conv1.weight"}
  // IR-SAME: %arg2: tensor<2xf32> {loom.init = {{.*}}kind = "constant"}, loom.param = "conv1.bias"}
  // IR-SAME: %arg3: tensor<4x1x3x3xf32> {{{.*}}kind = "he_uniform"}, loom.param = "dw.weight"}
  // IR-NOT: dw.bias
  // IR: loom.conv2d %arg0, %arg1 stride [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<2x1x4x4xf32>, tensor<2x1x3x3xf32>
  // IR: loom.reshape %arg2 [2, 1, 1]
  // IR: loom.add {{.*}} : tensor<2x2x4x4xf32>, tensor<2x1x1xf32>
  Tensor c = conv2d(x, {.out_channels = 2, .kernel = 3, .padding = 1,
                        .name = "conv1", .init = init::ones(),
                        .bias_init = init::constant(0.5)});
  // IR: loom.conv2d {{.*}} stride [2, 2] padding [1, 1] dilation [2, 2] groups 2 : tensor<2x2x4x4xf32>, tensor<4x1x3x3xf32>
  // (grouped, 2 output channels per input channel)
  Tensor d = conv2d(c, {.out_channels = 4, .kernel = 3, .stride = 2,
                        .padding = 1, .dilation = 2, .groups = 2,
                        .bias = false, .name = "dw"});
  // IR: loom.max_pool2d {{.*}} kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<2x2x4x4xf32>
  Tensor p = max_pool2d(c, {.kernel = 2});
  // IR: loom.avg_pool2d {{.*}} kernel [3, 3] stride [1, 1] padding [1, 1] : tensor<2x2x4x4xf32>
  Tensor a = avg_pool2d(c, {.kernel = 3, .stride = 1, .padding = 1});
  // IR: loom.reshape {{.*}} [2, 8] : tensor<2x2x2x2xf32>
  // IR: loom.reduce_mean {{.*}} axes [2, 3] : tensor<2x2x4x4xf32>
  output("pooled", flatten(p));
  output("dw", d);
  output("mean", global_avg_pool(c));
  output("avg_corner", slice(a, {.start = {0, 0, 0, 0}, .limit = {a.dim(0), 2, 1, 1}}));
}
// OUT: pooled f32[2,8] =
// OUT-NEXT: {{\[\[}}9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5], [9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5]]
// OUT: mean f32[2,2] =
// OUT-NEXT: {{\[\[}}6.75, 6.75], [6.75, 6.75]]
// (4.5 + 6.5 + 6.5 + 9.5) / 9, padding counted
// OUT: avg_corner f32[2,2,1,1] =
// OUT-NEXT: {{\[\[\[\[}}3]], {{\[\[}}3]]], {{\[\[\[}}3]], {{\[\[}}3]]]]
