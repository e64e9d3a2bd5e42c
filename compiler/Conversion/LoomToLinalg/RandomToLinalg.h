//===- RandomToLinalg.h - Lowering of loom.dropout and loom.random_normal -===//
#pragma once

#include "mlir/IR/PatternMatch.h"

namespace loom {
void populateRandomToLinalgPatterns(mlir::RewritePatternSet &patterns);
} // namespace loom
