//===- RecurrentGradients.cpp - VJPs of lstm and gru ----------------------===//
//
// Backpropagation through time needs the whole sequence at once (each
// step's gradient flows into the previous one), so the VJPs are single
// companion ops, lstm_grad and gru_grad, taking the forward operands, the
// forward results and the result gradients and returning every operand's
// gradient. Their formulas, reference evaluation and decomposition into a
// reversed loop are documented on the ops (RecurrentOps.td). The companion
// ops have no VJP of their own: second derivatives of recurrent layers are
// a diagnostic naming the op.
//
//===----------------------------------------------------------------------===//
#include "Loom/LoomOps.h"

using namespace mlir;
using namespace loom;

LogicalResult LstmOp::buildVJP(OpBuilder &b, ValueRange g,
                               SmallVectorImpl<Value> &out) {
  SmallVector<Value> operands(getOperands());
  operands.append({getYs(), getCs(), g[0], g[1]});
  auto grad = LstmGradOp::create(b, getLoc(), operands);
  out.append(grad->result_begin(), grad->result_end());
  return success();
}

LogicalResult GruOp::buildVJP(OpBuilder &b, ValueRange g,
                              SmallVectorImpl<Value> &out) {
  SmallVector<Value> operands(getOperands());
  operands.append({getYs(), g[0]});
  auto grad = GruGradOp::create(b, getLoc(), operands);
  out.append(grad->result_begin(), grad->result_end());
  return success();
}
