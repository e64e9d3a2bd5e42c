// A tiny conv net for the 8x8 bar images of bars.py: conv, relu, max pool,
// conv, global average pool, dense.
#include <loom/loom.h>
using namespace loom;
LOOM_MODEL(bars_cnn) {
  Tensor x = input("x", {batch, 1, 8, 8});
  Tensor y = label("y", {batch});
  Tensor h = relu(conv2d(x, {.out_channels = 4, .kernel = 3, .padding = 1, .name = "conv1"}));
  h = max_pool2d(h, {.kernel = 2});
  h = relu(conv2d(h, {.out_channels = 8, .kernel = 3, .padding = 1, .name = "conv2"}));
  Tensor logits = dense(global_avg_pool(h), {.out = 2, .name = "fc"});
  output("p", softmax(logits));
  loss(softmax_cross_entropy(logits, y));
  metric("accuracy", accuracy(logits, y));
}
