// pad() with a negative width or the wrong number of dimensions is one
// error at the user's line.
// RUN: not loomc emit %s 2>&1 | FileCheck %s
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(bad_pad) {
  Tensor x = input("x", {4, 3});
  // CHECK: pad-error.cpp:[[@LINE+1]]:{{[0-9]+}}: error: 'loom.pad' dimension 1: padding must be >= 0, got low -1, high 0, interior 0
  Tensor p = pad(x, {.low = {1, -1}});
  // CHECK: pad-error.cpp:[[@LINE+1]]:{{[0-9]+}}: error: 'loom.pad' low, high and interior need 2 entries each for shape [4, 3]
  Tensor q = pad(x, {.high = {1, 1, 1}});
  output("p", p + q);
}
// CHECK-NOT: error:
