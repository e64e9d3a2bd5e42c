//===- ModelContext.h - State of the model being built (DSL internal) -------===//
//
// The DSL's free functions act on the model currently being built: its
// builder, the func.func under construction, the table from Tensor handles
// to MLIR values, and the names declared so far. One model is built at a
// time per thread.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "DSL/ModelBuilder.h"
#include "loom/loom.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringSet.h"

namespace loom::dsl {

struct ModelContext {
  mlir::MLIRContext *ctx;
  mlir::OpBuilder builder;
  mlir::func::FuncOp func;
  int64_t batchSize;
  std::vector<mlir::Value> values;
  llvm::StringSet<> names; // inputs, params and outputs share one namespace
  std::vector<mlir::DictionaryAttr> argAttrs;
  std::vector<std::pair<std::string, mlir::Value>> outputs;
  /// The losses declared with loss(), in order; the location is the
  /// loss() call, for errors found once all parameters exist.
  struct LossDecl {
    mlir::Value value;
    LossOptions options;
    Loc loc;
  };
  std::vector<LossDecl> losses;
  std::vector<std::pair<std::string, mlir::Value>> metrics;
  std::vector<std::pair<std::string, mlir::Value>> paramUpdates;
  int dropoutCounter = 0; // default dropout seeds, in model order
  int randomCounter = 0;  // default random_normal seeds, likewise
  ModelInterface interface;
  int layerCounter = 0;
  bool failed = false;

  ModelContext(mlir::MLIRContext *ctx, int64_t batchSize)
      : ctx(ctx), builder(ctx), batchSize(batchSize) {}

  mlir::Location loc(const Loc &l);
  Tensor wrap(mlir::Value v);
  /// The value of `t`, or null if `t` is invalid (an earlier error).
  mlir::Value get(Tensor t) const;
  /// Reports an error at the user's line; the model build fails.
  void error(const Loc &l, const llvm::Twine &message);
  mlir::Type f32() { return builder.getF32Type(); }
  /// A layer's name: the one the user gave, or KIND<n> (conv0, bn1, ...).
  std::string layerName(const std::string &given, const std::string &kind) {
    return given.empty() ? kind + std::to_string(layerCounter++) : given;
  }
};

/// The model being built on this thread, or null (after reporting an error
/// at `l`) if DSL functions are called outside of a model build.
ModelContext *current(const Loc &l);

/// The value of `x` in the current model, or null: an earlier error, or an
/// empty Tensor, which this reports (once per model).
inline mlir::Value operandOf(ModelContext *mc, Tensor x, const Loc &loc) {
  if (!mc)
    return {};
  mlir::Value v = mc->get(x);
  if (!v && !mc->failed)
    mc->error(loc, "operand is an empty Tensor (never assigned a value)");
  return v;
}

/// The result of a rule that may fail (the failure already reported).
inline Tensor wrapOrFail(ModelContext *mc, mlir::FailureOr<mlir::Value> v) {
  if (mlir::failed(v)) {
    mc->failed = true;
    return {};
  }
  return mc->wrap(*v);
}

/// Runs `fn` on the operands' values at the user's location. An invalid
/// operand (from an earlier error) makes the result invalid without a new
/// message.
template <typename Fn>
Tensor build(const Loc &loc, std::initializer_list<Tensor> operands, Fn &&fn) {
  ModelContext *mc = current(loc);
  if (!mc)
    return {};
  llvm::SmallVector<mlir::Value> values;
  for (Tensor t : operands) {
    mlir::Value v = operandOf(mc, t, loc);
    if (!v)
      return {};
    values.push_back(v);
  }
  mlir::FailureOr<mlir::Value> result = fn(*mc, mc->loc(loc), values);
  if (mlir::failed(result)) {
    mc->failed = true;
    return {};
  }
  return mc->wrap(*result);
}

/// PyTorch's default layer initialization for a weight whose fan-in (as
/// torch.nn.init computes it) is `fanIn`: U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
init::Init torchDefault(int64_t fanIn);

/// A layer's weight and bias initializers with init::torch_default()
/// resolved against the weight's fan-in, so the graph records concrete
/// uniform bounds. An unset bias initializer is zeros, or the fan-in
/// uniform when the weight's is torch_default (nn.Linear and nn.Conv2d's
/// reset_parameters draw the bias with the weight's fan-in).
struct LayerInits {
  init::Init weight, bias;
};
LayerInits layerInits(const init::Init &weight,
                      const std::optional<init::Init> &bias, int64_t fanIn);

/// dense, linear and torch_linear: y = x W + b over the last dimension of
/// x, with W [in, out], or with `outIn` PyTorch's W [out, in] and
/// y = x W^T + b. `layer` names the caller in errors; `prefix` makes the
/// default layer name (dense0, linear1, ...).
struct LinearLayout {
  const char *layer = "dense";
  const char *prefix = "dense";
  bool outIn = false;
};
Tensor linearLayer(Tensor x, const DenseOptions &options, LinearLayout layout,
                   const Loc &loc);

/// Records that result `value` is the new value of the non-trainable
/// parameter `name` (batch_norm's running statistics): @train_step returns
/// it as the parameter's update; @forward and @eval drop it.
void updateParam(ModelContext &mc, const std::string &name, mlir::Value value);

} // namespace loom::dsl
