//===- SignatureAttrs.h - Names of the attributes that describe entries ---===//
//
// A model's interface lives in the IR, as attributes on the arguments and
// results of its entry functions (see docs/design.md and Signature.cpp).
// The DSL and -loom-training-entries write them; the CPU target reads them
// into rt::Executable. One list, so writers and the reader cannot disagree.
//
//===----------------------------------------------------------------------===//
#pragma once

namespace loom::attrs {
// Arguments.
inline constexpr const char *kInput = "loom.input";         // user input
inline constexpr const char *kParam = "loom.param";         // parameter
inline constexpr const char *kInit = "loom.init";           // init dict
inline constexpr const char *kTrainable = "loom.trainable"; // bool
inline constexpr const char *kState = "loom.state";         // optimizer state
inline constexpr const char *kHyper = "loom.hyper";         // "lr", "step"
// Results.
inline constexpr const char *kOutput = "loom.output"; // named output
/// The loss: a unit attribute for a model's one loss, or the loss's name
/// when a model trains several losses, each over its own parameters.
inline constexpr const char *kLoss = "loom.loss";
/// With a named loss: the parameter-name prefixes it trains (string array).
inline constexpr const char *kLossParams = "loom.loss_params";
inline constexpr const char *kMetric = "loom.metric"; // metric name
inline constexpr const char *kParamUpdate = "loom.param_update"; // param name
inline constexpr const char *kStateUpdate = "loom.state_update"; // state name
} // namespace loom::attrs
