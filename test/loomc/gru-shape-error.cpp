// A sequence that is not [batch, time, features] (here a flattened
// [batch, time * features] forgotten to be reshaped) is one error at the
// user's line naming its shape.
// RUN: not loomc emit %s 2>&1 | FileCheck %s
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(bad_gru) {
  Tensor x = input("x", {4, 30});
  // CHECK: gru-shape-error.cpp:[[@LINE+1]]:{{[0-9]+}}: error: gru expects an input [batch, time, features] of rank 3, got [4, 30]
  GruResult r = gru_with_state(x, {.hidden = 8, .name = "enc"});
  output("h", r.h);
}
// CHECK-NOT: error:
