//===- Run.cpp - loomc run: JIT the forward pass and run it on files --------===//
//
// Reads every input file first (so a bad file fails before any compiling),
// finds the batch size from the inputs declared with `batch`, builds the
// model for it, compiles it for the CPU and runs `forward` in a runtime
// session. Outputs are printed, or written (atomically) to .npy/.csv files.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"
#include "Target/CPU/JitCompiler.h"
#include "Trainer.h"
#include "Transforms/Training.h"

#include "Loom/ShapeInference.h"
#include "loom/rt/Format.h"
#include "loom/rt/Io.h"
#include "loom/rt/Session.h"

#include "llvm/Support/raw_ostream.h"

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
  std::map<std::string, rt::HostTensor> inputs, results;
  for (auto &[name, input] : given)
    inputs[name] = std::move(input.tensor);
  if (rt::Status s = session->run("forward", inputs, results); !s)
    return fail(s.message());

  for (const std::string &name : interface.outputs) {
    const rt::HostTensor &value = results.at(name);
    auto file = outputFiles.find(name);
    if (file == outputFiles.end()) {
      outs() << name << " " << value.type().str() << " =\n"
             << rt::formatTensor(value) << "\n";
      continue;
    }
    if (rt::Status s = rt::writeTensorFile(file->second, value); !s)
      return fail(s.message());
  }
  return 0;
}

} // namespace loomc
