// Layers initialized with init::torch_default(), frozen so that a short
// `loomc train` writes their initial values to its checkpoint unchanged;
// only `scale` trains. Checked against PyTorch by torch_default_init.py.
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(torch_default_init) {
  Tensor x = input("x", {batch, 3, 10, 10});
  Tensor y = label("y", {batch, 1});
  Tensor flat =
      slice(flatten(x), {.start = {0, 0}, .limit = {x.dim(0), 50}});
  // nn.Linear(50, 40), nn.Conv2d(3, 8, 5), nn.Conv2d(8, 64, 3, groups=2),
  // nn.ConvTranspose2d(8, 6, 4, groups=2).
  Tensor fc = dense(flat, {.out = 40, .name = "fc",
                           .init = init::torch_default(), .trainable = false});
  Tensor c = conv2d(x, {.out_channels = 8, .kernel = 5, .name = "conv",
                        .init = init::torch_default(), .trainable = false});
  Tensor g = conv2d(c, {.out_channels = 64, .kernel = 3, .groups = 2,
                        .name = "grouped", .init = init::torch_default(),
                        .trainable = false});
  Tensor d = conv2d_transpose(c, {.out_channels = 6, .kernel = 4, .groups = 2,
                                  .name = "deconv",
                                  .init = init::torch_default(),
                                  .trainable = false});
  auto mean = [](Tensor t) {
    return reduce_mean(flatten(t), {.axes = {1}, .keepdims = true});
  };
  Tensor scale = param("scale", {1}, {.init = init::ones()});
  Tensor z = (mean(fc) + mean(g) + mean(d)) * scale;
  output("z", z);
  loss(mse(z, y));
}
