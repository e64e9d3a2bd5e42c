//===- ScanGradients.cpp - VJPs of argmax and cumsum ----------------------===//
//
//   argmax   none: the result is piecewise constant in the operand, so the
//            VJP is zero (a null gradient, as for compare's operands; the
//            autodiff engine gives a parameter reached only this way zeros)
//   cumsum   each x[j] enters result[i] for every i on its side of j, so
//            d x = cumsum(g) in the other direction with the same
//            `exclusive`: an inclusive forward sum's gradient is the
//            inclusive reverse sum of g, an exclusive one's the exclusive
//            reverse sum, and reverse sums the other way round
//
//===----------------------------------------------------------------------===//
#include "Loom/GradientUtils.h"
#include "Loom/LoomOps.h"

using namespace mlir;
using namespace loom;

LogicalResult ArgmaxOp::buildVJP(OpBuilder &, ValueRange,
                                 SmallVectorImpl<Value> &out) {
  out.push_back(Value());
  return success();
}

LogicalResult CumsumOp::buildVJP(OpBuilder &b, ValueRange g,
                                 SmallVectorImpl<Value> &out) {
  out.push_back(CumsumOp::create(b, getLoc(), g[0].getType(), g[0], getAxis(),
                                 /*reverse=*/!getReverse(), getExclusive()));
  return success();
}
