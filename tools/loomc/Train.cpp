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
#include "Generate.h"
#include "Progress.h"
#include "Samples.h"
#include "Schedule.h"
#include "Trainer.h"

#include "loom/rt/Checkpoint.h"
#include "loom/rt/FileUtil.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

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
/// Full float precision for the metrics file (it is data, not a display).
std::string full(double v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
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

Expected<loom::TrainingOptions> trainingOptions(const TrainArgs &a) {
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

Expected<loom::TrainingOptions> trainingOptionsFor(const std::string &name) {
  TrainArgs a;
  a.optimizer = name;
  return trainingOptions(a);
}

int runTrain(const TrainArgs &args) {
  if (args.epochs < 1)
    return fail("--epochs must be at least 1");
  if (args.batch < 1)
    return fail("--batch must be at least 1");
  if (!(args.lr > 0))
    return fail("--lr must be positive");
  auto options = trainingOptions(args);
  if (!options)
    return fail(options.takeError());
  auto schedule = parseSchedule(args.schedule, args.lr);
  if (!schedule)
    return fail(schedule.takeError());
  auto model = loadModel(args.model.file, args.model.model, args.model.verbose);
  if (!model)
    return fail(model.takeError());
  CompilerContext cc;
  cc.verbose = args.model.verbose;
  Trainer trainer(cc, *model, *options, args.seed);
  auto data = prepare(trainer, args.data, {args.valFraction, args.testFraction,
                                            args.seed},
                      args.batch);
  if (!data)
    return fail(data.takeError());
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
  if (multiLoss && args.patience > 0)
    return fail("--early-stopping needs one loss to monitor, and model '" +
                model->name + "' trains " + std::to_string(losses.size()) +
                " (its loss groups); train for a fixed number of epochs");
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

  std::string checkpoint = args.checkpoint;
  std::string metricsFile = checkpoint.empty() ? "" : siblingPath(checkpoint, "metrics.csv");
  std::string metricsCsv;
  if (!metricsFile.empty() && startEpoch > 0) {
    // Keep the earlier epochs' rows when resuming.
    if (rt::Status st = rt::readFile(metricsFile, metricsCsv); !st)
      metricsCsv.clear();
  }
  if (metricsCsv.empty()) {
    metricsCsv = "epoch,step,lr";
    for (const std::string &m : stepValues)
      metricsCsv += ",train_" + m;
    for (const std::string &m : reported)
      metricsCsv += ",val_" + m;
    metricsCsv += "\n";
  }

  outs() << "training '" << model->name << "' on " << data->description
         << "\n  " << stepsPerEpoch << " steps per epoch of batch "
         << args.batch << ", optimizer " << args.optimizer << ", lr "
         << format("%g", args.lr) << "\n";
  outs().flush();
  Progress progress(errs(), ::isatty(2) && !args.noProgress);
  bool haveVal = data->val.size() > 0;
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

  for (int64_t epoch = startEpoch; epoch < args.epochs; ++epoch) {
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
        std::string where = checkpoint.empty()
                                ? std::string("no checkpoint was requested")
                                : "the last good checkpoint is " + checkpoint;
        return fail(toString(std::move(e)) + "; training stopped (" + where +
                    ")");
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
    for (auto &[k, v] : sums)
      v /= double(seen);
    std::map<std::string, double> val;
    if (haveVal)
      if (Error e = trainer.evaluate(data->val, args.batch, val))
        return fail(std::move(e));
    outs() << "epoch " << (epoch + 1) << "/" << args.epochs << "  train "
           << describe(sums, stepValues);
    if (haveVal)
      outs() << "  |  val " << describe(val, reported);
    outs() << "\n";
    outs().flush();

    metricsCsv += std::to_string(epoch + 1) + "," +
                  std::to_string(main.step()) + "," + full(lr);
    for (const std::string &m : stepValues)
      metricsCsv += "," + full(sums[m]);
    for (const std::string &m : reported)
      metricsCsv += "," + (haveVal ? full(val[m]) : std::string());
    metricsCsv += "\n";
    if (!metricsFile.empty())
      if (rt::Status st = rt::writeFileAtomic(metricsFile, metricsCsv); !st)
        return fail(st.message());

    // The sample grid after every epoch, so a long run can be watched.
    if (sampler)
      if (Error e = sampler->write(main, args.samples))
        return fail(std::move(e));
    if (multiLoss) {
      if (!checkpoint.empty())
        if (Error e = trainer.save(checkpoint,
                                   {{"loom.epoch", std::to_string(epoch + 1)},
                                    {"loom.seed", std::to_string(args.seed)}}))
          return fail(std::move(e));
      continue;
    }

    // Best = lowest validation loss. Without validation data, the training
    // loss of the weights as they are now (the running mean above mixes
    // the weights of every step of the epoch, which is not what a
    // checkpoint would hold).
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
      return fail("non-finite " + std::string(haveVal ? "validation" : "training") +
                  " loss after epoch " + std::to_string(epoch + 1) +
                  "; training stopped" +
                  (checkpoint.empty() ? std::string()
                                      : " (the last good checkpoint is " +
                                            checkpoint + ")"));
    bool improved = monitored < bestLoss;
    if (improved) {
      bestLoss = monitored;
      bestEpoch = epoch + 1;
      sinceBest = 0;
      best.clear();
      for (const rt::ParamInfo &p : main.executable().params)
        best[p.name] = main.param(p.name)->clone();
    } else {
      ++sinceBest;
    }
    // The latest state every epoch (what --resume continues from), the
    // best weights whenever they improve; both written atomically.
    std::map<std::string, std::string> meta = {
        {"loom.epoch", std::to_string(epoch + 1)},
        {"loom.seed", std::to_string(args.seed)},
        {"loom.best_loss", full(bestLoss)},
        {"loom.best_epoch", std::to_string(bestEpoch)},
        {"loom.since_best", std::to_string(sinceBest)}};
    if (!checkpoint.empty()) {
      if (Error e = trainer.save(checkpoint, meta))
        return fail(std::move(e));
      if (improved)
        if (Error e = trainer.save(bestPath, meta))
          return fail(std::move(e));
    }
    if (!improved && args.patience > 0 && sinceBest >= args.patience) {
      outs() << "early stopping: validation loss has not improved for "
             << args.patience << " epochs (best " << fmt(bestLoss)
             << " after epoch " << bestEpoch << ")\n";
      break;
    }
  }

  // The model that training leaves is the best one seen.
  for (auto &[name, value] : best)
    if (rt::Status st = main.setParam(name, std::move(value)); !st)
      return fail(st.message());
  const rt::Dataset &final = data->test.size() > 0 ? data->test : data->train;
  std::map<std::string, double> test;
  if (Error e = trainer.evaluate(final, args.batch, test))
    return fail(std::move(e));
  outs() << (data->test.size() > 0 ? "test " : "train (no test split) ")
         << describe(test, reported) << "\n";
  if (!args.samples.empty())
    outs() << "samples: " << args.samples << "\n";
  if (!checkpoint.empty() && multiLoss)
    outs() << "last checkpoint: " << checkpoint << "\nmetrics: " << metricsFile
           << "\n";
  else if (!checkpoint.empty())
    outs() << "best checkpoint: " << bestPath << " (epoch " << bestEpoch
           << ")\nlast checkpoint: " << checkpoint
           << "\nmetrics: " << metricsFile << "\n";
  if (args.generate > 0)
    return generateAfterTraining(cc, *model, main, final, args);
  return 0;
}

int runEval(const EvalArgs &args) {
  auto model = loadModel(args.model.file, args.model.model, args.model.verbose);
  if (!model)
    return fail(model.takeError());
  CompilerContext cc;
  cc.verbose = args.model.verbose;
  Trainer trainer(cc, *model, loom::TrainingOptions(), args.seed);
  auto data = prepare(trainer, args.data, {args.valFraction, args.testFraction,
                                            args.seed},
                      args.batch);
  if (!data)
    return fail(data.takeError());
  if (Error e = trainer.load(args.checkpoint, nullptr, false))
    return fail(std::move(e));
  const rt::Dataset &set = data->test.size() > 0 ? data->test : data->train;
  std::map<std::string, double> values;
  if (Error e = trainer.evaluate(set, args.batch, values))
    return fail(std::move(e));
  outs() << (data->test.size() > 0 ? "test " : "train ")
         << describe(values, concat(trainer.lossNames(), trainer.metricNames()))
         << "\n";
  return 0;
}

} // namespace loomc
