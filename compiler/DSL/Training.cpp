//===- Training.cpp - The DSL's labels, loss, metrics and loss functions --===//
//
// label() is an input the model only needs for training; loss() and
// metric() add results to @forward, marked `loom.loss` and
// `loom.metric = "name"`, from which -loom-training-entries builds @eval and
// @train_step. The loss and metric functions are composites of the DSL's
// own ops, written so that their gradients (chained from the ops' local
// rules) are the textbook ones: e.g. bce_with_logits uses maximum(x, 0),
// whose rule splits a tie evenly, so d/dx at x = 0 is sigmoid(0) - y.
//
//===----------------------------------------------------------------------===//
#include "DSL/ModelContext.h"
#include "Loom/ShapeInference.h"
#include "Transforms/LossGroups.h"

#include <cstdio>

using namespace mlir;

namespace loom {
namespace {
using dsl::ModelContext;

/// The value of `t`, or null; reports an empty handle (never an earlier
/// error's invalid result, which was reported already).
Value valueOf(ModelContext &mc, Tensor t, const char *what, const Loc &loc) {
  Value v = mc.get(t);
  if (!v && !t.valid() && !mc.failed)
    mc.error(loc, llvm::Twine(what) + " is an empty Tensor (never assigned "
                                      "a value)");
  return v;
}

Shape shapeOf(Value v) {
  auto s = cast<RankedTensorType>(v.getType()).getShape();
  return Shape(s.begin(), s.end());
}

/// Checks that a scalar the model declares (loss or metric) is a rank-0 f32
/// tensor.
bool checkScalar(ModelContext &mc, Value v, const std::string &what,
                 const Loc &loc) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getRank() == 0 && type.getElementType().isF32())
    return true;
  if (!type.getElementType().isF32())
    mc.error(loc, what + " must be an f32 scalar, got i1 elements (turn a "
                         "comparison into numbers with select first)");
  else
    mc.error(loc, what + " must be a scalar (rank 0), got shape " +
                      shapeString(type.getShape()) +
                      "; reduce it first, e.g. reduce_mean(x)");
  return false;
}

/// Elementwise losses compare like with like: broadcasting a [B, 1]
/// prediction against a [B] target would silently build [B, B].
bool sameShape(const char *fn, Tensor a, Tensor b, const Loc &loc) {
  ModelContext *mc = dsl::current(loc);
  if (!mc)
    return false;
  Value va = valueOf(*mc, a, "the prediction", loc);
  Value vb = valueOf(*mc, b, "the target", loc);
  if (!va || !vb)
    return false;
  if (shapeOf(va) == shapeOf(vb))
    return true;
  mc->error(loc, llvm::Twine(fn) +
                     " needs a prediction and a target of the "
                     "same shape, got " +
                     shapeString(shapeOf(va)) + " and " +
                     shapeString(shapeOf(vb)) + " (reshape one of them)");
  return false;
}

/// Checks logits [B, C] against labels [B] and returns C (0 on error).
int64_t checkClassification(const char *fn, Tensor logits, Tensor labels,
                            const Loc &loc) {
  ModelContext *mc = dsl::current(loc);
  if (!mc)
    return 0;
  Value vl = valueOf(*mc, logits, "the logits", loc);
  Value vy = valueOf(*mc, labels, "the labels", loc);
  if (!vl || !vy)
    return 0;
  Shape ls = shapeOf(vl), ys = shapeOf(vy);
  if (ls.size() != 2 || ys.size() != 1 || ls[0] != ys[0] || ls[1] < 1) {
    mc->error(loc, llvm::Twine(fn) +
                       " needs logits [batch, classes] and "
                       "labels [batch] (class indices), got " +
                       shapeString(ls) + " and " + shapeString(ys));
    return 0;
  }
  mc->interface.numClasses = ls[1];
  return ls[1];
}

/// [B, C] mask: row b is true at column labels[b]. compare's operands get no
/// gradient, so the labels are never differentiated.
Tensor oneHotMask(Tensor labels, int64_t classes, const Loc &loc) {
  std::vector<double> iota(classes);
  for (int64_t c = 0; c < classes; ++c)
    iota[c] = double(c);
  Tensor column = reshape(labels, {-1, 1}, loc);
  return compare(column, Cmp::eq, constant({classes}, iota, loc), loc);
}

/// 1 where `condition` holds, else 0.
Tensor asNumber(Tensor condition, const Loc &loc) {
  return select(condition, constant(1.0, loc), constant(0.0, loc), loc);
}

} // namespace

//===----------------------------------------------------------------------===//
// Declarations
//===----------------------------------------------------------------------===//

Tensor label(const std::string &name, const Shape &shape, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  if (!mc)
    return {};
  size_t before = mc->interface.inputs.size();
  Tensor t = input(name, shape, loc);
  if (mc->interface.inputs.size() > before)
    mc->interface.inputs.back().isLabel = true;
  return t;
}

void loss(Tensor scalar, LossOptions options, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  if (!mc)
    return;
  Value v = valueOf(*mc, scalar, "the loss", loc);
  if (!v)
    return;
  if (!checkScalar(*mc, v, "the loss", loc))
    return;
  bool named = !options.name.empty() || !options.params.empty();
  bool unnamedBefore =
      !mc->losses.empty() && mc->losses[0].options.name.empty();
  if (!named && !mc->losses.empty()) {
    mc->error(loc, "the model already declared a loss; add the terms into "
                   "one scalar, or give each loss a name and its parameters "
                   "(loss(l, {.name = \"gen\", .params = {\"gen.\"}}))");
    return;
  }
  if (named && unnamedBefore) {
    mc->error(loc, "the model already declared a loss without a name; in "
                   "a model with several losses each needs a .name and "
                   ".params");
    return;
  }
  if (named && (options.name.empty() || options.params.empty())) {
    mc->error(loc, options.name.empty()
                       ? "a loss with .params needs a .name"
                       : "loss '" + options.name +
                             "' needs .params, the prefixes of the "
                             "parameters it trains");
    return;
  }
  if (named && !isLossGroupName(options.name)) {
    mc->error(loc, "loss name '" + options.name +
                       "' must be letters, digits and '_' (it names the train "
                       "step and the reported loss)");
    return;
  }
  for (const ModelContext::LossDecl &d : mc->losses)
    if (d.options.name == options.name) {
      mc->error(loc,
                "a loss named '" + options.name + "' was already declared");
      return;
    }
  // The loss is reported as "loss", or "NAME_loss" for a named one.
  std::string reported = named ? options.name + "_loss" : "loss";
  if (!mc->names.insert(reported).second) {
    mc->error(loc, "the name '" + reported +
                       "' is already used by an input, parameter, output or "
                       "metric; the loss is reported under it");
    return;
  }
  mc->losses.push_back({v, std::move(options), loc});
  mc->interface.hasLoss = true;
  if (named)
    mc->interface.lossGroups.push_back(mc->losses.back().options.name);
}

void metric(const std::string &name, Tensor scalar, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  if (!mc)
    return;
  Value v = valueOf(*mc, scalar, ("metric '" + name + "'").c_str(), loc);
  if (!v || !checkScalar(*mc, v, "metric '" + name + "'", loc))
    return;
  if (name.empty()) {
    mc->error(loc, "a metric needs a non-empty name");
    return;
  }
  if (!mc->names.insert(name).second) {
    mc->error(loc, "the name '" + name +
                       "' is already used by another "
                       "input, parameter, output or metric of this model");
    return;
  }
  mc->metrics.push_back({name, v});
  mc->interface.metrics.push_back(name);
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

Tensor mse(Tensor pred, Tensor target, Loc loc) {
  if (!sameShape("mse", pred, target, loc))
    return {};
  Tensor d = sub(pred, target, loc);
  return reduce_mean(mul(d, d, loc), {}, loc);
}

Tensor l1_loss(Tensor pred, Tensor target, Loc loc) {
  if (!sameShape("l1_loss", pred, target, loc))
    return {};
  return reduce_mean(abs(sub(pred, target, loc), loc), {}, loc);
}

Tensor huber(Tensor pred, Tensor target, HuberOptions o, Loc loc) {
  if (!sameShape("huber", pred, target, loc))
    return {};
  if (!(o.delta > 0)) {
    char delta[32];
    std::snprintf(delta, sizeof(delta), "%g", o.delta);
    dsl::current(loc)->error(loc, llvm::Twine("huber needs delta > 0, got ") +
                                      delta);
    return {};
  }
  Tensor d = abs(sub(pred, target, loc), loc);
  Tensor quadratic = mul(constant(0.5, loc), mul(d, d, loc), loc);
  Tensor linear = mul(constant(o.delta, loc),
                      sub(d, constant(0.5 * o.delta, loc), loc), loc);
  Tensor inside = compare(d, Cmp::le, constant(o.delta, loc), loc);
  return reduce_mean(select(inside, quadratic, linear, loc), {}, loc);
}

Tensor bce_with_logits(Tensor logits, Tensor targets, Loc loc) {
  if (!sameShape("bce_with_logits", logits, targets, loc))
    return {};
  Tensor x = logits;
  Tensor softplus = add(
      maximum(x, constant(0.0, loc), loc),
      log(add(constant(1.0, loc), exp(neg(abs(x, loc), loc), loc), loc), loc),
      loc);
  return reduce_mean(sub(softplus, mul(x, targets, loc), loc), {}, loc);
}

Tensor softmax_cross_entropy(Tensor logits, Tensor labels, Loc loc) {
  int64_t classes =
      checkClassification("softmax_cross_entropy", logits, labels, loc);
  if (classes == 0)
    return {};
  Tensor logp = log_softmax(logits, {.axis = 1}, loc);
  Tensor picked =
      select(oneHotMask(labels, classes, loc), logp, constant(0.0, loc), loc);
  return neg(reduce_mean(reduce_sum(picked, {.axes = {1}}, loc), {}, loc), loc);
}

//===----------------------------------------------------------------------===//
// Metrics
//===----------------------------------------------------------------------===//

Tensor accuracy(Tensor logits, Tensor labels, Loc loc) {
  int64_t classes = checkClassification("accuracy", logits, labels, loc);
  if (classes == 0)
    return {};
  // The label's logit is the row's maximum, so a tie for the maximum counts
  // as correct. argmax(logits) == label would count it only for the first
  // tied class; DslTrainingTest pins the tie rule, so it stays.
  Tensor picked = reduce_sum(
      select(oneHotMask(labels, classes, loc), logits, constant(0.0, loc), loc),
      {.axes = {1}}, loc);
  Tensor best = reduce_max(logits, {.axes = {1}}, loc);
  return reduce_mean(asNumber(compare(picked, Cmp::eq, best, loc), loc), {},
                     loc);
}

Tensor binary_accuracy(Tensor logits, Tensor targets, Loc loc) {
  if (!sameShape("binary_accuracy", logits, targets, loc))
    return {};
  Tensor predicted =
      asNumber(compare(logits, Cmp::gt, constant(0.0, loc), loc), loc);
  Tensor actual =
      asNumber(compare(targets, Cmp::gt, constant(0.5, loc), loc), loc);
  return reduce_mean(asNumber(compare(predicted, Cmp::eq, actual, loc), loc),
                     {}, loc);
}

Tensor rmse(Tensor pred, Tensor target, Loc loc) {
  if (!sameShape("rmse", pred, target, loc))
    return {};
  return sqrt(mse(pred, target, loc), loc);
}

Tensor mae(Tensor pred, Tensor target, Loc loc) {
  if (!sameShape("mae", pred, target, loc))
    return {};
  return l1_loss(pred, target, loc);
}

} // namespace loom
