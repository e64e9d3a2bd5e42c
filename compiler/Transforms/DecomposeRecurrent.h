//===- DecomposeRecurrent.h - lstm/gru into a loop over time --------------===//
//
// The patterns -loom-decompose uses for the recurrent ops (see
// DecomposeRecurrent.cpp). The dialects included here are the ones the
// patterns create, which the pass declares as dependent.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace loom {

/// lstm, gru, lstm_grad and gru_grad become an scf.for over time whose
/// body is primitive loom ops on one step's [B, ...] tensors.
void populateDecomposeRecurrentPatterns(mlir::RewritePatternSet &patterns);

} // namespace loom
