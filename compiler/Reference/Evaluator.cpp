//===- Evaluator.cpp - Run a loom function on the reference oracle --------===//
//
// A single pass over the function's one block, in order: every value's
// RefTensor is kept in a map until the func.return reads the results. Each
// op computes itself through ReferenceOpInterface; the evaluator knows no op
// by name, so a new op is evaluated as soon as it implements the interface.
//
//===----------------------------------------------------------------------===//
#include "Reference/Evaluator.h"

#include "Loom/LoomOps.h"
#include "Loom/ShapeInference.h"

#include "llvm/ADT/DenseMap.h"

using namespace mlir;

namespace loom {

/// Checks a value computed for `v` against its static type.
static LogicalResult checkShape(Operation *at, Value v, const RefTensor &t,
                                const Twine &what) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type)
    return at->emitError() << what << " is not a ranked tensor";
  if (type.getShape() != ArrayRef<int64_t>(t.shape) ||
      t.numElements() != productOf(t.shape))
    return at->emitError() << what << " has shape " << shapeString(t.shape)
                           << " but its type is " << type;
  return success();
}

FailureOr<SmallVector<RefTensor>> evaluateReference(func::FuncOp fn,
                                                    ArrayRef<RefTensor> args) {
  if (fn.isExternal())
    return fn.emitError("cannot evaluate a function without a body");
  if (!fn.getBody().hasOneBlock())
    return fn.emitError("reference evaluation needs a single-block function");
  if (args.size() != fn.getNumArguments())
    return fn.emitError() << "expected " << fn.getNumArguments()
                          << " arguments for reference evaluation, got "
                          << args.size();

  DenseMap<Value, RefTensor> values;
  Block &body = fn.getBody().front();
  for (auto [i, arg] : llvm::enumerate(body.getArguments())) {
    if (failed(checkShape(fn, arg, args[i], "argument " + Twine(i))))
      return failure();
    values[arg] = args[i];
  }

  for (Operation &op : body) {
    SmallVector<RefTensor> operands;
    for (Value v : op.getOperands()) {
      auto it = values.find(v);
      if (it == values.end())
        return op.emitError("operand has no reference value");
      operands.push_back(it->second);
    }
    if (isa<func::ReturnOp>(op))
      return SmallVector<RefTensor>(std::move(operands));

    auto ref = dyn_cast<ReferenceOpInterface>(op);
    if (!ref)
      return op.emitError() << "'" << op.getName()
                            << "' has no reference evaluation";
    SmallVector<RefTensor> results;
    if (failed(ref.evaluateReference(operands, results)))
      return failure();
    if (results.size() != op.getNumResults())
      return op.emitError() << "reference evaluation produced "
                            << results.size() << " values for "
                            << op.getNumResults() << " results";
    for (auto [result, value] : llvm::zip(op.getResults(), results)) {
      if (failed(checkShape(&op, result, value, "reference result")))
        return failure();
      values[result] = std::move(value);
    }
  }
  return fn.emitError("function body has no func.return");
}

} // namespace loom
