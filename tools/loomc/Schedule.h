//===- Schedule.h - Learning-rate schedules ---------------------------------===//
//
// The learning rate is a run-time input of train_step, so a schedule is just
// a function of the step and epoch evaluated by the driver: changing it
// never recompiles the model.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace loomc {

/// Parsed from --schedule:
///   constant            lr
///   step:EVERY:GAMMA    lr * GAMMA^floor(epoch / EVERY)   (epochs 0-based)
///   exp:GAMMA           lr * GAMMA^epoch
///   cosine              lr * (1 + cos(pi * step / totalSteps)) / 2
///   warmup:STEPS        linear from lr/STEPS to lr over STEPS steps, then
///                       constant; `warmup:STEPS,cosine` then decays by cosine
///                       over the remaining steps.
struct Schedule {
  enum class Kind { Constant, Step, Exp, Cosine } kind = Kind::Constant;
  double baseLr = 0.01;
  int64_t every = 1;
  double gamma = 1.0;
  int64_t warmupSteps = 0;

  /// `step` counts from 0 over the whole run; `totalSteps` is the run's
  /// length in steps.
  double lr(int64_t step, int64_t epoch, int64_t totalSteps) const;
};

llvm::Expected<Schedule> parseSchedule(const std::string &spec, double baseLr);

} // namespace loomc
