// Lesson 3: "cat or not" as the course poses it, on garments: logistic
// regression on the 784 flattened pixels of a 28x28 image, one
// Fashion-MNIST class against another (coat = 1 against pullover = 0,
// chosen with --data fashion-mnist,classes=2:4, the listed order giving
// the labels 0 and 1). One weight per pixel, one bias, a sigmoid.
#include <loom/loom.h>

using namespace loom;

LOOM_MODEL(image_logistic) {
  Tensor x = input("pixels", {batch, 784});
  Tensor y = label("is_coat", {batch, 1});
  Tensor logits = dense(x, {.out = 1, .name = "fc", .init = init::zeros()});
  output("p_coat", sigmoid(logits));
  loss(bce_with_logits(logits, y));
  metric("accuracy", binary_accuracy(logits, y));
}
