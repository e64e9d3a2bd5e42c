//===- Training.h - Compiled training steps built from @forward -----------===//
//
// A model whose @forward returns a loss (result attribute `loom.loss`) and
// metrics (`loom.metric = "name"`) besides its outputs is turned into three
// entry points: @eval (loss and metrics), @train_step (forward, loss,
// gradients and the optimizer update in one function) and a pruned @forward
// (outputs only). Everything is built from loom ops, so the ordinary
// pipeline lowers it. -loom-training-entries wraps buildTrainingEntries for
// loom-opt and lit.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace loom {

/// The optimizer and its constants, named and defaulted like PyTorch's
/// torch.optim. The learning rate is not here: it is a run-time argument of
/// @train_step, so a schedule never recompiles.
struct TrainingOptions {
  enum class Optimizer {
    SGD,      // p -= lr * g
    Momentum, // torch.optim.SGD(momentum, nesterov), dampening 0
    Adam,     // torch.optim.Adam, bias-corrected with the 1-based step
    AdamW,    // torch.optim.AdamW: decoupled weight decay
  };
  Optimizer optimizer = Optimizer::SGD;
  double momentum = 0.9;
  bool nesterov = false;
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  /// L2 added to the gradient (g += wd * p) for SGD, Momentum and Adam;
  /// for AdamW the decoupled p *= 1 - lr * wd.
  double weightDecay = 0.0;
  /// When > 0, every trainable gradient is scaled by
  /// min(1, clipNorm / (global L2 norm + 1e-6)) before the optimizer, as
  /// torch.nn.utils.clip_grad_norm_ does.
  double clipNorm = 0.0;
  /// Parameter-name prefixes to freeze ("conv" freezes conv1.weight,
  /// conv2.bias, ...): marked loom.trainable = false before the entries are
  /// built, so they get no gradient, state or update (transfer learning).
  /// A prefix that matches no parameter is an error.
  std::vector<std::string> freeze;
};

/// "sgd", "momentum", "adam", "adamw".
const char *optimizerName(TrainingOptions::Optimizer optimizer);
std::optional<TrainingOptions::Optimizer> parseOptimizer(llvm::StringRef name);

/// Optimizer state of each trainable parameter: its name suffixes, in the
/// order @train_step takes and returns them ("momentum" for Momentum; "m"
/// and "v" for Adam and AdamW; none for SGD). The state of parameter
/// "fc.weight" is "fc.weight.m", ...
llvm::SmallVector<llvm::StringRef, 2>
optimizerStateSuffixes(TrainingOptions::Optimizer optimizer);

/// Adds @eval and @train_step to `module` and prunes @forward:
///
///   @eval(inputs incl. labels, params) -> (loss, metrics...)
///   @train_step(inputs incl. labels, params, states...,
///               lr {loom.hyper = "lr"}, step {loom.hyper = "step"})
///       -> (loss, metrics..., new params {loom.param_update = P}...,
///           new states {loom.state_update = S}...)
///   @forward(inputs it still uses, every param) -> (loom.output results)
///
/// A model with several losses, each named (`loom.loss = "gen"`) with the
/// parameter-name prefixes it trains (`loom.loss_params = ["gen."]`), gets
/// one step per loss instead of @train_step, in declaration order:
///
///   @train_step_<name>(the same arguments, states of its group only)
///       -> (its loss, new params and states of its group only, and the
///           running statistics of its group's parameters)
///
/// and @eval returns every loss, then the metrics. Each trainable parameter
/// belongs to exactly one group (LossGroups.h has the rules).
///
/// Inputs and parameters keep @forward's order and attributes; states
/// (`loom.state = S`) follow, grouped by parameter. Frozen parameters
/// (`loom.trainable = false`) get no gradient, no state and no update.
/// `step` is 1-based (the count of steps including this one) and only Adam
/// and AdamW read it. Errors are diagnostics on @forward: no @forward, no
/// loss result, several unnamed ones, invalid loss groups, a non-scalar
/// loss, an existing @eval or
/// @train_step, invalid options, or an op without a gradient rule.
llvm::LogicalResult buildTrainingEntries(mlir::ModuleOp module,
                                         const TrainingOptions &options);

/// Only the pruning step: @forward keeps its `loom.output` results and drops
/// the arguments only the loss and metrics used (labels); parameters stay,
/// used or not, so every entry shares one parameter table. For running a
/// training model's forward pass without building the training entries.
llvm::LogicalResult pruneForward(mlir::ModuleOp module);

} // namespace loom
