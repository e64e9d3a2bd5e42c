//===- ShapeInference.cpp - The shape rules of loom ops ---------------------===//
//
// Implements every shape rule listed in ShapeInference.h. The messages are
// the user's view of a shape error (the DSL reports them at the model's
// source line), so each names the op and the shapes involved.
//
//===----------------------------------------------------------------------===//
#include "Loom/ShapeInference.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace loom {

std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  llvm::interleaveComma(shape, os);
  os << "]";
  return s;
}

static std::string listString(ArrayRef<int64_t> values) {
  return shapeString(values);
}

bool broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b,
                     SmallVectorImpl<int64_t> &out) {
  size_t rank = std::max(a.size(), b.size());
  out.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
    int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (da != db && da != 1 && db != 1)
      return false;
    out[rank - 1 - i] = da == 1 ? db : da;
  }
  return true;
}

/// The operand as a ranked tensor type, or an error (the ODS type
/// constraints usually catch this first; the DSL relies on it).
static FailureOr<RankedTensorType> ranked(OptLoc loc, StringRef opName,
                                          Type t) {
  auto rt = dyn_cast_or_null<RankedTensorType>(t);
  if (!rt || !rt.hasStaticShape())
    return emitOptionalError(loc, "'", opName,
                             "' expects ranked tensors with static shapes");
  return rt;
}

FailureOr<RankedTensorType> inferBroadcast(OptLoc loc, StringRef opName,
                                           TypeRange operands,
                                           Type elementType) {
  SmallVector<int64_t> shape;
  SmallVector<int64_t> seen;
  for (auto [i, t] : llvm::enumerate(operands)) {
    auto rt = ranked(loc, opName, t);
    if (failed(rt))
      return failure();
    if (i == 0) {
      shape.assign(rt->getShape().begin(), rt->getShape().end());
      continue;
    }
    SmallVector<int64_t> next;
    if (!broadcastShapes(shape, rt->getShape(), next)) {
      return emitOptionalError(
          loc, "'", opName, "' cannot broadcast shapes ", shapeString(shape),
          " and ", shapeString(rt->getShape()),
          " (each dimension pair, aligned from the right, must be equal or 1)");
    }
    shape = std::move(next);
  }
  return RankedTensorType::get(shape, elementType);
}

FailureOr<RankedTensorType> inferMatmul(OptLoc loc, Type lhsT, Type rhsT,
                                        bool transposeLhs, bool transposeRhs) {
  auto lhs = ranked(loc, "loom.matmul", lhsT);
  auto rhs = ranked(loc, "loom.matmul", rhsT);
  if (failed(lhs) || failed(rhs))
    return failure();
  if (lhs->getRank() < 2 || rhs->getRank() < 2)
    return emitOptionalError(loc,
                             "'loom.matmul' expects operands of rank >= 2, got ",
                             shapeString(lhs->getShape()), " and ",
                             shapeString(rhs->getShape()));
  ArrayRef<int64_t> ls = lhs->getShape(), rs = rhs->getShape();
  int64_t m = ls[ls.size() - 2], kl = ls.back();
  if (transposeLhs)
    std::swap(m, kl);
  int64_t kr = rs[rs.size() - 2], n = rs.back();
  if (transposeRhs)
    std::swap(kr, n);
  if (kl != kr)
    return emitOptionalError(
        loc, "'loom.matmul' contraction sizes differ: lhs ", shapeString(ls),
        transposeLhs ? " (transposed)" : "", " has K = ", kl, ", rhs ",
        shapeString(rs), transposeRhs ? " (transposed)" : "", " has K = ", kr);
  SmallVector<int64_t> batch;
  if (!broadcastShapes(ls.drop_back(2), rs.drop_back(2), batch))
    return emitOptionalError(loc,
                             "'loom.matmul' cannot broadcast batch dimensions ",
                             shapeString(ls.drop_back(2)), " and ",
                             shapeString(rs.drop_back(2)));
  batch.push_back(m);
  batch.push_back(n);
  return RankedTensorType::get(batch, lhs->getElementType());
}

FailureOr<RankedTensorType> inferReduce(OptLoc loc, StringRef opName,
                                        Type operandT, ArrayRef<int64_t> axes,
                                        bool keepdims) {
  auto operand = ranked(loc, opName, operandT);
  if (failed(operand))
    return failure();
  int64_t rank = operand->getRank();
  llvm::SmallSet<int64_t, 4> seen;
  for (int64_t a : axes) {
    if (a < 0 || a >= rank)
      return emitOptionalError(loc, "'", opName, "' axis ", a,
                               " is out of range for shape ",
                               shapeString(operand->getShape()), " (rank ",
                               rank, ")");
    if (!seen.insert(a).second)
      return emitOptionalError(loc, "'", opName, "' axis ", a,
                               " is repeated in axes ", listString(axes));
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    if (!seen.contains(d))
      shape.push_back(operand->getDimSize(d));
    else if (keepdims)
      shape.push_back(1);
  }
  return RankedTensorType::get(shape, operand->getElementType());
}

FailureOr<RankedTensorType> inferReshape(OptLoc loc, Type operandT,
                                         ArrayRef<int64_t> shape) {
  auto operand = ranked(loc, "loom.reshape", operandT);
  if (failed(operand))
    return failure();
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return emitOptionalError(loc, "'loom.reshape' target shape ",
                               shapeString(shape),
                               " has a negative dimension");
    count *= d;
  }
  if (count != operand->getNumElements())
    return emitOptionalError(
        loc, "'loom.reshape' cannot reshape ",
        shapeString(operand->getShape()), " (", operand->getNumElements(),
        " elements) to ", shapeString(shape), " (", count, " elements)");
  return RankedTensorType::get(shape, operand->getElementType());
}

FailureOr<RankedTensorType> inferTranspose(OptLoc loc, Type operandT,
                                           ArrayRef<int64_t> perm) {
  auto operand = ranked(loc, "loom.transpose", operandT);
  if (failed(operand))
    return failure();
  int64_t rank = operand->getRank();
  if (int64_t(perm.size()) != rank)
    return emitOptionalError(loc, "'loom.transpose' permutation ",
                             listString(perm), " has ", perm.size(),
                             " entries for shape ",
                             shapeString(operand->getShape()), " of rank ",
                             rank);
  SmallVector<bool> used(rank, false);
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || used[p])
      return emitOptionalError(loc, "'loom.transpose' ", listString(perm),
                               " is not a permutation of [0, ", rank, ")");
    used[p] = true;
    shape.push_back(operand->getDimSize(p));
  }
  return RankedTensorType::get(shape, operand->getElementType());
}

FailureOr<RankedTensorType> inferBroadcastTo(OptLoc loc, Type operandT,
                                             ArrayRef<int64_t> shape) {
  auto operand = ranked(loc, "loom.broadcast_to", operandT);
  if (failed(operand))
    return failure();
  ArrayRef<int64_t> from = operand->getShape();
  bool ok = from.size() <= shape.size();
  for (size_t i = 0; ok && i < from.size(); ++i) {
    int64_t f = from[from.size() - 1 - i], t = shape[shape.size() - 1 - i];
    ok = f == t || f == 1;
  }
  for (int64_t d : shape)
    ok = ok && d >= 0;
  if (!ok)
    return emitOptionalError(loc, "'loom.broadcast_to' cannot broadcast ",
                             shapeString(from), " to ", shapeString(shape));
  return RankedTensorType::get(shape, operand->getElementType());
}

FailureOr<RankedTensorType> inferSlice(OptLoc loc, Type operandT,
                                       ArrayRef<int64_t> start,
                                       ArrayRef<int64_t> limit,
                                       ArrayRef<int64_t> stride) {
  auto operand = ranked(loc, "loom.slice", operandT);
  if (failed(operand))
    return failure();
  size_t rank = operand->getRank();
  if (start.size() != rank || limit.size() != rank || stride.size() != rank)
    return emitOptionalError(loc,
                             "'loom.slice' start, limit and stride need ",
                             rank, " entries each for shape ",
                             shapeString(operand->getShape()));
  SmallVector<int64_t> shape;
  for (size_t d = 0; d < rank; ++d) {
    int64_t size = operand->getDimSize(d);
    if (start[d] < 0 || start[d] > limit[d] || limit[d] > size)
      return emitOptionalError(loc, "'loom.slice' dimension ", d, ": need 0 <= start (",
                               start[d], ") <= limit (", limit[d],
                               ") <= size (", size, ")");
    if (stride[d] < 1)
      return emitOptionalError(loc, "'loom.slice' dimension ", d,
                               ": stride must be >= 1, got ", stride[d]);
    shape.push_back((limit[d] - start[d] + stride[d] - 1) / stride[d]);
  }
  return RankedTensorType::get(shape, operand->getElementType());
}

FailureOr<RankedTensorType> inferPad(OptLoc loc, Type operandT,
                                     ArrayRef<int64_t> low,
                                     ArrayRef<int64_t> high,
                                     ArrayRef<int64_t> interior) {
  auto operand = ranked(loc, "loom.pad", operandT);
  if (failed(operand))
    return failure();
  size_t rank = operand->getRank();
  if (low.size() != rank || high.size() != rank || interior.size() != rank)
    return emitOptionalError(loc, "'loom.pad' low, high and interior need ",
                             rank, " entries each for shape ",
                             shapeString(operand->getShape()));
  SmallVector<int64_t> shape;
  for (size_t d = 0; d < rank; ++d) {
    if (low[d] < 0 || high[d] < 0 || interior[d] < 0)
      return emitOptionalError(loc, "'loom.pad' dimension ", d,
                               ": padding must be >= 0, got low ", low[d],
                               ", high ", high[d], ", interior ", interior[d]);
    int64_t size = operand->getDimSize(d);
    int64_t gaps = std::max<int64_t>(size - 1, 0);
    shape.push_back(low[d] + size + gaps * interior[d] + high[d]);
  }
  return RankedTensorType::get(shape, operand->getElementType());
}

FailureOr<RankedTensorType> inferConcat(OptLoc loc, TypeRange inputs,
                                        int64_t axis) {
  if (inputs.empty())
    return emitOptionalError(loc, "'loom.concat' needs at least one input");
  auto first = ranked(loc, "loom.concat", inputs.front());
  if (failed(first))
    return failure();
  int64_t rank = first->getRank();
  if (axis < 0 || axis >= rank)
    return emitOptionalError(loc, "'loom.concat' axis ", axis,
                             " is out of range for rank ", rank);
  SmallVector<int64_t> shape(first->getShape());
  for (Type t : inputs.drop_front()) {
    auto rt = ranked(loc, "loom.concat", t);
    if (failed(rt))
      return failure();
    if (rt->getElementType() != first->getElementType())
      return emitOptionalError(loc,
                               "'loom.concat' inputs differ in element type");
    bool ok = rt->getRank() == rank;
    for (int64_t d = 0; ok && d < rank; ++d)
      ok = d == axis || rt->getDimSize(d) == shape[d];
    if (!ok)
      return emitOptionalError(loc, "'loom.concat' along axis ", axis,
                               ": shape ", shapeString(rt->getShape()),
                               " does not match ",
                               shapeString(first->getShape()),
                               " outside the axis");
    shape[axis] += rt->getDimSize(axis);
  }
  return RankedTensorType::get(shape, first->getElementType());
}

FailureOr<RankedTensorType> inferAxisPreserving(OptLoc loc, StringRef opName,
                                                Type operandT, int64_t axis) {
  auto operand = ranked(loc, opName, operandT);
  if (failed(operand))
    return failure();
  if (axis < 0 || axis >= operand->getRank())
    return emitOptionalError(loc, "'", opName, "' axis ", axis,
                             " is out of range for shape ",
                             shapeString(operand->getShape()));
  return *operand;
}

FailureOr<RankedTensorType> inferArgmax(OptLoc loc, Type operandT,
                                        int64_t axis, bool keepdims) {
  StringRef opName = "loom.argmax";
  auto operand = inferAxisPreserving(loc, opName, operandT, axis);
  if (failed(operand))
    return failure();
  ArrayRef<int64_t> shape = operand->getShape();
  if (shape[axis] == 0)
    return emitOptionalError(loc, "'", opName, "' needs at least one element "
                             "along axis ", axis, ", got shape ",
                             shapeString(shape));
  SmallVector<int64_t> result(shape);
  if (keepdims)
    result[axis] = 1;
  else
    result.erase(result.begin() + axis);
  return RankedTensorType::get(result, operand->getElementType());
}

} // namespace loom
