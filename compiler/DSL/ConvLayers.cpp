//===- ConvLayers.cpp - The DSL's convolution and pooling functions -------===//
//
// conv2d / conv2d_transpose as ops (on a given weight) and as layers (which
// declare NAME.weight and NAME.bias with PyTorch's names and layouts, so
// checkpoints map one to one), the 2-D pools, global average pooling and
// flatten. Shapes are checked by the same rules as the verifiers
// (ShapeInference.h) and reported at the user's line.
//
//===----------------------------------------------------------------------===//
#include "DSL/ModelContext.h"
#include "Loom/LoomOps.h"
#include "Loom/ShapeInference.h"

using namespace mlir;

namespace loom {
namespace {
using dsl::ModelContext;
using dsl::operandOf;
using dsl::wrapOrFail;

/// `values` as a [h, w] pair; a single value is used for both.
SmallVector<int64_t> pairOf(const std::vector<int64_t> &values) {
  if (values.size() == 1)
    return {values[0], values[0]};
  return SmallVector<int64_t>(values.begin(), values.end());
}

Tensor buildConv(Tensor x, Tensor weight, const ConvAttrs &a, bool transposed,
                 const Loc &loc) {
  ModelContext *mc = dsl::current(loc);
  Value xv = operandOf(mc, x, loc);
  Value wv = xv ? operandOf(mc, weight, loc) : Value();
  if (!xv || !wv)
    return {};
  Location l = mc->loc(loc);
  OpBuilder &b = mc->builder;
  SmallVector<int64_t> s = pairOf(a.stride), p = pairOf(a.padding),
                       d = pairOf(a.dilation), op = pairOf(a.output_padding);
  if (!transposed) {
    auto type = inferConv2d(l, xv.getType(), wv.getType(), s, p, d, a.groups);
    if (failed(type))
      return wrapOrFail(mc, failure());
    return mc->wrap(
        Conv2dOp::create(b, l, *type, xv, wv, b.getDenseI64ArrayAttr(s),
                         b.getDenseI64ArrayAttr(p), b.getDenseI64ArrayAttr(d),
                         b.getI64IntegerAttr(a.groups)));
  }
  auto type = inferConv2dTranspose(l, xv.getType(), wv.getType(), s, p, op, d,
                                   a.groups);
  if (failed(type))
    return wrapOrFail(mc, failure());
  return mc->wrap(Conv2dTransposeOp::create(
      b, l, *type, xv, wv, b.getDenseI64ArrayAttr(s), b.getDenseI64ArrayAttr(p),
      b.getDenseI64ArrayAttr(op), b.getDenseI64ArrayAttr(d),
      b.getI64IntegerAttr(a.groups)));
}

/// Input channels of a layer's input, after checking it is NCHW.
std::optional<int64_t> channelsOf(ModelContext *mc, Tensor x, const char *layer,
                                  const Loc &loc) {
  Value v = operandOf(mc, x, loc);
  if (!v)
    return std::nullopt;
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getRank() != 4) {
    mc->error(loc, std::string(layer) +
                       " expects an NCHW input [N, C, H, W], got " +
                       shapeString(type.getShape()));
    return std::nullopt;
  }
  return type.getDimSize(1);
}

template <typename PoolOp>
Tensor pool(Tensor x, const Pool2dOptions &o, const Loc &loc) {
  ModelContext *mc = dsl::current(loc);
  Value v = operandOf(mc, x, loc);
  if (!v)
    return {};
  if (o.kernel <= 0) {
    mc->error(loc, std::string(PoolOp::getOperationName()) +
                       ": set the window size, e.g. {.kernel = 2}");
    return {};
  }
  Location l = mc->loc(loc);
  OpBuilder &b = mc->builder;
  int64_t stride = o.stride == 0 ? o.kernel : o.stride;
  SmallVector<int64_t> k = {o.kernel, o.kernel}, s = {stride, stride},
                       p = {o.padding, o.padding};
  auto type = inferPool2d(l, PoolOp::getOperationName(), v.getType(), k, s, p);
  if (failed(type))
    return wrapOrFail(mc, failure());
  return mc->wrap(PoolOp::create(b, l, *type, v, b.getDenseI64ArrayAttr(k),
                                 b.getDenseI64ArrayAttr(s),
                                 b.getDenseI64ArrayAttr(p)));
}

} // namespace

Tensor conv2d(Tensor x, Tensor weight, ConvAttrs attrs, Loc loc) {
  return buildConv(x, weight, attrs, /*transposed=*/false, loc);
}

Tensor conv2d_transpose(Tensor x, Tensor weight, ConvAttrs attrs, Loc loc) {
  return buildConv(x, weight, attrs, /*transposed=*/true, loc);
}

Tensor conv2d(Tensor x, Conv2dOptions o, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  std::optional<int64_t> c = channelsOf(mc, x, "conv2d", loc);
  if (!c)
    return {};
  SmallVector<int64_t> k = o.kernel_hw.empty()
                               ? SmallVector<int64_t>{o.kernel, o.kernel}
                               : pairOf(o.kernel_hw);
  if (o.out_channels <= 0 || k.size() != 2 || k[0] <= 0 || k[1] <= 0) {
    mc->error(loc, "conv2d: set out_channels and kernel, e.g. "
                   "conv2d(x, {.out_channels = 16, .kernel = 3})");
    return {};
  }
  if (o.groups < 1 || *c % o.groups != 0) {
    mc->error(loc, "conv2d: input channels (" + std::to_string(*c) +
                       ") are not divisible by groups (" +
                       std::to_string(o.groups) + ")");
    return {};
  }
  std::string name =
      mc->layerName(o.name, "conv");
  dsl::LayerInits inits =
      dsl::layerInits(o.init, o.bias_init, *c / o.groups * k[0] * k[1]);
  Tensor w =
      param(name + ".weight", {o.out_channels, *c / o.groups, k[0], k[1]},
            {.init = inits.weight, .trainable = o.trainable}, loc);
  Tensor y = conv2d(x, w,
                    {.stride = {o.stride},
                     .padding = {o.padding},
                     .dilation = {o.dilation},
                     .groups = o.groups},
                    loc);
  if (!o.bias)
    return y;
  Tensor bias = param(name + ".bias", {o.out_channels},
                      {.init = inits.bias, .trainable = o.trainable}, loc);
  return add(y, reshape(bias, {o.out_channels, 1, 1}, loc), loc);
}

Tensor conv2d_transpose(Tensor x, ConvTranspose2dOptions o, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  std::optional<int64_t> c = channelsOf(mc, x, "conv2d_transpose", loc);
  if (!c)
    return {};
  if (o.out_channels <= 0 || o.kernel <= 0) {
    mc->error(loc, "conv2d_transpose: set out_channels and kernel, e.g. "
                   "conv2d_transpose(x, {.out_channels = 16, .kernel = 4})");
    return {};
  }
  if (o.groups < 1 || o.out_channels % o.groups != 0) {
    mc->error(loc, "conv2d_transpose: out_channels (" +
                       std::to_string(o.out_channels) +
                       ") are not divisible by groups (" +
                       std::to_string(o.groups) + ")");
    return {};
  }
  std::string name =
      mc->layerName(o.name, "deconv");
  // PyTorch takes ConvTranspose2d's fan-in from the weight's dimension 1,
  // the output channels per group, as it does for every weight.
  dsl::LayerInits inits = dsl::layerInits(
      o.init, o.bias_init, o.out_channels / o.groups * o.kernel * o.kernel);
  Tensor w = param(name + ".weight",
                   {*c, o.out_channels / o.groups, o.kernel, o.kernel},
                   {.init = inits.weight, .trainable = o.trainable}, loc);
  Tensor y = conv2d_transpose(x, w,
                              {.stride = {o.stride},
                               .padding = {o.padding},
                               .dilation = {o.dilation},
                               .groups = o.groups,
                               .output_padding = {o.output_padding}},
                              loc);
  if (!o.bias)
    return y;
  Tensor bias = param(name + ".bias", {o.out_channels},
                      {.init = inits.bias, .trainable = o.trainable}, loc);
  return add(y, reshape(bias, {o.out_channels, 1, 1}, loc), loc);
}

Tensor max_pool2d(Tensor x, Pool2dOptions o, Loc loc) {
  return pool<MaxPool2dOp>(x, o, loc);
}

Tensor avg_pool2d(Tensor x, Pool2dOptions o, Loc loc) {
  return pool<AvgPool2dOp>(x, o, loc);
}

Tensor global_avg_pool(Tensor x, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  if (!channelsOf(mc, x, "global_avg_pool", loc))
    return {};
  return reduce_mean(x, {.axes = {2, 3}}, loc);
}

Tensor flatten(Tensor x, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  Value v = operandOf(mc, x, loc);
  if (!v)
    return {};
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getRank() < 1) {
    mc->error(loc, "flatten expects a batch dimension, got a scalar");
    return {};
  }
  return reshape(x, {type.getDimSize(0), -1}, loc);
}

} // namespace loom
