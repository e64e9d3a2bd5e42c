// An initial state whose batch does not match the sequence's is one error
// at the user's line, naming both shapes, and loomc exits non-zero.
// RUN: not loomc emit %s 2>&1 | FileCheck %s
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(bad_lstm) {
  Tensor x = input("x", {4, 10, 3});
  Tensor h0 = input("h0", {2, 8});
  // CHECK: lstm-shape-error.cpp:[[@LINE+1]]:{{[0-9]+}}: error: 'loom.lstm' h0 has shape [2, 8] but x [4, 10, 3] with hidden 8 needs [4, 8]
  Tensor ys = lstm(x, {.hidden = 8, .h0 = h0});
  output("y", ys);
}
// CHECK-NOT: error:
