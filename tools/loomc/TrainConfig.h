//===- TrainConfig.h - A training run's settings, checked and written out -===//
//
// A run's configuration is printed once at its start, written into the
// metrics file's header and stored in every checkpoint (metadata
// "loom.config" and "loom.command"), so a run can be repeated from its
// checkpoint alone. Flags that the chosen settings would not read (the
// momentum of plain SGD, Adam's betas for momentum) are errors here rather
// than silently ignored.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "DataSpec.h"
#include "Driver.h"

#include "loom/rt/core/Executable.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace loomc {

/// Every flag of `args.given` that the chosen optimizer, or the rest of the
/// configuration, does not use is an error naming the flag and who uses it.
llvm::Error checkTrainFlags(const TrainArgs &args);

/// The `loomc train` command that repeats this run, every setting spelt out
/// with its value (defaults included). Paths where the run writes
/// (--checkpoint, --resume, --report, --samples) are left out: they say
/// where, not what.
std::string repeatCommand(const TrainArgs &args);

/// "xavier_uniform(gain 1)", "uniform(-0.1, 0.1)", "zeros", ...
std::string describeInitializer(const loom::rt::Initializer &init);

/// The configuration block: one "key: value" line each for the model, the
/// data and its splits, the preprocessing, the optimizer and its
/// hyper-parameters, the schedule, batch / epochs / seed, the weights
/// kept, the checkpoint policy and each parameter's initializer.
std::vector<std::string>
describeConfig(const TrainArgs &args, const DataSplits &data,
               const loom::rt::Executable &exe, const std::string &keep,
               const std::string &savePolicy);

} // namespace loomc
