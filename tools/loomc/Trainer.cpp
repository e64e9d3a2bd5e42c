//===- Trainer.cpp - Sessions per batch size over one set of weights --------===//
//
// See Trainer.h. Checkpoint layout: parameters under their own names
// ("fc.weight"), optimizer state under "optim.<state name>", and metadata
// "loom.model", "loom.step" plus whatever the caller adds.
//
//===----------------------------------------------------------------------===//
#include "Trainer.h"

#include "Loom/ShapeInference.h"
#include "Target/CPU/JitCompiler.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "loom/rt/core/Checkpoint.h"
#include "loom/rt/core/SessionCheckpoint.h"

#include <cstring>

using namespace llvm;
namespace rt = loom::rt;

namespace loomc {
namespace {
constexpr const char *kStatePrefix = rt::kOptimizerStatePrefix;

Error statusError(const rt::Status &s) { return createStringError(s.message()); }

std::vector<int64_t> perExample(const std::vector<int64_t> &shape) {
  return std::vector<int64_t>(shape.begin() + 1, shape.end());
}

int64_t product(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string shapeText(const std::vector<int64_t> &perExampleShape) {
  std::vector<int64_t> s = {-1};
  s.insert(s.end(), perExampleShape.begin(), perExampleShape.end());
  std::string t = loom::shapeString(s);
  return "[batch" + t.substr(3); // "[-1, 30]" -> "[batch, 30]"
}
} // namespace

Expected<loom::dsl::ModelInterface> Trainer::interface() {
  loom::dsl::ModelInterface iface;
  if (!loom::dsl::buildModel(cc_.context, model_, 1, &iface))
    return createStringError("building model '" + model_.name + "' failed");
  return iface;
}

Error Trainer::bind(const rt::Dataset &data, const std::string &source) {
  loom::dsl::ModelInterface iface;
  if (!loom::dsl::buildModel(cc_.context, model_, 1, &iface))
    return createStringError("building model '" + model_.name + "' failed");
  metricNames_ = iface.metrics;
  lossGroups_ = iface.lossGroups;
  for (const auto &in : iface.inputs) {
    std::string &slot = in.isLabel ? binding_.labelInput : binding_.featureInput;
    if (!slot.empty())
      return createStringError(
          "model '" + model_.name + "' has more than one " +
          (in.isLabel ? "label" : "input") +
          "; loomc train binds one input and one label to the data");
    if (in.shape.empty() || in.shape[0] != -1)
      return createStringError("model '" + model_.name + "': " +
                               (in.isLabel ? "label '" : "input '") + in.name +
                               "' must have `batch` as its first dimension");
    slot = in.name;
    (in.isLabel ? binding_.labelShape : binding_.featureShape) =
        perExample(in.shape);
  }
  if (binding_.featureInput.empty())
    return createStringError("model '" + model_.name +
                             "' needs one input (and at most one label) "
                             "to train on data");
  // Per-example sizes must agree; the layout may differ by unit dims (CSV
  // labels are [N, 1], a classifier's label is [batch]).
  auto check = [&](const rt::HostTensor &t, const std::vector<int64_t> &want,
                   const std::string &name, const char *what) -> Error {
    std::vector<int64_t> got = perExample(t.shape());
    if (product(got) == product(want))
      return Error::success();
    return createStringError(source + ": the " + what + " have shape " +
                             shapeText(got) + " per batch, but model '" +
                             model_.name + "' declares '" + name + "' as " +
                             shapeText(want));
  };
  if (Error e = check(data.features, binding_.featureShape,
                      binding_.featureInput, "features"))
    return e;
  if (binding_.labelInput.empty())
    return Error::success(); // learns from the features alone
  return check(data.labels, binding_.labelShape, binding_.labelInput,
               "labels");
}

Expected<std::unique_ptr<rt::Session>>
Trainer::compileSession(int64_t batch, bool withTrainStep) {
  auto module = loom::dsl::buildModel(cc_.context, model_, batch);
  if (!module)
    return createStringError("building model '" + model_.name + "' failed");
  if (failed(loom::buildTrainingEntries(*module, training_)))
    return createStringError("deriving the training step of model '" +
                             model_.name + "' failed");
  // An evaluation-only session (a batch size only evaluation meets) skips
  // compiling the training step, the largest entry by far.
  if (!withTrainStep)
    for (auto f : llvm::make_early_inc_range(
             module->getOps<mlir::func::FuncOp>()))
      if (f.getSymName().starts_with("train_step"))
        f.erase();
  auto exe = loom::compileForCPU(*module, cc_.compileOptions(model_.name));
  if (!exe)
    return exe.takeError();
  std::unique_ptr<rt::Session> s;
  if (rt::Status st = rt::Session::create(*exe, seed_, s); !st)
    return statusError(st);
  return std::move(s);
}

Expected<rt::Session *> Trainer::session(int64_t batch) {
  if (auto it = sessions_.find(batch); it != sessions_.end())
    return it->second.get();
  auto s = compileSession(batch, /*withTrainStep=*/true);
  if (!s)
    return s.takeError();
  if (mainBatch_ < 0)
    mainBatch_ = batch;
  rt::Session *raw = s->get();
  sessions_[batch] = std::move(*s);
  return raw;
}

Expected<rt::Session *> Trainer::evalSession(int64_t batch) {
  if (auto it = sessions_.find(batch); it != sessions_.end()) {
    if (it->second.get() != &main())
      if (Error e = syncFromMain(*it->second))
        return std::move(e);
    return it->second.get();
  }
  auto it = evalSessions_.find(batch);
  if (it == evalSessions_.end()) {
    auto s = compileSession(batch, /*withTrainStep=*/false);
    if (!s)
      return s.takeError();
    it = evalSessions_.emplace(batch, std::move(*s)).first;
  }
  rt::Session &m = main();
  for (const rt::ParamInfo &p : it->second->executable().params)
    if (rt::Status st = it->second->setParam(p.name, m.param(p.name)->clone());
        !st)
      return statusError(st);
  return it->second.get();
}

Error Trainer::syncFromMain(rt::Session &s) {
  rt::Session &m = main();
  for (const rt::ParamInfo &p : m.executable().params)
    if (rt::Status st = s.setParam(p.name, m.param(p.name)->clone()); !st)
      return statusError(st);
  for (const std::string &name : m.stateNames())
    if (rt::Status st = s.setState(name, m.state(name)->clone()); !st)
      return statusError(st);
  s.setStep(m.step());
  return Error::success();
}

Error Trainer::syncToMain(rt::Session &s) {
  rt::Session &m = main();
  for (const rt::ParamInfo &p : s.executable().params)
    if (rt::Status st = m.setParam(p.name, s.param(p.name)->clone()); !st)
      return statusError(st);
  for (const std::string &name : s.stateNames())
    if (rt::Status st = m.setState(name, s.state(name)->clone()); !st)
      return statusError(st);
  m.setStep(s.step());
  return Error::success();
}

Expected<std::map<std::string, rt::HostTensor>>
Trainer::inputsFor(const rt::Batch &batch) const {
  std::map<std::string, rt::HostTensor> inputs;
  auto reshaped = [&](const rt::HostTensor &src,
                      const std::vector<int64_t> &shape) {
    std::vector<int64_t> full = {batch.size};
    full.insert(full.end(), shape.begin(), shape.end());
    rt::HostTensor t(rt::TensorType{rt::DType::F32, full});
    std::memcpy(t.data(), src.data(), t.byteSize());
    return t;
  };
  inputs[binding_.featureInput] =
      reshaped(*batch.features, binding_.featureShape);
  if (!binding_.labelInput.empty())
    inputs[binding_.labelInput] = reshaped(*batch.labels, binding_.labelShape);
  return inputs;
}

Error Trainer::trainStep(const rt::Batch &batch, double lr,
                         std::map<std::string, double> &values) {
  if (mainBatch_ < 0) {
    if (auto s = session(batch.size); !s)
      return s.takeError();
  }
  auto s = session(batch.size);
  if (!s)
    return s.takeError();
  bool borrowed = *s != &main();
  if (borrowed)
    if (Error e = syncFromMain(**s))
      return e;
  auto inputs = inputsFor(batch);
  if (!inputs)
    return inputs.takeError();
  std::map<std::string, rt::HostTensor> out;
  if (lossGroups_.empty()) {
    if (rt::Status st = (*s)->trainStep(*inputs, lr, out); !st)
      return statusError(st);
  } else {
    std::map<std::string, rt::HostTensor> groupOut;
    for (const std::string &g : lossGroups_) {
      if (rt::Status st = (*s)->trainStep("train_step_" + g, g + "_loss",
                                          *inputs, lr, groupOut,
                                          /*advance=*/false);
          !st)
        return statusError(st);
      for (auto &[name, t] : groupOut)
        out[name] = std::move(t);
    }
    (*s)->setStep((*s)->step() + 1);
  }
  if (borrowed)
    if (Error e = syncToMain(**s))
      return e;
  values.clear();
  for (auto &[name, t] : out)
    values[name] = t.at(0);
  return Error::success();
}

std::vector<std::string> Trainer::lossNames() const {
  if (lossGroups_.empty())
    return {"loss"};
  std::vector<std::string> names;
  for (const std::string &g : lossGroups_)
    names.push_back(g + "_loss");
  return names;
}

Error Trainer::selectLossGroups(const std::vector<std::string> &names) {
  if (lossGroups_.empty())
    return createStringError("--losses: model '" + model_.name +
                             "' has one loss; --losses picks among the "
                             "named losses of a model with several");
  std::vector<std::string> selected;
  for (const std::string &g : lossGroups_) // keep the declared order
    if (llvm::is_contained(names, g))
      selected.push_back(g);
  for (const std::string &n : names)
    if (!llvm::is_contained(lossGroups_, n)) {
      std::string known;
      for (const std::string &g : lossGroups_)
        known += (known.empty() ? "" : ", ") + g;
      return createStringError("--losses: model '" + model_.name +
                               "' has no loss named '" + n + "' (it has " +
                               known + ")");
    }
  lossGroups_ = std::move(selected);
  return Error::success();
}

Error Trainer::forEachBatch(
    const rt::Dataset &data, int64_t batchSize,
    function_ref<Error(const rt::Batch &, rt::Session &,
                       std::map<std::string, rt::HostTensor> &)>
        fn) {
  rt::BatchIterator it;
  rt::BatchOptions bo;
  bo.batchSize = batchSize;
  bo.shuffle = false;
  if (rt::Status st = rt::BatchIterator::create(data, bo, it); !st)
    return statusError(st);
  if (mainBatch_ < 0)
    if (auto s = session(batchSize); !s)
      return s.takeError();
  for (rt::Batch b; it.next(b);) {
    auto s = evalSession(b.size);
    if (!s)
      return s.takeError();
    auto inputs = inputsFor(b);
    if (!inputs)
      return inputs.takeError();
    if (Error e = fn(b, **s, *inputs))
      return e;
  }
  return Error::success();
}

Error Trainer::evaluate(const rt::Dataset &data, int64_t batchSize,
                        std::map<std::string, double> &values) {
  values.clear();
  if (data.size() == 0)
    return Error::success();
  Error e = forEachBatch(
      data, batchSize,
      [&](const rt::Batch &b, rt::Session &s,
          std::map<std::string, rt::HostTensor> &inputs) -> Error {
        std::map<std::string, rt::HostTensor> out;
        if (rt::Status st = s.run("eval", inputs, out); !st)
          return statusError(st);
        for (auto &[name, t] : out)
          values[name] += t.at(0) * double(b.size);
        return Error::success();
      });
  if (e)
    return e;
  for (auto &[name, v] : values)
    v /= double(data.size());
  return Error::success();
}

Expected<rt::HostTensor> Trainer::predict(const rt::Dataset &data,
                                          int64_t batchSize,
                                          const std::string &name) {
  rt::HostTensor all;
  int64_t done = 0, perExampleElems = 0;
  Error e = forEachBatch(
      data, batchSize,
      [&](const rt::Batch &b, rt::Session &s,
          std::map<std::string, rt::HostTensor> &inputs) -> Error {
        inputs.erase(binding_.labelInput);
        std::map<std::string, rt::HostTensor> out;
        if (rt::Status st = s.run("forward", inputs, out); !st)
          return statusError(st);
        auto found = out.find(name);
        if (found == out.end())
          return createStringError("model '" + model_.name +
                                   "' has no output named '" + name + "'");
        const rt::HostTensor &t = found->second;
        if (t.shape().empty() || t.shape()[0] != b.size ||
            t.dtype() != rt::DType::F32)
          return createStringError("output '" + name + "' of model '" +
                                   model_.name + "' is " + t.type().str() +
                                   ", not f32 [batch, ...]: it has no row "
                                   "per example");
        if (!all.hasStorage()) {
          std::vector<int64_t> shape = t.shape();
          shape[0] = data.size();
          all = rt::HostTensor(rt::TensorType{rt::DType::F32, shape});
          perExampleElems = t.numElements() / b.size;
        }
        std::memcpy(all.as<float>() + done * perExampleElems, t.as<float>(),
                    t.byteSize());
        done += b.size;
        return Error::success();
      });
  if (e)
    return std::move(e);
  return std::move(all);
}

Error Trainer::save(const std::string &path,
                    std::map<std::string, std::string> metadata) {
  if (rt::Status st = rt::saveSessionCheckpoint(main(), path, std::move(metadata));
      !st)
    return statusError(st);
  return Error::success();
}

Error Trainer::saveWeights(const std::string &path,
                           const std::map<std::string, rt::HostTensor> &w,
                           std::map<std::string, std::string> metadata) {
  std::vector<std::pair<std::string, const rt::HostTensor *>> tensors;
  for (const rt::ParamInfo &p : main().executable().params) {
    auto it = w.find(p.name);
    tensors.push_back({p.name, it != w.end() ? &it->second : main().param(p.name)});
  }
  metadata["loom.model"] = model_.name;
  if (rt::Status st = rt::saveCheckpoint(path, tensors, metadata); !st)
    return statusError(st);
  return Error::success();
}

Error loadCheckpointInto(rt::Session &m, const std::string &path,
                         const std::string &modelName, bool withOptimizerState,
                         std::map<std::string, std::string> *metadata) {
  if (rt::Status st = rt::loadSessionCheckpoint(
          m, path,
          withOptimizerState ? rt::OptimizerStateLoad::Required
                             : rt::OptimizerStateLoad::Ignore,
          metadata, modelName);
      !st)
    return statusError(st);
  return Error::success();
}

Expected<std::string> loadPartialInto(rt::Session &m, const std::string &path) {
  std::map<std::string, rt::HostTensor> tensors;
  if (rt::Status st = rt::loadCheckpoint(path, tensors, nullptr); !st)
    return statusError(st);
  std::vector<std::string> loaded, fresh;
  for (const rt::ParamInfo &p : m.executable().params) {
    auto it = tensors.find(p.name);
    if (it == tensors.end()) {
      fresh.push_back(p.name);
      continue;
    }
    if (it->second.type() != p.type)
      return createStringError(
          path + ": tensor '" + p.name + "' is " + it->second.type().str() +
          " but the model's parameter is " + p.type.str());
    if (rt::Status st = m.setParam(p.name, std::move(it->second)); !st)
      return statusError(st);
    loaded.push_back(p.name);
    tensors.erase(it);
  }
  if (loaded.empty())
    return createStringError(path + ": no tensor matches a parameter of the "
                                    "model (--init-partial loads by name)");
  size_t ignored = 0;
  for (auto &[name, t] : tensors)
    ignored += name.rfind(kStatePrefix, 0) != 0;
  std::string report = "init: " + std::to_string(loaded.size()) +
                       " parameters from " + path + ", " +
                       std::to_string(fresh.size()) + " initialized";
  for (size_t i = 0; i < fresh.size(); ++i)
    report += (i ? ", " : " (") + fresh[i] + (i + 1 == fresh.size() ? ")" : "");
  report += ", " + std::to_string(ignored) + " tensors of the file unused";
  return report;
}

Error Trainer::load(const std::string &path,
                    std::map<std::string, std::string> *metadata,
                    bool withOptimizerState) {
  return loadCheckpointInto(main(), path, model_.name, withOptimizerState,
                            metadata);
}

} // namespace loomc
