//===- Passes.td - Every Loom pass ---------------------------*- tablegen -*-===//
//
// Declarations of Loom's passes; each is implemented in its own file under
// Transforms/ or Conversion/. The order they run in is in Pipelines.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef LOOM_PASSES_TD
#define LOOM_PASSES_TD

include "mlir/Pass/PassBase.td"

def LoomDecompose : Pass<"loom-decompose", "mlir::ModuleOp"> {
  let summary = "Rewrites composite loom ops into primitive loom ops";
  let description = [{
    softmax and log_softmax become the max-subtracted reductions and
    elementwise ops they are made of, and reduce_mean becomes reduce_sum
    times 1/n, so code generation only has to handle primitives.
  }];
  let dependentDialects = ["loom::LoomDialect"];
}

def ConvertLoomToLinalg : Pass<"convert-loom-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lowers primitive loom ops to linalg, tensor, arith and math";
  let description = [{
    Elementwise ops become one linalg.generic each (broadcast operands read
    through projected indexing maps), matmul a contraction generic,
    reductions generics with reduction iterators, and data movement ops
    tensor/linalg ops. Composite ops must be decomposed first
    (-loom-decompose); any loom op left is an error naming it.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
    "mlir::tensor::TensorDialect", "mlir::arith::ArithDialect",
    "mlir::math::MathDialect"];
}

def LoomRecordBufferNeeds : Pass<"loom-record-buffer-needs", "mlir::ModuleOp"> {
  let summary = "Records each entry point's temporary buffers on the module";
  let description = [{
    Runs after bufferization. For every public function it counts the
    buffers the function allocates per call (memref.alloc / alloca, static
    shapes) and their total size, and stores them in the module attribute
    `loom.buffer_needs = {name = {buffers = N, bytes = B}}`, which the CPU
    target copies into the executable's entry points. Until the memory
    planner lands, this is the runtime's view of an entry's scratch memory.
  }];
}

#endif // LOOM_PASSES_TD
