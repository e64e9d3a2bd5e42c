//===- Pipelines.cpp - The order of Loom's passes, in one place -----------===//
//
// The whole compiler, end to end:
//
//   graph:    the DSL's loom module, canonicalized (folds, CSE)
//   lowered:  composites decomposed, loom -> linalg/tensor/arith/math,
//   (fused)   chains of pointwise ops fused into one linalg.generic: each
//             linalg op from here on is one kernel
//   plan:     bufferized (results become out-parameters), results written
//             in place and temporaries laid out in one workspace, matrix
//             products as runtime GEMM calls, each other linalg op outlined
//             into a kernel function
//   llvm:     loops, LLVM dialect
//
// A model trained by Loom first goes through -loom-training-entries
// (buildTrainingEntries in Transforms/Training.h): @forward's loss and
// metrics become @eval and @train_step (forward, gradients and optimizer in
// loom ops), and then every entry takes the pipeline above.
//
// loomc's --stage flag and loom-opt's named pipelines both come from here.
//
//===----------------------------------------------------------------------===//
#include "Pipelines.h"
#include "Passes.h"

#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

#include <cstdlib>
#include <mutex>
#include <string>

using namespace mlir;

namespace loom {

void buildGraphPipeline(OpPassManager &pm) {
  pm.addPass(createLoomAlgebraicSimplify());
  pm.addPass(createLoomFoldBatchNorm());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

bool unfusedPipeline() {
  static const bool unfused = [] {
    const char *v = std::getenv("LOOM_UNFUSED");
    return v && *v && std::string(v) != "0";
  }();
  return unfused;
}

void buildLowerToLinalgPipeline(OpPassManager &pm) {
  pm.addPass(createLoomDecompose());
  pm.addPass(createConvertLoomToLinalg());
  if (!unfusedPipeline())
    pm.addPass(createLoomFuseElementwise());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

/// Upstream passes by name: this reads like the documented mlir-opt
/// invocation and survives MLIR's frequent renames of C++ factories.
///
/// buffer-results-to-out-params needs modify-public-functions, or it leaves
/// the entry points (which are public) returning memrefs. Every result is
/// then copied into its out-param, which is what makes `return %arg0`, a
/// returned constant (a memref.get_global) and a result returned twice
/// correct. hoist-static-allocs would drop those copies but crashes in MLIR
/// 22 when one alloc is returned twice, so it stays off. The deallocation
/// pipeline runs after it, so every temporary is freed before returning.
///
/// allow-return-allocs-from-loops lets a loop yield a freshly computed
/// tensor (a recurrent layer's next state, see DecomposeRecurrent.cpp)
/// instead of requiring it to be written into its iter_arg's buffer; the
/// deallocation pipeline frees the previous iteration's buffer.
///
/// Math: -loom-approximate-math (added before this string) has replaced
/// f32 tanh and exp by polynomial approximations that vectorize;
/// convert-math-to-llvm takes what LLVM has intrinsics for (log, sqrt,
/// rsqrt, abs, pow), convert-math-to-libm the rest (erf -> erff).
/// math-expand-ops is deliberately absent: it rewrites powf as
/// exp(b * log(a)), NaN for any negative base, and tanh through
/// 1 - exp(-2|x|), which loses all relative precision near 0.
static const char *kBufferize =
    "eliminate-empty-tensors,"
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map "
    "allow-return-allocs-from-loops},"
    "buffer-results-to-out-params{modify-public-functions},"
    "buffer-deallocation-pipeline";
/// Between the two halves, -loom-record-buffer-needs notes each entry's
/// temporaries on the module for the executable.
static const char *kLowerToLLVM =
    "convert-linalg-to-loops,"
    "expand-strided-metadata,"
    "lower-affine,"
    "convert-scf-to-cf,"
    "finalize-memref-to-llvm,"
    "convert-math-to-llvm,"
    "convert-math-to-libm,"
    "convert-arith-to-llvm,"
    "convert-cf-to-llvm,"
    "convert-func-to-llvm,"
    "convert-ub-to-llvm,"
    "reconcile-unrealized-casts";

static void registerUpstreamOnce() {
  // Parsing by name needs the upstream passes registered; loom-opt does it
  // anyway, but the JIT and loomc must not depend on their caller for it.
  static std::once_flag registered;
  std::call_once(registered, [] { registerAllPasses(); });
}

/// Buffers and kernels: bufferize; the pointwise op after a matrix product
/// made to write the product's buffer (-loom-gemm-epilogue-in-place);
/// results in place and temporaries in one workspace (-loom-plan-buffers);
/// what is still allocated recorded; matrix products handed to the runtime's GEMM, with the pointwise op
/// after them as its epilogue where it fits, and direct convolutions to its
/// convolution; a fill whose interior the next op overwrites reduced to
/// its border (-loom-fill-border); strided copies made kernels; adjacent
/// loops over contiguous
/// memory merged (-loom-collapse-loops, so LLVM does not fully unroll short
/// inner loops into huge blocks); every remaining linalg op outlined into
/// its own kernel function.
void buildPlanPipeline(OpPassManager &pm) {
  registerUpstreamOnce();
  // The string is a constant checked by every JIT test: failing to parse is
  // a bug in this file, not an input error.
  pm.addPass(createLoomFillPerUse());
  pm.addPass(createLoomLoopStateInPlace());
  if (failed(parsePassPipeline(kBufferize, pm)))
    llvm::report_fatal_error("Loom's bufferization pipeline does not parse");
  // Before planning: extending C's life is free now, not once C's bytes
  // may be shared with later temporaries. Only GemmToCall profits from it.
  if (!unfusedPipeline())
    pm.addPass(createLoomGemmEpilogueInPlace());
  pm.addPass(createLoomPlanBuffers());
  pm.addPass(createLoomRecordBufferNeeds());
  if (!unfusedPipeline()) {
    pm.addPass(createLoomGemmToCall());
    pm.addPass(createLoomConvToCall());
  }
  pm.addPass(createLoomFillBorder());
  pm.addPass(createLoomStridedCopies());
  pm.addPass(createLoomCollapseLoops());
  pm.addPass(createLoomOutlineKernels());
}

/// Loops and the LLVM dialect, after the plan pipeline.
static void addLoopsToLLVM(OpPassManager &pm) {
  registerUpstreamOnce();
  pm.addPass(createLoomParallelKernels());
  pm.addPass(createLoomApproximateMath());
  pm.addPass(createLoomReductionLoops());
  if (failed(parsePassPipeline(kLowerToLLVM, pm)))
    llvm::report_fatal_error("Loom's LLVM pipeline string does not parse");
}

void buildLowerToLLVMPipeline(OpPassManager &pm) {
  buildPlanPipeline(pm);
  addLoopsToLLVM(pm);
}

void buildPipelineUpTo(OpPassManager &pm, Stage stage) {
  buildGraphPipeline(pm);
  if (stage == Stage::Graph)
    return;
  buildLowerToLinalgPipeline(pm);
  if (stage == Stage::Lowered)
    return;
  buildPlanPipeline(pm);
  if (stage == Stage::Plan)
    return;
  addLoopsToLLVM(pm);
}

void registerLoomPassesAndPipelines() {
  registerLoomPasses();
  PassPipelineRegistration<>("loom-graph", "Loom's graph-level cleanup",
                             buildGraphPipeline);
  PassPipelineRegistration<>("loom-lower-to-linalg",
                             "Lower loom ops to linalg on tensors",
                             buildLowerToLinalgPipeline);
  PassPipelineRegistration<>("loom-plan",
                             "Bufferize, plan buffers, GEMM calls, kernels",
                             buildPlanPipeline);
  PassPipelineRegistration<>("loom-lower-to-llvm",
                             "Bufferize and lower to the LLVM dialect",
                             buildLowerToLLVMPipeline);
}

} // namespace loom
