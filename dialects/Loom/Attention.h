//===- Attention.h - The probabilities of loom.attention -------------------===//
//
// softmax(q k^T * scale, masked if causal), built as loom ops: the
// decomposition (-loom-decompose) and the VJP both start from it, so the
// gradient differentiates exactly the forward computation.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mlir/IR/Builders.h"

namespace loom::attention {

/// [..., Lq, Lk] attention probabilities.
mlir::Value probabilities(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value query, mlir::Value key, double scale,
                          bool causal);

} // namespace loom::attention
