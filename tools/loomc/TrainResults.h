//===- TrainResults.h - What a training or evaluation run leaves behind ---===//
//
// The metrics file (a header of '#' lines with the configuration and the
// command that repeats the run, then one CSV row per epoch with its wall
// time, learning rate and samples/s, and a final row with the test
// metrics), the evaluation report (per-class precision / recall / F1 and
// the confusion matrix, or RMSE / MAE / R^2 in the target's units) with its
// JSON file, and a predictions CSV. Also the checks a run makes before it
// starts writing: that its output paths are writable.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "DataSpec.h"
#include "Trainer.h"

#include "llvm/Support/Error.h"

#include <map>
#include <string>
#include <vector>

namespace loomc {

/// An error naming `path` unless a file can be created in its directory
/// (tried with a temporary file that is removed again).
llvm::Error checkWritable(const std::string &path);

/// Records the model inputs (and, for standardize-target, the prediction
/// output) in data.prep, so the stored preprocessing says what it applies
/// to. standardize-target needs a model with exactly one output.
llvm::Error bindPreprocessing(Trainer &trainer, DataSplits &data);

/// "best (lowest validation loss)", "last", ...
std::string keepText(const std::string &keep, bool haveVal);

/// For a standardized target: "  (in target units: rmse 3.1  mae 2.2)" over
/// `set`, from @forward's predictions mapped back; "" otherwise.
llvm::Expected<std::string> targetUnits(Trainer &trainer,
                                        const DataSplits &data,
                                        const loom::rt::Dataset &set,
                                        int64_t batch);

/// Prints the report of `set` (classification when the model has classes,
/// else regression in target units) and writes its JSON to `path`.
llvm::Error writeReport(Trainer &trainer, const DataSplits &data,
                        const loom::rt::Dataset &set, int64_t batch,
                        const std::string &path);

/// Writes `row,<prediction columns>,<label columns>` for every example of
/// `set`, predictions of the model's first output in target units.
llvm::Error writePredictions(Trainer &trainer, const DataSplits &data,
                             const loom::rt::Dataset &set, int64_t batch,
                             const std::string &path);

/// `row,<output>[_j...][,label[_j...]]`, one line per example at full
/// precision (`labels` may be null: predictions of raw rows).
std::string predictionsTable(const std::string &output,
                             const loom::rt::HostTensor &predictions,
                             const loom::rt::HostTensor *labels);

/// The preprocessing stored in a checkpoint (none for an empty path).
llvm::Expected<loom::rt::FittedPreprocessing>
readStoredPreprocessing(const std::string &checkpoint);

/// The metrics CSV, kept in memory and rewritten whole (atomically).
class MetricsFile {
public:
  MetricsFile(std::vector<std::string> stepValues,
              std::vector<std::string> reported,
              const std::vector<std::string> &config,
              const std::string &command);
  /// When resuming: keeps the rows of the first `epochs` epochs of the
  /// file already at `path` (a missing or unreadable file keeps none).
  void keepRowsOf(const std::string &path, int64_t epochs);
  void addEpoch(int64_t epoch, int64_t step, double lr, double seconds,
                double samplesPerSecond,
                const std::map<std::string, double> &train,
                const std::map<std::string, double> *val);
  void addTest(int64_t step, const std::map<std::string, double> &test);
  std::string text() const;

private:
  std::vector<std::string> stepValues_, reported_;
  std::string header_;
  std::vector<std::string> rows_;
};

} // namespace loomc
