//===- Pipelines.h - The order of Loom's passes ---------------------------===//
//
// Every stage of the compiler as a pass pipeline, defined in one file
// (Pipelines.cpp) so the whole compiler reads end to end in one screen.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mlir/Pass/PassManager.h"

namespace loom {

/// The stages `loomc emit --stage` can stop after.
enum class Stage { Graph, Lowered, Plan, LLVM };

/// Canonical graph: verify, fold and clean up the loom ops the DSL built.
void buildGraphPipeline(mlir::OpPassManager &pm);
/// loom -> linalg/tensor/arith/math on tensors.
void buildLowerToLinalgPipeline(mlir::OpPassManager &pm);
/// Bufferize, plan buffers (in-place results, one workspace), runtime GEMM
/// calls, one kernel function per remaining linalg op.
void buildPlanPipeline(mlir::OpPassManager &pm);
/// The plan pipeline, then loops and the LLVM dialect, ready for the JIT.
void buildLowerToLLVMPipeline(mlir::OpPassManager &pm);
/// LOOM_UNFUSED=1 in the environment: no pointwise fusion and no runtime
/// GEMM, so every op is its own plain loop nest. For checking that those
/// optimizations do not change results (test/train/fused-vs-unfused.test);
/// the compile cache keys on it.
bool unfusedPipeline();
/// Everything from the DSL's module up to and including `stage`.
void buildPipelineUpTo(mlir::OpPassManager &pm, Stage stage);

/// Registers Loom's passes and the pipelines above as `loom-graph`,
/// `loom-lower-to-linalg`, `loom-lower-to-llvm` for loom-opt.
void registerLoomPassesAndPipelines();

} // namespace loom
