//===- Driver.h - Shared pieces of loomc's subcommands ----------------------===//
//
// The MLIR context every subcommand uses (all dialects the pipelines reach,
// and a diagnostic handler that prints `file:line:col: error:` with the
// user's source line), loading a model from its file, and error reporting.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "DSL/ModelLoader.h"
#include "Target/CPU/JitCompiler.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace loomc {

/// Prints "loomc: error: MESSAGE" and returns exit status 1.
int fail(const llvm::Twine &message);
/// The same for an llvm::Error.
int fail(llvm::Error error);

/// An MLIR context with every dialect and interface Loom's pipelines use,
/// and diagnostics printed against the user's model file.
struct CompilerContext {
  CompilerContext();
  ~CompilerContext();
  /// Options for compileForCPU: the compile cache in
  /// $LOOM_CACHE_DIR/objects (off when LOOM_COMPILE_CACHE=off), and with
  /// `verbose` a line per compile saying whether the cache was used.
  loom::CompileOptions compileOptions(const std::string &modelName) const;
  bool verbose = false;
  mlir::MLIRContext context;
  llvm::SourceMgr sourceMgr;
  std::unique_ptr<mlir::SourceMgrDiagnosticHandler> handler;
};

/// Loads the model file and picks `modelName` (or the only model).
llvm::Expected<loom::dsl::ModelEntry>
loadModel(const std::string &path, const std::string &modelName, bool verbose);

/// Options common to the subcommands that build a model.
struct ModelArgs {
  std::string file;
  std::string model;  // empty: the file's only model
  int64_t batch = -1; // -1: from the input data, else 1
  bool verbose = false;
};

struct EmitArgs {
  ModelArgs model;
  std::string stage = "graph"; // graph | fused | plan | llvm | llvm-ir
  std::string output = "-";
  /// Non-empty: also build @eval and @train_step for this optimizer.
  std::string train;
};
int runEmit(const EmitArgs &args);

struct RunArgs {
  ModelArgs model;
  std::vector<std::string> inputs;  // NAME=FILE
  std::vector<std::string> outputs; // FILE, or NAME=FILE
  uint64_t seed = 0;
  std::string checkpoint; // weights to run with instead of the initializers
  /// --data: rows of a data file instead of --input files (csv: the label
  /// column, when present, is skipped), run as one batch.
  std::string data;
};
int runRun(const RunArgs &args);

struct TrainArgs {
  ModelArgs model;
  std::string data;
  int64_t epochs = 1;
  int64_t batch = 32;
  double lr = 0.01;
  std::string optimizer = "sgd";
  double momentum = 0.9;
  double beta1 = 0.9, beta2 = 0.999; // adam, adamw
  double weightDecay = 0.0;
  double clipNorm = 0.0;
  std::string schedule = "constant";
  int64_t patience = 0; // early stopping; 0 = off
  std::string checkpoint, resume;
  std::string init; // weights to start from (transfer learning, cross-checks)
  bool initPartial = false; // --init loads the parameters the file has
  std::vector<std::string> freeze; // parameter-name prefixes not trained
  /// Of a model with several losses, train only these (empty: all).
  std::vector<std::string> losses;
  uint64_t seed = 0;
  /// Unset: 0.15, or 0 for a split given as a file (DataSpec.h).
  std::optional<double> valFraction, testFraction;
  bool noProgress = false;
  /// Which weights training ends with: "best" (lowest validation loss),
  /// "last", or "" for best when there is a validation split, else last.
  std::string keep;
  /// Which checkpoint files are written ("last", "best" or "both"), and
  /// every how many epochs (0: when at least 5 s passed since the last
  /// save, and at the end).
  std::string save = "both";
  int64_t saveEvery = 0;
  /// --report FILE.json: the test split's report at the end.
  std::string report;
  /// The flags given on the command line (by name, without "--"), so a
  /// flag the chosen optimizer does not use is an error, not ignored.
  std::set<std::string> given;
  bool shuffle = true;
  /// Character models: bytes of text to generate after training, from
  /// `prompt` (or, when none is given, the start of the test split).
  int64_t generate = 0;
  double temperature = 1.0;
  std::optional<std::string> prompt;
  /// Where to write a grid of the model's "samples" output (a PGM image)
  /// after each epoch; empty: none. See Samples.h.
  std::string samples;
};
int runTrain(const TrainArgs &args);

struct EvalArgs {
  ModelArgs model;
  std::string data;
  std::string checkpoint;
  int64_t batch = 256;
  uint64_t seed = 0;
  std::optional<double> valFraction, testFraction;
  std::string report;      // FILE.json: per-class or regression report
  std::string predictions; // FILE.csv: each example's prediction and label
};
int runEval(const EvalArgs &args);

struct BuildArgs {
  ModelArgs model;
  int64_t batch = -1;
  /// --train OPTIMIZER and its flags (train.optimizer empty: inference only).
  TrainArgs train;
  std::vector<std::string> entries; // empty: every entry built
  std::string cpu = "x86-64-v3";
  std::string output;
};
int runBuild(const BuildArgs &args);

struct BenchArgs {
  ModelArgs model;
  std::string optimizer = "sgd";
  std::string entry = "both"; // train_step | forward | both
  int64_t steps = 50, warmup = 5;
  double minSeconds = 1.0;
};
int runBench(const BenchArgs &args);

} // namespace loomc
