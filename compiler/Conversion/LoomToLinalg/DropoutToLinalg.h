//===- DropoutToLinalg.h - Lowering of loom.dropout ------------------------===//
#pragma once

#include "mlir/IR/PatternMatch.h"

namespace loom {
void populateDropoutToLinalgPatterns(mlir::RewritePatternSet &patterns);
} // namespace loom
