//===- Lowering.h - The steps the JIT and the AOT compiler share ----------===//
//
// Both CPU compilers take a clone of the loom-stage module, prepare its
// entries (C interfaces, read-only arguments), run Loom's pipeline to the
// LLVM dialect and read the buffer needs it recorded; they differ only in
// what makes machine code of the result (ORC in-process, or a
// TargetMachine writing an object file for a chosen CPU).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Executable.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"

#include <string>

namespace loom {

/// Marks public functions for the C interface, their arguments read-only,
/// and strips the loom signature attributes (read before by
/// describeEntryPoints).
void prepareEntriesForCPU(mlir::ModuleOp module);
/// Runs Pipelines.cpp up to the LLVM dialect on `lowered` (in place).
llvm::Error lowerToLLVMDialect(mlir::ModuleOp lowered,
                               const std::string &modelName);
/// Copies -loom-record-buffer-needs' counts into the entries of `exe`.
void readBufferNeeds(mlir::ModuleOp lowered, rt::Executable &exe);
/// LLVM's native target and asm printer, initialized once.
void initializeCPUCodegen();
llvm::CodeGenOptLevel cpuCodeGenLevel(unsigned optLevel);

} // namespace loom
