// A model must declare an output; a name cannot be used twice.
// RUN: not loomc emit %s --model silent 2>&1 | FileCheck %s --check-prefix=SILENT
// RUN: not loomc emit %s --model twice 2>&1 | FileCheck %s --check-prefix=TWICE
#include <loom/loom.h>
using namespace loom;

// SILENT: no-output.cpp:[[@LINE+1]]:1: error: model 'silent' declares no output
LOOM_MODEL(silent) { input("x", {2}); }

LOOM_MODEL(twice) {
  Tensor x = input("x", {2});
  // TWICE: no-output.cpp:[[@LINE+1]]:{{[0-9]+}}: error: the name 'x' is already used
  output("x", x);
}
