//===- Pipelines.cpp - The order of Loom's passes, in one place -----------===//
//
// The whole compiler, end to end:
//
//   graph:    the DSL's loom module, canonicalized (folds, CSE)
//   lowered:  composites decomposed, loom -> linalg/tensor/arith/math
//   llvm:     bufferized (results become out-parameters), loops, LLVM dialect
//
// loomc's --stage flag and loom-opt's named pipelines both come from here.
//
//===----------------------------------------------------------------------===//
#include "Pipelines.h"
#include "Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace loom {

void buildGraphPipeline(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void buildLowerToLinalgPipeline(OpPassManager &pm) {
  pm.addPass(createLoomDecompose());
  pm.addPass(createConvertLoomToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

/// Upstream passes by name: this reads like the documented mlir-opt
/// invocation and survives MLIR's frequent renames of C++ factories.
static const char *kLowerToLLVM =
    "eliminate-empty-tensors,"
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-results-to-out-params,"
    "buffer-deallocation-pipeline,"
    "convert-linalg-to-loops,"
    "expand-strided-metadata,"
    "lower-affine,"
    "convert-scf-to-cf,"
    "finalize-memref-to-llvm,"
    "math-expand-ops,"
    "convert-math-to-llvm,"
    "convert-math-to-libm,"
    "convert-arith-to-llvm,"
    "convert-cf-to-llvm,"
    "convert-func-to-llvm,"
    "convert-ub-to-llvm,"
    "reconcile-unrealized-casts";

void buildLowerToLLVMPipeline(OpPassManager &pm) {
  if (failed(parsePassPipeline(kLowerToLLVM, pm)))
    llvm::report_fatal_error("Loom's LLVM pipeline string does not parse");
}

void buildPipelineUpTo(OpPassManager &pm, Stage stage) {
  buildGraphPipeline(pm);
  if (stage == Stage::Graph)
    return;
  buildLowerToLinalgPipeline(pm);
  if (stage == Stage::Lowered)
    return;
  buildLowerToLLVMPipeline(pm);
}

void registerLoomPassesAndPipelines() {
  registerLoomPasses();
  PassPipelineRegistration<>("loom-graph", "Loom's graph-level cleanup",
                             buildGraphPipeline);
  PassPipelineRegistration<>("loom-lower-to-linalg",
                             "Lower loom ops to linalg on tensors",
                             buildLowerToLinalgPipeline);
  PassPipelineRegistration<>("loom-lower-to-llvm",
                             "Bufferize and lower to the LLVM dialect",
                             buildLowerToLLVMPipeline);
}

} // namespace loom
