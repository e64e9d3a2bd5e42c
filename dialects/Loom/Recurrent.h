//===- Recurrent.h - Shape rules of the recurrent ops ---------------------===//
//
// lstm, gru and their backward ops share one shape rule: x [B, T, I],
// states [B, H], weights [G*H, I] and [G*H, H], biases [G*H] with G gates
// (4 for lstm, 3 for gru). The ops' type inference and the DSL call these,
// so a DSL shape error reads like the verifier's.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Loom/ShapeInference.h"

namespace loom {

/// lstm (gates = 4: x, h0, c0, w_ih, w_hh, b_ih, b_hh -> ys, cs) and gru
/// (gates = 3: x, h0, w_ih, w_hh, b_ih, b_hh -> ys). Errors name the op,
/// the operand and both shapes involved.
llvm::LogicalResult inferRecurrent(OptLoc loc, llvm::StringRef opName,
                                   int64_t gates, mlir::TypeRange operands,
                                   llvm::SmallVectorImpl<mlir::Type> &types);

/// lstm_grad / gru_grad: the forward operands, then the forward results and
/// their gradients (each [B, T, H]); the results are the forward operands'
/// types.
llvm::LogicalResult
inferRecurrentGrad(OptLoc loc, llvm::StringRef opName, int64_t gates,
                   mlir::TypeRange operands,
                   llvm::SmallVectorImpl<mlir::Type> &types);

} // namespace loom
