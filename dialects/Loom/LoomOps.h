//===- LoomOps.h - The loom ops --------------------------------------------===//
//
// Declares every loom op (generated from LoomOps.td) and the interfaces they
// implement, plus the shared helpers those interfaces default to.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Loom/LoomDialect.h"
#include "Loom/RefTensor.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace loom {
/// Reference evaluation shared by every op with ElementwiseOpInterface:
/// broadcast the operands and apply the op's scalar rule in double.
llvm::LogicalResult
evaluateElementwiseReference(mlir::Operation *op,
                             llvm::ArrayRef<RefTensor> operands,
                             llvm::SmallVectorImpl<RefTensor> &results);

/// Constant attributes <-> reference values (f32 rounds from double).
/// Fails for attributes whose values cannot be iterated (dense_resource).
llvm::FailureOr<RefTensor> refFromElements(mlir::ElementsAttr attr);
mlir::DenseElementsAttr elementsFromRef(const RefTensor &value,
                                        mlir::RankedTensorType type);
} // namespace loom

#include "Loom/LoomInterfaces.h.inc"

#define GET_ATTRDEF_CLASSES
#include "Loom/LoomAttrs.h.inc"

#define GET_OP_CLASSES
#include "Loom/LoomOps.h.inc"
