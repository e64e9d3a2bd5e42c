//===- Run.cpp - loomc run: JIT the forward pass and run it on files --------===//
//
// Reads every input file first (so a bad file fails before any compiling),
// finds the batch size from the inputs declared with `batch`, builds the
// model for it, compiles it for the CPU and runs `forward` in a runtime
// session. Outputs are printed, or written (atomically) to .npy/.csv files.
//
//===----------------------------------------------------------------------===//
#include "ArtifactRunner.h"
#include "NumberText.h"
#include "DataSpec.h"
#include "Driver.h"
#include "Target/CPU/JitCompiler.h"
#include "TrainResults.h"
#include "Trainer.h"
#include "Transforms/Training.h"

#include "Loom/ShapeInference.h"
#include "loom/rt/core/Artifact.h"
#include "loom/rt/core/Checkpoint.h"
#include "loom/rt/core/FileUtil.h"
#include "loom/rt/core/Format.h"
#include "loom/rt/data/Preprocess.h"
#include "loom/rt/core/Io.h"
#include "loom/rt/core/Session.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstring>
#include <map>

using namespace llvm;
namespace rt = loom::rt;

namespace loomc {
namespace {

/// Splits NAME=FILE; false if there is no '=' or either side is empty.
bool splitBinding(StringRef spec, std::string &name, std::string &file) {
  auto [n, f] = spec.split('=');
  if (n.empty() || f.empty() || !spec.contains('='))
    return false;
  name = n.str();
  file = f.str();
  return true;
}

std::string declaredShape(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") +
         (shape[i] == -1 ? std::string("batch") : std::to_string(shape[i]));
  return s + "]";
}

struct LoadedInput {
  std::string file;
  rt::HostTensor tensor;
};

/// Checks the files against the declared inputs and returns the batch size
/// they imply (or `fallback` if no input uses `batch`).
Expected<int64_t> bindBatch(const loom::dsl::ModelInterface &interface,
                            const std::map<std::string, LoadedInput> &given,
                            const std::string &modelName, int64_t fallback) {
  // Labels only feed the loss: `run` (the forward pass) takes no labels.
  std::vector<loom::dsl::InputDecl> forwardInputs;
  for (const auto &in : interface.inputs)
    if (!in.isLabel)
      forwardInputs.push_back(in);
  std::string declared;
  for (const auto &in : forwardInputs)
    declared += (declared.empty() ? "" : ", ") + in.name;
  for (const auto &[name, input] : given)
    if (llvm::none_of(forwardInputs,
                      [&](const auto &in) { return in.name == name; }))
      return createStringError("model '" + modelName +
                               "' has no input named '" + name +
                               "' (its inputs: " + declared + ")");
  int64_t batch = -1;
  std::string batchFrom;
  for (const auto &decl : forwardInputs) {
    auto it = given.find(decl.name);
    if (it == given.end())
      return createStringError("missing input '" + decl.name + "' " +
                               declaredShape(decl.shape) +
                               "; pass --input " + decl.name + "=FILE");
    const rt::HostTensor &t = it->second.tensor;
    const std::vector<int64_t> &shape = t.shape();
    auto mismatch = [&]() {
      return createStringError(
          "input '" + decl.name + "' from '" + it->second.file +
          "' has shape " + loom::shapeString(shape) +
          ", but the model expects " + declaredShape(decl.shape));
    };
    if (t.dtype() != rt::DType::F32)
      return createStringError("input '" + decl.name + "' from '" +
                               it->second.file + "' has element type " +
                               rt::dtypeName(t.dtype()) +
                               ", but the model expects f32");
    if (shape.size() != decl.shape.size())
      return mismatch();
    for (size_t d = 0; d < shape.size(); ++d) {
      if (decl.shape[d] != -1) {
        if (decl.shape[d] != shape[d])
          return mismatch();
        continue;
      }
      if (batch == -1) {
        batch = shape[d];
        batchFrom = decl.name;
      } else if (batch != shape[d]) {
        return createStringError(
            "inputs disagree on the batch size: '" + batchFrom + "' has " +
            std::to_string(batch) + ", '" + decl.name + "' from '" +
            it->second.file + "' has " + std::to_string(shape[d]));
      }
    }
  }
  if (batch == 0)
    return createStringError("the inputs are empty (batch size 0)");
  return batch == -1 ? fallback : batch;
}

} // namespace

int runRun(const RunArgs &args) {
  // A compiled artifact runs without the compiler (as loom-run runs it).
  if (rt::looksLikeArtifact(args.model.file)) {
    if (!args.data.empty() || args.model.batch > 0 || !args.model.model.empty())
      return fail("--data, --batch and --model are for model files; " +
                  args.model.file + " is a compiled artifact (its model and "
                  "batch are fixed): pass --input NAME=FILE");
    loom::ArtifactRunArgs r;
    r.program = "loomc";
    r.artifact = args.model.file;
    r.inputs = args.inputs;
    r.outputs = args.outputs;
    r.checkpoint = args.checkpoint;
    r.seed = args.seed;
    r.verbose = args.model.verbose;
    return loom::runArtifact(r);
  }
  auto fitted = readStoredPreprocessing(args.checkpoint);
  if (!fitted)
    return fail(fitted.takeError());
  if (!args.data.empty() && !args.inputs.empty())
    return fail("run takes its inputs from --input files or from --data, "
                "not both");
  // Inputs first: a missing or malformed file fails before any compiling.
  std::map<std::string, LoadedInput> given;
  for (const std::string &spec : args.inputs) {
    std::string name, file;
    if (!splitBinding(spec, name, file))
      return fail("--input expects NAME=FILE, got '" + spec + "'");
    if (given.count(name))
      return fail("input '" + name + "' is given twice");
    rt::HostTensor tensor;
    if (rt::Status s = rt::readTensorFile(file, tensor); !s)
      return fail(s.message());
    given[name] = {file, std::move(tensor)};
  }

  auto model = loadModel(args.model.file, args.model.model, args.model.verbose);
  if (!model)
    return fail(model.takeError());
  CompilerContext cc;
  cc.verbose = args.model.verbose;

  // Build once to learn the declared inputs, then for the real batch size.
  int64_t fallback = args.model.batch > 0 ? args.model.batch : 1;
  loom::dsl::ModelInterface interface;
  auto module = loom::dsl::buildModel(cc.context, *model, fallback, &interface);
  if (!module)
    return 1;

  // The input the stored standardization belongs to (the model's only
  // input when the checkpoint does not say).
  std::string featureInput = fitted->featureInput;
  if (featureInput.empty()) {
    for (const auto &in : interface.inputs)
      if (!in.isLabel)
        featureInput = featureInput.empty() ? in.name : std::string("\n");
    if (featureInput == "\n")
      featureInput.clear();
  }
  if (!args.data.empty()) {
    // Rows of a data file: the stored columns and preprocessing, the
    // label column (when the file has it) skipped, the whole file one batch.
    const loom::dsl::InputDecl *decl = nullptr;
    for (const auto &in : interface.inputs)
      if (!in.isLabel && in.name == featureInput)
        decl = &in;
    if (!decl)
      return fail("--data feeds one input, and model '" + model->name +
                  "' has " +
                  (featureInput.empty() ? std::string("several")
                                        : "no input '" + featureInput + "'"));
    DataOptions o;
    o.valFraction = 0;
    o.testFraction = 0;
    o.fitted = &*fitted;
    o.fittedFrom = args.checkpoint;
    o.labelOptional = true;
    o.featureShape.assign(decl->shape.begin() + 1, decl->shape.end());
    auto rows = loadData(args.data, o);
    if (!rows)
      return fail(rows.takeError());
    rt::HostTensor &x = rows->train.features;
    std::vector<int64_t> shape = decl->shape;
    shape[0] = x.shape()[0];
    int64_t want = 1;
    for (int64_t d : shape)
      want *= d;
    if (want != x.numElements())
      return fail(rows->source + ": the features have " +
                  std::to_string(x.numElements() / std::max<int64_t>(1, shape[0])) +
                  " values per row, but model '" + model->name +
                  "' declares '" + featureInput + "' as " +
                  declaredShape(decl->shape));
    rt::HostTensor t(rt::TensorType{rt::DType::F32, shape});
    std::memcpy(t.data(), x.data(), t.byteSize());
    given[featureInput] = {rows->source, std::move(t)};
  }
  auto batch = bindBatch(interface, given, model->name, fallback);
  if (!batch)
    return fail(batch.takeError());
  if (args.model.batch > 0 && *batch != args.model.batch)
    return fail("--batch " + Twine(args.model.batch) +
                " disagrees with the inputs' batch size " + Twine(*batch));
  if (*batch != fallback) {
    module = loom::dsl::buildModel(cc.context, *model, *batch);
    if (!module)
      return 1;
  }

  // Output destinations, checked before running.
  std::map<std::string, std::string> outputFiles;
  for (const std::string &spec : args.outputs) {
    std::string name, file;
    if (!splitBinding(spec, name, file)) {
      if (interface.outputs.size() != 1)
        return fail("model '" + model->name + "' has " +
                    Twine(interface.outputs.size()) +
                    " outputs; use --output NAME=FILE");
      name = interface.outputs.front();
      file = spec;
    }
    if (llvm::find(interface.outputs, name) == interface.outputs.end())
      return fail("model '" + model->name + "' has no output named '" + name +
                  "'");
    StringRef ext = StringRef(file).rsplit('.').second.lower();
    if (ext != "npy" && ext != "csv")
      return fail("output file '" + file +
                  "' must end in .npy or .csv");
    outputFiles[name] = file;
  }

  // A training model's @forward also returns its loss and metrics; `run`
  // wants the outputs only (and no labels).
  if (interface.hasLoss && failed(loom::pruneForward(*module)))
    return fail("pruning the forward pass of '" + model->name + "' failed");
  auto executable =
      loom::compileForCPU(*module, cc.compileOptions(model->name));
  if (!executable)
    return fail(executable.takeError());
  if (args.model.verbose)
    for (const rt::EntryPoint &e : (*executable)->entries)
      errs() << "loomc: entry '" << e.name << "' allocates " << e.tempBuffers
             << " temporary buffers, " << e.tempBytes << " bytes per call\n";
  std::unique_ptr<rt::Session> session;
  if (rt::Status s = rt::Session::create(*executable, args.seed, session); !s)
    return fail(s.message());
  if (!args.checkpoint.empty())
    if (Error e = loadCheckpointInto(*session, args.checkpoint, model->name,
                                     /*withOptimizerState=*/false, nullptr))
      return fail(std::move(e));
  // --input files get the stored standardization (after the checkpoint
  // is known to be this model's); --data rows already have it.
  if (args.data.empty() && fitted->features)
    if (auto it = given.find(featureInput); it != given.end()) {
      if (rt::Status st =
              fitted->applyToFeatures(it->second.tensor, it->second.file);
          !st)
        return fail(st.message());
      errs() << "loomc: note: input '" << featureInput
             << "' standardized with the training split's statistics stored "
                "in "
             << args.checkpoint << "\n";
    }
  std::map<std::string, rt::HostTensor> inputs, results;
  for (auto &[name, input] : given)
    inputs[name] = std::move(input.tensor);
  if (rt::Status s = session->run("forward", inputs, results); !s)
    return fail(s.message());

  if (fitted->target) {
    auto it = results.find(fitted->targetOutput);
    if (it == results.end())
      return fail(args.checkpoint + ": the stored target statistics belong "
                  "to output '" + fitted->targetOutput + "', which model '" +
                  model->name + "' does not have");
    if (rt::Status st = fitted->invertTargets(it->second, args.checkpoint); !st)
      return fail(st.message());
  }
  for (const std::string &name : interface.outputs) {
    const rt::HostTensor &value = results.at(name);
    auto file = outputFiles.find(name);
    if (file == outputFiles.end()) {
      outs() << name << " " << value.type().str() << " =\n"
             << rt::formatTensor(value) << "\n";
      continue;
    }
    if (!args.data.empty() && rt::fileExtension(file->second) == ".csv") {
      if (rt::Status s = rt::writeFileAtomic(file->second,
                                             predictionsTable(name, value, nullptr));
          !s)
        return fail(s.message());
      continue;
    }
    if (rt::Status s = rt::writeTensorFile(file->second, value); !s)
      return fail(s.message());
  }
  return 0;
}

} // namespace loomc
