//===- CompileCache.h - Object code of compiled modules, kept on disk ------===//
//
// compileForCPU spends nearly all of its time in the MLIR pipeline, LLVM's
// optimizer and code generation. A module it has compiled before (the same
// entries, the same ops, the same source locations) gives the same object
// code, so the object is kept in a cache directory under a key that covers
// everything that shapes it:
//
//   SHA-256 of ( format version, the compiler's own binary (the file that
//                holds this code, so any rebuild invalidates), LLVM's
//                version, the host CPU and its features, the optimization
//                level, extra libraries, the module as printed with its
//                locations )
//
// An entry is KEY.o (the relocatable object MLIR's ExecutionEngine
// produced) and KEY.needs (each entry's temporary-buffer counts, which
// compileForCPU otherwise reads from the lowered module), each written to a
// temporary file and renamed, so concurrent compilers never see half an
// entry. A hit loads the object into an ORC LLJIT with the same symbol
// resolution as the ExecutionEngine (the process, MLIR's C runner utils,
// the runtime's index-error hook). An entry that cannot be read or linked
// is reported, removed and compiled afresh: the cache can make a compile
// faster, never fail.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Executable.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace loom {

struct BufferNeeds {
  int64_t buffers = 0, bytes = 0, workspace = 0;
};

class CompileCache {
public:
  /// A cache in `directory` (created on first store).
  explicit CompileCache(std::string directory)
      : directory_(std::move(directory)) {}

  /// The key of `module` (at the stage compileForCPU starts from, after
  /// entry preparation) compiled with these settings.
  static std::string key(mlir::ModuleOp module, unsigned optLevel,
                         const std::vector<std::string> &sharedLibs);

  std::string objectPath(const std::string &key) const;
  std::string needsPath(const std::string &key) const;

  /// The entry's object and buffer needs, or nullptr when there is none.
  /// A corrupt entry comes back as an Error (the caller removes it).
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
  lookup(const std::string &key, std::map<std::string, BufferNeeds> &needs);

  /// Stores the object file written at `objectFile` (moved into the cache)
  /// and the needs, atomically.
  llvm::Error store(const std::string &key, const std::string &objectFile,
                    const std::map<std::string, BufferNeeds> &needs);

  void remove(const std::string &key);

  const std::string &directory() const { return directory_; }

private:
  std::string directory_;
};

/// Loads a cached object: resolves every entry of `exe` (fn pointers) and
/// keeps the JIT alive in exe.keepAlive.
llvm::Error loadCachedObject(std::unique_ptr<llvm::MemoryBuffer> object,
                             const std::vector<std::string> &sharedLibs,
                             rt::Executable &exe);

} // namespace loom
