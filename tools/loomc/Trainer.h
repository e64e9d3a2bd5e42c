//===- Trainer.h - Sessions per batch size over one set of weights ----------===//
//
// A model is compiled for one batch size at a time (shapes are static). The
// trainer keeps one session per batch size it meets (the regular batch and
// the smaller last batch of an epoch) and one set of weights: the main
// session owns them, and a step at another batch size borrows them (copies
// in, runs, copies back), which happens at most once per epoch. Batch sizes
// that only evaluation meets (the last validation or test batch) get
// sessions without the training step, which compile in a fraction of the
// time.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Driver.h"

#include "Transforms/Training.h"
#include "loom/rt/data/Dataset.h"
#include "loom/rt/core/Session.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <map>
#include <memory>

namespace loomc {

/// How the model's declared inputs meet a dataset: the one feature input
/// and the one label input, with their per-example shapes. A model without
/// a label (a GAN learns from the features alone) has an empty
/// labelInput; the data's labels are then not fed.
struct Binding {
  std::string featureInput, labelInput;
  std::vector<int64_t> featureShape, labelShape; // without the batch dim
};

/// Loads a checkpoint's parameters (and, when asked, optimizer state and
/// step) into `s`, checking every name, dtype and shape against the model.
/// --init-partial: sets every parameter of `s` that `path` holds (same name;
/// a different shape is an error), leaves the others as initialized, and
/// ignores the file's other tensors. Returns a one-line report.
llvm::Expected<std::string> loadPartialInto(loom::rt::Session &s,
                                            const std::string &path);
llvm::Error loadCheckpointInto(loom::rt::Session &s, const std::string &path,
                               const std::string &modelName,
                               bool withOptimizerState,
                               std::map<std::string, std::string> *metadata);

/// The optimizer named like --optimizer (sgd, momentum, nesterov, adam,
/// adamw) with default constants.
llvm::Expected<loom::TrainingOptions>
trainingOptionsFor(const std::string &name);
/// The optimizer of --optimizer with its flags (--momentum, --beta1, ...).
llvm::Expected<loom::TrainingOptions> trainingOptionsFrom(const TrainArgs &a);

class Trainer {
public:
  /// Evaluation-only users pass default options (train_step is compiled
  /// but never run).
  Trainer(CompilerContext &cc, loom::dsl::ModelEntry model,
          loom::TrainingOptions training, uint64_t seed)
      : cc_(cc), model_(std::move(model)), training_(std::move(training)),
        seed_(seed) {}

  /// The model's inputs, outputs, loss and metrics (numClasses: the class
  /// count of its classification loss or metric, 0 for regression), from
  /// one build of the model.
  llvm::Expected<loom::dsl::ModelInterface> interface();

  /// Builds the model once to learn its inputs and checks that `data`
  /// matches them (feature and label shapes per example).
  llvm::Error bind(const loom::rt::Dataset &data, const std::string &source);
  const Binding &binding() const { return binding_; }

  /// The session for `batch` examples; the first one created is the main
  /// session, which owns the weights.
  llvm::Expected<loom::rt::Session *> session(int64_t batch);
  loom::rt::Session &main() { return *sessions_.at(mainBatch_); }

  /// One training step on a batch; returns loss and metrics by name. For
  /// a model with several losses, the step of each loss group in declared
  /// order (each seeing the updates of the ones before, as a GAN's
  /// alternating loop does), sharing one step number; the values are then
  /// "NAME_loss" per group.
  llvm::Error trainStep(const loom::rt::Batch &batch, double lr,
                        std::map<std::string, double> &values);
  /// Mean loss and metrics over a dataset (weighted by batch size).
  llvm::Error evaluate(const loom::rt::Dataset &data, int64_t batchSize,
                       std::map<std::string, double> &values);

  /// Runs @forward over `data` (in order, batches of `batchSize`) and
  /// returns the output `name` for every example, [N, ...].
  llvm::Expected<loom::rt::HostTensor> predict(const loom::rt::Dataset &data,
                                               int64_t batchSize,
                                               const std::string &name);

  /// Checkpoints hold parameters, optimizer state and the step, plus
  /// metadata (model name, epoch, ...).
  llvm::Error save(const std::string &path,
                   std::map<std::string, std::string> metadata);
  /// Writes a checkpoint of these parameter values (the best epoch's,
  /// kept in memory) with `metadata`; no optimizer state.
  llvm::Error saveWeights(const std::string &path,
                          const std::map<std::string, loom::rt::HostTensor> &w,
                          std::map<std::string, std::string> metadata);
  llvm::Error load(const std::string &path,
                   std::map<std::string, std::string> *metadata,
                   bool withOptimizerState);

  std::vector<std::string> metricNames() const { return metricNames_; }
  /// The names of the model's several losses (empty for one loss), known
  /// after bind().
  const std::vector<std::string> &lossGroups() const { return lossGroups_; }
  /// What the loss values are called: "loss", or "NAME_loss" per group.
  std::vector<std::string> lossNames() const;
  /// Trains only these of the model's several losses (after bind()): e.g.
  /// the discriminator alone for a few steps. Errors name the unknown one.
  llvm::Error selectLossGroups(const std::vector<std::string> &names);

private:
  /// Compiles the model for `batch`; without the training step for
  /// sessions that only evaluate.
  llvm::Expected<std::unique_ptr<loom::rt::Session>>
  compileSession(int64_t batch, bool withTrainStep);
  /// A session that can run @eval on `batch` examples with the main
  /// session's current weights: a training session of that size, or an
  /// evaluation-only one.
  llvm::Expected<loom::rt::Session *> evalSession(int64_t batch);
  llvm::Expected<std::map<std::string, loom::rt::HostTensor>>
  inputsFor(const loom::rt::Batch &batch) const;
  /// Walks `data` in order in batches of `batchSize`, calling `fn` with
  /// each batch, a session of its size holding the main weights, and the
  /// batch bound to the model's inputs (evaluate and predict).
  llvm::Error forEachBatch(
      const loom::rt::Dataset &data, int64_t batchSize,
      llvm::function_ref<llvm::Error(const loom::rt::Batch &,
                                     loom::rt::Session &,
                                     std::map<std::string, loom::rt::HostTensor> &)>
          fn);
  llvm::Error syncFromMain(loom::rt::Session &s);
  llvm::Error syncToMain(loom::rt::Session &s);

  CompilerContext &cc_;
  loom::dsl::ModelEntry model_;
  loom::TrainingOptions training_;
  uint64_t seed_;
  Binding binding_;
  std::vector<std::string> metricNames_;
  std::vector<std::string> lossGroups_;
  int64_t mainBatch_ = -1;
  std::map<int64_t, std::unique_ptr<loom::rt::Session>> sessions_;
  std::map<int64_t, std::unique_ptr<loom::rt::Session>> evalSessions_;
};

} // namespace loomc
