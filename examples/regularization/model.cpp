// Lesson 8: regularization. An over-parameterized MLP (30-512-512-1, about
// 280,000 weights for 398 training examples) on breast_cancer, with dropout
// after each hidden layer. Train it three ways and compare the training and
// validation curves in the metrics files (README.md):
//   plain          --model mlp_plain
//   L2             --model mlp_plain --weight-decay 0.01
//   dropout        --model mlp_dropout
//   + early stop   --model mlp_dropout --early-stopping 10
#include <loom/loom.h>

using namespace loom;

static Tensor hidden(Tensor x, const char *name, double rate) {
  Tensor h = relu(dense(x, {.out = 512, .name = name, .init = init::he()}));
  return rate > 0 ? dropout(h, {.rate = rate}) : h;
}

static void mlp(double rate) {
  Tensor x = input("x", {batch, 30});
  Tensor y = label("y", {batch, 1});
  Tensor h = hidden(hidden(x, "fc1", rate), "fc2", rate);
  Tensor logits = dense(h, {.out = 1, .name = "fc3"});
  output("p_malignant", sigmoid(logits));
  loss(bce_with_logits(logits, y));
  metric("accuracy", binary_accuracy(logits, y));
}

LOOM_MODEL(mlp_plain) { mlp(0.0); }
LOOM_MODEL(mlp_dropout) { mlp(0.5); }
