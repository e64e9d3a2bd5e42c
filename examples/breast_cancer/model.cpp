// Lesson 2b: benign or malignant? Logistic regression on 30 measurements of
// cell nuclei (Breast Cancer Wisconsin), trained with a compiled training
// step: forward, binary cross-entropy from logits, gradients and the
// optimizer update in one function.
#include <loom/loom.h>

using namespace loom;

LOOM_MODEL(breast_cancer) {
  Tensor x = input("x", {batch, 30});
  Tensor y = label("y", {batch, 1});
  Tensor logits = dense(x, {.out = 1, .name = "fc"});
  output("p_malignant", sigmoid(logits));
  loss(bce_with_logits(logits, y));
  metric("accuracy", binary_accuracy(logits, y));
}
