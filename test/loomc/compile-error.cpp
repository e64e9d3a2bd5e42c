// A model file that does not compile: the host compiler's own diagnostics
// (naming this file and line), then loomc's summary, exit status 1.
// RUN: not loomc emit %s 2>&1 | FileCheck %s
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(typo) {
  Tensor x = input("x", {batch, 3});
  // CHECK: compile-error.cpp:[[@LINE+1]]:{{[0-9]+}}: error: {{.*}}relux
  output("y", relux(x));
}
// CHECK: loomc: error: building the model file '{{.*}}compile-error.cpp' failed
