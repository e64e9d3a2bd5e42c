// Lesson 4: an image classifier on flattened pixels. A 784-256-128-10 MLP
// with ReLU and He initialization classifies Fashion-MNIST's 28x28 garments
// into 10 classes, trained with softmax cross-entropy and Adam.
#include <loom/loom.h>

using namespace loom;

LOOM_MODEL(fashion_mlp) {
  Tensor x = input("pixels", {batch, 784});
  Tensor y = label("class", {batch});
  Tensor h1 = relu(dense(x, {.out = 256, .name = "fc1", .init = init::he()}));
  Tensor h2 = relu(dense(h1, {.out = 128, .name = "fc2", .init = init::he()}));
  Tensor logits = dense(h2, {.out = 10, .name = "fc3"});
  output("probabilities", softmax(logits));
  loss(softmax_cross_entropy(logits, y));
  metric("accuracy", accuracy(logits, y));
}
