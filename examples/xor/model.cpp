// Lesson 3: XOR is not linearly separable, so it needs a hidden layer.
//
// A 2-2-1 MLP with hand-set weights: h1 = relu(a + b) counts the ones,
// h2 = relu(a + b - 1) fires only for (1, 1), and y = h1 - 2 * h2 is 1
// exactly when one input is 1. The training lesson learns such weights from
// a random start.
#include <loom/loom.h>

using namespace loom;

LOOM_MODEL(xor_mlp) {
  Tensor x = input("x", {batch, 2});
  Tensor h = relu(dense(x, {.out = 2,
                            .name = "hidden",
                            .init = init::values({1, 1, 1, 1}),
                            .bias_init = init::values({0, -1})}));
  Tensor y = dense(h, {.out = 1,
                       .name = "out",
                       .init = init::values({1, -2}),
                       .bias_init = init::values({0})});
  output("y", y);
  output("is_one", compare(y, Cmp::gt, constant(0.5)));
}

// The same network learned from a random start: tanh hidden units (Xavier
// initialization) and binary cross-entropy on the four cases of xor.csv.
LOOM_MODEL(xor_learned) {
  Tensor x = input("x", {batch, 2});
  Tensor target = label("y", {batch, 1});
  Tensor h = tanh(dense(x, {.out = 2, .name = "hidden", .init = init::xavier()}));
  Tensor logit = dense(h, {.out = 1, .name = "out", .init = init::xavier()});
  output("p_one", sigmoid(logit));
  loss(bce_with_logits(logit, target));
  metric("accuracy", binary_accuracy(logit, target));
}
