//===- TrainingEntries.cpp - @eval and @train_step from @forward ----------===//
//
// Builds a model's training entry points out of its @forward, whose results
// are the outputs, the loss and the metrics (see Training.h):
//
//   @eval        a copy of @forward returning only the loss and metrics;
//   @train_step  @forward's ops, the loss's reverse sweep (buildGradients),
//                optional global-norm clipping, and the optimizer update of
//                every trainable parameter, all as loom ops; for a model
//                with several named losses, one @train_step_<name> per
//                loss, over that loss's parameter group (LossGroups.h);
//   @forward     pruned to its outputs, dropping arguments (labels) that only
//                the loss and metrics used.
//
// The update formulas are PyTorch's (torch.optim.SGD, Adam, AdamW, and
// clip_grad_norm_), written out next to the code that builds them, so a
// compiled step can be checked against PyTorch to f32 round-off.
//
//===----------------------------------------------------------------------===//
#include "Transforms/Training.h"
#include "Transforms/AlgebraicSimplify.h"

#include "Passes.h"
#include "SignatureAttrs.h"
#include "Transforms/Autodiff.h"
#include "Transforms/LossGroups.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/BitVector.h"

#include <cstdio>
#include <map>

namespace loom {
#define GEN_PASS_DEF_LOOMTRAININGENTRIES
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;
using namespace loom;
using Optimizer = TrainingOptions::Optimizer;

namespace {

//===----------------------------------------------------------------------===//
// Reading @forward
//===----------------------------------------------------------------------===//

/// One loss result of @forward: unnamed (a model's one loss) or one of
/// several named losses with the parameter prefixes it trains.
struct LossResult {
  unsigned result = 0;
  std::string name; // empty for the unnamed loss
  std::vector<std::string> prefixes;
};

/// @forward's results and arguments by role.
struct ForwardRoles {
  func::FuncOp fn;
  SmallVector<unsigned> outputs; // everything that is not loss or metric
  SmallVector<LossResult> losses;
  SmallVector<unsigned> metrics;
  /// Results carrying loom.param_update: new values of non-trainable
  /// parameters (batch_norm's running statistics), kept by @train_step only.
  SmallVector<unsigned> bufferUpdates;
  SmallVector<unsigned> trainable; // argument indices
};

/// Reads a loss result's attributes: `loom.loss` (unit or a name) and, for
/// a named loss, `loom.loss_params`.
FailureOr<LossResult> readLoss(func::FuncOp fn, unsigned i) {
  LossResult loss;
  loss.result = i;
  Attribute attr = fn.getResultAttr(i, attrs::kLoss);
  if (auto name = dyn_cast<StringAttr>(attr))
    loss.name = name.str();
  else if (!isa<UnitAttr>(attr))
    return fn.emitError("result ")
           << i << ": " << attrs::kLoss << " must be a unit or a name";
  Attribute params = fn.getResultAttr(i, attrs::kLossParams);
  if (params && loss.name.empty())
    return fn.emitError("result ")
           << i << ": " << attrs::kLossParams << " needs a named loss";
  if (params) {
    auto list = dyn_cast<ArrayAttr>(params);
    if (!list)
      return fn.emitError("result ") << i << ": " << attrs::kLossParams
                                     << " must be an array of strings";
    for (Attribute p : list) {
      auto prefix = dyn_cast<StringAttr>(p);
      if (!prefix)
        return fn.emitError("result ") << i << ": " << attrs::kLossParams
                                       << " must be an array of strings";
      loss.prefixes.push_back(prefix.str());
    }
  }
  auto type = dyn_cast<RankedTensorType>(fn.getResultTypes()[i]);
  if (!type || type.getRank() != 0 || !type.getElementType().isF32())
    return fn.emitError("the loss must be a rank-0 f32 tensor, got ")
           << fn.getResultTypes()[i];
  return loss;
}

FailureOr<ForwardRoles> readForward(ModuleOp module, bool needLoss) {
  ForwardRoles roles;
  roles.fn = module.lookupSymbol<func::FuncOp>("forward");
  if (!roles.fn || roles.fn.isExternal())
    return module.emitError("the module has no @forward with a body");
  func::FuncOp fn = roles.fn;
  for (unsigned i = 0; i < fn.getNumResults(); ++i) {
    if (fn.getResultAttr(i, attrs::kLoss)) {
      FailureOr<LossResult> loss = readLoss(fn, i);
      if (failed(loss))
        return failure();
      roles.losses.push_back(*loss);
    } else if (fn.getResultAttr(i, attrs::kMetric)) {
      roles.metrics.push_back(i);
    } else if (fn.getResultAttr(i, attrs::kParamUpdate)) {
      roles.bufferUpdates.push_back(i);
    } else {
      roles.outputs.push_back(i);
    }
  }
  if (roles.losses.empty() && needLoss)
    return fn.emitError("@forward has no loss result (a result with ")
           << attrs::kLoss << "; a model declares it with loss(...))";
  if (roles.losses.size() > 1)
    for (const LossResult &l : roles.losses)
      if (l.name.empty())
        return fn.emitError("@forward has more than one loss result (")
               << roles.losses[0].result << " and " << roles.losses[1].result
               << "); several losses need names and parameter groups ("
               << attrs::kLoss << " = \"name\", " << attrs::kLossParams
               << " = [prefixes])";
  for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
    if (!fn.getArgAttr(i, attrs::kParam))
      continue;
    auto trainable = fn.getArgAttrOfType<BoolAttr>(i, attrs::kTrainable);
    if (!trainable || trainable.getValue())
      roles.trainable.push_back(i);
  }
  for (unsigned r : roles.bufferUpdates) {
    auto name = fn.getResultAttrOfType<StringAttr>(r, attrs::kParamUpdate);
    std::optional<unsigned> arg;
    for (unsigned i = 0; i < fn.getNumArguments(); ++i)
      if (auto p = fn.getArgAttrOfType<StringAttr>(i, attrs::kParam);
          p && name && p == name)
        arg = i;
    if (!name)
      return fn.emitError("result ")
             << r << ": " << attrs::kParamUpdate << " must name a parameter";
    if (!arg)
      return fn.emitError("result ")
             << r << " updates parameter '" << name.getValue()
             << "', which @forward does not take";
    if (llvm::is_contained(roles.trainable, *arg))
      return fn.emitError("result ")
             << r << " updates parameter '" << name.getValue()
             << "', which is trainable: the optimizer owns its updates";
    if (fn.getResultTypes()[r] != fn.getArgumentTypes()[*arg])
      return fn.emitError("result ")
             << r << " updating parameter '" << name.getValue() << "' has type "
             << fn.getResultTypes()[r] << ", the parameter "
             << fn.getArgumentTypes()[*arg];
  }
  return roles;
}

std::string paramName(func::FuncOp fn, unsigned arg) {
  return fn.getArgAttrOfType<StringAttr>(arg, attrs::kParam).str();
}

//===----------------------------------------------------------------------===//
// Editing functions
//===----------------------------------------------------------------------===//

/// Erases ops whose results nobody uses, last first so chains die whole.
void eraseDeadOps(func::FuncOp fn) {
  Block &block = fn.getBody().front();
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(block)))
    if (isOpTriviallyDead(&op))
      op.erase();
}

/// Makes `fn` return only the results `keep` (in that order), with their
/// attributes, then erases what no longer contributes.
void keepResults(func::FuncOp fn, ArrayRef<unsigned> keep) {
  auto ret = cast<func::ReturnOp>(fn.getBody().front().getTerminator());
  SmallVector<Value> values;
  SmallVector<Type> types;
  SmallVector<DictionaryAttr> resultAttrs;
  for (unsigned i : keep) {
    values.push_back(ret.getOperand(i));
    types.push_back(fn.getResultTypes()[i]);
    resultAttrs.push_back(fn.getResultAttrDict(i));
  }
  OpBuilder b(ret);
  func::ReturnOp::create(b, ret.getLoc(), values);
  ret.erase();
  fn.setType(b.getFunctionType(fn.getArgumentTypes(), types));
  fn.setAllResultAttrs(resultAttrs);
  eraseDeadOps(fn);
}

//===----------------------------------------------------------------------===//
// Building the optimizer's arithmetic
//===----------------------------------------------------------------------===//

/// Elementwise arithmetic at one location, appended to one block. Scalars
/// are rank-0 constants, which broadcast against any parameter shape; each
/// value is built once (all uses come later in the same block).
struct Arith {
  OpBuilder &b;
  Location loc;
  std::map<float, Value> constants;

  Value c(double v) {
    Value &cached = constants[float(v)];
    if (!cached) {
      auto type = RankedTensorType::get({}, b.getF32Type());
      cached = ConstantOp::create(
          b, loc, DenseElementsAttr::get(type, b.getF32FloatAttr(float(v))));
    }
    return cached;
  }
  Value add(Value x, Value y) { return AddOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return SubOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return MulOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return DivOp::create(b, loc, x, y); }
  Value sqrt(Value x) { return SqrtOp::create(b, loc, x); }
  Value pow(Value x, Value y) { return PowOp::create(b, loc, x, y); }
  Value min(Value x, Value y) { return MinimumOp::create(b, loc, x, y); }
  /// The sum of all elements, rank 0.
  Value sumAll(Value x) {
    auto rank = cast<RankedTensorType>(x.getType()).getRank();
    SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    return ReduceSumOp::create(b, loc, x, axes, /*keepdims=*/false);
  }
};

/// torch.nn.utils.clip_grad_norm_(params, c):
///   norm = sqrt(sum over all gradients of sum(g^2))
///   g *= min(1, c / (norm + 1e-6))
/// Every op is its own statement (here and below): C++ leaves the order of
/// evaluating call arguments open, and the IR must not depend on the host
/// compiler.
void clipByGlobalNorm(Arith &a, MutableArrayRef<Value> grads, double clip) {
  Value total;
  for (Value g : grads) {
    Value g2 = a.mul(g, g);
    Value sq = a.sumAll(g2);
    total = total ? a.add(total, sq) : sq;
  }
  if (!total)
    return;
  Value norm = a.sqrt(total);
  Value tiny = a.c(1e-6);
  Value denom = a.add(norm, tiny);
  Value limit = a.c(clip);
  Value ratio = a.div(limit, denom);
  Value one = a.c(1.0);
  Value coef = a.min(one, ratio);
  for (Value &g : grads)
    g = a.mul(g, coef);
}

/// The per-step scalars, computed once for all parameters.
struct StepScalars {
  Value lr;
  Value stepSize; // Adam: lr / (1 - beta1^step)
  Value bc2Sqrt;  // Adam: sqrt(1 - beta2^step)
};

/// `decay * x + (1 - decay) * y`-style moment: c1 * x + c2 * y.
Value blend(Arith &a, double c1, Value x, double c2, Value y) {
  Value k1 = a.c(c1);
  Value old = a.mul(k1, x);
  Value k2 = a.c(c2);
  Value fresh = a.mul(k2, y);
  return a.add(old, fresh);
}

/// The new value of one trainable parameter `p` with gradient `g`, and of
/// its states (in optimizerStateSuffixes order).
void update(Arith &a, const TrainingOptions &o, const StepScalars &s, Value p,
            Value g, ArrayRef<Value> states, Value &newP,
            SmallVectorImpl<Value> &newStates) {
  double wd = o.weightDecay;
  // L2 regularization as torch.optim adds it: d_p = g + wd * p.
  if (wd != 0 && o.optimizer != Optimizer::AdamW) {
    Value k = a.c(wd);
    Value decay = a.mul(k, p);
    g = a.add(g, decay);
  }
  switch (o.optimizer) {
  case Optimizer::SGD: {
    // p = p - lr * g
    Value step = a.mul(s.lr, g);
    newP = a.sub(p, step);
    return;
  }
  case Optimizer::Momentum: {
    // buf = momentum * buf + g (PyTorch starts buf at g; with dampening 0
    // that equals starting it at zero); nesterov: d_p = g + momentum * buf,
    // else d_p = buf; p = p - lr * d_p.
    Value mu = a.c(o.momentum);
    Value old = a.mul(mu, states[0]);
    Value buf = a.add(old, g);
    Value dp = buf;
    if (o.nesterov) {
      Value ahead = a.mul(mu, buf);
      dp = a.add(g, ahead);
    }
    Value step = a.mul(s.lr, dp);
    newP = a.sub(p, step);
    newStates.push_back(buf);
    return;
  }
  case Optimizer::Adam:
  case Optimizer::AdamW: {
    // AdamW first decays the parameter: p = p * (1 - lr * wd).
    if (o.optimizer == Optimizer::AdamW && wd != 0) {
      Value k = a.c(wd);
      Value lrWd = a.mul(s.lr, k);
      Value one = a.c(1.0);
      Value keep = a.sub(one, lrWd);
      p = a.mul(p, keep);
    }
    // m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2
    // p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
    Value m = blend(a, o.beta1, states[0], 1.0 - o.beta1, g);
    Value g2 = a.mul(g, g);
    Value v = blend(a, o.beta2, states[1], 1.0 - o.beta2, g2);
    Value rootV = a.sqrt(v);
    Value vHat = a.div(rootV, s.bc2Sqrt);
    Value eps = a.c(o.eps);
    Value denom = a.add(vHat, eps);
    Value ratio = a.div(m, denom);
    Value step = a.mul(s.stepSize, ratio);
    newP = a.sub(p, step);
    newStates.push_back(m);
    newStates.push_back(v);
    return;
  }
  }
}

/// A number as a person writes it (0.9, not 9.000000e-01).
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

LogicalResult checkOptions(func::FuncOp fn, const TrainingOptions &o) {
  bool adam = o.optimizer == Optimizer::Adam || o.optimizer == Optimizer::AdamW;
  if (o.momentum < 0)
    return fn.emitError("momentum must be >= 0, got ") << num(o.momentum);
  if (o.nesterov && (o.optimizer != Optimizer::Momentum || o.momentum <= 0))
    return fn.emitError(
        "nesterov needs the momentum optimizer with momentum > 0");
  if (adam && !(o.beta1 >= 0 && o.beta1 < 1 && o.beta2 >= 0 && o.beta2 < 1))
    return fn.emitError("beta1 and beta2 must be in [0, 1), got ")
           << num(o.beta1) << " and " << num(o.beta2);
  if (o.eps < 0 || o.weightDecay < 0 || o.clipNorm < 0)
    return fn.emitError("eps, weight_decay and clip_norm must be >= 0");
  return success();
}

//===----------------------------------------------------------------------===//
// The entries
//===----------------------------------------------------------------------===//

/// What one train-step entry differentiates and updates.
struct TrainGroup {
  std::string entry; // "train_step" or "train_step_<loss name>"
  LossResult loss;
  SmallVector<unsigned> trainable;     // argument indices
  SmallVector<unsigned> bufferUpdates; // @forward result indices
  bool metrics = false;                // returns the metrics too
};

/// The model's one unnamed loss trains every trainable parameter in
/// @train_step, which also returns the metrics; several named losses each
/// train their own parameter group in @train_step_<name> (metrics are
/// @eval's only: no step is more "the" step than another). Every trainable
/// parameter and every running statistic the forward pass updates must
/// belong to exactly one group.
FailureOr<SmallVector<TrainGroup>> groupsOf(const ForwardRoles &roles) {
  func::FuncOp fn = roles.fn;
  if (roles.losses.size() == 1 && roles.losses[0].name.empty()) {
    TrainGroup g;
    g.entry = "train_step";
    g.loss = roles.losses[0];
    g.trainable = roles.trainable;
    g.bufferUpdates = roles.bufferUpdates;
    g.metrics = true;
    return SmallVector<TrainGroup>{g};
  }
  std::vector<LossGroupSpec> specs;
  for (const LossResult &l : roles.losses)
    specs.push_back({l.name, l.prefixes});
  std::vector<std::string> names;
  SmallVector<unsigned> paramArgs;
  for (unsigned i = 0; i < fn.getNumArguments(); ++i)
    if (auto p = fn.getArgAttrOfType<StringAttr>(i, attrs::kParam)) {
      names.push_back(p.str());
      paramArgs.push_back(i);
    }
  std::vector<int> owner;
  if (std::optional<LossGroupProblem> problem =
          assignLossGroups(specs, names, owner))
    return fn.emitError(problem->message);
  auto ownerOf = [&](unsigned arg) {
    return owner[llvm::find(paramArgs, arg) - paramArgs.begin()];
  };
  SmallVector<TrainGroup> groups;
  for (const LossResult &l : roles.losses) {
    TrainGroup g;
    g.entry = "train_step_" + l.name;
    g.loss = l;
    groups.push_back(g);
  }
  for (unsigned arg : roles.trainable) {
    int o = ownerOf(arg);
    if (o < 0)
      return fn.emitError("trainable parameter '")
             << paramName(fn, arg)
             << "' is in no loss's parameter group (add its prefix to one "
                "loss's params, or freeze it)";
    groups[o].trainable.push_back(arg);
  }
  for (unsigned r : roles.bufferUpdates) {
    auto name = fn.getResultAttrOfType<StringAttr>(r, attrs::kParamUpdate);
    int o = owner[llvm::find(names, name.str()) - names.begin()];
    if (o < 0)
      return fn.emitError("parameter '")
             << name.getValue()
             << "', updated by the forward pass, is in no loss's parameter "
                "group";
    groups[o].bufferUpdates.push_back(r);
  }
  for (const TrainGroup &g : groups)
    if (g.trainable.empty())
      return fn.emitError("loss '")
             << g.loss.name << "' has no trainable parameter left to train";
  return groups;
}

func::FuncOp buildEval(const ForwardRoles &roles) {
  func::FuncOp fwd = roles.fn;
  func::FuncOp eval = fwd.clone();
  eval.setName("eval");
  SmallVector<unsigned> keep;
  for (const LossResult &l : roles.losses)
    keep.push_back(l.result);
  keep.append(roles.metrics.begin(), roles.metrics.end());
  keepResults(eval, keep);
  return eval;
}

FailureOr<func::FuncOp> buildTrainStep(const ForwardRoles &roles,
                                       const TrainGroup &group,
                                       const TrainingOptions &o) {
  func::FuncOp fwd = roles.fn;
  MLIRContext *ctx = fwd.getContext();
  Location loc = fwd.getLoc();
  OpBuilder b(ctx);
  auto scalar = RankedTensorType::get({}, b.getF32Type());
  SmallVector<StringRef, 2> suffixes = optimizerStateSuffixes(o.optimizer);

  // Arguments: @forward's, then the states, lr and step.
  SmallVector<Type> argTypes(fwd.getArgumentTypes());
  SmallVector<DictionaryAttr> argAttrs;
  fwd.getAllArgAttrs(argAttrs);
  for (unsigned p : group.trainable)
    for (StringRef suffix : suffixes) {
      argTypes.push_back(fwd.getArgumentTypes()[p]);
      argAttrs.push_back(b.getDictionaryAttr(b.getNamedAttr(
          attrs::kState,
          b.getStringAttr(paramName(fwd, p) + "." + suffix.str()))));
    }
  for (const char *hyper : {"lr", "step"}) {
    argTypes.push_back(scalar);
    argAttrs.push_back(b.getDictionaryAttr(
        b.getNamedAttr(attrs::kHyper, b.getStringAttr(hyper))));
  }

  auto step = func::FuncOp::create(b, loc, group.entry,
                                   b.getFunctionType(argTypes, {}));
  Block *block = step.addEntryBlock();
  IRMapping map;
  map.map(fwd.getArguments(),
          block->getArguments().take_front(fwd.getNumArguments()));
  b.setInsertionPointToEnd(block);
  for (Operation &op : fwd.getBody().front().without_terminator())
    b.clone(op, map);
  // Training mode (batch statistics, dropout masks) before differentiating,
  // so the gradients are those of what this step computes.
  Value stepArg = block->getArgument(argTypes.size() - 1);
  block->walk([&](TrainingModeOpInterface op) { op.switchToTraining(stepArg); });
  auto ret = cast<func::ReturnOp>(fwd.getBody().front().getTerminator());
  Value loss = map.lookup(ret.getOperand(group.loss.result));

  SmallVector<Value> params;
  for (unsigned p : group.trainable)
    params.push_back(block->getArgument(p));
  FailureOr<SmallVector<Value>> grads = buildGradients(
      b, ret.getOperand(group.loss.result).getLoc(), loss, params);
  if (failed(grads)) {
    step.erase();
    return failure();
  }

  Arith a{b, loc};
  if (o.clipNorm > 0)
    clipByGlobalNorm(a, *grads, o.clipNorm);
  StepScalars s;
  s.lr = block->getArgument(argTypes.size() - 2);
  if (o.optimizer == Optimizer::Adam || o.optimizer == Optimizer::AdamW) {
    // Bias corrections 1 - beta^t, with t the 1-based step.
    Value t = block->getArgument(argTypes.size() - 1);
    Value one = a.c(1.0);
    Value b1 = a.c(o.beta1);
    Value b1t = a.pow(b1, t);
    Value bc1 = a.sub(one, b1t);
    Value b2 = a.c(o.beta2);
    Value b2t = a.pow(b2, t);
    Value bc2 = a.sub(one, b2t);
    s.stepSize = a.div(s.lr, bc1);
    s.bc2Sqrt = a.sqrt(bc2);
  }

  // Results: loss, metrics, new params, new states.
  SmallVector<Value> results = {loss};
  SmallVector<DictionaryAttr> resultAttrs = {
      fwd.getResultAttrDict(group.loss.result)};
  for (unsigned m : group.metrics ? ArrayRef<unsigned>(roles.metrics)
                                  : ArrayRef<unsigned>()) {
    results.push_back(map.lookup(ret.getOperand(m)));
    resultAttrs.push_back(fwd.getResultAttrDict(m));
  }
  SmallVector<Value> newStates;
  SmallVector<DictionaryAttr> stateAttrs;
  unsigned stateArg = fwd.getNumArguments();
  for (auto [k, p] : llvm::enumerate(group.trainable)) {
    SmallVector<Value> states;
    for (size_t i = 0; i < suffixes.size(); ++i)
      states.push_back(block->getArgument(stateArg + i));
    Value newP;
    size_t first = newStates.size();
    update(a, o, s, params[k], (*grads)[k], states, newP, newStates);
    results.push_back(newP);
    resultAttrs.push_back(b.getDictionaryAttr(b.getNamedAttr(
        attrs::kParamUpdate, b.getStringAttr(paramName(fwd, p)))));
    for (size_t i = 0; i < suffixes.size(); ++i) {
      StringAttr name = argAttrs[stateArg + i].getAs<StringAttr>(attrs::kState);
      stateAttrs.push_back(
          b.getDictionaryAttr(b.getNamedAttr(attrs::kStateUpdate, name)));
    }
    assert(newStates.size() - first == suffixes.size());
    (void)first;
    stateArg += suffixes.size();
  }
  // Non-trainable parameters updated by the forward computation itself.
  for (unsigned r : group.bufferUpdates) {
    results.push_back(map.lookup(ret.getOperand(r)));
    resultAttrs.push_back(fwd.getResultAttrDict(r));
  }
  results.append(newStates);
  resultAttrs.append(stateAttrs);
  func::ReturnOp::create(b, loc, results);

  step.setType(b.getFunctionType(argTypes, ValueRange(results).getTypes()));
  step.setAllArgAttrs(argAttrs);
  step.setAllResultAttrs(resultAttrs);
  eraseDeadOps(step);
  return step;
}

/// @forward without the loss and metrics, and without the arguments that
/// only they used; parameters stay.
void pruneForwardFn(const ForwardRoles &roles, bool hasLoss) {
  func::FuncOp fwd = roles.fn;
  if (!hasLoss && roles.metrics.empty() && roles.bufferUpdates.empty())
    return; // an inference model: its interface stays as declared
  keepResults(fwd, roles.outputs);
  llvm::BitVector unused(fwd.getNumArguments());
  for (unsigned i = 0; i < fwd.getNumArguments(); ++i)
    if (fwd.getArgument(i).use_empty() && !fwd.getArgAttr(i, attrs::kParam))
      unused.set(i);
  (void)fwd.eraseArguments(unused);
}

bool hasLossResult(func::FuncOp fn) {
  for (unsigned i = 0; i < fn.getNumResults(); ++i)
    if (fn.getResultAttr(i, attrs::kLoss))
      return true;
  return false;
}

} // namespace

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//

namespace {
struct OptimizerName {
  Optimizer optimizer;
  const char *name;
};
/// One table, so that printing and parsing cannot disagree.
constexpr OptimizerName kOptimizerNames[] = {
    {Optimizer::SGD, "sgd"},
    {Optimizer::Momentum, "momentum"},
    {Optimizer::Adam, "adam"},
    {Optimizer::AdamW, "adamw"},
};
} // namespace

const char *loom::optimizerName(Optimizer optimizer) {
  for (const OptimizerName &n : kOptimizerNames)
    if (n.optimizer == optimizer)
      return n.name;
  return "?";
}

std::optional<Optimizer> loom::parseOptimizer(StringRef name) {
  for (const OptimizerName &n : kOptimizerNames)
    if (name == n.name)
      return n.optimizer;
  return std::nullopt;
}

SmallVector<StringRef, 2> loom::optimizerStateSuffixes(Optimizer optimizer) {
  switch (optimizer) {
  case Optimizer::SGD:
    return {};
  case Optimizer::Momentum:
    return {"momentum"};
  case Optimizer::Adam:
  case Optimizer::AdamW:
    return {"m", "v"};
  }
  return {};
}

/// Marks the parameters under options.freeze as not trainable.
static LogicalResult applyFreeze(ModuleOp module, const TrainingOptions &o) {
  auto fn = module.lookupSymbol<func::FuncOp>("forward");
  if (o.freeze.empty() || !fn)
    return success();
  Builder b(module.getContext());
  for (const std::string &prefix : o.freeze) {
    bool matched = false;
    for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
      auto name = fn.getArgAttrOfType<StringAttr>(i, attrs::kParam);
      if (!name || !name.getValue().starts_with(prefix))
        continue;
      fn.setArgAttr(i, attrs::kTrainable, b.getBoolAttr(false));
      matched = true;
    }
    if (!matched)
      return fn.emitError("freezing '")
             << prefix << "': no parameter name starts with it";
  }
  return success();
}

LogicalResult loom::buildTrainingEntries(ModuleOp module,
                                         const TrainingOptions &options) {
  if (failed(applyFreeze(module, options)))
    return failure();
  // The stable forms (log_softmax, softplus for BCE on probabilities)
  // before differentiating, so the backward pass gets them too.
  // Optional rewrites: not converging is no error.
  if (auto forward = module.lookupSymbol<func::FuncOp>("forward"))
    (void)simplifyAlgebra(forward);
  FailureOr<ForwardRoles> roles = readForward(module, /*needLoss=*/true);
  if (failed(roles))
    return failure();
  FailureOr<SmallVector<TrainGroup>> groups = groupsOf(*roles);
  if (failed(groups))
    return failure();
  SmallVector<std::string> names = {"eval"};
  for (const TrainGroup &g : *groups)
    names.push_back(g.entry);
  for (const std::string &name : names)
    if (module.lookupSymbol(name))
      return roles->fn.emitError("the module already has @") << name;
  if (failed(checkOptions(roles->fn, options)))
    return failure();
  SmallVector<func::FuncOp> steps;
  for (const TrainGroup &g : *groups) {
    FailureOr<func::FuncOp> step = buildTrainStep(*roles, g, options);
    if (failed(step)) {
      for (func::FuncOp s : steps)
        s.erase();
      return failure();
    }
    steps.push_back(*step);
  }
  func::FuncOp eval = buildEval(*roles);
  module.getBody()->push_back(eval);
  for (func::FuncOp step : steps)
    module.getBody()->push_back(step);
  pruneForwardFn(*roles, /*hasLoss=*/true);
  return success();
}

LogicalResult loom::pruneForward(ModuleOp module) {
  FailureOr<ForwardRoles> roles = readForward(module, /*needLoss=*/false);
  if (failed(roles))
    return failure();
  pruneForwardFn(*roles, hasLossResult(roles->fn));
  return success();
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {
struct LoomTrainingEntries
    : loom::impl::LoomTrainingEntriesBase<LoomTrainingEntries> {
  using Base::Base;
  void runOnOperation() override {
    std::optional<Optimizer> kind = parseOptimizer(optimizer);
    if (!kind) {
      getOperation().emitError("unknown optimizer '")
          << optimizer << "' (expected sgd, momentum, adam or adamw)";
      return signalPassFailure();
    }
    TrainingOptions o;
    o.optimizer = *kind;
    o.momentum = momentum;
    o.nesterov = nesterov;
    o.beta1 = beta1;
    o.beta2 = beta2;
    o.eps = eps;
    o.weightDecay = weightDecay;
    o.clipNorm = clipNorm;
    if (failed(buildTrainingEntries(getOperation(), o)))
      signalPassFailure();
  }
};
} // namespace
