//===- Build.cpp - loomc build: a model compiled ahead of time, as a file -===//
//
// Builds the model for one batch size, with the training entries when
// --train names an optimizer (its flags as in `loomc train`), keeps the
// entries asked for, compiles them ahead of time for --cpu (default the
// portable x86-64-v3; `native` opts into this machine's CPU) and writes a
// .loom artifact (rt/core/Artifact.h) atomically. The runtime loads it
// without LLVM or MLIR (`loom-run`, `loomc run MODEL.loom`, apps).
//
//===----------------------------------------------------------------------===//
#include "Driver.h"
#include "NumberText.h"
#include "TrainConfig.h"
#include "Trainer.h"

#include "Target/CPU/AotCompiler.h"
#include "Transforms/Training.h"
#include "loom/rt/core/Artifact.h"
#include "loom/rt/core/FileUtil.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstdlib>

using namespace llvm;
namespace rt = loom::rt;

namespace loomc {
namespace {

/// The compile-time settings of the training step, for the metadata.
std::string describeTraining(const TrainArgs &t) {
  std::string s = t.optimizer;
  if (t.optimizer == "momentum" || t.optimizer == "nesterov")
    s += " momentum=" + shortNumber(t.momentum);
  if (t.optimizer == "adam" || t.optimizer == "adamw")
    s += " beta1=" + shortNumber(t.beta1) + " beta2=" + shortNumber(t.beta2);
  s += " weight_decay=" + shortNumber(t.weightDecay) + " clip_norm=" + shortNumber(t.clipNorm);
  if (!t.freeze.empty())
    s += " freeze=" + join(t.freeze, ",");
  return s;
}

} // namespace

int runBuild(const BuildArgs &args) {
  if (args.output.empty() || args.output == "-")
    return fail("build needs -o FILE.loom");
  if (args.batch < 1)
    return fail("build needs --batch N (shapes are compiled for one batch "
                "size)");
  std::optional<loom::TrainingOptions> training;
  if (args.train.optimizer.empty()) {
    for (const char *flag : {"momentum", "beta1", "beta2", "weight-decay",
                             "clip-norm", "freeze"})
      if (args.train.given.count(flag))
        return fail("--" + std::string(flag) +
                    " sets the training step, which only --train OPTIMIZER "
                    "builds");
  } else {
    if (Error e = checkTrainFlags(args.train))
      return fail(std::move(e));
    auto o = trainingOptionsFrom(args.train);
    if (!o)
      return fail(o.takeError());
    training = *o;
  }
  // Convolution algorithms by rule, not by this machine's timings: the
  // artifact runs elsewhere, and the same model builds to the same bytes.
  // (LOOM_CONV_ALGORITHM still overrides.)
  ::setenv("LOOM_CONV_ALGORITHM", "static", /*overwrite=*/0);
  auto model = loadModel(args.model.file, args.model.model, args.model.verbose);
  if (!model)
    return fail(model.takeError());
  CompilerContext cc;
  cc.verbose = args.model.verbose;
  loom::dsl::ModelInterface iface;
  auto module = loom::dsl::buildModel(cc.context, *model, args.batch, &iface);
  if (!module)
    return 1;
  if (training) {
    if (!iface.hasLoss)
      return fail("--train: model '" + model->name + "' declares no loss");
    if (failed(loom::buildTrainingEntries(*module, *training)))
      return fail("deriving the training step of model '" + model->name +
                  "' failed");
  } else if (iface.hasLoss && failed(loom::pruneForward(*module))) {
    return fail("pruning the forward pass of '" + model->name + "' failed");
  }
  // Which entries: the asked ones (each must exist), or all that were built.
  std::vector<std::string> available;
  for (auto f : module->getOps<mlir::func::FuncOp>())
    if (f.isPublic() && !f.isExternal())
      available.push_back(f.getSymName().str());
  if (!args.entries.empty()) {
    for (const std::string &e : args.entries)
      if (!llvm::is_contained(available, e))
        return fail("--entries: model '" + model->name + "' built " +
                    (training ? "with" : "without") + " --train has no entry '" +
                    e + "' (it has " + join(available, ", ") + ")");
    for (auto f : llvm::make_early_inc_range(module->getOps<mlir::func::FuncOp>()))
      if (f.isPublic() && !f.isExternal() &&
          !llvm::is_contained(args.entries, f.getSymName().str()))
        f.erase();
  }
  loom::AotOptions aot;
  aot.modelName = model->name;
  aot.cpu = args.cpu;
  auto compiled = loom::compileAheadOfTime(*module, aot);
  if (!compiled)
    return fail(compiled.takeError());
  rt::ArtifactInfo info;
  info.cpu = compiled->cpu;
  info.cpuFeatures = compiled->cpuFeatures;
  info.batch = args.batch;
  if (training)
    info.training = describeTraining(args.train);
  std::string bytes = rt::encodeArtifact(*compiled->exe, info,
                                         compiled->symbols, compiled->object);
  if (rt::Status s = rt::writeFileAtomic(args.output, bytes); !s)
    return fail(s.message());
  std::vector<std::string> entries;
  for (const rt::EntryPoint &e : compiled->exe->entries)
    entries.push_back(e.name);
  outs() << "built " << args.output << ": model '" << model->name
         << "', batch " << args.batch << ", entries " << join(entries, ", ")
         << "; CPU " << compiled->cpu << " (" << join(info.cpuFeatures, " ")
         << "); " << compiled->object.size() << " bytes of code, "
         << bytes.size() << " in all\n";
  return 0;
}

} // namespace loomc
