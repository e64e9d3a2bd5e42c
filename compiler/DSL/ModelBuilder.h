//===- ModelBuilder.h - Running a model's DSL code into a loom module -------===//
//
// The compiler-side view of the DSL: the registry of models a model file
// defined, and buildModel(), which runs one model's body with a batch size
// and returns the `loom` module it built (one func.func @forward whose
// arguments carry loom.input / loom.param(+loom.init) attributes and whose
// results carry loom.output, then loom.loss and loom.metric for a model
// that declares them). Errors are MLIR diagnostics at the user's
// source line.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace loom::dsl {

using ModelFn = void (*)();

struct ModelEntry {
  std::string name;
  ModelFn fn = nullptr;
  std::string file;
  int line = 0;
};

/// The models registered so far (by every model file loaded).
const std::vector<ModelEntry> &registeredModels();
/// Forgets registrations (a tool that loads several model files in turn).
void clearRegisteredModels();

/// What a model declared, with `batch` dimensions left as -1.
struct InputDecl {
  std::string name;
  std::vector<int64_t> shape; // -1 where the model wrote `batch`
  bool isLabel = false;       // declared with label(): loss/metrics only
};
struct ModelInterface {
  std::vector<InputDecl> inputs;
  std::vector<std::string> outputs;
  bool hasLoss = false;             // declared a loss()
  /// The names of a model's several losses, in declaration order (the
  /// order loomc runs their train steps); empty for a model's one loss.
  std::vector<std::string> lossGroups;
  std::vector<std::string> metrics; // metric() names, in order
  /// The class count C of the model's softmax_cross_entropy / accuracy
  /// logits [batch, C]; 0 when it uses neither.
  int64_t numClasses = 0;
};

/// Runs `model`'s body with `batchSize` standing for `batch`. Returns null
/// after reporting errors through the context's diagnostic handler.
mlir::OwningOpRef<mlir::ModuleOp> buildModel(mlir::MLIRContext &ctx,
                                             const ModelEntry &model,
                                             int64_t batchSize,
                                             ModelInterface *interface = nullptr);

} // namespace loom::dsl
