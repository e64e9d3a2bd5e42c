//===- RecurrentLayers.cpp - The DSL's lstm and gru layers ----------------===//
//
// lstm and gru declare PyTorch's parameters (without the _l0 suffix),
// default the initial states to zeros, and build one loom.lstm / loom.gru
// op; the final states are the last step of the sequence results (a slice
// and a reshape, so their gradients flow back through the op's VJP). The
// shape rule is the op's own (Recurrent.h), reported at the user's line.
//
//===----------------------------------------------------------------------===//
#include "DSL/ModelContext.h"
#include "Loom/LoomOps.h"
#include "Loom/Recurrent.h"

#include <cmath>

using namespace mlir;

namespace loom {
using dsl::ModelContext;

namespace {

/// What lstm and gru share: checks, parameters, initial states, the op.
struct Layer {
  const char *kind; // "lstm" or "gru"
  int64_t gates;
  int64_t hidden;
  std::string name;
  bool trainable;
};

/// The layer's op results (ys, and cs for lstm) as DSL tensors, or empty
/// after an error.
std::vector<Tensor> buildLayer(const Layer &layer, Tensor x,
                               std::vector<std::optional<Tensor>> states,
                               Loc loc) {
  ModelContext *mc = dsl::current(loc);
  if (!mc || !mc->get(x))
    return {};
  std::string kind = layer.kind;
  if (layer.hidden <= 0) {
    mc->error(loc, kind + ": set the hidden size, e.g. " + kind +
                       "(x, {.hidden = 64})");
    return {};
  }
  Shape shape = x.shape();
  if (shape.size() != 3) {
    mc->error(loc, kind + " expects an input [batch, time, features] of rank "
                          "3, got " +
                       shapeString(shape));
    return {};
  }
  int64_t h = layer.hidden, rows = layer.gates * h;
  std::string name = mc->layerName(layer.name, kind);
  double bound = 1.0 / std::sqrt(double(h));
  auto weight = [&](const std::string &suffix, const Shape &s) {
    return param(name + "." + suffix, s,
                 {.init = init::uniform(-bound, bound),
                  .trainable = layer.trainable},
                 loc);
  };
  Tensor wih = weight("weight_ih", {rows, shape[2]});
  Tensor whh = weight("weight_hh", {rows, h});
  Tensor bih = weight("bias_ih", {rows});
  Tensor bhh = weight("bias_hh", {rows});
  // A given state must be [B, hidden]; the op's own rule would blame the
  // weights (sized from `hidden`) instead.
  const char *stateNames[] = {"h0", "c0"};
  for (auto [i, s] : llvm::enumerate(states)) {
    if (!s || !mc->get(*s))
      continue;
    Shape got = s->shape();
    if (got != Shape{shape[0], h}) {
      mc->error(loc, "'loom." + kind + "' " + stateNames[i] + " has shape " +
                         shapeString(got) + " but x " + shapeString(shape) +
                         " with hidden " + std::to_string(h) + " needs " +
                         shapeString(Shape{shape[0], h}));
      return {};
    }
  }
  Location l = mc->loc(loc);
  SmallVector<Value> values = {mc->get(x)};
  for (std::optional<Tensor> &s : states) {
    if (!s) {
      auto type = RankedTensorType::get({shape[0], h}, mc->f32());
      auto zeros =
          DenseElementsAttr::get(type, mc->builder.getF32FloatAttr(0));
      values.push_back(ConstantOp::create(mc->builder, l, zeros).getResult());
      continue;
    }
    values.push_back(mc->get(*s));
  }
  for (Tensor t : {wih, whh, bih, bhh})
    values.push_back(mc->get(t));
  if (llvm::is_contained(values, Value())) {
    if (!mc->failed)
      mc->error(loc, kind + ": an initial state is an empty Tensor (never "
                            "assigned a value)");
    return {};
  }
  SmallVector<Type> types;
  if (failed(inferRecurrent(l, kind, layer.gates, ValueRange(values).getTypes(),
                            types))) {
    mc->failed = true;
    return {};
  }
  Operation *op =
      layer.gates == 4
          ? LstmOp::create(mc->builder, l, types, values).getOperation()
          : GruOp::create(mc->builder, l, types, values).getOperation();
  std::vector<Tensor> results;
  for (Value r : op->getResults())
    results.push_back(mc->wrap(r));
  return results;
}

/// seq[:, T-1, :] as [B, H].
Tensor lastStep(Tensor seq, Loc loc) {
  Shape s = seq.shape();
  Tensor last = slice(seq, {.start = {0, s[1] - 1, 0}}, loc);
  return reshape(last, {s[0], s[2]}, loc);
}

} // namespace

LstmResult lstm_with_state(Tensor x, LstmOptions o, Loc loc) {
  std::vector<Tensor> r = buildLayer(
      {"lstm", 4, o.hidden, o.name, o.trainable}, x, {o.h0, o.c0}, loc);
  if (r.size() != 2)
    return {};
  return {r[0], lastStep(r[0], loc), lastStep(r[1], loc)};
}

Tensor lstm(Tensor x, LstmOptions o, Loc loc) {
  std::vector<Tensor> r = buildLayer(
      {"lstm", 4, o.hidden, o.name, o.trainable}, x, {o.h0, o.c0}, loc);
  return r.empty() ? Tensor() : r[0];
}

GruResult gru_with_state(Tensor x, GruOptions o, Loc loc) {
  std::vector<Tensor> r =
      buildLayer({"gru", 3, o.hidden, o.name, o.trainable}, x, {o.h0}, loc);
  if (r.empty())
    return {};
  return {r[0], lastStep(r[0], loc)};
}

Tensor gru(Tensor x, GruOptions o, Loc loc) {
  std::vector<Tensor> r =
      buildLayer({"gru", 3, o.hidden, o.name, o.trainable}, x, {o.h0}, loc);
  return r.empty() ? Tensor() : r[0];
}

} // namespace loom
