// A small CNN with every normalization and activation op of NormOps.td, for
// the PyTorch cross-check (torch_norm_crosscheck.py): conv, batch_norm,
// leaky_relu, max pool, dense, layer_norm, gelu, dense. The convolution has
// no bias, as usual before batch_norm: its gradient is zero in exact
// arithmetic, and Adam would turn the round-off into steps of size lr.
#include <loom/loom.h>
using namespace loom;
LOOM_MODEL(norm_cnn) {
  Tensor x = input("x", {batch, 784});
  Tensor y = label("y", {batch});
  Tensor h = reshape(x, {x.dim(0), 1, 28, 28});
  h = conv2d(h, {.out_channels = 4, .kernel = 3, .padding = 1, .bias = false, .name = "conv1"});
  h = leaky_relu(batch_norm(h, {.name = "bn1"}), {.alpha = 0.1});
  h = flatten(max_pool2d(h, {.kernel = 2}));
  h = dense(h, {.out = 32, .name = "fc1"});
  h = gelu(layer_norm(h, {.name = "ln1"}));
  Tensor logits = dense(h, {.out = 10, .name = "fc2"});
  output("logits", logits);
  loss(softmax_cross_entropy(logits, y));
  metric("accuracy", accuracy(logits, y));
}
