//===- IndexingShapeInference.h - Shape rules of the indexing family ------===//
//
// gather, scatter_add and one_hot, in the style of ShapeInference.h: each
// returns the result type or emits an error at `loc` (when given) naming
// the op and the shapes. The ops' InferTypeOpInterface and the DSL
// (compiler/DSL/IndexingLayers.cpp) both call them. Kept in their own
// header so the family stays in its own files.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Loom/ShapeInference.h"

namespace loom {

/// table.shape[:axis] + indices.shape + table.shape[axis+1:].
llvm::FailureOr<mlir::RankedTensorType>
inferGather(OptLoc loc, mlir::Type table, mlir::Type indices, int64_t axis);

/// updates.shape = P + indices.shape + Q with |P| = axis; the result is
/// P + [dimSize] + Q.
llvm::FailureOr<mlir::RankedTensorType>
inferScatterAdd(OptLoc loc, mlir::Type updates, mlir::Type indices,
                int64_t axis, int64_t dimSize);

/// indices.shape + [numClasses].
llvm::FailureOr<mlir::RankedTensorType>
inferOneHot(OptLoc loc, mlir::Type indices, int64_t numClasses);

} // namespace loom
