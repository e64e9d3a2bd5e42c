// A contraction mismatch points at the dense() call in the user's file.
// RUN: not loomc emit %s 2>&1 | FileCheck %s
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(bad_matmul) {
  Tensor x = input("x", {batch, 3});
  Tensor w = param("w", {4, 2});
  // CHECK: matmul-error.cpp:[[@LINE+1]]:{{[0-9]+}}: error: 'loom.matmul' contraction sizes differ: lhs [1, 3] has K = 3, rhs [4, 2] has K = 4
  output("y", matmul(x, w));
}
// CHECK-NOT: error:
