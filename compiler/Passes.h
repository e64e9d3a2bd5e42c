//===- Passes.h - Every Loom pass ------------------------------------------===//
//
// Declarations generated from Passes.td.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Loom/LoomOps.h"

#include "mlir/Pass/Pass.h"

namespace loom {
#define GEN_PASS_DECL
#include "Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Passes.h.inc"
} // namespace loom
