// Binary cross-entropy written on probabilities, -log(sigmoid(x)) and
// -log(1 - sigmoid(x)), is rewritten into the logits form
// (-loom-algebraic-simplify): finite and exact where sigmoid rounds to 0 or
// 1 in f32. The naive form gives inf at x = -200 (sigmoid underflows to 0)
// and at x = 20 (1 - sigmoid(20) rounds to 0). Expected values are
// softplus(-x) and softplus(x) to six digits, except softplus(-20) =
// 2.06e-9, which log(1 + exp(-20)) rounds to 0 in f32 (absolute error
// 2e-9; a log1p would keep it).
// RUN: loomc run %s --input x=%S/Inputs/logits.csv | FileCheck %s
// CHECK: nll_positive f32[5] =
// CHECK-NEXT: [200, 20, 0.693147{{[0-9]*}}, {{0|2.06[0-9]*e-09}}, 0]
// CHECK: nll_negative f32[5] =
// CHECK-NEXT: [0, {{0|2.06[0-9]*e-09}}, 0.693147{{[0-9]*}}, 20, 200]
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(stable_bce) {
  Tensor x = reshape(input("x", {5, 1}), {5}); // a CSV column is [5, 1]
  Tensor p = sigmoid(x);
  output("nll_positive", -log(p));
  output("nll_negative", -log(1.0 - p));
}
