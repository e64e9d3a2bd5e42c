// argmax and cumsum with an axis the input does not have: one error at the
// user's line, the verifier's message, and loomc exits non-zero.
// RUN: not loomc emit %s --model bad_argmax 2>&1 | FileCheck %s --check-prefix=ARGMAX
// RUN: not loomc emit %s --model bad_cumsum 2>&1 | FileCheck %s --check-prefix=CUMSUM
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(bad_argmax) {
  Tensor x = input("x", {4, 3});
  // ARGMAX: scan-errors.cpp:[[@LINE+1]]:{{[0-9]+}}: error: 'loom.argmax' axis 2 is out of range for shape [4, 3]
  Tensor i = argmax(x, {.axis = 2});
  output("i", i + 1.0);
}
// ARGMAX-NOT: error:

LOOM_MODEL(bad_cumsum) {
  Tensor x = input("x", {4, 3});
  // CUMSUM: scan-errors.cpp:[[@LINE+1]]:{{[0-9]+}}: error: 'loom.cumsum' axis -3 is out of range for shape [4, 3]
  output("c", cumsum(x, {.axis = -3, .reverse = true}));
}
// CUMSUM-NOT: error:
