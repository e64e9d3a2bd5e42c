// 4 pixels -> 10 classes, for the IDX bad-input tests.
#include <loom/loom.h>
using namespace loom;
LOOM_MODEL(tiny_classifier) {
  Tensor x = input("x", {batch, 4});
  Tensor y = label("y", {batch});
  Tensor logits = dense(x, {.out = 10, .name = "fc"});
  output("p", softmax(logits));
  loss(softmax_cross_entropy(logits, y));
  metric("accuracy", accuracy(logits, y));
}
