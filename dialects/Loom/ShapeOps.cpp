//===- ShapeOps.cpp - Data-movement loom ops --------------------------------===//
//
// Type inference and reference evaluation of reshape, transpose,
// broadcast_to, slice, pad and concat.
//
//===----------------------------------------------------------------------===//
#include "Loom/LoomOps.h"
#include "Loom/OpUtils.h"
#include "Loom/ShapeInference.h"

using namespace mlir;
using namespace loom;



LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return pushType(
      inferReshape(loc, adaptor.getOperand().getType(), adaptor.getShape()),
      types);
}

LogicalResult ReshapeOp::evaluateReference(ArrayRef<RefTensor> in,
                                           SmallVectorImpl<RefTensor> &out) {
  RefTensor r = in[0];
  r.shape.assign(getShape().begin(), getShape().end());
  out.push_back(std::move(r));
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return pushType(inferTranspose(loc, adaptor.getOperand().getType(),
                                 adaptor.getPermutation()),
                  types);
}

LogicalResult TransposeOp::evaluateReference(ArrayRef<RefTensor> in,
                                             SmallVectorImpl<RefTensor> &out) {
  const RefTensor &x = in[0];
  ArrayRef<int64_t> perm = getPermutation();
  RefTensor r(resultShape(*this));
  SmallVector<int64_t, 4> xStrides = rowMajorStrides(x.shape);
  SmallVector<int64_t> index;
  for (int64_t i = 0; i < r.numElements(); ++i) {
    unflattenIndex(i, r.shape, index);
    int64_t src = 0;
    for (size_t d = 0; d < perm.size(); ++d)
      src += index[d] * xStrides[perm[d]];
    r.data[i] = x.data[src];
  }
  out.push_back(std::move(r));
  return success();
}

LogicalResult BroadcastToOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &types) {
  return pushType(
      inferBroadcastTo(loc, adaptor.getOperand().getType(), adaptor.getShape()),
      types);
}

LogicalResult BroadcastToOp::evaluateReference(ArrayRef<RefTensor> in,
                                               SmallVectorImpl<RefTensor> &out) {
  RefTensor r(getShape());
  SmallVector<int64_t> index;
  for (int64_t i = 0; i < r.numElements(); ++i) {
    unflattenIndex(i, r.shape, index);
    r.data[i] = in[0].data[broadcastSourceIndex(index, in[0].shape)];
  }
  out.push_back(std::move(r));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  return pushType(inferSlice(loc, adaptor.getOperand().getType(),
                             adaptor.getStart(), adaptor.getLimit(),
                             adaptor.getStride()),
                  types);
}

LogicalResult SliceOp::evaluateReference(ArrayRef<RefTensor> in,
                                         SmallVectorImpl<RefTensor> &out) {
  const RefTensor &x = in[0];
  RefTensor r(resultShape(*this));
  SmallVector<int64_t, 4> xStrides = rowMajorStrides(x.shape);
  SmallVector<int64_t> index;
  for (int64_t i = 0; i < r.numElements(); ++i) {
    unflattenIndex(i, r.shape, index);
    int64_t src = 0;
    for (size_t d = 0; d < index.size(); ++d)
      src += (getStart()[d] + index[d] * getStride()[d]) * xStrides[d];
    r.data[i] = x.data[src];
  }
  out.push_back(std::move(r));
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  return pushType(inferPad(loc, adaptor.getOperand().getType(),
                           adaptor.getLow(), adaptor.getHigh(),
                           adaptor.getInterior()),
                  types);
}

LogicalResult PadOp::evaluateReference(ArrayRef<RefTensor> in,
                                       SmallVectorImpl<RefTensor> &out) {
  const RefTensor &x = in[0];
  RefTensor r(resultShape(*this)); // zero-filled
  SmallVector<int64_t, 4> rStrides = rowMajorStrides(r.shape);
  SmallVector<int64_t> index;
  for (int64_t i = 0; i < x.numElements(); ++i) {
    unflattenIndex(i, x.shape, index);
    int64_t dst = 0;
    for (size_t d = 0; d < index.size(); ++d)
      dst += (getLow()[d] + index[d] * (getInterior()[d] + 1)) * rStrides[d];
    r.data[dst] = x.data[i];
  }
  out.push_back(std::move(r));
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return pushType(
      inferConcat(loc, adaptor.getInputs().getTypes(), adaptor.getAxis()),
      types);
}

LogicalResult ConcatOp::evaluateReference(ArrayRef<RefTensor> in,
                                          SmallVectorImpl<RefTensor> &out) {
  int64_t axis = getAxis();
  RefTensor r(resultShape(*this));
  SmallVector<int64_t> index;
  int64_t base = 0; // where the current input starts along the axis
  for (const RefTensor &x : in) {
    SmallVector<int64_t, 4> rStrides = rowMajorStrides(r.shape);
    for (int64_t i = 0; i < x.numElements(); ++i) {
      unflattenIndex(i, x.shape, index);
      index[axis] += base;
      int64_t dst = 0;
      for (size_t d = 0; d < index.size(); ++d)
        dst += index[d] * rStrides[d];
      r.data[dst] = x.data[i];
    }
    base += x.shape[axis];
  }
  out.push_back(std::move(r));
  return success();
}
