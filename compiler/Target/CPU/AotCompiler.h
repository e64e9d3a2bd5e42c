//===- AotCompiler.h - Compile a loom module into an object file ----------===//
//
// The ahead-of-time CPU target: the same lowering as the JIT (Lowering.h),
// then LLVM's optimizer and code generator for a chosen CPU, writing one
// ELF relocatable object with the large code model and static relocations
// (what the runtime's loader handles, rt/cpu/ObjectLoader.h) and a packed
// wrapper `_mlir__mlir_ciface_<entry>(void **args)` per entry point, the
// calling convention rt::PackedFn expects. Deterministic: the same module
// and options give the same bytes (the module is named "model"; no paths
// or times go in).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Executable.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace loom {

struct AotOptions {
  std::string modelName = "model";
  /// An LLVM CPU name ("x86-64-v3", "x86-64", "skylake-avx512", ...) or
  /// "native" (this machine's CPU and features).
  std::string cpu = "x86-64-v3";
  unsigned optLevel = 3;
};

struct AotResult {
  /// The description (entries' fn are null), with buffer needs.
  std::shared_ptr<rt::Executable> exe;
  std::string object;                        // ELF relocatable bytes
  std::map<std::string, std::string> symbols; // entry -> packed symbol
  std::string cpu;                           // the resolved CPU name
  /// The ISA features of that CPU that the runtime can check at load time.
  std::vector<std::string> cpuFeatures;
};

llvm::Expected<AotResult> compileAheadOfTime(mlir::ModuleOp module,
                                             const AotOptions &options);

} // namespace loom
