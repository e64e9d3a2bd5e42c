//===- SessionCheckpoint.cpp - A session's state to and from safetensors --===//
//
// See SessionCheckpoint.h.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/SessionCheckpoint.h"

#include "loom/rt/core/Checkpoint.h"

#include <cstdlib>

namespace loom::rt {

Status loadSessionCheckpoint(Session &s, const std::string &path,
                             OptimizerStateLoad state,
                             std::map<std::string, std::string> *metadata,
                             const std::string &modelName) {
  std::map<std::string, HostTensor> tensors;
  std::map<std::string, std::string> meta;
  if (Status st = loadCheckpoint(path, tensors, &meta); !st)
    return st;
  const std::string prefix = kOptimizerStatePrefix;
  bool withState = state == OptimizerStateLoad::Required;
  if (state == OptimizerStateLoad::IfPresent) {
    withState = !s.stateNames().empty();
    for (const std::string &name : s.stateNames())
      withState = withState && tensors.count(prefix + name);
  }
  std::vector<std::pair<std::string, TensorType>> expected;
  for (const ParamInfo &p : s.executable().params)
    expected.push_back({p.name, p.type});
  if (withState)
    for (const std::string &name : s.stateNames())
      expected.push_back({prefix + name, s.state(name)->type()});
  // Optimizer state is extra (and fine) when only the weights are wanted.
  std::map<std::string, HostTensor> checked;
  for (auto &[name, t] : tensors)
    if (withState || name.rfind(prefix, 0) != 0)
      checked[name] = std::move(t);
  if (Status st = checkTensorsMatch(
          path, checked, expected, /*allowExtra=*/false,
          modelName.empty() ? s.executable().modelName : modelName);
      !st)
    return st;
  // Everything checked: nothing below can fail on a type.
  for (const ParamInfo &p : s.executable().params)
    if (Status st = s.setParam(p.name, std::move(checked[p.name])); !st)
      return st;
  if (withState) {
    for (const std::string &name : s.stateNames())
      if (Status st = s.setState(name, std::move(checked[prefix + name])); !st)
        return st;
    auto step = meta.find("loom.step");
    char *end = nullptr;
    if (step != meta.end()) {
      long long v = std::strtoll(step->second.c_str(), &end, 10);
      if (!step->second.empty() && *end == '\0')
        s.setStep(v);
    }
  }
  if (metadata)
    *metadata = std::move(meta);
  return Status::ok();
}

Status saveSessionCheckpoint(const Session &s, const std::string &path,
                             std::map<std::string, std::string> metadata) {
  std::vector<std::string> stateNames = s.stateNames();
  std::vector<std::string> keys;
  for (const std::string &name : stateNames)
    keys.push_back(kOptimizerStatePrefix + name);
  std::vector<std::pair<std::string, const HostTensor *>> tensors;
  for (const ParamInfo &p : s.executable().params)
    tensors.push_back({p.name, s.param(p.name)});
  for (size_t i = 0; i < stateNames.size(); ++i)
    tensors.push_back({keys[i], s.state(stateNames[i])});
  metadata["loom.model"] = s.executable().modelName;
  metadata["loom.step"] = std::to_string(s.step());
  return saveCheckpoint(path, tensors, metadata);
}

} // namespace loom::rt
