// Lesson 5b: a small ResNet. A 3x3 stem convolution with batch
// normalization, three residual basic blocks (16 channels at 28x28, 32 at
// 14x14, 64 at 7x7; the shortcut a 1x1 convolution where the shape
// changes), global average pooling and a linear classifier: torchvision's
// BasicBlock with its parameter names (block1.conv1.weight, block1.bn1.
// running_mean, block2.downsample.0.weight, ...).
#include <loom/loom.h>

using namespace loom;

LOOM_MODEL(fashion_resnet) {
  Tensor x = input("image", {batch, 1, 28, 28});
  Tensor y = label("class", {batch});
  Tensor h = conv2d(x, {.out_channels = 16, .kernel = 3, .padding = 1, .bias = false, .name = "stem"});
  h = relu(batch_norm(h, {.name = "stem_bn"}));
  h = residual_block(h, {.out_channels = 16, .name = "block1"});
  h = residual_block(h, {.out_channels = 32, .stride = 2, .name = "block2"});
  h = residual_block(h, {.out_channels = 64, .stride = 2, .name = "block3"});
  Tensor logits = dense(global_avg_pool(h), {.out = 10, .name = "fc"});
  output("probabilities", softmax(logits));
  loss(softmax_cross_entropy(logits, y));
  metric("accuracy", accuracy(logits, y));
}
