// Linear regression on all 12 Boston housing features, for the workflow
// tests of a standardized target (predictions in $1000s).
#include <loom/loom.h>
using namespace loom;
LOOM_MODEL(boston_linear) {
  Tensor x = input("x", {batch, 12});
  Tensor y = label("medv", {batch, 1});
  Tensor pred = dense(x, {.out = 1, .name = "fc"});
  output("price", pred);
  loss(mse(pred, y));
  metric("rmse", rmse(pred, y));
  metric("mae", mae(pred, y));
}
