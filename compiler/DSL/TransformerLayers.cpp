//===- TransformerLayers.cpp - Attention, Transformer and residual layers --===//
//
// attention as an op; torch_linear, multi_head_attention,
// transformer_encoder_layer and residual_block as compositions of loom ops
// with PyTorch's (and torchvision's) parameter names, layouts and
// initializations, so a state dict maps one to one and a PyTorch script
// with the same seeds-for-weights trains the same network.
//
//===----------------------------------------------------------------------===//
#include "DSL/ModelContext.h"
#include "Loom/LoomOps.h"
#include "Loom/ShapeInference.h"

#include <cmath>

using namespace mlir;

namespace loom {
using dsl::build;
using dsl::ModelContext;

namespace {

/// The shape of a valid tensor, reporting `what` needs when `x` is not of
/// rank `rank` (0: any).
std::optional<Shape> shapeOf(ModelContext *mc, Tensor x, size_t rank,
                             const char *what, const Loc &loc) {
  if (!dsl::operandOf(mc, x, loc))
    return std::nullopt;
  Shape s = x.shape();
  if (rank && s.size() != rank) {
    mc->error(loc, std::string(what) + ", got " + shapeString(s));
    return std::nullopt;
  }
  return s;
}

} // namespace

Tensor attention(Tensor q, Tensor k, Tensor v, AttentionOptions o, Loc loc) {
  return build(loc, {q, k, v},
               [&](ModelContext &mc, Location l,
                   ArrayRef<Value> vals) -> FailureOr<Value> {
                 auto qt = cast<RankedTensorType>(vals[0].getType());
                 double scale =
                     o.scale > 0 ? o.scale
                                 : 1.0 / std::sqrt(double(qt.getShape().back()));
                 auto type = inferAttention(l, vals[0].getType(),
                                            vals[1].getType(), vals[2].getType(),
                                            scale, o.causal);
                 if (failed(type))
                   return failure();
                 return AttentionOp::create(mc.builder, l, *type, vals[0],
                                            vals[1], vals[2],
                                            mc.builder.getF64FloatAttr(scale),
                                            o.causal ? mc.builder.getUnitAttr()
                                                     : UnitAttr())
                     .getResult();
               });
}

/// dense's code with PyTorch's weight layout and initialization: no
/// initializer of its own.
Tensor torch_linear(Tensor x, LinearOptions o, Loc loc) {
  return dsl::linearLayer(
      x,
      {.out = o.out,
       .name = o.name,
       .init = init::torch_default(),
       .bias = o.bias,
       .trainable = o.trainable},
      {.layer = "torch_linear", .prefix = "linear", .outIn = true}, loc);
}

Tensor multi_head_attention(Tensor x, MultiHeadAttentionOptions o, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  std::optional<Shape> s =
      shapeOf(mc, x, 3, "multi_head_attention expects x [B, L, E]", loc);
  if (!s)
    return {};
  int64_t b = (*s)[0], l = (*s)[1], e = (*s)[2], h = o.heads;
  if (h < 1 || e % h != 0) {
    mc->error(loc, "multi_head_attention: heads (" + std::to_string(h) +
                       ") must divide the model width E = " + std::to_string(e));
    return {};
  }
  std::string name = mc->layerName(o.name, "attn");
  ParamOptions po{.init = init::xavier(), .trainable = o.trainable};
  Tensor inW = param(name + ".in_proj_weight", {3 * e, e}, po, loc);
  po.init = init::zeros();
  Tensor inB = param(name + ".in_proj_bias", {3 * e}, po, loc);
  Tensor qkv = add(matmul(x, inW, {.transpose_b = true}, loc), inB, loc);
  // [B, L, 3E] -> three [B, H, L, E/H].
  auto head = [&](int64_t part) {
    Tensor t = slice(qkv, {.start = {0, 0, part * e}, .limit = {b, l, (part + 1) * e}},
                     loc);
    return transpose(reshape(t, {b, l, h, e / h}, loc), {0, 2, 1, 3}, loc);
  };
  Tensor q = head(0), k = head(1), v = head(2);
  Tensor a = attention(q, k, v, {.causal = o.causal}, loc);
  a = reshape(transpose(a, {0, 2, 1, 3}, loc), {b, l, e}, loc);
  if (o.dropout > 0)
    a = dropout(a, {.rate = o.dropout}, loc);
  // out_proj: nn.Linear's weight initialization, but a zero bias (as
  // nn.MultiheadAttention._reset_parameters sets it).
  Tensor outW =
      param(name + ".out_proj.weight", {e, e},
            {.init = dsl::torchDefault(e), .trainable = o.trainable}, loc);
  Tensor outB = param(name + ".out_proj.bias", {e}, po, loc);
  return add(matmul(a, outW, {.transpose_b = true}, loc), outB, loc);
}

Tensor transformer_encoder_layer(Tensor x, TransformerEncoderLayerOptions o,
                                 Loc loc) {
  ModelContext *mc = dsl::current(loc);
  std::optional<Shape> s =
      shapeOf(mc, x, 3, "transformer_encoder_layer expects x [B, L, E]", loc);
  if (!s)
    return {};
  int64_t e = (*s)[2];
  std::string name = mc->layerName(o.name, "encoder");
  auto drop = [&](Tensor t) {
    return o.dropout > 0 ? dropout(t, {.rate = o.dropout}, loc) : t;
  };
  auto norm = [&](Tensor t, const char *which) {
    return layer_norm(t, {.epsilon = o.epsilon, .name = name + which,
                          .trainable = o.trainable},
                      loc);
  };
  auto selfAttention = [&](Tensor t) {
    return drop(multi_head_attention(t, {.heads = o.heads, .causal = o.causal,
                                         .name = name + ".self_attn",
                                         .trainable = o.trainable},
                                     loc));
  };
  auto feedForward = [&](Tensor t) {
    Tensor hdn = torch_linear(t, {.out = o.ff, .name = name + ".linear1",
                                  .trainable = o.trainable},
                              loc);
    hdn = drop(o.gelu ? gelu(hdn, {}, loc) : relu(hdn, loc));
    return drop(torch_linear(hdn, {.out = e, .name = name + ".linear2",
                                   .trainable = o.trainable},
                             loc));
  };
  if (o.norm_first) {
    x = add(x, selfAttention(norm(x, ".norm1")), loc);
    return add(x, feedForward(norm(x, ".norm2")), loc);
  }
  x = norm(add(x, selfAttention(x), loc), ".norm1");
  return norm(add(x, feedForward(x), loc), ".norm2");
}

Tensor residual_block(Tensor x, BasicBlockOptions o, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  std::optional<Shape> s =
      shapeOf(mc, x, 4, "residual_block expects an NCHW input [N, C, H, W]", loc);
  if (!s)
    return {};
  if (o.out_channels <= 0 || o.stride < 1) {
    mc->error(loc, "residual_block: set out_channels (and a stride >= 1), "
                   "e.g. {.out_channels = 32, .stride = 2}");
    return {};
  }
  std::string name = mc->layerName(o.name, "block");
  auto conv = [&](Tensor t, int64_t k, int64_t stride, const std::string &n) {
    return conv2d(t, {.out_channels = o.out_channels, .kernel = k,
                      .stride = stride, .padding = k / 2, .bias = false,
                      .name = n, .trainable = o.trainable},
                  loc);
  };
  auto bn = [&](Tensor t, const std::string &n) {
    return batch_norm(t, {.name = n, .trainable = o.trainable}, loc);
  };
  Tensor y = relu(bn(conv(x, 3, o.stride, name + ".conv1"), name + ".bn1"), loc);
  y = bn(conv(y, 3, 1, name + ".conv2"), name + ".bn2");
  Tensor shortcut = x;
  if (o.stride != 1 || (*s)[1] != o.out_channels)
    shortcut = bn(conv(x, 1, o.stride, name + ".downsample.0"),
                  name + ".downsample.1");
  return relu(add(y, shortcut, loc), loc);
}

} // namespace loom
