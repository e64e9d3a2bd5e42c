//===- loomc.cpp - The Loom driver ------------------------------------------===//
//
// `loomc emit` prints a model's IR at a stage of the pipeline; `loomc run`
// JIT-compiles its forward pass for the CPU and runs it on input files.
// Every subcommand has --help. Model files are built by the host compiler
// and cached (see DSL/ModelLoader.h).
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "Loom/LoomDialect.h"
#include "Pipelines.h"

#include "Target/CPU/JitCompiler.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;

namespace loomc {

int fail(const Twine &message) {
  WithColor::error(errs(), "loomc") << message << "\n";
  return 1;
}

int fail(Error error) {
  int rc = 0;
  handleAllErrors(std::move(error),
                  [&](const ErrorInfoBase &e) { rc = fail(e.message()); });
  return rc;
}

CompilerContext::CompilerContext() {
  mlir::DialectRegistry registry;
  loom::registerCPUTargetDialects(registry);
  registry.insert<loom::LoomDialect>();
  context.appendDialectRegistry(registry);
  context.loadDialect<loom::LoomDialect>();
  handler = std::make_unique<mlir::SourceMgrDiagnosticHandler>(sourceMgr,
                                                               &context);
}
CompilerContext::~CompilerContext() = default;

Expected<loom::dsl::ModelEntry> loadModel(const std::string &path,
                                          const std::string &modelName,
                                          bool verbose) {
  auto models = loom::dsl::loadModelFile(path, {.verbose = verbose});
  if (!models)
    return models.takeError();
  return loom::dsl::selectModel(*models, modelName, path);
}

} // namespace loomc

namespace {
cl::SubCommand emitCmd("emit", "Print a model's IR at a pipeline stage");
cl::SubCommand runCmd("run", "JIT-compile a model for the CPU and run its "
                             "forward pass on input files");

// Shared by the subcommands.
cl::opt<std::string> modelFile(cl::Positional, cl::desc("<model.cpp>"),
                               cl::Required, cl::sub(emitCmd), cl::sub(runCmd));
cl::opt<std::string> modelName("model",
                               cl::desc("Model to use when the file defines "
                                        "several (LOOM_MODEL(name))"),
                               cl::value_desc("name"), cl::sub(emitCmd),
                               cl::sub(runCmd));
cl::opt<int64_t> batchSize("batch",
                           cl::desc("Batch size to compile for (run: taken "
                                    "from the inputs by default; emit: 1)"),
                           cl::init(-1), cl::sub(emitCmd), cl::sub(runCmd));
cl::opt<bool> verbose("v", cl::desc("Say what is built and what is cached"),
                      cl::sub(emitCmd), cl::sub(runCmd));

// emit
cl::opt<std::string> stage("stage",
                           cl::desc("Stage to stop after: graph, lowered "
                                    "(linalg on tensors), llvm (LLVM "
                                    "dialect) or llvm-ir"),
                           cl::init("graph"), cl::sub(emitCmd));
cl::opt<std::string> emitOutput("o", cl::desc("Write the IR to this file"),
                                cl::value_desc("file"), cl::init("-"),
                                cl::sub(emitCmd));

// run
cl::list<std::string> inputs("input",
                             cl::desc("A model input from a .npy or .csv "
                                      "file (repeat for each input)"),
                             cl::value_desc("NAME=FILE"), cl::sub(runCmd));
cl::list<std::string> outputs("output",
                              cl::desc("Write outputs to .npy/.csv files "
                                       "instead of printing them: FILE when "
                                       "the model has one output, else "
                                       "NAME=FILE (repeatable)"),
                              cl::value_desc("FILE|NAME=FILE"),
                              cl::sub(runCmd));
cl::opt<uint64_t> seed("seed", cl::desc("Seed of the parameter initializers"),
                       cl::init(0), cl::sub(runCmd));
} // namespace

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  InitializeNativeTarget();
  InitializeNativeTargetAsmPrinter();
  cl::ParseCommandLineOptions(
      argc, argv,
      "loomc: the Loom model compiler\n\n"
      "  loomc emit MODEL.cpp [--model NAME] [--stage graph|lowered|llvm|llvm-ir]\n"
      "  loomc run MODEL.cpp [--model NAME] --input NAME=FILE ... [--output FILE]\n\n"
      "Run 'loomc <subcommand> --help' for a subcommand's options.\n");
  loomc::ModelArgs model{modelFile, modelName, batchSize, verbose};
  if (emitCmd) {
    return loomc::runEmit({model, stage, emitOutput});
  }
  if (runCmd) {
    return loomc::runRun({model,
                          std::vector<std::string>(inputs.begin(), inputs.end()),
                          std::vector<std::string>(outputs.begin(), outputs.end()),
                          seed});
  }
  return loomc::fail("no subcommand given; see 'loomc --help'");
}
