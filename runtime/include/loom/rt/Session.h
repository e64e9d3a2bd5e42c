//===- Session.h - A compiled model with its parameters, ready to run ----===//
//
// A Session pairs an Executable (code plus its argument layout) with the
// parameter values it runs on. It initializes every parameter from the seed,
// lets callers replace them (a loaded checkpoint), and runs entry points on
// named input tensors, validating every name and type first so a mistake is
// a Status naming the tensor rather than a crash inside generated code.
//
// Thread safety: a Session is thread-compatible: calls on one session must
// be serialized by the caller (a future train_step entry updates parameters
// in place); distinct sessions are independent.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/Executable.h"
#include "loom/rt/Tensor.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace loom::rt {

class Session {
public:
  /// Initializes every parameter (see Initializers.h) and checks that each
  /// entry's Param arguments name a parameter of the same type.
  static Status create(std::shared_ptr<const Executable> executable,
                       uint64_t seed, std::unique_ptr<Session> &out);

  const Executable &executable() const { return *executable_; }
  uint64_t seed() const { return seed_; }

  /// The current value of a parameter, or nullptr for an unknown name.
  const HostTensor *param(const std::string &name) const;

  /// Replaces a parameter. The value must have exactly the declared type;
  /// errors name the parameter and both types.
  Status setParam(const std::string &name, HostTensor value);

  /// Runs `entry`. `inputs` must hold exactly the entry's Input arguments,
  /// each of exactly its declared type. `outputs` is cleared, then receives
  /// one freshly allocated tensor per Output argument.
  Status run(const std::string &entry,
             const std::map<std::string, HostTensor> &inputs,
             std::map<std::string, HostTensor> &outputs);

  /// The same, borrowing the inputs instead of holding them in the map (the
  /// C API uses it to avoid copies). Null pointers are rejected.
  Status run(const std::string &entry,
             const std::map<std::string, const HostTensor *> &inputs,
             std::map<std::string, HostTensor> &outputs);

private:
  Session(std::shared_ptr<const Executable> executable, uint64_t seed)
      : executable_(std::move(executable)), seed_(seed) {}

  std::shared_ptr<const Executable> executable_;
  uint64_t seed_;
  std::map<std::string, HostTensor> params_;
};

} // namespace loom::rt
