//===- TrainResults.cpp - What a training or evaluation run leaves behind -===//
//
// See TrainResults.h. The report works from @forward's first output on the
// evaluation set, so it measures what an app running the model would get,
// not a loss-side proxy: class predictions by argmax (or by the 0.5 / 0
// threshold of a one-column binary output), regression values mapped back
// to the target's units when the target was standardized.
//
//===----------------------------------------------------------------------===//
#include "TrainResults.h"
#include "NumberText.h"

#include "loom/rt/core/Checkpoint.h"
#include "loom/rt/core/FileUtil.h"
#include "loom/rt/data/Report.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace llvm;
namespace rt = loom::rt;

namespace loomc {
namespace {

Error statusError(const rt::Status &s) { return createStringError(s.message()); }

/// The model's first output and its predictions on `set` in target units,
/// and the labels in target units too.
struct Predicted {
  std::string output;
  rt::HostTensor predictions, labels;
  int64_t numClasses = 0;
};

Expected<Predicted> predictAll(Trainer &trainer, const DataSplits &data,
                               const rt::Dataset &set, int64_t batch) {
  auto iface = trainer.interface();
  if (!iface)
    return iface.takeError();
  if (iface->outputs.empty())
    return createStringError("the model has no output to report on");
  Predicted p;
  p.output = data.prep.target ? data.prep.targetOutput : iface->outputs.front();
  p.numClasses = iface->numClasses;
  auto predictions = trainer.predict(set, batch, p.output);
  if (!predictions)
    return predictions.takeError();
  p.predictions = std::move(*predictions);
  p.labels = set.labels.clone();
  if (data.prep.target) {
    if (rt::Status st = data.prep.invertTargets(p.predictions, data.source); !st)
      return statusError(st);
    if (rt::Status st = data.prep.invertTargets(p.labels, data.source); !st)
      return statusError(st);
  }
  return std::move(p);
}

int64_t perRow(const rt::HostTensor &t) {
  return t.shape().empty() || t.shape()[0] == 0 ? 0
                                                : t.numElements() / t.shape()[0];
}

/// A regression model trained on 0/1 targets with one output column is a
/// binary classifier (a bce_with_logits loss has no class count).
bool isBinary(const Predicted &p) {
  if (p.numClasses > 0 || perRow(p.labels) != 1 || perRow(p.predictions) != 1)
    return false;
  for (int64_t i = 0, n = p.labels.numElements(); i < n; ++i)
    if (p.labels.at(i) != 0.0 && p.labels.at(i) != 1.0)
      return false;
  return true;
}

} // namespace

Error checkWritable(const std::string &path) {
  SmallString<256> dir(path);
  sys::path::remove_filename(dir);
  if (dir.empty())
    dir = ".";
  if (!sys::fs::is_directory(dir))
    return createStringError("cannot write " + path + ": the folder " + dir +
                             " does not exist");
  std::string probe = (dir + "/.loomc-write-test." + Twine(::getpid())).str();
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0)
    return createStringError("cannot write " + path + ": " +
                             std::strerror(errno) + " (in " + dir + ")");
  ::close(fd);
  ::unlink(probe.c_str());
  return Error::success();
}

Error bindPreprocessing(Trainer &trainer, DataSplits &data) {
  data.prep.featureInput = trainer.binding().featureInput;
  data.prep.labelInput = trainer.binding().labelInput;
  if (!data.standardizeTarget || !data.prep.targetOutput.empty())
    return Error::success();
  auto iface = trainer.interface();
  if (!iface)
    return iface.takeError();
  if (iface->outputs.size() != 1)
    return createStringError(
        "standardize-target maps the model's prediction back to the "
        "target's units, so the model needs exactly one output; it has " +
        std::to_string(iface->outputs.size()));
  data.prep.targetOutput = iface->outputs.front();
  return Error::success();
}

std::string keepText(const std::string &keep, bool haveVal) {
  if (keep == "last")
    return "last (the weights after the last epoch)";
  return haveVal ? "best (lowest validation loss)"
                 : "best (lowest training loss, as --keep best asks)";
}

Expected<std::string> targetUnits(Trainer &trainer, const DataSplits &data,
                                  const rt::Dataset &set, int64_t batch) {
  if (!data.prep.target || set.size() == 0)
    return std::string();
  auto p = predictAll(trainer, data, set, batch);
  if (!p)
    return p.takeError();
  rt::RegressionReport r;
  if (rt::Status st = rt::regressionReport(p->predictions, p->labels, r); !st)
    return statusError(st);
  return formatv("  (in target units: rmse {0:F4}  mae {1:F4})", r.rmse, r.mae)
      .str();
}

Error writeReport(Trainer &trainer, const DataSplits &data,
                  const rt::Dataset &set, int64_t batch,
                  const std::string &path) {
  if (set.size() == 0)
    return createStringError("--report: the evaluation split is empty");
  auto p = predictAll(trainer, data, set, batch);
  if (!p)
    return p.takeError();
  std::string text, json;
  if (p->numClasses > 0 || isBinary(*p)) {
    if (perRow(p->labels) != 1)
      return createStringError(
          "--report gives per-class results for one class label per "
          "example; this data has " +
          std::to_string(perRow(p->labels)) +
          " labels per example (a sequence model)");
    rt::ClassificationReport r;
    if (rt::Status st = rt::classificationReport(
            p->predictions, p->labels, p->numClasses > 0 ? p->numClasses : 2,
            r);
        !st)
      return statusError(st);
    text = rt::formatReport(r);
    json = rt::reportJson(r);
  } else {
    rt::RegressionReport r;
    if (rt::Status st = rt::regressionReport(p->predictions, p->labels, r); !st)
      return statusError(st);
    text = rt::formatReport(r);
    if (data.prep.target)
      text += "(in the target's units: predictions mapped back from the "
              "standardized target)\n";
    json = rt::reportJson(r);
  }
  outs() << "report of output '" << p->output << "' on " << set.size()
         << " examples:\n"
         << text;
  if (rt::Status st = rt::writeFileAtomic(path, json + "\n"); !st)
    return statusError(st);
  outs() << "report: " << path << "\n";
  return Error::success();
}

Error writePredictions(Trainer &trainer, const DataSplits &data,
                       const rt::Dataset &set, int64_t batch,
                       const std::string &path) {
  if (set.size() == 0)
    return createStringError("--predictions: the evaluation split is empty");
  auto p = predictAll(trainer, data, set, batch);
  if (!p)
    return p.takeError();
  std::string csv = predictionsTable(p->output, p->predictions, &p->labels);
  if (rt::Status st = rt::writeFileAtomic(path, csv); !st)
    return statusError(st);
  outs() << "predictions: " << path << " (" << set.size() << " rows)\n";
  return Error::success();
}

std::string predictionsTable(const std::string &output,
                             const rt::HostTensor &predictions,
                             const rt::HostTensor *labels) {
  int64_t n = predictions.shape().empty() ? 1 : predictions.shape()[0];
  int64_t pw = perRow(predictions), lw = labels ? perRow(*labels) : 0;
  auto columns = [&](const std::string &base, int64_t w) {
    std::string s;
    for (int64_t j = 0; j < w; ++j)
      s += "," + (w == 1 ? base : base + "_" + std::to_string(j));
    return s;
  };
  std::string csv = "row" + columns(output, pw) + columns("label", lw) + "\n";
  for (int64_t i = 0; i < n; ++i) {
    csv += std::to_string(i);
    for (int64_t j = 0; j < pw; ++j)
      csv += "," + fullNumber(predictions.at(i * pw + j));
    for (int64_t j = 0; j < lw; ++j)
      csv += "," + fullNumber(labels->at(i * lw + j));
    csv += "\n";
  }
  return csv;
}

Expected<rt::FittedPreprocessing>
readStoredPreprocessing(const std::string &checkpoint) {
  rt::FittedPreprocessing fitted;
  if (checkpoint.empty())
    return fitted;
  std::map<std::string, rt::HostTensor> tensors;
  std::map<std::string, std::string> meta;
  if (rt::Status st = rt::loadCheckpoint(checkpoint, tensors, &meta); !st)
    return statusError(st);
  if (rt::Status st =
          rt::FittedPreprocessing::fromMetadata(meta, checkpoint, fitted);
      !st)
    return statusError(st);
  return fitted;
}

MetricsFile::MetricsFile(std::vector<std::string> stepValues,
                         std::vector<std::string> reported,
                         const std::vector<std::string> &config,
                         const std::string &command)
    : stepValues_(std::move(stepValues)), reported_(std::move(reported)) {
  for (const std::string &line : config)
    header_ += "# " + line + "\n";
  header_ += "# repeat with: " + command + "\n";
  header_ += "epoch,step,lr,seconds,samples_per_s";
  for (const std::string &m : stepValues_)
    header_ += ",train_" + m;
  for (const std::string &m : reported_)
    header_ += ",val_" + m;
  for (const std::string &m : reported_)
    header_ += ",test_" + m;
  header_ += "\n";
}

void MetricsFile::keepRowsOf(const std::string &path, int64_t epochs) {
  std::string old;
  if (!rt::readFile(path, old))
    return;
  for (StringRef line : split(StringRef(old), '\n')) {
    int64_t epoch = 0;
    if (line.empty() || line.starts_with("#") ||
        line.split(',').first.getAsInteger(10, epoch) || epoch > epochs)
      continue; // the header, the test row, and epochs to be redone
    rows_.push_back(line.str() + "\n");
  }
}

void MetricsFile::addEpoch(int64_t epoch, int64_t step, double lr,
                           double seconds, double samplesPerSecond,
                           const std::map<std::string, double> &train,
                           const std::map<std::string, double> *val) {
  std::string row = std::to_string(epoch) + "," + std::to_string(step) + "," +
                    fullNumber(lr) + "," + formatv("{0:F4}", seconds).str() + "," +
                    formatv("{0:F1}", samplesPerSecond).str();
  for (const std::string &m : stepValues_)
    row += "," + (train.count(m) ? fullNumber(train.at(m)) : std::string());
  for (const std::string &m : reported_)
    row += "," + (val && val->count(m) ? fullNumber(val->at(m)) : std::string());
  for (size_t i = 0; i < reported_.size(); ++i)
    row += ",";
  rows_.push_back(row + "\n");
}

void MetricsFile::addTest(int64_t step,
                          const std::map<std::string, double> &test) {
  std::string row = "test," + std::to_string(step) + ",,,";
  for (size_t i = 0; i < stepValues_.size() + reported_.size(); ++i)
    row += ",";
  for (const std::string &m : reported_)
    row += "," + (test.count(m) ? fullNumber(test.at(m)) : std::string());
  rows_.push_back(row + "\n");
}

std::string MetricsFile::text() const {
  std::string t = header_;
  for (const std::string &r : rows_)
    t += r;
  return t;
}

} // namespace loomc
