//===- LossGroups.h - Several losses, each over its own parameters --------===//
//
// A model may declare several losses, each trained over its own group of
// parameters (a GAN's discriminator and generator): in the DSL
// `loss(d, {.name = "discriminator", .params = {"disc."}})`, in the IR a
// @forward result `{loom.loss = "discriminator",
// loom.loss_params = ["disc."]}`. -loom-training-entries then builds one
// @train_step_<name> per group. The rules of what makes a valid set of
// groups live here, header-only and free of MLIR, so the DSL (which reports
// them at the user's loss() line) and the pass (which reports them on
// hand-written IR) apply the same ones.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cctype>
#include <optional>
#include <string>
#include <vector>

namespace loom {

struct LossGroupSpec {
  std::string name;
  /// Parameter-name prefixes ("gen." covers gen.fc1.weight, ...), like
  /// TrainingOptions::freeze.
  std::vector<std::string> prefixes;
};

/// What is wrong with a set of groups, and which group it is about.
struct LossGroupProblem {
  size_t group;
  std::string message;
};

/// Entry names, CSV columns and output names are made from a group's
/// name, so it is an identifier: letters, digits and '_'.
inline bool isLossGroupName(const std::string &name) {
  if (name.empty())
    return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  return true;
}

/// Assigns each of `params` to the group whose prefixes cover it
/// (owner[i] = group index, or -1 for none). Checked: names are
/// identifiers and distinct, every group lists a prefix, every prefix
/// covers some parameter, no parameter is in two groups. Whether every
/// trainable parameter is covered is the caller's question (freezing
/// happens later).
inline std::optional<LossGroupProblem>
assignLossGroups(const std::vector<LossGroupSpec> &groups,
                 const std::vector<std::string> &params,
                 std::vector<int> &owner) {
  owner.assign(params.size(), -1);
  for (size_t g = 0; g < groups.size(); ++g) {
    const LossGroupSpec &group = groups[g];
    if (!isLossGroupName(group.name))
      return LossGroupProblem{
          g, "loss name '" + group.name +
                 "' must be letters, digits and '_' (it names the train "
                 "step and the reported loss)"};
    for (size_t h = 0; h < g; ++h)
      if (groups[h].name == group.name)
        return LossGroupProblem{g, "a loss named '" + group.name +
                                       "' was already declared"};
    if (group.prefixes.empty())
      return LossGroupProblem{
          g, "loss '" + group.name +
                 "' names no parameters; in a model with several losses "
                 "each lists the prefixes of the parameters it trains "
                 "(.params = {\"gen.\"})"};
    for (const std::string &prefix : group.prefixes) {
      bool matched = false;
      for (size_t p = 0; p < params.size(); ++p) {
        if (params[p].rfind(prefix, 0) != 0)
          continue;
        matched = true;
        if (owner[p] >= 0 && owner[p] != int(g))
          return LossGroupProblem{
              g, "parameter '" + params[p] + "' is in the groups of loss '" +
                     groups[size_t(owner[p])].name + "' and loss '" +
                     group.name + "'; each parameter is trained by one loss"};
        owner[p] = int(g);
      }
      if (!matched)
        return LossGroupProblem{g, "loss '" + group.name +
                                       "': no parameter "
                                       "name starts with '" +
                                       prefix + "'"};
    }
  }
  return std::nullopt;
}

} // namespace loom
