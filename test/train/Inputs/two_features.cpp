// A model whose parameter names match breast_cancer's but not its shapes.
#include <loom/loom.h>
using namespace loom;
LOOM_MODEL(two_features) {
  Tensor x = input("x", {batch, 2});
  Tensor y = label("y", {batch, 1});
  Tensor logits = dense(x, {.out = 1, .name = "fc"});
  output("p", sigmoid(logits));
  loss(bce_with_logits(logits, y));
}
