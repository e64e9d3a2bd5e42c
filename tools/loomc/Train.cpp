//===- Train.cpp - loomc train and loomc eval
//-------------------------------===//
//
// `loomc train` compiles the model's train_step (forward, loss, gradients
// and the optimizer update as one function) and runs it over the data for
// the given epochs: a progress line per step, a summary line per epoch with
// training and validation loss and metrics, a metrics CSV next to the
// checkpoint, early stopping on validation loss (restoring the best
// weights), and at the end the test metrics and the best checkpoint's path.
// A non-finite loss stops training with the step number; the last good
// checkpoint stays in place. A model with several losses (a GAN) runs each
// loss's step per batch and reports each loss; it has no "best" epoch and
// no early stopping. `--samples` writes a generator's grid after each epoch
// (Samples.h). `loomc eval` loads a checkpoint and reports loss and
// metrics on the test split.
//
//===----------------------------------------------------------------------===//
#include "DataSpec.h"
#include "NumberText.h"
#include "Generate.h"
#include "Progress.h"
#include "Samples.h"
#include "Schedule.h"
#include "Trainer.h"
#include "TrainConfig.h"
#include "TrainResults.h"

#include "loom/rt/core/Checkpoint.h"
#include "loom/rt/core/FileUtil.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#include <chrono>
#include <cmath>
#include <unistd.h>

using namespace llvm;
namespace rt = loom::rt;

namespace loomc {
namespace {

std::string fmt(double v) {
  return std::fabs(v) < 1e6 ? formatv("{0:F4}", v).str()
                            : formatv("{0:E3}", v).str();
}

/// "loss 0.1234  accuracy 0.9561" from a value map, in the order of
/// `names` (the losses first, then the metrics).
std::string describe(const std::map<std::string, double> &values,
                     const std::vector<std::string> &names) {
  std::string s;
  for (const std::string &m : names)
    if (auto it = values.find(m); it != values.end())
      s += (s.empty() ? "" : "  ") + m + " " + fmt(it->second);
  return s;
}

std::vector<std::string> concat(std::vector<std::string> a,
                                const std::vector<std::string> &b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}


/// Files next to the checkpoint: model.safetensors -> model.metrics.csv,
/// model.best.safetensors.
std::string siblingPath(const std::string &checkpoint, StringRef extension) {
  SmallString<256> p(checkpoint);
  sys::path::replace_extension(p, extension);
  return std::string(p);
}

/// Loads the data (checking class labels against the model), binds it to
/// the model's input and label, and compiles the main session.
Expected<DataSplits> prepare(Trainer &trainer, const std::string &spec,
                             DataOptions options, int64_t batch) {
  auto iface = trainer.interface();
  if (!iface)
    return iface.takeError();
  options.numClasses = iface->numClasses;
  for (const auto &in : iface->inputs)
    if (!in.isLabel && !in.shape.empty())
      options.featureShape.assign(in.shape.begin() + 1, in.shape.end());
  auto data = loadData(spec, options);
  if (!data)
    return data.takeError();
  if (Error e = trainer.bind(data->train, data->source))
    return std::move(e);
  if (auto s = trainer.session(batch); !s)
    return s.takeError();
  return data;
}

/// --generate N: text from the trained weights, continuing --prompt or the
/// first window of `held` (the test split).
int generateAfterTraining(CompilerContext &cc,
                          const loom::dsl::ModelEntry &model,
                          const rt::Session &trained, const rt::Dataset &held,
                          const TrainArgs &args) {
  auto g = TextGenerator::create(cc, model, args.seed);
  if (!g)
    return fail(g.takeError());
  if (Error e = (*g)->copyWeights(trained))
    return fail(std::move(e));
  std::string prompt;
  std::string from = "--prompt";
  if (args.prompt) {
    prompt = *args.prompt;
  } else if (held.size() > 0 && held.features.shape().size() == 2) {
    for (int64_t t = 0; t < held.features.shape()[1]; ++t)
      prompt.push_back(char(int(held.features.at(t))));
    from = "the test split's first window";
  }
  auto text = (*g)->generate(prompt, args.generate, args.temperature);
  if (!text)
    return fail(text.takeError());
  outs() << "generated " << args.generate << " characters (temperature "
         << format("%g", args.temperature) << ") after " << prompt.size()
         << " from " << from << ":\n"
         << prompt << *text << "\n";
  return 0;
}

} // namespace

Expected<loom::TrainingOptions> trainingOptionsFrom(const TrainArgs &a) {
  loom::TrainingOptions o;
  using Opt = loom::TrainingOptions::Optimizer;
  if (a.optimizer == "sgd")
    o.optimizer = Opt::SGD;
  else if (a.optimizer == "momentum" || a.optimizer == "nesterov") {
    o.optimizer = Opt::Momentum;
    o.nesterov = a.optimizer == "nesterov";
  } else if (a.optimizer == "adam")
    o.optimizer = Opt::Adam;
  else if (a.optimizer == "adamw")
    o.optimizer = Opt::AdamW;
  else
    return createStringError("unknown --optimizer '" + a.optimizer +
                             "' (choose sgd, momentum, nesterov, adam or "
                             "adamw)");
  o.momentum = a.momentum;
  o.beta1 = a.beta1;
  o.beta2 = a.beta2;
  o.weightDecay = a.weightDecay;
  o.clipNorm = a.clipNorm;
  o.freeze = a.freeze;
  return o;
}

Expected<loom::TrainingOptions> trainingOptionsFor(const std::string &name) {
  TrainArgs a;
  a.optimizer = name;
  return trainingOptionsFrom(a);
}

int runTrain(const TrainArgs &args) {
  if (args.epochs < 1)
    return fail("--epochs must be at least 1");
  if (args.batch < 1)
    return fail("--batch must be at least 1");
  if (!(args.lr > 0))
    return fail("--lr must be positive");
  if (Error e = checkTrainFlags(args))
    return fail(std::move(e));
  auto options = trainingOptionsFrom(args);
  if (!options)
    return fail(options.takeError());
  auto schedule = parseSchedule(args.schedule, args.lr);
  if (!schedule)
    return fail(schedule.takeError());
  std::string checkpoint = args.checkpoint;
  // A checkpoint that cannot be written fails now, not after an epoch.
  if (!checkpoint.empty())
    if (Error e = checkWritable(checkpoint))
      return fail(std::move(e));
  if (!args.report.empty())
    if (Error e = checkWritable(args.report))
      return fail(std::move(e));
  auto model = loadModel(args.model.file, args.model.model, args.model.verbose);
  if (!model)
    return fail(model.takeError());
  CompilerContext cc;
  cc.verbose = args.model.verbose;
  Trainer trainer(cc, *model, *options, args.seed);
  DataOptions dataOptions;
  dataOptions.valFraction = args.valFraction;
  dataOptions.testFraction = args.testFraction;
  dataOptions.seed = args.seed;
  auto data = prepare(trainer, args.data, dataOptions, args.batch);
  if (!data)
    return fail(data.takeError());
  if (Error e = bindPreprocessing(trainer, *data))
    return fail(std::move(e));
  rt::Session &main = trainer.main();
  if (!args.losses.empty())
    if (Error e = trainer.selectLossGroups(args.losses))
      return fail(std::move(e));
  std::vector<std::string> metrics = trainer.metricNames();
  std::string firstMetric = metrics.empty() ? "" : metrics.front();
  // A model with several losses (a GAN) has no one loss to call "best" or
  // to stop on: it trains for --epochs and keeps its last weights.
  std::vector<std::string> losses = trainer.lossNames();
  bool multiLoss = !trainer.lossGroups().empty();
  // What @eval reports, and what the train steps return (metrics are
  // @eval's only when the steps are several).
  std::vector<std::string> reported = concat(losses, metrics);
  std::vector<std::string> stepValues = multiLoss ? losses : reported;
  bool haveVal = data->val.size() > 0;
  if (multiLoss && args.patience > 0)
    return fail("--early-stopping needs one loss to monitor, and model '" +
                model->name + "' trains " + std::to_string(losses.size()) +
                " (its loss groups); train for a fixed number of epochs");
  if (multiLoss && args.keep == "best")
    return fail("--keep best needs one loss to compare epochs by, and model '" +
                model->name + "' trains " + std::to_string(losses.size()) +
                "; it keeps its last weights");
  if (args.patience > 0 && !haveVal)
    return fail("--early-stopping watches the validation loss, and there is "
                "no validation split (give --val-fraction or val=FILE)");
  // Which weights training ends with, and whether a best epoch is tracked.
  std::string keep = !args.keep.empty() ? args.keep
                     : haveVal && !multiLoss ? "best"
                                             : "last";
  bool trackBest = !multiLoss && (haveVal || keep == "best");
  if (args.save == "best" && !trackBest)
    return fail("--save best: no best epoch is tracked (" +
                std::string(multiLoss ? "several losses"
                                      : "no validation split") +
                "); use --keep best to rank epochs by training loss, or "
                "--save last");
  bool saveLast = !checkpoint.empty() && args.save != "best";
  bool saveBest = !checkpoint.empty() && trackBest && args.save != "last";
  std::unique_ptr<SampleWriter> sampler;
  if (!args.samples.empty()) {
    auto created = SampleWriter::create(cc, *model);
    if (!created)
      return fail(created.takeError());
    sampler = std::move(*created);
  }

  if (args.initPartial && args.init.empty())
    return fail("--init-partial needs --init FILE");
  if (!args.init.empty()) {
    if (args.initPartial) {
      auto report = loadPartialInto(main, args.init);
      if (!report)
        return fail(report.takeError());
      outs() << *report << "\n";
    } else if (Error e = trainer.load(args.init, nullptr,
                                      /*withOptimizerState=*/false)) {
      return fail(std::move(e));
    }
  }
  int64_t startEpoch = 0;
  std::map<std::string, std::string> resumed;
  if (!args.resume.empty()) {
    std::map<std::string, std::string> meta;
    if (Error e = trainer.load(args.resume, &meta, /*withOptimizerState=*/true))
      return fail(std::move(e));
    StringRef(meta["loom.epoch"]).getAsInteger(10, startEpoch);
    resumed = std::move(meta);
    outs() << "resumed from " << args.resume << " after epoch " << startEpoch
           << " (step " << main.step() << ")\n";
  }

  rt::BatchIterator batches;
  rt::BatchOptions bo;
  bo.batchSize = args.batch;
  bo.seed = args.seed;
  bo.shuffle = args.shuffle;
  if (rt::Status st = rt::BatchIterator::create(data->train, bo, batches); !st)
    return fail(st.message());
  int64_t stepsPerEpoch = batches.batchesPerEpoch();
  int64_t totalSteps = stepsPerEpoch * args.epochs;

  std::string savePolicy =
      checkpoint.empty()
          ? std::string("none (no --checkpoint)")
          : std::string(saveLast && saveBest ? "last and best"
                        : saveLast          ? "last"
                                            : "best") +
                (args.saveEvery > 0
                     ? ", every " + std::to_string(args.saveEvery) +
                           " epochs and at the end"
                     : std::string(", at the end of an epoch when 5 s have "
                                   "passed since the last save, and at the "
                                   "end"));
  TrainArgs named = args; // the model named, so the command repeats exactly
  named.model.model = model->name;
  std::vector<std::string> config =
      describeConfig(named, *data, main.executable(), keepText(keep, haveVal),
                     savePolicy);
  std::string command = repeatCommand(named);
  std::string configText;
  for (const std::string &line : config)
    configText += line + "\n";

  std::string metricsFile = checkpoint.empty() ? "" : siblingPath(checkpoint, "metrics.csv");
  MetricsFile metricsCsv(stepValues, reported, config, command);
  if (!metricsFile.empty() && startEpoch > 0)
    metricsCsv.keepRowsOf(metricsFile, startEpoch); // the earlier epochs'

  outs() << "training '" << model->name << "' on " << data->description
         << "\n  " << stepsPerEpoch << " steps per epoch of batch "
         << args.batch << ", optimizer " << args.optimizer << ", lr "
         << format("%g", args.lr) << "\n";
  for (const std::string &line : config)
    outs() << "  " << line << "\n";
  outs() << "  repeat with: " << command << "\n";
  if (args.batch > data->train.size())
    errs() << "loomc: warning: --batch " << args.batch << " is larger than "
           << "the training split (" << data->train.size()
           << " examples): every step is one batch of "
           << data->train.size() << "\n";
  outs().flush();
  Progress progress(errs(), ::isatty(2) && !args.noProgress);
  double bestLoss = INFINITY;
  int64_t bestEpoch = -1, sinceBest = 0;
  std::map<std::string, rt::HostTensor> best; // weights of the best epoch
  if (!resumed.empty()) {
    // Early stopping carries on where it was.
    StringRef(resumed["loom.best_loss"]).getAsDouble(bestLoss);
    StringRef(resumed["loom.best_epoch"]).getAsInteger(10, bestEpoch);
    StringRef(resumed["loom.since_best"]).getAsInteger(10, sinceBest);
    // The best weights so far, if that run kept them beside its checkpoint.
    std::string resumedBest = siblingPath(args.resume, "best.safetensors");
    std::map<std::string, rt::HostTensor> tensors;
    if (sys::fs::exists(resumedBest) &&
        rt::loadCheckpoint(resumedBest, tensors, nullptr))
      for (const rt::ParamInfo &p : main.executable().params)
        if (auto it = tensors.find(p.name);
            it != tensors.end() && it->second.type() == p.type)
          best[p.name] = std::move(it->second);
  }
  std::string bestPath =
      checkpoint.empty() ? "" : siblingPath(checkpoint, "best.safetensors");

  // Saving: the latest state (what --resume continues from) and the best
  // weights (kept in memory between saves), both atomically, when the
  // policy says so; the metrics file with them.
  int64_t completed = startEpoch, savedEpoch = -1;
  bool bestDirty = false;
  auto lastSave = std::chrono::steady_clock::now();
  auto metadata = [&]() {
    std::map<std::string, std::string> meta = {
        {"loom.epoch", std::to_string(completed)},
        {"loom.seed", std::to_string(args.seed)},
        {"loom.config", configText},
        {"loom.command", command}};
    if (trackBest) {
      meta["loom.best_loss"] = fullNumber(bestLoss);
      meta["loom.best_epoch"] = std::to_string(bestEpoch);
      meta["loom.since_best"] = std::to_string(sinceBest);
    }
    data->prep.toMetadata(meta);
    return meta;
  };
  auto saveNow = [&](bool withLast) -> Error {
    if (!metricsFile.empty())
      if (rt::Status st = rt::writeFileAtomic(metricsFile, metricsCsv.text());
          !st)
        return createStringError(st.message());
    if (saveLast && withLast) {
      if (Error e = trainer.save(checkpoint, metadata()))
        return e;
      savedEpoch = completed;
      if (args.model.verbose)
        errs() << "loomc: saved " << checkpoint << " after epoch " << completed
               << "\n";
    }
    if (saveBest && bestDirty && !best.empty()) {
      auto meta = metadata();
      meta["loom.epoch"] = std::to_string(bestEpoch);
      if (Error e = trainer.saveWeights(bestPath, best, meta))
        return e;
      bestDirty = false;
      if (args.model.verbose)
        errs() << "loomc: saved " << bestPath << " (epoch " << bestEpoch
               << ") after epoch " << completed << "\n";
    }
    lastSave = std::chrono::steady_clock::now();
    return Error::success();
  };
  // On an error: the best weights so far are saved, and the last state
  // when it is still good (a failed step leaves the weights from before it;
  // a non-finite validation loss means they are not); the message names
  // what is on disk. Resuming from a stop inside an epoch restarts that
  // epoch from those weights.
  auto stopped = [&](std::string why, bool lastIsGood) {
    if (Error e = saveNow(/*withLast=*/lastIsGood))
      consumeError(std::move(e));
    std::string where =
        checkpoint.empty() ? std::string("no checkpoint was requested")
        : savedEpoch >= 0 || sys::fs::exists(checkpoint)
            ? "the last good checkpoint is " + checkpoint
            : std::string("no checkpoint was written yet");
    return fail(why + "; training stopped (" + where + ")");
  };

  int64_t trainSamples = data->train.size();
  for (int64_t epoch = startEpoch; epoch < args.epochs; ++epoch) {
    auto epochStart = std::chrono::steady_clock::now();
    batches.startEpoch(uint64_t(epoch));
    progress.startEpoch(epoch + 1, args.epochs, stepsPerEpoch);
    std::map<std::string, double> sums;
    int64_t seen = 0;
    double lr = args.lr;
    for (rt::Batch b; batches.next(b);) {
      lr = schedule->lr(main.step(), epoch, totalSteps);
      std::map<std::string, double> values;
      if (Error e = trainer.trainStep(b, lr, values)) {
        progress.finishEpoch();
        return stopped(toString(std::move(e)), /*lastIsGood=*/true);
      }
      for (auto &[k, v] : values)
        sums[k] += v * double(b.size);
      seen += b.size;
      Progress::Values running;
      for (const std::string &l : losses)
        running.push_back({l, sums[l] / double(seen)});
      if (!firstMetric.empty() && !multiLoss)
        running.push_back({firstMetric, sums[firstMetric] / double(seen)});
      progress.update(b.index + 1, running, seen);
    }
    progress.finishEpoch();
    double trainSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                      epochStart)
            .count();
    for (auto &[k, v] : sums)
      v /= double(seen);
    std::map<std::string, double> val;
    std::string valUnits;
    if (haveVal) {
      if (Error e = trainer.evaluate(data->val, args.batch, val))
        return fail(std::move(e));
      auto units = targetUnits(trainer, *data, data->val, args.batch);
      if (!units)
        return fail(units.takeError());
      valUnits = *units;
    }
    double epochSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                      epochStart)
            .count();
    completed = epoch + 1;
    outs() << "epoch " << (epoch + 1) << "/" << args.epochs << "  train "
           << describe(sums, stepValues);
    if (haveVal)
      outs() << "  |  val " << describe(val, reported) << valUnits;
    outs() << "  (" << format("%.2f", epochSeconds) << " s)\n";
    outs().flush();
    metricsCsv.addEpoch(epoch + 1, main.step(), lr, epochSeconds,
                        double(trainSamples) / std::max(trainSeconds, 1e-9),
                        sums, haveVal ? &val : nullptr);

    // The sample grid after every epoch, so a long run can be watched.
    if (sampler)
      if (Error e = sampler->write(main, args.samples))
        return fail(std::move(e));

    bool improved = false;
    if (trackBest) {
      // Best = lowest validation loss. Without validation data (--keep
      // best), the training loss of the weights as they are now (the
      // running mean above mixes the weights of every step of the epoch,
      // which is not what a checkpoint would hold).
      double monitored = 0;
      if (haveVal) {
        monitored = val["loss"];
      } else {
        std::map<std::string, double> now;
        if (Error e = trainer.evaluate(data->train, args.batch, now))
          return fail(std::move(e));
        monitored = now["loss"];
      }
      if (!std::isfinite(monitored))
        return stopped("non-finite " +
                       std::string(haveVal ? "validation" : "training") +
                       " loss after epoch " + std::to_string(epoch + 1),
                       /*lastIsGood=*/false);
      improved = monitored < bestLoss;
      if (improved) {
        bestLoss = monitored;
        bestEpoch = epoch + 1;
        sinceBest = 0;
        best.clear();
        for (const rt::ParamInfo &p : main.executable().params)
          best[p.name] = main.param(p.name)->clone();
        bestDirty = true;
      } else {
        ++sinceBest;
      }
    }
    bool earlyStop =
        trackBest && !improved && args.patience > 0 && sinceBest >= args.patience;
    bool due = args.saveEvery > 0
                   ? (epoch + 1) % args.saveEvery == 0
                   : std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - lastSave)
                             .count() >= 5.0;
    if (due || earlyStop || epoch + 1 == args.epochs)
      if (Error e = saveNow(/*withLast=*/true))
        return fail(std::move(e));
    if (earlyStop) {
      outs() << "early stopping: validation loss has not improved for "
             << args.patience << " epochs (best " << fmt(bestLoss)
             << " after epoch " << bestEpoch << ")\n";
      break;
    }
  }

  // The weights training ends with: the best epoch's or the last.
  if (keep == "best" && !best.empty()) {
    for (auto &[name, value] : best)
      if (rt::Status st = main.setParam(name, value.clone()); !st)
        return fail(st.message());
    outs() << "final weights: best, from epoch " << bestEpoch << " (lowest "
           << (haveVal ? "validation" : "training") << " loss "
           << fmt(bestLoss) << ")\n";
  } else {
    outs() << "final weights: last, after epoch " << completed << "\n";
  }
  bool haveTest = data->test.size() > 0;
  const rt::Dataset &final = haveTest ? data->test : data->train;
  std::map<std::string, double> test;
  if (Error e = trainer.evaluate(final, args.batch, test))
    return fail(std::move(e));
  auto testUnits = targetUnits(trainer, *data, final, args.batch);
  if (!testUnits)
    return fail(testUnits.takeError());
  outs() << (haveTest ? "test " : "train (no test split) ")
         << describe(test, reported) << *testUnits << "\n";
  metricsCsv.addTest(main.step(), test);
  if (!metricsFile.empty())
    if (rt::Status st = rt::writeFileAtomic(metricsFile, metricsCsv.text()); !st)
      return fail(st.message());
  if (!args.report.empty())
    if (Error e = writeReport(trainer, *data, final, args.batch, args.report))
      return fail(std::move(e));
  if (!args.samples.empty())
    outs() << "samples: " << args.samples << "\n";
  if (saveBest && bestEpoch > 0)
    outs() << "best checkpoint: " << bestPath << " (epoch " << bestEpoch
           << ")\n";
  if (saveLast)
    outs() << "last checkpoint: " << checkpoint << "\n";
  if (!metricsFile.empty())
    outs() << "metrics: " << metricsFile << "\n";
  if (args.generate > 0)
    return generateAfterTraining(cc, *model, main, final, args);
  return 0;
}

int runEval(const EvalArgs &args) {
  if (!args.report.empty())
    if (Error e = checkWritable(args.report))
      return fail(std::move(e));
  if (!args.predictions.empty())
    if (Error e = checkWritable(args.predictions))
      return fail(std::move(e));
  // The preprocessing the model was trained with, from its checkpoint:
  // applied to this data instead of refitting it.
  auto stored = readStoredPreprocessing(args.checkpoint);
  if (!stored)
    return fail(stored.takeError());
  rt::FittedPreprocessing &fitted = *stored;

  auto model = loadModel(args.model.file, args.model.model, args.model.verbose);
  if (!model)
    return fail(model.takeError());
  CompilerContext cc;
  cc.verbose = args.model.verbose;
  Trainer trainer(cc, *model, loom::TrainingOptions(), args.seed);
  DataOptions dataOptions;
  dataOptions.valFraction = args.valFraction;
  dataOptions.testFraction = args.testFraction;
  dataOptions.seed = args.seed;
  dataOptions.fitted = &fitted;
  dataOptions.fittedFrom = args.checkpoint;
  // The checkpoint is checked against the model first: another model's
  // checkpoint is named as such, not as a mismatch of its stored columns.
  if (auto s = trainer.session(args.batch); !s)
    return fail(s.takeError());
  if (Error e = trainer.load(args.checkpoint, nullptr, false))
    return fail(std::move(e));
  auto data = prepare(trainer, args.data, dataOptions, args.batch);
  if (!data)
    return fail(data.takeError());
  bool haveTest = data->test.size() > 0;
  const rt::Dataset &set = haveTest ? data->test : data->train;
  outs() << "evaluating on " << (haveTest ? "the test split" : "the whole data")
         << ": " << describeSplits(*data) << "\n"
         << "preprocessing: " << fitted.describe() << " (stored in "
         << args.checkpoint << ")\n";
  std::map<std::string, double> values;
  if (Error e = trainer.evaluate(set, args.batch, values))
    return fail(std::move(e));
  auto units = targetUnits(trainer, *data, set, args.batch);
  if (!units)
    return fail(units.takeError());
  outs() << (haveTest ? "test " : "all data ")
         << describe(values, concat(trainer.lossNames(), trainer.metricNames()))
         << *units << "\n";
  if (!args.report.empty())
    if (Error e = writeReport(trainer, *data, set, args.batch, args.report))
      return fail(std::move(e));
  if (!args.predictions.empty())
    if (Error e = writePredictions(trainer, *data, set, args.batch,
                                   args.predictions))
      return fail(std::move(e));
  return 0;
}

} // namespace loomc
