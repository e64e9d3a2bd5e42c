//===- Schedule.cpp - Learning-rate schedules -------------------------------===//
//
// Parsing and evaluation of the schedules listed in Schedule.h.
//
//===----------------------------------------------------------------------===//
#include "Schedule.h"

#include "llvm/ADT/StringExtras.h"

#include <cmath>

using namespace llvm;

namespace loomc {

double Schedule::lr(int64_t step, int64_t epoch, int64_t totalSteps) const {
  if (warmupSteps > 0 && step < warmupSteps)
    return baseLr * double(step + 1) / double(warmupSteps);
  switch (kind) {
  case Kind::Constant:
    return baseLr;
  case Kind::Step:
    return baseLr * std::pow(gamma, double(epoch / every));
  case Kind::Exp:
    return baseLr * std::pow(gamma, double(epoch));
  case Kind::Cosine: {
    int64_t span = std::max<int64_t>(1, totalSteps - warmupSteps);
    double t = double(std::min(step - warmupSteps, span)) / double(span);
    return baseLr * 0.5 * (1.0 + std::cos(M_PI * t));
  }
  }
  return baseLr;
}

static Error bad(const std::string &spec, const Twine &why) {
  return createStringError("bad --schedule '" + spec + "': " + why +
                           " (use constant, step:EVERY:GAMMA, exp:GAMMA, "
                           "cosine, warmup:STEPS or warmup:STEPS,cosine)");
}

Expected<Schedule> parseSchedule(const std::string &spec, double baseLr) {
  Schedule s;
  s.baseLr = baseLr;
  StringRef rest = spec;
  if (rest.consume_front("warmup:")) {
    auto [steps, after] = rest.split(',');
    if (steps.getAsInteger(10, s.warmupSteps) || s.warmupSteps <= 0)
      return bad(spec, "warmup needs a positive number of steps");
    rest = after;
    if (rest.empty())
      return s;
  }
  SmallVector<StringRef> parts;
  rest.split(parts, ':');
  StringRef kind = parts[0];
  if (kind == "constant" && parts.size() == 1)
    return s;
  if (kind == "cosine" && parts.size() == 1) {
    s.kind = Schedule::Kind::Cosine;
    return s;
  }
  if (kind == "step" && parts.size() == 3) {
    s.kind = Schedule::Kind::Step;
    if (parts[1].getAsInteger(10, s.every) || s.every <= 0)
      return bad(spec, "EVERY must be a positive number of epochs");
    if (parts[2].getAsDouble(s.gamma) || s.gamma <= 0)
      return bad(spec, "GAMMA must be a positive number");
    return s;
  }
  if (kind == "exp" && parts.size() == 2) {
    s.kind = Schedule::Kind::Exp;
    if (parts[1].getAsDouble(s.gamma) || s.gamma <= 0)
      return bad(spec, "GAMMA must be a positive number");
    return s;
  }
  return bad(spec, "unknown schedule");
}

} // namespace loomc
