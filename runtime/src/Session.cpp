//===- Session.cpp - Validate arguments and call compiled entry points ---===//
//
// run() is the boundary between typed, named C++ tensors and generated code
// that trusts every byte it is given. It checks names and types against the
// entry's ArgSpecs, allocates outputs, builds one memref descriptor per
// argument and makes the packed call. Errors list what would have been
// valid (entry names, input names) so a typo is a one-step fix.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/Session.h"

#include "MemRef.h"
#include "loom/rt/Initializers.h"

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

std::vector<std::string> inputNames(const EntryPoint &e) {
  std::vector<std::string> names;
  for (const ArgSpec &a : e.args)
    if (a.kind == ArgKind::Input)
      names.push_back(a.name);
  return names;
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
  /// Checked once here rather than on every run: a mismatch is a compiler
  /// bug, and run() can then trust every Param argument.
  for (const EntryPoint &e : executable->entries) {
    for (const ArgSpec &a : e.args) {
      if (a.kind != ArgKind::Param)
        continue;
      const ParamInfo *p = executable->findParam(a.name);
      if (!p)
        return Status::error("entry '" + e.name +
                             "' takes unknown parameter '" + a.name + "'");
      if (!(p->type == a.type))
        return Status::error("entry '" + e.name + "' takes parameter '" +
                             a.name + "' as " + a.type.str() +
                             ", but it is declared " + p->type.str());
    }
  }
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

Status Session::run(const std::string &entryName,
                    const std::map<std::string, HostTensor> &inputs,
                    std::map<std::string, HostTensor> &outputs) {
  std::map<std::string, const HostTensor *> borrowed;
  for (const auto &[name, tensor] : inputs)
    borrowed.emplace(name, &tensor);
  return run(entryName, borrowed, outputs);
}

Status Session::run(const std::string &entryName,
                    const std::map<std::string, const HostTensor *> &inputs,
                    std::map<std::string, HostTensor> &outputs) {
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
  std::vector<std::string> expected = inputNames(*entry);
  for (const auto &input : inputs) {
    const std::string &name = input.first;
    bool known = false;
    for (const std::string &n : expected)
      known |= n == name;
    if (!known)
      return Status::error(
          "unknown input '" + name + "' for entry '" + entryName +
          "' (the model's inputs: " + joinNames(expected) + ")");
  }

  std::map<std::string, HostTensor> results;
  std::vector<MemRefDescriptor> descs;
  descs.reserve(entry->args.size());
  try {
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
      case ArgKind::Param: {
        HostTensor *t = &params_.at(a.name); // checked in create()
        data = t->data();
        break;
      }
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
  entry->fn(args.data());
  outputs = std::move(results);
  return Status::ok();
}

} // namespace loom::rt
