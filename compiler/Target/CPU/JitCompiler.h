//===- JitCompiler.h - Compile a loom module into a runnable Executable ---===//
//
// The CPU target: takes a module at the loom stage, lowers it with the
// pipeline of Pipelines.cpp, JIT-compiles it with MLIR's ExecutionEngine for
// the host CPU, and describes the result as the runtime's plain-data
// rt::Executable (parameter table, entry points with packed function
// pointers and argument order). The runtime runs it without seeing any MLIR.
//
// Thread safety: compileForCPU mutates nothing but a clone of the module, but
// it uses (and appends dialect registrations to) the module's MLIRContext, so
// calls sharing a context must be serialized. The Executable it returns is
// immutable and may be shared across threads.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "SignatureAttrs.h"
#include "loom/rt/core/Executable.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>
#include <vector>

namespace loom {


struct CompileOptions {
  /// Copied into Executable::modelName, for messages.
  std::string modelName = "model";
  /// LLVM optimization level for both IR passes and code generation (0-3).
  unsigned optLevel = 3;
  /// Extra shared libraries the generated code may call into. MLIR's C
  /// runner utils (memrefCopy, for copies between non-contiguous memrefs)
  /// are always loaded.
  std::vector<std::string> sharedLibs;
  /// Where compiled object code is kept between runs (see CompileCache.h);
  /// empty: no cache.
  std::string cacheDir;
  /// When set, one line per compile saying whether the cache was used.
  llvm::raw_ostream *log = nullptr;
};

/// Everything the CPU pipeline needs registered in a context: all upstream
/// dialects and their external interface models (bufferization, subset
/// insertion, ...) and the translations to LLVM IR. compileForCPU appends it
/// to the module's context itself; tools call it to build their registry.
void registerCPUTargetDialects(mlir::DialectRegistry &registry);

/// Reads the signature of every public func.func (with a body) of `module`
/// into `exe`: one EntryPoint per function, its args in call order (the
/// function's arguments, then one Output per result), and the parameter
/// table. `fn` pointers are left null. Errors name the function and
/// argument at fault.
llvm::Error describeEntryPoints(mlir::ModuleOp module, rt::Executable &exe);

/// Compiles a clone of `module` (left untouched) for the host CPU. The
/// module is at the loom stage; its public functions become entry points.
/// Pass failures come back as an Error carrying the diagnostics' text (they
/// also reach the context's diagnostic handler).
llvm::Expected<std::shared_ptr<rt::Executable>>
compileForCPU(mlir::ModuleOp module, const CompileOptions &options = {});

} // namespace loom
