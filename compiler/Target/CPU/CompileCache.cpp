//===- CompileCache.cpp - Object code of compiled modules, kept on disk ---===//
//
// See CompileCache.h for what a key covers and how entries are written.
//
//===----------------------------------------------------------------------===//
#include "Target/CPU/CompileCache.h"

#include "Pipelines.h"
#include "RuntimeSymbols.h"

#include "mlir/IR/OperationSupport.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <cstdlib>
#include <dlfcn.h>
#include <mutex>
#include <unistd.h>

using namespace llvm;

namespace loom {

namespace {

/// Bumped when the layout of an entry changes.
constexpr const char *kFormat = "loom-cpu-object-v2";

/// SHA-256 of the file this function's code was loaded from (the tool's
/// binary, or the shared library holding the compiler): a rebuilt compiler
/// may lower the same module differently. Computed once per process.
const std::string &compilerIdentity() {
  static std::string identity;
  static std::once_flag once;
  std::call_once(once, [] {
    Dl_info info;
    std::string path = "/proc/self/exe";
    if (::dladdr(reinterpret_cast<void *>(&compilerIdentity), &info) &&
        info.dli_fname && *info.dli_fname)
      path = info.dli_fname;
    SHA256 hash;
    hash.update(path);
    if (auto buffer = MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false))
      hash.update((*buffer)->getBuffer());
    identity = toHex(hash.final(), /*LowerCase=*/true);
  });
  return identity;
}

} // namespace

std::string CompileCache::key(mlir::ModuleOp module, unsigned optLevel,
                              const std::vector<std::string> &sharedLibs) {
  SHA256 hash;
  auto part = [&](StringRef s) {
    hash.update(s);
    hash.update(StringRef("\0", 1));
  };
  part(kFormat);
  part(compilerIdentity());
  part(LLVM_VERSION_STRING);
  part(sys::getHostCPUName());
  std::string features;
  for (const auto &f : sys::getHostCPUFeatures())
    features += (f.second ? "+" : "-") + f.getKey().str() + ",";
  // StringMap order is unspecified: sort the feature list.
  SmallVector<StringRef> parts;
  StringRef(features).split(parts, ',', -1, false);
  llvm::sort(parts);
  for (StringRef p : parts)
    part(p);
  part(std::to_string(optLevel));
  part(loom::unfusedPipeline() ? "unfused" : "fused");
  // The convolution policy changes the code (ConvAlgorithm.h); `measure`
  // is a property of this machine, which the CPU above stands for.
  const char *conv = std::getenv("LOOM_CONV_ALGORITHM");
  part(conv ? conv : "");
  for (const std::string &lib : sharedLibs)
    part(lib);
  // The module with its locations: they end up in run-time messages (a bad
  // index names the model's line).
  std::string text;
  raw_string_ostream os(text);
  module->print(os, mlir::OpPrintingFlags().enableDebugInfo());
  part(text);
  return toHex(hash.final(), /*LowerCase=*/true).substr(0, 40);
}

std::string CompileCache::objectPath(const std::string &key) const {
  SmallString<256> p(directory_);
  sys::path::append(p, key + ".o");
  return std::string(p);
}

std::string CompileCache::needsPath(const std::string &key) const {
  SmallString<256> p(directory_);
  sys::path::append(p, key + ".needs");
  return std::string(p);
}

Expected<std::unique_ptr<MemoryBuffer>>
CompileCache::lookup(const std::string &key,
                     std::map<std::string, BufferNeeds> &needs) {
  std::string object = objectPath(key), needsFile = needsPath(key);
  // The needs file is written first and the object last: no object, no
  // entry.
  if (!sys::fs::exists(object))
    return nullptr;
  auto text = MemoryBuffer::getFile(needsFile);
  if (!text)
    return createStringError("cannot read " + needsFile + ": " +
                             text.getError().message());
  SmallVector<StringRef> lines;
  (*text)->getBuffer().split(lines, '\n', -1, false);
  if (lines.empty() || lines.front() != kFormat)
    return createStringError(needsFile + ": not a " + kFormat + " entry");
  for (StringRef line : ArrayRef(lines).drop_front()) {
    SmallVector<StringRef> fields;
    line.split(fields, ' ', -1, false);
    BufferNeeds n;
    if (fields.size() != 4 || fields[1].getAsInteger(10, n.buffers) ||
        fields[2].getAsInteger(10, n.bytes) ||
        fields[3].getAsInteger(10, n.workspace))
      return createStringError(needsFile + ": malformed line '" + line + "'");
    needs[fields[0].str()] = n;
  }
  auto buffer = MemoryBuffer::getFile(object, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/false);
  if (!buffer)
    return createStringError("cannot read " + object + ": " +
                             buffer.getError().message());
  return std::move(*buffer);
}

Error CompileCache::store(const std::string &key, const std::string &objectFile,
                          const std::map<std::string, BufferNeeds> &needs) {
  if (std::error_code ec = sys::fs::create_directories(directory_))
    return createStringError("cannot create the compile cache '" + directory_ +
                             "': " + ec.message());
  std::string text = std::string(kFormat) + "\n";
  for (const auto &[name, n] : needs)
    text += name + " " + std::to_string(n.buffers) + " " +
            std::to_string(n.bytes) + " " + std::to_string(n.workspace) + "\n";
  std::string suffix = ".tmp." + std::to_string(::getpid());
  std::string needsTemp = needsPath(key) + suffix;
  {
    std::error_code ec;
    raw_fd_ostream os(needsTemp, ec);
    if (ec)
      return createStringError("cannot write " + needsTemp + ": " +
                               ec.message());
    os << text;
    os.close();
    if (os.has_error()) {
      sys::fs::remove(needsTemp);
      return createStringError("cannot write " + needsTemp);
    }
  }
  if (std::error_code ec = sys::fs::rename(needsTemp, needsPath(key))) {
    sys::fs::remove(needsTemp);
    return createStringError("cannot store " + needsPath(key) + ": " +
                             ec.message());
  }
  if (std::error_code ec = sys::fs::rename(objectFile, objectPath(key))) {
    sys::fs::remove(objectFile);
    return createStringError("cannot store " + objectPath(key) + ": " +
                             ec.message());
  }
  return Error::success();
}

void CompileCache::remove(const std::string &key) {
  sys::fs::remove(objectPath(key));
  sys::fs::remove(needsPath(key));
}

Error loadCachedObject(std::unique_ptr<MemoryBuffer> object,
                       const std::vector<std::string> &sharedLibs,
                       rt::Executable &exe) {
  auto jit = orc::LLJITBuilder().create();
  if (!jit)
    return jit.takeError();
  orc::JITDylib &main = (*jit)->getMainJITDylib();
  char prefix = (*jit)->getDataLayout().getGlobalPrefix();
  // What ExecutionEngine resolves against: the process (libc, libm), the
  // extra libraries, and the runtime's hook for bad indices.
  auto process = orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(prefix);
  if (!process)
    return process.takeError();
  main.addGenerator(std::move(*process));
  for (const std::string &lib : sharedLibs) {
    auto gen = orc::DynamicLibrarySearchGenerator::Load(lib.c_str(), prefix);
    if (!gen)
      return gen.takeError();
    main.addGenerator(std::move(*gen));
  }
  orc::SymbolMap hooks;
  for (auto [name, address] : kRuntimeSymbols)
    hooks[(*jit)->mangleAndIntern(name)] = {
        orc::ExecutorAddr::fromPtr(address), JITSymbolFlags::Exported};
  if (Error e = main.define(orc::absoluteSymbols(std::move(hooks))))
    return e;
  if (Error e = (*jit)->addObjectFile(std::move(object)))
    return e;
  for (rt::EntryPoint &entry : exe.entries) {
    // ExecutionEngine's packed wrapper of the C interface function.
    auto addr = (*jit)->lookup("_mlir__mlir_ciface_" + entry.name);
    if (!addr)
      return addr.takeError();
    entry.fn = addr->toPtr<rt::PackedFn>();
  }
  if (Error e = (*jit)->initialize(main))
    return e;
  exe.keepAlive = std::shared_ptr<orc::LLJIT>(std::move(*jit));
  return Error::success();
}

} // namespace loom
