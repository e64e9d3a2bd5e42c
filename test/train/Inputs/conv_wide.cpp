// A CNN whose conv1 has 8 filters: loading LeNet-shaped weights (6 filters)
// into it by name must fail on the shape (transfer.test).
#include <loom/loom.h>
using namespace loom;
LOOM_MODEL(conv_wide) {
  Tensor x = input("image", {batch, 1, 28, 28});
  Tensor y = label("class", {batch});
  Tensor h = relu(conv2d(x, {.out_channels = 8, .kernel = 5, .padding = 2, .name = "conv1"}));
  Tensor logits = dense(global_avg_pool(h), {.out = 10, .name = "fc"});
  output("p", softmax(logits));
  loss(softmax_cross_entropy(logits, y));
}
