//===- LoomDialect.h - The loom dialect ----------------------------------===//
//
// Declares the dialect class and its enums (generated from LoomDialect.td).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mlir/IR/Dialect.h"

#include "Loom/LoomDialect.h.inc"
#include "Loom/LoomEnums.h.inc"
