//===- loomc.cpp - The Loom driver ------------------------------------------===//
//
// `loomc emit` prints a model's IR at a stage of the pipeline; `loomc run`
// JIT-compiles its forward pass for the CPU and runs it on input files.
// Every subcommand has --help. Model files are built by the host compiler
// and cached (see DSL/ModelLoader.h).
//
//===----------------------------------------------------------------------===//
#include "Driver.h"
#include "Generate.h"

#include "Loom/LoomDialect.h"
#include "Pipelines.h"

#include "Target/CPU/JitCompiler.h"
#include "loom/rt/core/Artifact.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
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

loom::CompileOptions
CompilerContext::compileOptions(const std::string &modelName) const {
  loom::CompileOptions o;
  o.modelName = modelName;
  auto setting = llvm::sys::Process::GetEnv("LOOM_COMPILE_CACHE");
  if (!setting || (*setting != "off" && *setting != "0")) {
    SmallString<256> dir(loom::dsl::cacheDirectory());
    llvm::sys::path::append(dir, "objects");
    o.cacheDir = std::string(dir);
  }
  if (verbose)
    o.log = &llvm::errs();
  return o;
}

Expected<loom::dsl::ModelEntry> loadModel(const std::string &path,
                                          const std::string &modelName,
                                          bool verbose) {
  if (loom::rt::looksLikeArtifact(path))
    return createStringError(
        path + " is a compiled artifact (loomc build); this subcommand takes "
               "the model file (MODEL.cpp); `loomc run` and `loom-run` run "
               "artifacts");
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
cl::SubCommand trainCmd("train", "Train a model on data with a compiled "
                                 "training step");
cl::SubCommand benchCmd("bench", "Time a model's compiled train_step and "
                                 "forward on synthetic data (for bench/)");
cl::SubCommand generateCmd("generate",
                           "Generate text with a trained character model");
cl::SubCommand buildCmd("build", "Compile a model ahead of time into a .loom "
                                 "artifact the runtime loads without the "
                                 "compiler");
cl::SubCommand evalCmd("eval", "Report a checkpoint's loss and metrics on "
                               "the test split of the data");

// Shared by the subcommands.
cl::opt<std::string> modelFile(cl::Positional, cl::desc("<model.cpp>"),
                               cl::Required, cl::sub(emitCmd), cl::sub(runCmd),
                               cl::sub(buildCmd),
                               cl::sub(trainCmd), cl::sub(evalCmd),
                               cl::sub(benchCmd), cl::sub(generateCmd));
cl::opt<std::string> modelName("model",
                               cl::desc("Model to use when the file defines "
                                        "several (LOOM_MODEL(name); default: "
                                        "the file's only model)"),
                               cl::value_desc("name"), cl::sub(emitCmd),
                               cl::sub(buildCmd),
                               cl::sub(runCmd), cl::sub(trainCmd),
                               cl::sub(evalCmd), cl::sub(benchCmd),
                               cl::sub(generateCmd));
cl::opt<int64_t> batchSize("batch",
                           cl::desc("Batch size to compile for (run: taken "
                                    "from the inputs by default; emit: 1)"),
                           cl::init(-1), cl::sub(emitCmd), cl::sub(runCmd),
                           cl::sub(benchCmd), cl::sub(buildCmd));
cl::opt<bool> verbose("v",
                      cl::desc("Say what is built, what is cached and what "
                               "is saved (default: off)"),
                      cl::sub(emitCmd), cl::sub(runCmd), cl::sub(trainCmd),
                      cl::sub(evalCmd), cl::sub(benchCmd),
                      cl::sub(generateCmd), cl::sub(buildCmd));
cl::opt<uint64_t> seed("seed",
                       cl::desc("Seed of the parameter initializers, the data "
                                "split and the shuffling (default: 0)"),
                       cl::init(0), cl::sub(runCmd), cl::sub(trainCmd),
                       cl::sub(evalCmd), cl::sub(generateCmd));
cl::opt<std::string> checkpoint(
    "checkpoint",
    cl::desc("run/eval/generate: the trained weights to use (safetensors; "
             "their stored preprocessing is applied); train: FILE holds the "
             "last state (weights, optimizer state, step: what --resume "
             "continues from), the best weights go to FILE.best.safetensors "
             "and the per-epoch metrics to FILE.metrics.csv (all written "
             "atomically; default: none)"),
    cl::value_desc("file"), cl::sub(runCmd), cl::sub(trainCmd),
    cl::sub(evalCmd), cl::sub(generateCmd));

// train and eval
cl::opt<std::string> data(
    "data",
    cl::desc("The data: csv=PATH,label=COLUMN[,features=A:B] | "
             "fashion-mnist[=DIR] | idx=IMAGES:LABELS | npy=FEATURES:LABELS | "
             "text=FILE_OR_DIR[,stride=S] (character models); then "
             "[,test=F][,val=F] (given splits, in the source's form), "
             "[,standardize] (csv, idx, npy, fashion-mnist), "
             "[,standardize-target] (csv, npy), [,classes=A:B...], "
             "[,limit=N]; an option the source does not take is an error. "
             "run: rows to predict (csv: the label column is skipped) "
             "instead of --input (default: none; train and eval need it)"),
    cl::value_desc("spec"), cl::sub(trainCmd), cl::sub(evalCmd),
    cl::sub(runCmd));
cl::opt<double> valFraction(
    "val-fraction",
    cl::desc("Share of the training source carved out for validation "
             "(default: 0.15; 0 when --data gives val=)"),
    cl::init(0.15), cl::sub(trainCmd), cl::sub(evalCmd));
cl::opt<double> testFraction(
    "test-fraction",
    cl::desc("Share of the training source carved out for test (default: "
             "0.15; 0 when the source has a test set or --data gives test=)"),
    cl::init(0.15), cl::sub(trainCmd), cl::sub(evalCmd));
cl::opt<int64_t> epochs("epochs", cl::desc("Epochs to train (default: 1)"),
                        cl::init(1), cl::sub(trainCmd));
cl::opt<int64_t> trainBatch(
    "batch",
    cl::desc("Examples per step (train) or per evaluation call (eval) "
             "(default: 32)"),
    cl::init(32), cl::sub(trainCmd), cl::sub(evalCmd));
cl::opt<double> lr("lr",
                   cl::desc("Learning rate, the schedule's base (default: "
                            "0.01)"),
                   cl::init(0.01), cl::sub(trainCmd));
cl::opt<std::string> optimizer(
    "optimizer",
    cl::desc("sgd, momentum, nesterov, adam or adamw (default: sgd)"),
    cl::init("sgd"), cl::sub(trainCmd), cl::sub(benchCmd));
cl::opt<std::string> benchEntry("entry",
                                cl::desc("train_step, forward or both "
                                         "(default: both)"),
                                cl::init("both"), cl::sub(benchCmd));
cl::opt<int64_t> benchSteps("steps",
                            cl::desc("Timed calls, at least (default: 50)"),
                            cl::init(50), cl::sub(benchCmd));
cl::opt<int64_t> benchWarmup("warmup",
                             cl::desc("Untimed calls first (default: 5)"),
                             cl::init(5), cl::sub(benchCmd));
cl::opt<double> benchSeconds(
    "min-seconds", cl::desc("Keep timing for at least this long (default: 1)"),
    cl::init(1.0), cl::sub(benchCmd));
cl::opt<double> momentum(
    "momentum",
    cl::desc("Momentum of --optimizer momentum or nesterov (default: 0.9; an "
             "error with another optimizer)"),
    cl::init(0.9), cl::sub(trainCmd), cl::sub(buildCmd));
cl::opt<double> beta1("beta1",
                      cl::desc("Adam/AdamW: decay of the first moment "
                               "(default: 0.9; an error with another "
                               "optimizer)"),
                      cl::init(0.9), cl::sub(trainCmd), cl::sub(buildCmd));
cl::opt<double> beta2("beta2",
                      cl::desc("Adam/AdamW: decay of the second moment "
                               "(default: 0.999; an error with another "
                               "optimizer)"),
                      cl::init(0.999), cl::sub(trainCmd), cl::sub(buildCmd));
cl::opt<std::string> samplesFile(
    "samples",
    cl::desc("After each epoch, write the model's 'samples' output (e.g. a "
             "generator's images, [batch, H*W] in [0, 1] or [-1, 1]) as an "
             "8x8 grid PGM image (default: none)"),
    cl::value_desc("file.pgm"), cl::sub(trainCmd));
cl::list<std::string> lossGroups(
    "losses",
    cl::desc("Of a model with several losses, run only these losses' train "
             "steps (comma-separated names, e.g. discriminator; default: "
             "all)"),
    cl::value_desc("names"), cl::CommaSeparated, cl::sub(trainCmd));
cl::opt<double> weightDecay(
    "weight-decay",
    cl::desc("L2 weight decay, decoupled for adamw (default: 0)"),
    cl::init(0.0), cl::sub(trainCmd), cl::sub(buildCmd));
cl::opt<double> clipNorm("clip-norm",
                         cl::desc("Clip gradients to this global norm "
                                  "(default: 0, off)"),
                         cl::init(0.0), cl::sub(trainCmd), cl::sub(buildCmd));
cl::opt<std::string> schedule(
    "schedule",
    cl::desc("constant, step:EVERY:GAMMA, exp:GAMMA, cosine, warmup:STEPS "
             "or warmup:STEPS,cosine (default: constant)"),
    cl::init("constant"), cl::sub(trainCmd));
cl::opt<int64_t> patience(
    "early-stopping",
    cl::desc("Stop after this many epochs without a better validation loss "
             "(needs a validation split; default: 0, off)"),
    cl::value_desc("patience"), cl::init(0), cl::sub(trainCmd));
cl::opt<std::string> resume("resume",
                            cl::desc("Continue training from a checkpoint "
                                     "(weights, optimizer state, step; "
                                     "default: none)"),
                            cl::value_desc("file"), cl::sub(trainCmd));
cl::opt<std::string> initWeights(
    "init",
    cl::desc("Start from these weights (a checkpoint's parameters; optimizer "
             "state is not loaded; default: the initializers)"),
    cl::value_desc("file"), cl::sub(trainCmd));
cl::opt<bool> initPartial(
    "init-partial",
    cl::desc("With --init: load the parameters the file has (same name and "
             "shape), initialize the others, ignore the file's extra tensors "
             "(a pretrained body with a new head; default: off)"),
    cl::sub(trainCmd));
cl::list<std::string> freeze(
    "freeze",
    cl::desc("Do not train the parameters whose names start with these "
             "prefixes (comma-separated, e.g. conv1,conv2; default: none)"),
    cl::value_desc("prefixes"), cl::CommaSeparated, cl::sub(trainCmd),
    cl::sub(buildCmd));
cl::opt<bool> shuffleData("shuffle",
                      cl::desc("Visit the training data in a new seeded order "
                               "each epoch (default: true; --shuffle=false: "
                               "file order)"),
                      cl::init(true), cl::sub(trainCmd));
cl::opt<bool> noProgress("no-progress",
                         cl::desc("No live progress line, even on a terminal "
                                  "(default: off)"),
                         cl::sub(trainCmd));

cl::opt<std::string> keepWeights(
    "keep",
    cl::desc("Which weights training ends with and tests: best (lowest "
             "validation loss; without a validation split, lowest training "
             "loss) or last (default: best when there is a validation "
             "split, else last)"),
    cl::value_desc("best|last"), cl::init(""), cl::sub(trainCmd));
cl::opt<std::string> saveWhich(
    "save",
    cl::desc("Checkpoint files to write: last (FILE), best "
             "(FILE.best.safetensors) or both (default: both)"),
    cl::value_desc("last|best|both"), cl::init("both"), cl::sub(trainCmd));
cl::opt<int64_t> saveEvery(
    "save-every",
    cl::desc("Write the checkpoints every N epochs and at the end (default: "
             "0: after an epoch when 5 s have passed since the last save, and "
             "at the end)"),
    cl::value_desc("N"), cl::init(0), cl::sub(trainCmd));
cl::opt<std::string> reportFile(
    "report",
    cl::desc("Print the test split's report (per-class precision, recall, "
             "F1 and the confusion matrix; RMSE, MAE and R^2 in target "
             "units for regression) and write it as JSON to this file "
             "(default: none)"),
    cl::value_desc("file.json"), cl::sub(trainCmd), cl::sub(evalCmd));
cl::opt<std::string> predictionsFile(
    "predictions",
    cl::desc("Write each test example's prediction (the first output, in "
             "target units) and label to this CSV file (default: none)"),
    cl::value_desc("file.csv"), cl::sub(evalCmd));

// train --generate and generate
cl::opt<int64_t> generateChars(
    "generate",
    cl::desc("After training a character model, generate this many bytes "
             "of text (from --prompt or the test split's first window; "
             "default: 0, none)"),
    cl::value_desc("n"), cl::init(0), cl::sub(trainCmd));
cl::opt<int64_t> generateLength("length",
                                cl::desc("Bytes of text to generate "
                                         "(default: 400)"),
                                cl::init(400), cl::sub(generateCmd));
cl::opt<double> temperature(
    "temperature",
    cl::desc("Sampling temperature: below 1 sharper, above 1 flatter "
             "(default: 1)"),
    cl::init(1.0), cl::sub(trainCmd), cl::sub(generateCmd));
cl::opt<std::string> prompt("prompt",
                            cl::desc("Text the generated text continues "
                                     "(default: the test split's first "
                                     "window)"),
                            cl::sub(trainCmd), cl::sub(generateCmd));

// emit
cl::opt<std::string> stage("stage",
                           cl::desc("Stage to stop after: graph, fused "
                                    "(linalg on tensors after fusion, one "
                                    "op per kernel; also 'lowered'), plan "
                                    "(buffers: workspace layout, GEMM "
                                    "calls, kernel functions), llvm (LLVM "
                                    "dialect) or llvm-ir (default: graph)"),
                           cl::init("graph"), cl::sub(emitCmd));
cl::opt<std::string> emitTrain(
    "train",
    cl::desc("Also build the training entries (@eval, @train_step) with "
             "this optimizer: sgd, momentum, nesterov, adam or adamw "
             "(default: none)"),
    cl::value_desc("optimizer"), cl::init(""), cl::sub(emitCmd),
    cl::sub(buildCmd));
cl::opt<std::string> emitOutput("o",
                                cl::desc("Write the IR to this file "
                                         "(default: stdout)"),
                                cl::value_desc("file"), cl::init("-"),
                                cl::sub(emitCmd), cl::sub(buildCmd));

// build
cl::list<std::string> buildEntries(
    "entries",
    cl::desc("Entries to compile, comma-separated: forward, eval, train_step "
             "(default: every entry built: forward, and eval and train_step "
             "with --train)"),
    cl::value_desc("names"), cl::CommaSeparated, cl::sub(buildCmd));
cl::opt<std::string> buildCpu(
    "cpu",
    cl::desc("The CPU the code may assume: x86-64-v3 (AVX2 + FMA, the "
             "portable default), x86-64, x86-64-v4, native (this machine's "
             "CPU and features) or an LLVM CPU name (default: x86-64-v3)"),
    cl::init("x86-64-v3"), cl::sub(buildCmd));

// run
cl::list<std::string> inputs("input",
                             cl::desc("A model input from a .npy or .csv "
                                      "file (repeat for each input; the "
                                      "checkpoint's stored standardization "
                                      "is applied; default: none)"),
                             cl::value_desc("NAME=FILE"), cl::sub(runCmd));
cl::list<std::string> outputs("output",
                              cl::desc("Write outputs to .npy/.csv files "
                                       "instead of printing them: FILE when "
                                       "the model has one output, else "
                                       "NAME=FILE (repeatable); with --data, "
                                       "a .csv of row,prediction (default: "
                                       "print)"),
                              cl::value_desc("FILE|NAME=FILE"),
                              cl::sub(runCmd));
} // namespace

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  InitializeNativeTarget();
  InitializeNativeTargetAsmPrinter();
  cl::ParseCommandLineOptions(
      argc, argv,
      "loomc: the Loom model compiler\n\n"
      "  loomc emit MODEL.cpp [--model NAME] [--stage graph|fused|plan|llvm|llvm-ir] [--train OPT]\n"
      "  loomc run MODEL.cpp [--model NAME] --input NAME=FILE ... [--output FILE]\n"
      "  loomc train MODEL.cpp --data SPEC --epochs N --batch B --lr LR ...\n"
      "  loomc eval MODEL.cpp --data SPEC --checkpoint FILE\n"
      "  loomc build MODEL.cpp --batch B [--train OPT] [--cpu CPU] -o MODEL.loom\n"
      "  loomc generate MODEL.cpp --checkpoint FILE [--prompt TEXT] [--length N]\n\n"
      "Run 'loomc <subcommand> --help' for a subcommand's options.\n");
  loomc::ModelArgs model{modelFile, modelName, batchSize, verbose};
  if (emitCmd) {
    return loomc::runEmit({model, stage, emitOutput, emitTrain});
  }
  if (runCmd) {
    loomc::RunArgs r{model,
                     std::vector<std::string>(inputs.begin(), inputs.end()),
                     std::vector<std::string>(outputs.begin(), outputs.end()),
                     seed, checkpoint};
    r.data = data;
    return loomc::runRun(r);
  }
  if (trainCmd) {
    if (data.empty())
      return loomc::fail("train needs --data SPEC");
    loomc::TrainArgs t;
    t.model = model;
    t.model.batch = -1;
    t.data = data;
    t.epochs = epochs;
    t.batch = trainBatch;
    t.lr = lr;
    t.optimizer = optimizer;
    t.momentum = momentum;
    t.beta1 = beta1;
    t.beta2 = beta2;
    t.samples = samplesFile;
    t.weightDecay = weightDecay;
    t.clipNorm = clipNorm;
    t.schedule = schedule;
    t.patience = patience;
    t.checkpoint = checkpoint;
    t.resume = resume;
    t.init = initWeights;
    t.initPartial = initPartial;
    t.freeze.assign(freeze.begin(), freeze.end());
    t.losses.assign(lossGroups.begin(), lossGroups.end());
    t.seed = seed;
    if (valFraction.getNumOccurrences())
      t.valFraction = valFraction.getValue();
    if (testFraction.getNumOccurrences())
      t.testFraction = testFraction.getValue();
    t.noProgress = noProgress;
    t.keep = keepWeights;
    t.save = saveWhich;
    t.saveEvery = saveEvery;
    t.report = reportFile;
    for (auto &[name, option] : trainCmd.OptionsMap)
      if (option->getNumOccurrences())
        t.given.insert(name.str());
    t.shuffle = shuffleData;
    t.generate = generateChars;
    t.temperature = temperature;
    if (prompt.getNumOccurrences())
      t.prompt = prompt.getValue();
    return loomc::runTrain(t);
  }
  if (buildCmd) {
    loomc::BuildArgs b;
    b.model = model;
    b.batch = batchSize;
    b.train.optimizer = emitTrain;
    b.train.momentum = momentum;
    b.train.beta1 = beta1;
    b.train.beta2 = beta2;
    b.train.weightDecay = weightDecay;
    b.train.clipNorm = clipNorm;
    b.train.freeze.assign(freeze.begin(), freeze.end());
    for (auto &[name, option] : buildCmd.OptionsMap)
      if (option->getNumOccurrences())
        b.train.given.insert(name.str());
    b.entries.assign(buildEntries.begin(), buildEntries.end());
    b.cpu = buildCpu;
    b.output = emitOutput;
    return loomc::runBuild(b);
  }
  if (benchCmd) {
    loomc::BenchArgs b;
    b.model = model;
    b.optimizer = optimizer;
    b.entry = benchEntry;
    b.steps = benchSteps;
    b.warmup = benchWarmup;
    b.minSeconds = benchSeconds;
    return loomc::runBench(b);
  }
  if (generateCmd) {
    if (checkpoint.empty())
      return loomc::fail("generate needs --checkpoint FILE");
    loomc::GenerateArgs g;
    g.model = model;
    g.checkpoint = checkpoint;
    g.prompt = prompt;
    g.length = generateLength;
    g.temperature = temperature;
    g.seed = seed;
    return loomc::runGenerate(g);
  }
  if (evalCmd) {
    if (checkpoint.empty())
      return loomc::fail("eval needs --checkpoint FILE");
    if (data.empty())
      return loomc::fail("eval needs --data SPEC");
    loomc::EvalArgs e{model, data, checkpoint, trainBatch, seed};
    if (valFraction.getNumOccurrences())
      e.valFraction = valFraction.getValue();
    if (testFraction.getNumOccurrences())
      e.testFraction = testFraction.getValue();
    e.report = reportFile;
    e.predictions = predictionsFile;
    return loomc::runEval(e);
  }
  return loomc::fail("no subcommand given; see 'loomc --help'");
}
