//===- Progress.h - The training progress display ---------------------------===//
//
// On a terminal, one line redrawn in place: epoch, step, a bar, running loss
// and metric, samples/s and the time left. Not on a terminal (CI logs, a
// pipe), plain lines at most every few seconds and at the end of an epoch,
// so logs stay readable.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace loomc {

class Progress {
public:
  Progress(llvm::raw_ostream &os, bool interactive)
      : os_(os), interactive_(interactive) {}

  void startEpoch(int64_t epoch, int64_t epochs, int64_t steps);
  /// After each step: running (mean over the epoch so far) values to show,
  /// by name (the loss, or each loss group's, and the first metric), and
  /// the samples done in this epoch.
  using Values = std::vector<std::pair<std::string, double>>;
  void update(int64_t step, const Values &values, int64_t samples);
  /// Clears the live line so the epoch summary can be printed.
  void finishEpoch();

private:
  std::string line(int64_t step, const Values &values, int64_t samples) const;

  llvm::raw_ostream &os_;
  bool interactive_;
  int64_t epoch_ = 0, epochs_ = 0, steps_ = 0;
  std::chrono::steady_clock::time_point start_, lastPrint_;
  bool printedLive_ = false;
};

/// "1:05" / "1:02:03" for a duration in seconds.
std::string formatDuration(double seconds);

} // namespace loomc
