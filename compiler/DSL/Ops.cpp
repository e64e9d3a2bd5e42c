//===- Ops.cpp - The DSL's op functions ------------------------------------===//
//
// Each DSL op checks its operands with the same shape rule the op's verifier
// uses (ShapeInference.h), reporting at the user's line, and builds the loom
// op with the inferred type. Negative axes are normalized here, so the IR
// only ever holds axes in [0, rank).
//
//===----------------------------------------------------------------------===//
#include "DSL/ModelContext.h"
#include "Loom/LoomOps.h"
#include "Loom/ShapeInference.h"

using namespace mlir;

namespace loom {
namespace {
using dsl::ModelContext;

using dsl::build;

Type elementOf(Value v) { return cast<RankedTensorType>(v.getType()).getElementType(); }
int64_t rankOf(Value v) { return cast<RankedTensorType>(v.getType()).getRank(); }

template <typename OpT> Tensor binary(Tensor a, Tensor b, const Loc &loc) {
  return build(loc, {a, b}, [](ModelContext &mc, Location l,
                               ArrayRef<Value> v) -> FailureOr<Value> {
    auto type = inferBroadcast(l, OpT::getOperationName(),
                               {v[0].getType(), v[1].getType()},
                               elementOf(v[0]));
    if (failed(type))
      return failure();
    return OpT::create(mc.builder, l, *type, v[0], v[1]).getResult();
  });
}

template <typename OpT> Tensor unary(Tensor x, const Loc &loc) {
  return build(loc, {x},
               [](ModelContext &mc, Location l,
                  ArrayRef<Value> v) -> FailureOr<Value> {
                 return OpT::create(mc.builder, l, v[0].getType(), v[0])
                     .getResult();
               });
}

/// `axis` in [-rank, rank) -> [0, rank); out-of-range values are left for
/// the shape rule to report.
int64_t normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 && axis >= -rank ? axis + rank : axis;
}

template <typename OpT>
Tensor reduce(Tensor x, const ReduceOptions &o, const Loc &loc) {
  return build(loc, {x}, [&](ModelContext &mc, Location l,
                             ArrayRef<Value> v) -> FailureOr<Value> {
    int64_t rank = rankOf(v[0]);
    SmallVector<int64_t> axes;
    for (int64_t a : o.axes)
      axes.push_back(normalizeAxis(a, rank));
    if (o.axes.empty())
      for (int64_t a = 0; a < rank; ++a)
        axes.push_back(a);
    auto type = inferReduce(l, OpT::getOperationName(), v[0].getType(), axes,
                            o.keepdims);
    if (failed(type))
      return failure();
    return OpT::create(mc.builder, l, *type, v[0],
                       mc.builder.getDenseI64ArrayAttr(axes),
                       o.keepdims ? mc.builder.getUnitAttr() : UnitAttr())
        .getResult();
  });
}

template <typename OpT>
Tensor softmaxLike(Tensor x, const AxisOptions &o, const Loc &loc) {
  return build(loc, {x}, [&](ModelContext &mc, Location l,
                             ArrayRef<Value> v) -> FailureOr<Value> {
    int64_t axis = normalizeAxis(o.axis, rankOf(v[0]));
    auto type = inferAxisPreserving(l, OpT::getOperationName(),
                                    v[0].getType(), axis);
    if (failed(type))
      return failure();
    return OpT::create(mc.builder, l, *type, v[0], axis).getResult();
  });
}

} // namespace

Tensor add(Tensor a, Tensor b, Loc loc) { return binary<AddOp>(a, b, loc); }
Tensor sub(Tensor a, Tensor b, Loc loc) { return binary<SubOp>(a, b, loc); }
Tensor mul(Tensor a, Tensor b, Loc loc) { return binary<MulOp>(a, b, loc); }
Tensor div(Tensor a, Tensor b, Loc loc) { return binary<DivOp>(a, b, loc); }
Tensor maximum(Tensor a, Tensor b, Loc loc) {
  return binary<MaximumOp>(a, b, loc);
}
Tensor minimum(Tensor a, Tensor b, Loc loc) {
  return binary<MinimumOp>(a, b, loc);
}
Tensor pow(Tensor a, Tensor b, Loc loc) { return binary<PowOp>(a, b, loc); }

Tensor neg(Tensor x, Loc loc) { return unary<NegOp>(x, loc); }
Tensor exp(Tensor x, Loc loc) { return unary<ExpOp>(x, loc); }
Tensor log(Tensor x, Loc loc) { return unary<LogOp>(x, loc); }
Tensor sqrt(Tensor x, Loc loc) { return unary<SqrtOp>(x, loc); }
Tensor rsqrt(Tensor x, Loc loc) { return unary<RsqrtOp>(x, loc); }
Tensor tanh(Tensor x, Loc loc) { return unary<TanhOp>(x, loc); }
Tensor sigmoid(Tensor x, Loc loc) { return unary<SigmoidOp>(x, loc); }
Tensor relu(Tensor x, Loc loc) { return unary<ReluOp>(x, loc); }
Tensor abs(Tensor x, Loc loc) { return unary<AbsOp>(x, loc); }
Tensor stop_gradient(Tensor x, Loc loc) {
  return unary<StopGradientOp>(x, loc);
}

Tensor compare(Tensor a, Cmp predicate, Tensor b, Loc loc) {
  return build(loc, {a, b}, [&](ModelContext &mc, Location l,
                                ArrayRef<Value> v) -> FailureOr<Value> {
    auto type = inferBroadcast(l, CompareOp::getOperationName(),
                               {v[0].getType(), v[1].getType()},
                               mc.builder.getI1Type());
    if (failed(type))
      return failure();
    // Cmp's enumerators are declared in ComparePredicate's order.
    auto p = static_cast<ComparePredicate>(static_cast<int>(predicate));
    return CompareOp::create(mc.builder, l, *type, p, v[0], v[1]).getResult();
  });
}

Tensor select(Tensor condition, Tensor onTrue, Tensor onFalse, Loc loc) {
  return build(loc, {condition, onTrue, onFalse},
               [&](ModelContext &mc, Location l,
                   ArrayRef<Value> v) -> FailureOr<Value> {
                 if (!elementOf(v[0]).isInteger(1)) {
                   emitError(l) << "select's condition must be a comparison "
                                   "result (i1 elements), got "
                                << v[0].getType();
                   return failure();
                 }
                 auto type = inferBroadcast(
                     l, SelectOp::getOperationName(),
                     {v[0].getType(), v[1].getType(), v[2].getType()},
                     elementOf(v[1]));
                 if (failed(type))
                   return failure();
                 return SelectOp::create(mc.builder, l, *type, v[0], v[1], v[2])
                     .getResult();
               });
}

Tensor matmul(Tensor a, Tensor b, MatmulOptions o, Loc loc) {
  return build(loc, {a, b}, [&](ModelContext &mc, Location l,
                                ArrayRef<Value> v) -> FailureOr<Value> {
    auto type = inferMatmul(l, v[0].getType(), v[1].getType(), o.transpose_a,
                            o.transpose_b);
    if (failed(type))
      return failure();
    UnitAttr unit = mc.builder.getUnitAttr();
    return MatmulOp::create(mc.builder, l, *type, v[0], v[1],
                            o.transpose_a ? unit : UnitAttr(),
                            o.transpose_b ? unit : UnitAttr())
        .getResult();
  });
}

Tensor reduce_sum(Tensor x, ReduceOptions o, Loc loc) {
  return reduce<ReduceSumOp>(x, o, loc);
}
Tensor reduce_mean(Tensor x, ReduceOptions o, Loc loc) {
  return reduce<ReduceMeanOp>(x, o, loc);
}
Tensor reduce_max(Tensor x, ReduceOptions o, Loc loc) {
  return reduce<ReduceMaxOp>(x, o, loc);
}

Tensor reshape(Tensor x, const Shape &shape, Loc loc) {
  return build(loc, {x}, [&](ModelContext &mc, Location l,
                             ArrayRef<Value> v) -> FailureOr<Value> {
    auto in = cast<RankedTensorType>(v[0].getType());
    SmallVector<int64_t> dims(shape.begin(), shape.end());
    auto inferred = llvm::find(dims, -1);
    if (inferred != dims.end()) {
      if (llvm::count(dims, -1) > 1) {
        emitError(l) << "reshape to " << shapeString(shape)
                     << ": at most one dimension can be -1";
        return failure();
      }
      int64_t known = 1;
      for (int64_t d : dims)
        if (d != -1)
          known *= d;
      if (known <= 0 || in.getNumElements() % known != 0) {
        emitError(l) << "cannot reshape " << shapeString(in.getShape())
                     << " (" << in.getNumElements() << " elements) to "
                     << shapeString(shape);
        return failure();
      }
      *inferred = in.getNumElements() / known;
    }
    auto type = inferReshape(l, in, dims);
    if (failed(type))
      return failure();
    return ReshapeOp::create(mc.builder, l, *type, v[0],
                             mc.builder.getDenseI64ArrayAttr(dims))
        .getResult();
  });
}

Tensor transpose(Tensor x, const std::vector<int64_t> &permutation, Loc loc) {
  return build(loc, {x}, [&](ModelContext &mc, Location l,
                             ArrayRef<Value> v) -> FailureOr<Value> {
    int64_t rank = rankOf(v[0]);
    SmallVector<int64_t> perm;
    for (int64_t p : permutation)
      perm.push_back(normalizeAxis(p, rank));
    if (permutation.empty())
      for (int64_t d = rank - 1; d >= 0; --d)
        perm.push_back(d);
    auto type = inferTranspose(l, v[0].getType(), perm);
    if (failed(type))
      return failure();
    return TransposeOp::create(mc.builder, l, *type, v[0],
                               mc.builder.getDenseI64ArrayAttr(perm))
        .getResult();
  });
}

Tensor broadcast_to(Tensor x, const Shape &shape, Loc loc) {
  return build(loc, {x}, [&](ModelContext &mc, Location l,
                             ArrayRef<Value> v) -> FailureOr<Value> {
    auto type = inferBroadcastTo(l, v[0].getType(), shape);
    if (failed(type))
      return failure();
    return BroadcastToOp::create(mc.builder, l, *type, v[0],
                                 mc.builder.getDenseI64ArrayAttr(shape))
        .getResult();
  });
}

Tensor slice(Tensor x, SliceOptions o, Loc loc) {
  return build(loc, {x}, [&](ModelContext &mc, Location l,
                             ArrayRef<Value> v) -> FailureOr<Value> {
    auto in = cast<RankedTensorType>(v[0].getType());
    size_t rank = in.getRank();
    SmallVector<int64_t> start(o.start.begin(), o.start.end());
    SmallVector<int64_t> limit(o.limit.begin(), o.limit.end());
    SmallVector<int64_t> stride(o.stride.begin(), o.stride.end());
    if (start.empty())
      start.assign(rank, 0);
    if (limit.empty())
      limit.assign(in.getShape().begin(), in.getShape().end());
    if (stride.empty())
      stride.assign(rank, 1);
    auto type = inferSlice(l, in, start, limit, stride);
    if (failed(type))
      return failure();
    OpBuilder &b = mc.builder;
    return SliceOp::create(b, l, *type, v[0], b.getDenseI64ArrayAttr(start),
                           b.getDenseI64ArrayAttr(limit),
                           b.getDenseI64ArrayAttr(stride))
        .getResult();
  });
}

Tensor pad(Tensor x, PadOptions o, Loc loc) {
  return build(loc, {x}, [&](ModelContext &mc, Location l,
                             ArrayRef<Value> v) -> FailureOr<Value> {
    size_t rank = cast<RankedTensorType>(v[0].getType()).getRank();
    auto orZeros = [&](const std::vector<int64_t> &given) {
      SmallVector<int64_t> out(given.begin(), given.end());
      if (out.empty())
        out.assign(rank, 0);
      return out;
    };
    SmallVector<int64_t> low = orZeros(o.low), high = orZeros(o.high),
                         interior = orZeros(o.interior);
    auto type = inferPad(l, v[0].getType(), low, high, interior);
    if (failed(type))
      return failure();
    OpBuilder &b = mc.builder;
    return PadOp::create(b, l, *type, v[0], b.getDenseI64ArrayAttr(low),
                         b.getDenseI64ArrayAttr(high),
                         b.getDenseI64ArrayAttr(interior))
        .getResult();
  });
}

Tensor concat(const std::vector<Tensor> &inputs, ConcatOptions o, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  if (!mc)
    return {};
  SmallVector<Value> values;
  for (Tensor t : inputs) {
    Value v = mc->get(t);
    if (!v)
      return {};
    values.push_back(v);
  }
  Location l = mc->loc(loc);
  if (values.empty()) {
    mc->error(loc, "concat needs at least one input");
    return {};
  }
  int64_t axis = normalizeAxis(o.axis, rankOf(values[0]));
  auto type = inferConcat(l, ValueRange(values).getTypes(), axis);
  if (failed(type)) {
    mc->failed = true;
    return {};
  }
  return mc->wrap(ConcatOp::create(mc->builder, l, *type, values, axis));
}

Tensor softmax(Tensor x, AxisOptions o, Loc loc) {
  return softmaxLike<SoftmaxOp>(x, o, loc);
}
Tensor log_softmax(Tensor x, AxisOptions o, Loc loc) {
  return softmaxLike<LogSoftmaxOp>(x, o, loc);
}

Tensor argmax(Tensor x, ArgmaxOptions o, Loc loc) {
  return build(loc, {x}, [&](ModelContext &mc, Location l,
                             ArrayRef<Value> v) -> FailureOr<Value> {
    int64_t axis = normalizeAxis(o.axis, rankOf(v[0]));
    auto type = inferArgmax(l, v[0].getType(), axis, o.keepdims);
    if (failed(type))
      return failure();
    return ArgmaxOp::create(mc.builder, l, *type, v[0], axis, o.keepdims)
        .getResult();
  });
}

Tensor cumsum(Tensor x, CumsumOptions o, Loc loc) {
  return build(loc, {x}, [&](ModelContext &mc, Location l,
                             ArrayRef<Value> v) -> FailureOr<Value> {
    int64_t axis = normalizeAxis(o.axis, rankOf(v[0]));
    auto type = inferAxisPreserving(l, CumsumOp::getOperationName(),
                                    v[0].getType(), axis);
    if (failed(type))
      return failure();
    return CumsumOp::create(mc.builder, l, *type, v[0], axis, o.reverse,
                            o.exclusive)
        .getResult();
  });
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

Tensor dsl::linearLayer(Tensor x, const DenseOptions &o, LinearLayout layout,
                        const Loc &loc) {
  ModelContext *mc = dsl::current(loc);
  Value v = dsl::operandOf(mc, x, loc);
  if (!v)
    return {};
  std::string layer = layout.layer;
  if (o.out <= 0) {
    mc->error(loc, layer + ": set the number of output features, e.g. " +
                       layer + "(x, {.out = 10})");
    return {};
  }
  if (rankOf(v) < 2) {
    ArrayRef<int64_t> shape = cast<RankedTensorType>(v.getType()).getShape();
    mc->error(loc, layer +
                       " expects an input of rank >= 2 ([batch, features]), "
                       "got " +
                       shapeString(shape));
    return {};
  }
  std::string name = mc->layerName(o.name, layout.prefix);
  int64_t in = cast<RankedTensorType>(v.getType()).getShape().back();
  dsl::LayerInits inits = dsl::layerInits(o.init, o.bias_init, in);
  Shape shape = layout.outIn ? Shape{o.out, in} : Shape{in, o.out};
  Tensor w = param(name + ".weight", shape,
                   {.init = inits.weight, .trainable = o.trainable}, loc);
  Tensor y = matmul(x, w, {.transpose_b = layout.outIn}, loc);
  if (!o.bias)
    return y;
  Tensor b = param(name + ".bias", {o.out},
                   {.init = inits.bias, .trainable = o.trainable}, loc);
  return add(y, b, loc);
}

Tensor dense(Tensor x, DenseOptions o, Loc loc) {
  return dsl::linearLayer(x, o, {}, loc);
}

} // namespace loom
