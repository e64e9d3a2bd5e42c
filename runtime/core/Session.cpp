//===- Session.cpp - Validate arguments and call compiled entry points ---===//
//
// run() is the boundary between typed, named C++ tensors and generated code
// that trusts every byte it is given. It checks names and types against the
// entry's ArgSpecs, allocates outputs, builds one memref descriptor per
// argument and makes the packed call; afterwards it adopts parameter and
// state updates by swapping them with the entry's reusable buffers. Errors
// list what would have been valid (entry names, input names) so a typo is a
// one-step fix.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/Session.h"

#include "MemRef.h"
#include "loom/rt/core/Initializers.h"
#include "loom/rt/core/RunErrors.h"

#include <algorithm>
#include <cmath>
#include <exception>

namespace loom::rt {

namespace {

std::string joinNames(const std::vector<std::string> &names) {
  if (names.empty())
    return "none";
  std::string s;
  for (size_t i = 0; i < names.size(); ++i)
    s += (i ? ", " : "") + names[i];
  return s;
}

std::vector<std::string> argNames(const EntryPoint &e, ArgKind kind) {
  std::vector<std::string> names;
  for (const ArgSpec &a : e.args)
    if (a.kind == kind)
      names.push_back(a.name);
  return names;
}

bool contains(const std::vector<std::string> &names, const std::string &n) {
  for (const std::string &m : names)
    if (m == n)
      return true;
  return false;
}

/// Checks one argument of `e` against the declared type of what it names.
Status checkDeclared(const EntryPoint &e, const ArgSpec &a, const char *what,
                     const TensorType *declared) {
  if (!declared)
    return Status::error("entry '" + e.name + "' takes unknown " + what + " '" +
                         a.name + "'");
  if (!(*declared == a.type))
    return Status::error("entry '" + e.name + "' takes " + what + " '" +
                         a.name + "' as " + a.type.str() +
                         ", but it is declared " + declared->str());
  return Status::ok();
}

/// The arguments of `e` that the session owns, checked once in create() so
/// that run() can trust them.
Status checkEntry(const Executable &exe, const EntryPoint &e) {
  std::vector<std::string> updated;
  for (const ArgSpec &a : e.args) {
    const ParamInfo *p = exe.findParam(a.name);
    const StateInfo *st = exe.findState(a.name);
    Status s;
    switch (a.kind) {
    case ArgKind::Input:
    case ArgKind::Output:
    case ArgKind::Workspace:
      break;
    case ArgKind::Param:
      s = checkDeclared(e, a, "parameter", p ? &p->type : nullptr);
      break;
    case ArgKind::ParamUpdate:
      s = checkDeclared(e, a, "parameter update", p ? &p->type : nullptr);
      break;
    case ArgKind::State:
      s = checkDeclared(e, a, "state", st ? &st->type : nullptr);
      break;
    case ArgKind::StateUpdate:
      s = checkDeclared(e, a, "state update", st ? &st->type : nullptr);
      break;
    case ArgKind::Hyper:
      if (!(a.type == TensorType{DType::F32, {}}))
        s = Status::error("entry '" + e.name + "' takes hyperparameter '" +
                          a.name + "' as " + a.type.str() +
                          ", but hyperparameters are f32[]");
      break;
    }
    if (!s)
      return s;
    if (a.kind == ArgKind::ParamUpdate || a.kind == ArgKind::StateUpdate) {
      if (contains(updated, a.name))
        return Status::error("entry '" + e.name + "' updates '" + a.name +
                             "' twice");
      updated.push_back(a.name);
    }
  }
  return Status::ok();
}

/// A map entry by name after create() has checked that it exists.
HostTensor &owned(std::map<std::string, HostTensor> &m,
                  const std::string &name) {
  return m.at(name);
}

} // namespace

Status Session::create(std::shared_ptr<const Executable> executable,
                       uint64_t seed, std::unique_ptr<Session> &out) {
  if (!executable)
    return Status::error("Session::create: null executable");
  std::unique_ptr<Session> s(new Session(executable, seed));
  for (const ParamInfo &p : executable->params) {
    if (s->params_.count(p.name))
      return Status::error("model '" + executable->modelName +
                           "' declares parameter '" + p.name + "' twice");
    HostTensor t;
    if (Status st = initializeParam(p, seed, t); !st)
      return st;
    s->params_.emplace(p.name, std::move(t));
  }
  for (const StateInfo &st : executable->states) {
    if (s->states_.count(st.name) || s->params_.count(st.name))
      return Status::error("model '" + executable->modelName +
                           "' declares optimizer state '" + st.name +
                           "' twice (or as a parameter too)");
    try {
      s->states_.emplace(st.name, HostTensor(st.type)); // zeros
    } catch (const std::exception &e) {
      return Status::error("optimizer state '" + st.name + "': " + e.what());
    }
  }
  /// Checked once here rather than on every run: a mismatch is a compiler
  /// bug, and run() can then trust every argument the session provides.
  for (const EntryPoint &e : executable->entries)
    if (Status st = checkEntry(*executable, e); !st)
      return st;
  out = std::move(s);
  return Status::ok();
}

const HostTensor *Session::param(const std::string &name) const {
  auto it = params_.find(name);
  return it == params_.end() ? nullptr : &it->second;
}

Status Session::setParam(const std::string &name, HostTensor value) {
  auto it = params_.find(name);
  if (it == params_.end()) {
    std::vector<std::string> names;
    for (const ParamInfo &p : executable_->params)
      names.push_back(p.name);
    return Status::error("unknown parameter '" + name +
                         "' (the model's parameters: " + joinNames(names) +
                         ")");
  }
  if (!value.hasStorage() || !(value.type() == it->second.type()))
    return Status::error(
        "parameter '" + name + "': expected " + it->second.type().str() +
        ", got " + (value.hasStorage() ? value.type().str() : "no tensor"));
  it->second = std::move(value);
  return Status::ok();
}

const HostTensor *Session::state(const std::string &name) const {
  auto it = states_.find(name);
  return it == states_.end() ? nullptr : &it->second;
}

Status Session::setState(const std::string &name, HostTensor value) {
  auto it = states_.find(name);
  if (it == states_.end())
    return Status::error("unknown optimizer state '" + name +
                         "' (the model's states: " + joinNames(stateNames()) +
                         ")");
  if (!value.hasStorage() || !(value.type() == it->second.type()))
    return Status::error(
        "optimizer state '" + name + "': expected " + it->second.type().str() +
        ", got " + (value.hasStorage() ? value.type().str() : "no tensor"));
  it->second = std::move(value);
  return Status::ok();
}

std::vector<std::string> Session::stateNames() const {
  std::vector<std::string> names;
  for (const StateInfo &st : executable_->states)
    names.push_back(st.name);
  return names;
}

Status Session::run(const std::string &entryName,
                    const std::map<std::string, HostTensor> &inputs,
                    std::map<std::string, HostTensor> &outputs,
                    const std::map<std::string, double> &hypers) {
  std::map<std::string, const HostTensor *> borrowed;
  for (const auto &[name, tensor] : inputs)
    borrowed.emplace(name, &tensor);
  return run(entryName, borrowed, outputs, hypers);
}

Status Session::run(const std::string &entryName,
                    const std::map<std::string, const HostTensor *> &inputs,
                    std::map<std::string, HostTensor> &outputs,
                    const std::map<std::string, double> &hypers) {
  const EntryPoint *entry = nullptr;
  if (Status s = call(entryName, inputs, outputs, hypers, entry); !s)
    return s;
  adoptUpdates(*entry);
  return Status::ok();
}

Status Session::trainStep(const std::map<std::string, HostTensor> &batch,
                          double lr,
                          std::map<std::string, HostTensor> &lossAndMetrics) {
  return trainStep("train_step", "loss", batch, lr, lossAndMetrics,
                   /*advance=*/true);
}

Status Session::trainStep(const std::string &entryName,
                          const std::string &lossOutput,
                          const std::map<std::string, HostTensor> &batch,
                          double lr,
                          std::map<std::string, HostTensor> &lossAndMetrics,
                          bool advance) {
  std::map<std::string, double> hypers = {{"lr", lr}};
  if (const EntryPoint *e = executable_->findEntry(entryName))
    if (contains(argNames(*e, ArgKind::Hyper), "step"))
      hypers["step"] = double(step_ + 1); // 1-based, like PyTorch's
  std::map<std::string, const HostTensor *> borrowed;
  for (const auto &[name, tensor] : batch)
    borrowed.emplace(name, &tensor);
  const EntryPoint *entry = nullptr;
  if (Status s = call(entryName, borrowed, lossAndMetrics, hypers, entry); !s)
    return s;
  auto loss = lossAndMetrics.find(lossOutput);
  if (loss == lossAndMetrics.end() || loss->second.numElements() != 1)
    return Status::error("entry '" + entryName +
                         "' has no scalar output named '" + lossOutput + "'");
  double value = loss->second.at(0);
  if (!std::isfinite(value))
    return Status::error("non-finite " + lossOutput + " (" +
                         (std::isnan(value) ? "nan"
                          : value > 0       ? "inf"
                                            : "-inf") +
                         ") at step " + std::to_string(step_ + 1));
  adoptUpdates(*entry);
  if (advance)
    ++step_;
  return Status::ok();
}

Status Session::call(const std::string &entryName,
                     const std::map<std::string, const HostTensor *> &inputs,
                     std::map<std::string, HostTensor> &outputs,
                     const std::map<std::string, double> &hypers,
                     const EntryPoint *&called) {
  outputs.clear();
  const EntryPoint *entry = executable_->findEntry(entryName);
  if (!entry) {
    std::vector<std::string> names;
    for (const EntryPoint &e : executable_->entries)
      names.push_back(e.name);
    return Status::error("model '" + executable_->modelName +
                         "' has no entry '" + entryName +
                         "' (entries: " + joinNames(names) + ")");
  }
  if (!entry->fn)
    return Status::error("entry '" + entryName + "' has no compiled function");

  /// Unknown names first: a misspelt input also shows up as a missing one,
  /// and the unknown-name message is the one that lists the right spelling.
  std::vector<std::string> expected = argNames(*entry, ArgKind::Input);
  for (const auto &input : inputs)
    if (!contains(expected, input.first))
      return Status::error(
          "unknown input '" + input.first + "' for entry '" + entryName +
          "' (the model's inputs: " + joinNames(expected) + ")");
  std::vector<std::string> hyperNames = argNames(*entry, ArgKind::Hyper);
  for (const auto &hyper : hypers)
    if (!contains(hyperNames, hyper.first))
      return Status::error(
          "unknown hyperparameter '" + hyper.first + "' for entry '" +
          entryName + "' (its hyperparameters: " + joinNames(hyperNames) + ")");

  std::map<std::string, HostTensor> results;
  std::vector<MemRefDescriptor> descs;
  descs.reserve(entry->args.size());
  try {
    /// Allocated on the entry's first call only; see the file comment.
    EntryScratch &scratch = scratch_[entryName];
    if (scratch.updates.empty() && scratch.hypers.empty() &&
        !scratch.workspace.hasStorage()) {
      for (const ArgSpec &a : entry->args) {
        if (a.kind == ArgKind::ParamUpdate || a.kind == ArgKind::StateUpdate)
          scratch.updates.emplace_back(a.type);
        else if (a.kind == ArgKind::Hyper)
          scratch.hypers.emplace_back(a.type);
      }
      // At least one word, so the descriptor points at real storage.
      int64_t words = std::max<int64_t>(1, (entry->workspaceBytes + 3) / 4);
      scratch.workspace = HostTensor(TensorType{DType::F32, {words}});
    }
    size_t update = 0, hyper = 0;
    for (const ArgSpec &a : entry->args) {
      void *data = nullptr;
      switch (a.kind) {
      case ArgKind::Input: {
        auto it = inputs.find(a.name);
        if (it == inputs.end())
          return Status::error("missing input '" + a.name + "' (" +
                               a.type.str() + ") for entry '" + entryName +
                               "'");
        const HostTensor *t = it->second;
        if (!t || !t->hasStorage() || !(t->type() == a.type))
          return Status::error(
              "input '" + a.name + "': expected " + a.type.str() + ", got " +
              (t && t->hasStorage() ? t->type().str() : "an empty tensor"));
        /// Generated code does not write its inputs; the cast only meets the
        /// descriptor's untyped pointer field.
        data = const_cast<void *>(t->data());
        break;
      }
      case ArgKind::Param:
        data = owned(params_, a.name).data(); // checked in create()
        break;
      case ArgKind::State:
        data = owned(states_, a.name).data();
        break;
      case ArgKind::ParamUpdate:
      case ArgKind::StateUpdate:
        data = scratch.updates[update++].data();
        break;
      case ArgKind::Hyper: {
        auto it = hypers.find(a.name);
        if (it == hypers.end())
          return Status::error("missing hyperparameter '" + a.name +
                               "' for entry '" + entryName + "'");
        HostTensor &t = scratch.hypers[hyper++];
        t.set(0, it->second);
        data = t.data();
        break;
      }
      case ArgKind::Workspace:
        descs.emplace_back(scratch.workspace.data(),
                           std::vector<int64_t>{entry->workspaceBytes});
        continue;
      case ArgKind::Output: {
        auto [it, inserted] = results.emplace(a.name, HostTensor(a.type));
        if (!inserted)
          return Status::error("entry '" + entryName + "' names output '" +
                               a.name + "' twice");
        data = it->second.data();
        break;
      }
      }
      descs.emplace_back(data, a.type.shape);
    }
  } catch (const std::exception &e) {
    return Status::error("entry '" + entryName + "': " + e.what());
  }

  /// The packed convention: args[i] points at the i-th argument's value, and
  /// each argument's value is a pointer to its descriptor.
  std::vector<void *> descPtrs(descs.size());
  std::vector<void *> args(descs.size());
  for (size_t i = 0; i < descs.size(); ++i) {
    descPtrs[i] = descs[i].get();
    args[i] = &descPtrs[i];
  }
  /// Errors generated code reports (an index out of range) fail the call:
  /// its results are dropped and its updates not adopted (RunErrors.h).
  clearRunError();
  entry->fn(args.data());
  if (std::optional<std::string> error = takeRunError())
    return Status::error(*error);
  outputs = std::move(results);
  called = entry;
  return Status::ok();
}

void Session::adoptUpdates(const EntryPoint &entry) {
  auto it = scratch_.find(entry.name);
  if (it == scratch_.end())
    return;
  size_t update = 0;
  for (const ArgSpec &a : entry.args) {
    if (a.kind == ArgKind::ParamUpdate)
      std::swap(owned(params_, a.name), it->second.updates[update++]);
    else if (a.kind == ArgKind::StateUpdate)
      std::swap(owned(states_, a.name), it->second.updates[update++]);
  }
}

} // namespace loom::rt
