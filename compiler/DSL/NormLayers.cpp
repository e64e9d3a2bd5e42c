//===- NormLayers.cpp - The DSL's activations, normalization and dropout ---===//
//
// erf, gelu, leaky_relu and clamp as ops; layer_norm and batch_norm as layers
// declaring PyTorch's parameter names (NAME.weight, NAME.bias, and for
// batch_norm the non-trainable NAME.running_mean / NAME.running_var, whose
// new values the model returns as their updates); dropout with a seed that
// defaults to its position in the model. Shapes are checked by the
// verifiers' rules (ShapeInference.h), at the user's line.
//
//===----------------------------------------------------------------------===//
#include "DSL/ModelContext.h"
#include "Loom/LoomOps.h"
#include "Loom/ShapeInference.h"

using namespace mlir;

namespace loom {
using dsl::build;
using dsl::ModelContext;

Tensor erf(Tensor x, Loc loc) {
  return build(loc, {x}, [](ModelContext &mc, Location l, ArrayRef<Value> v) {
    return FailureOr<Value>(ErfOp::create(mc.builder, l, v[0]).getResult());
  });
}

Tensor gelu(Tensor x, GeluOptions o, Loc loc) {
  return build(loc, {x}, [&](ModelContext &mc, Location l, ArrayRef<Value> v) {
    return FailureOr<Value>(
        GeluOp::create(mc.builder, l, v[0], o.approximate_tanh).getResult());
  });
}

Tensor leaky_relu(Tensor x, LeakyReluOptions o, Loc loc) {
  return build(loc, {x}, [&](ModelContext &mc, Location l, ArrayRef<Value> v) {
    return FailureOr<Value>(
        LeakyReluOp::create(mc.builder, l, v[0], APFloat(o.alpha)).getResult());
  });
}

Tensor clamp(Tensor x, ClampOptions o, Loc loc) {
  return build(loc, {x},
               [&](ModelContext &mc, Location l,
                   ArrayRef<Value> v) -> FailureOr<Value> {
                 if (!(o.min <= o.max))
                   return emitError(l) << "clamp needs min <= max, got min "
                                       << o.min << " and max " << o.max;
                 return ClampOp::create(mc.builder, l, v[0], APFloat(o.min),
                                        APFloat(o.max))
                     .getResult();
               });
}

Tensor layer_norm(Tensor x, LayerNormOptions o, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  if (!dsl::operandOf(mc, x, loc))
    return {};
  Shape shape = x.shape();
  int64_t rank = int64_t(shape.size());
  if (o.dims < 1 || o.dims > rank) {
    mc->error(loc, "layer_norm: dims must be in [1, " + std::to_string(rank) +
                       "] for an input of rank " + std::to_string(rank) +
                       ", got " + std::to_string(o.dims));
    return {};
  }
  int64_t axis = rank - o.dims;
  Shape normalized(shape.begin() + axis, shape.end());
  std::string name =
      mc->layerName(o.name, "ln");
  Tensor gamma = param(name + ".weight", normalized,
                       {.init = init::ones(), .trainable = o.trainable}, loc);
  Tensor beta = param(name + ".bias", normalized,
                      {.init = init::zeros(), .trainable = o.trainable}, loc);
  return build(loc, {x, gamma, beta},
               [&](ModelContext &mc, Location l,
                   ArrayRef<Value> v) -> FailureOr<Value> {
                 auto type = inferLayerNorm(l, v[0].getType(), v[1].getType(),
                                            v[2].getType(), axis, o.epsilon);
                 if (failed(type))
                   return failure();
                 return LayerNormOp::create(mc.builder, l, v[0], v[1], v[2],
                                            axis, APFloat(o.epsilon))
                     .getResult();
               });
}

Tensor batch_norm(Tensor x, BatchNormOptions o, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  if (!dsl::operandOf(mc, x, loc))
    return {};
  Shape shape = x.shape();
  if (shape.size() < 2) {
    mc->error(loc, "batch_norm expects an input [N, C, ...] of rank >= 2, got " +
                       shapeString(shape));
    return {};
  }
  int64_t c = shape[1];
  std::string name =
      mc->layerName(o.name, "bn");
  Tensor gamma = param(name + ".weight", {c},
                       {.init = init::ones(), .trainable = o.trainable}, loc);
  Tensor beta = param(name + ".bias", {c},
                      {.init = init::zeros(), .trainable = o.trainable}, loc);
  Tensor mean = param(name + ".running_mean", {c},
                      {.init = init::zeros(), .trainable = false}, loc);
  Tensor var = param(name + ".running_var", {c},
                     {.init = init::ones(), .trainable = false}, loc);
  return build(loc, {x, gamma, beta, mean, var},
               [&](ModelContext &mc, Location l,
                   ArrayRef<Value> v) -> FailureOr<Value> {
                 SmallVector<Type> types;
                 if (failed(inferBatchNorm(l, ValueRange(v).getTypes(),
                                           o.epsilon, o.momentum, types)))
                   return failure();
                 auto op = BatchNormOp::create(
                     mc.builder, l, types, v[0], v[1], v[2], v[3], v[4],
                     APFloat(o.epsilon), APFloat(o.momentum), false);
                 dsl::updateParam(mc, name + ".running_mean",
                                  op.getNewRunningMean());
                 dsl::updateParam(mc, name + ".running_var",
                                  op.getNewRunningVar());
                 return op.getResult();
               });
}

Tensor dropout(Tensor x, DropoutOptions o, Loc loc) {
  return build(loc, {x},
               [&](ModelContext &mc, Location l,
                   ArrayRef<Value> v) -> FailureOr<Value> {
                 int64_t seed = o.seed >= 0 ? o.seed : mc.dropoutCounter;
                 ++mc.dropoutCounter;
                 if (seed > int64_t(UINT32_MAX))
                   return emitError(l) << "dropout seed must be below 2^32, got "
                                       << seed;
                 auto type = inferDropout(l, v[0].getType(), o.rate);
                 if (failed(type))
                   return failure();
                 return DropoutOp::create(mc.builder, l, v[0], Value(),
                                          APFloat(o.rate), uint64_t(seed),
                                          false)
                     .getResult();
               });
}

Tensor random_normal(const Shape &shape, RandomNormalOptions o, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  if (!mc)
    return {};
  SmallVector<int64_t> dims;
  for (int64_t d : shape) {
    if (d != batch && d < 1) {
      mc->error(loc, "random_normal needs sizes >= 1 (or batch), got " +
                         shapeString(shape));
      return {};
    }
    dims.push_back(d == batch ? mc->batchSize : d);
  }
  int64_t seed = o.seed >= 0 ? o.seed : mc->randomCounter;
  ++mc->randomCounter;
  if (seed > int64_t(UINT32_MAX)) {
    mc->error(loc, "random_normal seed must be below 2^32, got " +
                       std::to_string(seed));
    return {};
  }
  if (!(o.stddev >= 0)) {
    mc->error(loc, "random_normal needs stddev >= 0");
    return {};
  }
  Location l = mc->loc(loc);
  auto type = RankedTensorType::get(dims, mc->f32());
  Tensor z = mc->wrap(RandomNormalOp::create(mc->builder, l, type, Value(),
                                             uint64_t(seed), false)
                          .getResult());
  if (o.stddev != 1.0)
    z = mul(z, constant(o.stddev, loc), loc);
  if (o.mean != 0.0)
    z = add(z, constant(o.mean, loc), loc);
  return z;
}

} // namespace loom
