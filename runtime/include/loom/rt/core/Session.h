//===- Session.h - A compiled model with its parameters, ready to run ----===//
//
// A Session pairs an Executable (code plus its argument layout) with the
// values it runs on: the parameters, the optimizer state and the count of
// training steps taken. It initializes every parameter from the seed and
// every optimizer state to zero, lets callers replace them (a loaded
// checkpoint), and runs entry points on named input tensors, validating
// every name and type first so a mistake is a Status naming the tensor
// rather than a crash inside generated code.
//
// Training entries return the new parameters and states as results
// (ArgKind::ParamUpdate / StateUpdate). The session adopts them by swapping
// buffers: each entry gets one buffer per update the first time it runs,
// the call writes the new values there, and the swap hands the old values'
// storage back as next call's update buffers. A training loop therefore
// allocates nothing for its parameters and states after its first step.
//
// Thread safety: a Session is thread-compatible: calls on one session must
// be serialized by the caller (train steps replace parameters); distinct
// sessions are independent.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Executable.h"
#include "loom/rt/core/Tensor.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace loom::rt {

class Session {
public:
  /// Initializes every parameter (see Initializers.h) and every optimizer
  /// state (zeros), and checks that each entry's Param/ParamUpdate and
  /// State/StateUpdate arguments name a declared one of the same type and
  /// that its Hyper arguments are rank-0 f32.
  static Status create(std::shared_ptr<const Executable> executable,
                       uint64_t seed, std::unique_ptr<Session> &out);

  const Executable &executable() const { return *executable_; }
  uint64_t seed() const { return seed_; }

  /// The current value of a parameter, or nullptr for an unknown name.
  const HostTensor *param(const std::string &name) const;

  /// Replaces a parameter. The value must have exactly the declared type;
  /// errors name the parameter and both types.
  Status setParam(const std::string &name, HostTensor value);

  /// The current value of an optimizer state ("fc.weight.m"), or nullptr
  /// for an unknown name.
  const HostTensor *state(const std::string &name) const;
  /// Replaces an optimizer state (a resumed run); checked like setParam.
  Status setState(const std::string &name, HostTensor value);
  /// Every optimizer state, in the executable's order.
  std::vector<std::string> stateNames() const;

  /// Training steps taken so far (0 for a new session). trainStep passes
  /// step() + 1 to the entry and counts only steps whose updates it adopted;
  /// setStep restores the count when resuming from a checkpoint.
  int64_t step() const { return step_; }
  void setStep(int64_t step) { step_ = step; }

  /// Runs `entry`. `inputs` must hold exactly the entry's Input arguments,
  /// each of exactly its declared type, and `hypers` exactly its Hyper
  /// arguments (passed as rank-0 f32). `outputs` is cleared, then receives
  /// one freshly allocated tensor per Output argument. ParamUpdate and
  /// StateUpdate results are not returned: they become the session's new
  /// parameter and state values (see the file comment).
  Status run(const std::string &entry,
             const std::map<std::string, HostTensor> &inputs,
             std::map<std::string, HostTensor> &outputs,
             const std::map<std::string, double> &hypers = {});

  /// The same, borrowing the inputs instead of holding them in the map (the
  /// C API uses it to avoid copies). Null pointers are rejected.
  Status run(const std::string &entry,
             const std::map<std::string, const HostTensor *> &inputs,
             std::map<std::string, HostTensor> &outputs,
             const std::map<std::string, double> &hypers = {});

  /// One optimizer step: runs the "train_step" entry on `batch` with
  /// hyperparameters lr = `lr` and (if the entry takes it) step = step() + 1,
  /// and fills `lossAndMetrics` with its outputs ("loss" and the metrics).
  /// If the loss is NaN or infinite, the updates are dropped, the step count
  /// is unchanged and the error reads "non-finite loss (nan) at step 123":
  /// the session keeps the last good parameters and state.
  Status trainStep(const std::map<std::string, HostTensor> &batch, double lr,
                   std::map<std::string, HostTensor> &lossAndMetrics);

  /// The same for a model with several losses: runs the step of one loss
  /// group (entry "train_step_NAME", whose loss output is "NAME_loss").
  /// With `advance` false the step count stays, so the groups' steps on
  /// one batch all see step() + 1 (each group's optimizer counts its own
  /// steps, as each torch.optim optimizer does); the caller advances it
  /// with setStep after the last group.
  Status trainStep(const std::string &entry, const std::string &lossOutput,
                   const std::map<std::string, HostTensor> &batch, double lr,
                   std::map<std::string, HostTensor> &outputs, bool advance);

private:
  Session(std::shared_ptr<const Executable> executable, uint64_t seed)
      : executable_(std::move(executable)), seed_(seed) {}

  /// Buffers an entry reuses from call to call: one per ParamUpdate or
  /// StateUpdate argument and one per Hyper argument, in argument order.
  struct EntryScratch {
    std::vector<HostTensor> updates;
    std::vector<HostTensor> hypers;
    HostTensor workspace; // EntryPoint::workspaceBytes, as f32 words
  };

  /// run() without adopting the updates: they are left in the entry's
  /// scratch buffers, for adoptUpdates() or to be overwritten.
  Status call(const std::string &entry,
              const std::map<std::string, const HostTensor *> &inputs,
              std::map<std::string, HostTensor> &outputs,
              const std::map<std::string, double> &hypers,
              const EntryPoint *&called);
  void adoptUpdates(const EntryPoint &entry);

  std::shared_ptr<const Executable> executable_;
  uint64_t seed_;
  std::map<std::string, HostTensor> params_;
  std::map<std::string, HostTensor> states_;
  std::map<std::string, EntryScratch> scratch_;
  int64_t step_ = 0;
};

} // namespace loom::rt
