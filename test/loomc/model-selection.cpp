// One file, several models: --model picks one; without it, or with an
// unknown name, the error lists the models that exist.
// RUN: loomc emit %s --model second | FileCheck %s --check-prefix=SECOND
// RUN: not loomc emit %s 2>&1 | FileCheck %s --check-prefix=NONE
// RUN: not loomc emit %s --model third 2>&1 | FileCheck %s --check-prefix=UNKNOWN
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(first) { output("y", exp(input("x", {2}))); }
LOOM_MODEL(second) { output("y", tanh(input("x", {2}))); }

// SECOND: module attributes {loom.model = "second"}
// SECOND: loom.tanh
// NONE: error: '{{.*}}model-selection.cpp' defines several models (first, second); choose one with --model NAME
// UNKNOWN: error: no model named 'third' in '{{.*}}model-selection.cpp'; models defined there: first, second
