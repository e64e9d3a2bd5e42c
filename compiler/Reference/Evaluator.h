//===- Evaluator.h - Run a loom function on the reference oracle ----------===//
//
// Interprets a func.func of loom ops in double precision by dispatching every
// op to its ReferenceOpInterface. It is the oracle every backend's numerics
// are tested against, so it is deliberately a plain walk with no
// optimization.
//
// Thread safety: evaluateReference only reads the function; concurrent calls
// on the same function are fine as long as nothing mutates the IR.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Loom/RefTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/LogicalResult.h"

namespace loom {

/// Evaluates `fn` on `args` (one per function argument, shapes matching the
/// argument types) and returns one value per result. Fails with an error
/// emitted on the offending op: an argument count or shape mismatch, an op
/// without ReferenceOpInterface (named in the message), or an op whose
/// evaluation fails.
llvm::FailureOr<llvm::SmallVector<RefTensor>>
evaluateReference(mlir::func::FuncOp fn, llvm::ArrayRef<RefTensor> args);

} // namespace loom
