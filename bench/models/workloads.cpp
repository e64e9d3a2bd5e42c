// The benchmark's workloads that Loom's op set covers today, written as the
// same networks bench/torch_peer.py builds in PyTorch.
#include <loom/loom.h>

using namespace loom;

// Logistic regression 30 -> 1, BCE (breast_cancer's shape).
LOOM_MODEL(logistic) {
  Tensor x = input("x", {batch, 30});
  Tensor y = label("y", {batch, 1});
  Tensor logits = dense(x, {.out = 1, .name = "fc"});
  output("p", sigmoid(logits));
  loss(bce_with_logits(logits, y));
}

// MLP 784-256-128-10, softmax cross-entropy.
LOOM_MODEL(mlp) {
  Tensor x = input("x", {batch, 784});
  Tensor y = label("y", {batch});
  Tensor h1 = relu(dense(x, {.out = 256, .name = "fc1", .init = init::he()}));
  Tensor h2 = relu(dense(h1, {.out = 128, .name = "fc2", .init = init::he()}));
  Tensor logits = dense(h2, {.out = 10, .name = "fc3"});
  output("logits", logits);
  loss(softmax_cross_entropy(logits, y));
}

// Square matmuls for GFLOP/s: --batch N gives an N x N x N product.
LOOM_MODEL(matmul) {
  Tensor a = input("a", {batch, batch});
  Tensor b = input("b", {batch, batch});
  output("c", matmul(a, b));
}
