//===- TrainConfig.cpp - A training run's settings, checked and written out -===//
//
// See TrainConfig.h. The description is built from the same values the run
// uses (the parsed arguments, the loaded splits, the compiled parameter
// table), never from a second copy of the defaults.
//
//===----------------------------------------------------------------------===//
#include "TrainConfig.h"
#include "NumberText.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <cstdio>

using namespace llvm;
namespace rt = loom::rt;

namespace loomc {
namespace {

/// Single-quoted for a POSIX shell when it holds anything but plain
/// characters.
std::string shellWord(const std::string &s) {
  bool plain = !s.empty() && llvm::all_of(s, [](char c) {
    return isAlnum(c) || StringRef("-_./=:,+@%").contains(c);
  });
  if (plain)
    return s;
  std::string q = "'";
  for (char c : s)
    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

bool usesMomentum(const std::string &o) {
  return o == "momentum" || o == "nesterov";
}
bool usesBetas(const std::string &o) { return o == "adam" || o == "adamw"; }

} // namespace

Error checkTrainFlags(const TrainArgs &a) {
  auto given = [&](const char *flag) { return a.given.count(flag) > 0; };
  auto unused = [&](const char *flag, const char *users) {
    return createStringError("--" + std::string(flag) + " is not used by "
                             "--optimizer " + a.optimizer + " (it is for " +
                             users + "); drop it or choose one of those");
  };
  if (given("momentum") && !usesMomentum(a.optimizer))
    return unused("momentum", "momentum and nesterov");
  for (const char *beta : {"beta1", "beta2"})
    if (given(beta) && !usesBetas(a.optimizer))
      return unused(beta, "adam and adamw");
  for (const char *flag : {"temperature", "prompt"})
    if (given(flag) && a.generate <= 0)
      return createStringError("--" + std::string(flag) +
                               " is for the text that --generate N writes "
                               "after training; without --generate it "
                               "would be ignored");
  if (a.keep != "" && a.keep != "best" && a.keep != "last")
    return createStringError("--keep must be best or last, not '" + a.keep +
                             "'");
  if (a.save != "both" && a.save != "best" && a.save != "last")
    return createStringError("--save must be last, best or both, not '" +
                             a.save + "'");
  if (a.saveEvery < 0)
    return createStringError("--save-every must be at least 1 (or 0 for "
                             "the default policy)");
  if (a.checkpoint.empty())
    for (const char *flag : {"save", "save-every"})
      if (given(flag))
        return createStringError("--" + std::string(flag) +
                                 " says how checkpoints are written, but no "
                                 "--checkpoint FILE is given");
  return Error::success();
}

std::string repeatCommand(const TrainArgs &a) {
  std::string c = "loomc train " + shellWord(a.model.file);
  if (!a.model.model.empty())
    c += " --model " + shellWord(a.model.model);
  c += " --data " + shellWord(a.data);
  c += " --epochs " + std::to_string(a.epochs);
  c += " --batch " + std::to_string(a.batch);
  c += " --optimizer " + a.optimizer;
  c += " --lr " + shortNumber(a.lr);
  c += " --schedule " + shellWord(a.schedule);
  if (usesMomentum(a.optimizer))
    c += " --momentum " + shortNumber(a.momentum);
  if (usesBetas(a.optimizer))
    c += " --beta1 " + shortNumber(a.beta1) + " --beta2 " + shortNumber(a.beta2);
  c += " --weight-decay " + shortNumber(a.weightDecay);
  c += " --clip-norm " + shortNumber(a.clipNorm);
  c += " --seed " + std::to_string(a.seed);
  if (a.valFraction)
    c += " --val-fraction " + shortNumber(*a.valFraction);
  if (a.testFraction)
    c += " --test-fraction " + shortNumber(*a.testFraction);
  c += std::string(" --shuffle=") + (a.shuffle ? "true" : "false");
  if (a.patience > 0)
    c += " --early-stopping " + std::to_string(a.patience);
  if (!a.keep.empty())
    c += " --keep " + a.keep;
  if (!a.freeze.empty())
    c += " --freeze " + shellWord(join(a.freeze, ","));
  if (!a.losses.empty())
    c += " --losses " + shellWord(join(a.losses, ","));
  if (!a.init.empty())
    c += " --init " + shellWord(a.init) + (a.initPartial ? " --init-partial" : "");
  return c;
}

std::string describeInitializer(const rt::Initializer &init) {
  using K = rt::Initializer::Kind;
  std::string name = rt::initializerName(init.kind);
  switch (init.kind) {
  case K::Constant:
    return name + "(" + shortNumber(init.a) + ")";
  case K::Uniform:
    return name + "(" + shortNumber(init.a) + ", " + shortNumber(init.b) + ")";
  case K::Normal:
    return name + "(mean " + shortNumber(init.a) + ", stddev " + shortNumber(init.b) + ")";
  case K::XavierUniform:
  case K::XavierNormal:
    return name + "(gain " + shortNumber(init.a == 0 ? 1.0 : init.a) + ")";
  case K::Values:
    return name + "(" + std::to_string(init.values.size()) + " given)";
  default:
    return name;
  }
}

std::vector<std::string> describeConfig(const TrainArgs &a,
                                        const DataSplits &d,
                                        const rt::Executable &exe,
                                        const std::string &keep,
                                        const std::string &savePolicy) {
  std::vector<std::string> lines;
  lines.push_back("model: " + a.model.model + " from " + a.model.file);
  lines.push_back("data: " + a.data);
  lines.push_back("splits: " + describeSplits(d));
  lines.push_back("preprocessing: " + d.prep.describe());
  std::string opt = a.optimizer + " (";
  if (usesMomentum(a.optimizer))
    opt += "momentum " + shortNumber(a.momentum) + ", ";
  if (usesBetas(a.optimizer))
    opt += "beta1 " + shortNumber(a.beta1) + ", beta2 " + shortNumber(a.beta2) + ", ";
  opt += std::string(a.optimizer == "adamw" ? "decoupled " : "") +
         "weight decay " + shortNumber(a.weightDecay) + ", clip norm " +
         (a.clipNorm > 0 ? shortNumber(a.clipNorm) : std::string("off")) + ")";
  if (!a.freeze.empty())
    opt += ", frozen: " + join(a.freeze, ", ");
  lines.push_back("optimizer: " + opt);
  lines.push_back("learning rate: " + shortNumber(a.lr) + ", schedule " + a.schedule);
  lines.push_back("batch " + std::to_string(a.batch) + ", epochs " +
                  std::to_string(a.epochs) + ", seed " +
                  std::to_string(a.seed) + ", shuffle " +
                  (a.shuffle ? "on" : "off"));
  lines.push_back("weights kept: " + keep + ", early stopping " +
                  (a.patience > 0 ? "after " + std::to_string(a.patience) +
                                        " epochs without improvement"
                                  : std::string("off")));
  lines.push_back("checkpoints: " + savePolicy);
  if (!a.init.empty())
    lines.push_back("initial weights: " + a.init +
                    (a.initPartial ? " (the parameters it has)" : ""));
  for (const rt::ParamInfo &p : exe.params)
    lines.push_back("init " + p.name + " " + p.type.str() + ": " +
                    describeInitializer(p.init) +
                    (p.trainable ? "" : " (not trained)"));
  return lines;
}

} // namespace loomc
