//===- Reference.cpp - Shared pieces of the reference evaluation ----------===//
//
// Index arithmetic on row-major host arrays, the elementwise evaluation
// every ElementwiseOpInterface op defaults to, and conversions between
// constant attributes and reference values.
//
//===----------------------------------------------------------------------===//
#include "Loom/LoomOps.h"

using namespace mlir;

namespace loom {

RefTensor::RefTensor(ArrayRef<int64_t> s)
    : shape(s.begin(), s.end()), data(size_t(productOf(s)), 0.0) {}

SmallVector<int64_t, 4> rowMajorStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t, 4> strides(shape.size(), 1);
  for (int64_t i = int64_t(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

int64_t productOf(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

void unflattenIndex(int64_t linear, ArrayRef<int64_t> shape,
                    SmallVectorImpl<int64_t> &index) {
  index.assign(shape.size(), 0);
  for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
    index[d] = linear % shape[d];
    linear /= shape[d];
  }
}

int64_t broadcastSourceIndex(ArrayRef<int64_t> resultIndex,
                             ArrayRef<int64_t> operandShape) {
  size_t offset = resultIndex.size() - operandShape.size();
  int64_t linear = 0;
  for (size_t d = 0; d < operandShape.size(); ++d) {
    int64_t i = operandShape[d] == 1 ? 0 : resultIndex[offset + d];
    linear = linear * operandShape[d] + i;
  }
  return linear;
}

LogicalResult evaluateElementwiseReference(Operation *op,
                                           ArrayRef<RefTensor> operands,
                                           SmallVectorImpl<RefTensor> &results) {
  auto elementwise = dyn_cast<ElementwiseOpInterface>(op);
  if (!elementwise)
    return op->emitOpError("has no scalar rule for reference evaluation");
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  RefTensor out(type.getShape());
  SmallVector<int64_t> index;
  SmallVector<double, 3> args(operands.size());
  for (int64_t i = 0; i < out.numElements(); ++i) {
    unflattenIndex(i, type.getShape(), index);
    for (size_t k = 0; k < operands.size(); ++k)
      args[k] = operands[k].data[broadcastSourceIndex(index, operands[k].shape)];
    out.data[i] = elementwise.evalScalar(args);
  }
  results.push_back(std::move(out));
  return success();
}

FailureOr<RefTensor> refFromElements(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  RefTensor out(type.getShape());
  // Not every ElementsAttr can be iterated (dense_resource blobs cannot);
  // asking one for its values anyway is a fatal error, so check first.
  int64_t i = 0;
  if (isa<FloatType>(type.getElementType())) {
    auto values = attr.tryGetValues<APFloat>();
    if (!values)
      return failure();
    for (APFloat v : *values)
      out.data[i++] = v.convertToDouble();
  } else {
    auto values = attr.tryGetValues<APInt>();
    if (!values)
      return failure();
    for (APInt v : *values)
      out.data[i++] = double(v.getZExtValue());
  }
  return out;
}

DenseElementsAttr elementsFromRef(const RefTensor &value,
                                  RankedTensorType type) {
  Type et = type.getElementType();
  if (et.isF32()) {
    SmallVector<float> v(value.data.begin(), value.data.end());
    return DenseElementsAttr::get(type, ArrayRef<float>(v));
  }
  if (et.isInteger(1)) {
    SmallVector<bool> v;
    for (double d : value.data)
      v.push_back(d != 0.0);
    return DenseElementsAttr::get(type, ArrayRef<bool>(v));
  }
  return {};
}

} // namespace loom
