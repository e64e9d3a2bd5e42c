// Lesson 1: a single ReLU neuron predicts a house's price from its area.
//
// price (in $1000s) = relu(0.5 * area_m2 - 50): a 120 m^2 house is worth 10,
// and anything under 100 m^2 is clamped to 0 by the ReLU. The weights are
// set by hand here; the training lesson learns them from data.
#include <loom/loom.h>

using namespace loom;

LOOM_MODEL(house_price) {
  Tensor area = input("area", {batch, 1});
  Tensor z = dense(area, {.out = 1,
                          .name = "neuron",
                          .init = init::values({0.5}),
                          .bias_init = init::values({-50})});
  output("price", relu(z));
}

// The same neuron fitted to real data: rooms per dwelling (`rm`, standardized)
// -> median value (`medv`, $1000s) of Boston suburbs, by mean squared error.
// The bias starts at 20 (near the mean price) so the ReLU is active on every
// house from the first step.
LOOM_MODEL(house_price_fit) {
  Tensor rooms = input("rooms", {batch, 1});
  Tensor actual = label("actual_price", {batch, 1});
  Tensor pred = relu(dense(rooms, {.out = 1,
                                   .name = "neuron",
                                   .init = init::zeros(),
                                   .bias_init = init::constant(20)}));
  output("price", pred);
  loss(mse(pred, actual));
  metric("rmse", rmse(pred, actual));
}
