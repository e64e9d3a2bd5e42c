//===- RandomOps.cpp - random_normal: verifier, mode, reference, VJP ------===//
//
// The op's semantics are in RandomOps.td; the generator in Random.h, shared
// with dropout and with the lowering (RandomToLinalg.cpp).
//
//===----------------------------------------------------------------------===//
#include "Loom/LoomOps.h"
#include "Loom/Random.h"

using namespace mlir;
using namespace loom;

LogicalResult RandomNormalOp::verify() {
  if (getTraining() && !getCounter())
    return emitOpError("in training mode needs a counter (the step number)");
  if (getSeed() < 0 || getSeed() > int64_t(UINT32_MAX))
    return emitOpError("seed must be in [0, 2^32), got ") << getSeed();
  auto type = cast<RankedTensorType>(getType());
  if (!type.hasStaticShape())
    return emitOpError("needs a static shape, got ") << type;
  // Element indices 2i and 2i+1 must stay distinct in 32 bits.
  if (type.getNumElements() > int64_t(UINT32_MAX / 2))
    return emitOpError("draws at most 2^31 elements, got ")
           << type.getNumElements();
  return success();
}

bool RandomNormalOp::isTraining() { return getTraining(); }
void RandomNormalOp::switchToTraining(Value step) {
  getCounterMutable().assign(step);
  setTraining(true);
}

LogicalResult
RandomNormalOp::evaluateReference(ArrayRef<RefTensor> in,
                                  SmallVectorImpl<RefTensor> &out) {
  auto type = cast<RankedTensorType>(getType());
  uint32_t counter = in.empty() ? 0 : uint32_t(float(in[0].data[0]));
  uint32_t key = rng::normalKey(uint32_t(getSeed()), counter);
  RefTensor z(type.getShape());
  for (int64_t i = 0; i < z.numElements(); ++i)
    z.data[i] = rng::normal(key, uint32_t(i));
  out.push_back(std::move(z));
  return success();
}

/// The noise depends on nothing differentiable: the counter (a step
/// number) gets no gradient. Autodiff never reaches the op anyway, since
/// no parameter flows into it; the rule exists so that is a fact, not a
/// missing-rule diagnostic.
LogicalResult RandomNormalOp::buildVJP(OpBuilder &, ValueRange,
                                       SmallVectorImpl<Value> &out) {
  if (getCounter())
    out.push_back(Value());
  return success();
}
