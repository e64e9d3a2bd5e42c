// A shape mismatch in a model is one error at the user's line, naming both
// shapes, and loomc exits non-zero.
// RUN: not loomc emit %s 2>&1 | FileCheck %s
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(bad_add) {
  Tensor x = input("x", {4, 3});
  Tensor y = input("y", {4, 2});
  // CHECK: shape-error.cpp:[[@LINE+1]]:{{[0-9]+}}: error: 'loom.add' cannot broadcast shapes [4, 3] and [4, 2]
  Tensor z = x + y;
  // The bad value flows on without further errors.
  output("z", relu(z * 2.0));
}
// CHECK-NOT: error:
