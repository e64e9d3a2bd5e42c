// Plain linear regression (no ReLU to die), for the divergence test.
#include <loom/loom.h>
using namespace loom;
LOOM_MODEL(linear_regression) {
  Tensor x = input("x", {batch, 1});
  Tensor y = label("y", {batch, 1});
  Tensor pred = dense(x, {.out = 1, .name = "fc"});
  output("pred", pred);
  loss(mse(pred, y));
}
