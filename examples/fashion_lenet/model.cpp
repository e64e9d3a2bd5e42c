// Lesson 5: a convolutional network. LeNet-5 as the course draws it, on
// Fashion-MNIST's 28x28 garments: two 5x5 convolutions with ReLU and 2x2 max
// pooling (the first padded by 2 so 28x28 stays 28x28), then 120-84-10 fully
// connected layers. Parameters are named like a PyTorch state dict
// (conv1.weight [6, 1, 5, 5], ...).
#include <loom/loom.h>

using namespace loom;

LOOM_MODEL(fashion_lenet) {
  Tensor x = input("image", {batch, 1, 28, 28});
  Tensor y = label("class", {batch});
  Tensor c1 = relu(conv2d(x, {.out_channels = 6, .kernel = 5, .padding = 2, .name = "conv1"}));
  Tensor p1 = max_pool2d(c1, {.kernel = 2});                       // 6 x 14 x 14
  Tensor c2 = relu(conv2d(p1, {.out_channels = 16, .kernel = 5, .name = "conv2"}));
  Tensor p2 = max_pool2d(c2, {.kernel = 2});                       // 16 x 5 x 5
  Tensor h1 = relu(dense(flatten(p2), {.out = 120, .name = "fc1", .init = init::he()}));
  Tensor h2 = relu(dense(h1, {.out = 84, .name = "fc2", .init = init::he()}));
  Tensor logits = dense(h2, {.out = 10, .name = "fc3"});
  output("probabilities", softmax(logits));
  loss(softmax_cross_entropy(logits, y));
  metric("accuracy", accuracy(logits, y));
}
