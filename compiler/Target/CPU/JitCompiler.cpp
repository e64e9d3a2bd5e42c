//===- JitCompiler.cpp - Lower, JIT and describe a loom module ------------===//
//
// compileForCPU in four steps: read the signature from the loom-stage
// attributes (Signature.cpp), prepare a clone of the module (entry points
// get C interfaces, arguments are marked read-only for bufferization, loom
// attributes are dropped so LLVM translation never sees them), run the
// pipeline up to the LLVM dialect, and hand the result to MLIR's
// ExecutionEngine. The engine lives as long as the Executable (keepAlive).
// With a cache directory, a module compiled before skips all but the first
// two steps and loads its object code instead (CompileCache.h).
//
//===----------------------------------------------------------------------===//
#include "Target/CPU/JitCompiler.h"
#include "Target/CPU/CompileCache.h"
#include "Pipelines.h"
#include "RuntimeSymbols.h"
#include "Target/CPU/Lowering.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Support/raw_ostream.h"

#include <mutex>
#include <optional>
#include <unistd.h>

#ifndef LOOM_MLIR_C_RUNNER_UTILS
#error "LOOM_MLIR_C_RUNNER_UTILS must name MLIR's C runner utils library"
#endif

using namespace mlir;

namespace loom {

namespace {

/// Collects the text of every error reported while it lives, and lets the
/// diagnostic continue to the previously installed handler too.
class ErrorCollector {
public:
  explicit ErrorCollector(MLIRContext *ctx)
      : handler(ctx, [this](Diagnostic &d) {
          if (d.getSeverity() == DiagnosticSeverity::Error) {
            llvm::raw_string_ostream os(text);
            os << "\n  " << d.getLocation() << ": " << d;
          }
          return failure();
        }) {}
  llvm::Error error(const llvm::Twine &what) const {
    return llvm::createStringError(what.str() + text);
  }

private:
  std::string text;
  ScopedDiagnosticHandler handler;
};

bool isLoomAttr(NamedAttribute a) {
  return a.getName().strref().starts_with("loom.");
}

/// Marks entry functions for the C interface and read-only arguments, and
/// strips the loom signature attributes (already read).
void prepareEntries(ModuleOp module) {
  MLIRContext *ctx = module.getContext();
  for (auto fn : module.getOps<func::FuncOp>()) {
    if (!fn.isPublic() || fn.isExternal())
      continue;
    fn->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(), UnitAttr::get(ctx));
    for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
      SmallVector<NamedAttribute> kept;
      if (DictionaryAttr d = fn.getArgAttrDict(i))
        llvm::copy_if(d.getValue(), std::back_inserter(kept),
                      [&](NamedAttribute a) { return !isLoomAttr(a); });
      // Inputs and parameters belong to the caller; generated code must
      // never write them (bufferization copies instead).
      kept.push_back(NamedAttribute(
          StringAttr::get(ctx,
                          bufferization::BufferizationDialect::kWritableAttrName),
          BoolAttr::get(ctx, false)));
      fn.setArgAttrs(i, kept);
    }
    for (unsigned i = 0; i < fn.getNumResults(); ++i) {
      SmallVector<NamedAttribute> kept;
      if (DictionaryAttr d = fn.getResultAttrDict(i))
        llvm::copy_if(d.getValue(), std::back_inserter(kept),
                      [&](NamedAttribute a) { return !isLoomAttr(a); });
      fn.setResultAttrs(i, kept);
    }
  }
}

/// The plan pipeline marks the workspace argument (`loom.workspace`), and
/// the C-interface wrappers copy argument attributes; LLVM translation would
/// warn about each one, printing the whole function. Nothing reads them once
/// the module is in the LLVM dialect.
void dropLoomArgAttrs(ModuleOp module) {
  for (auto fn : module.getOps<LLVM::LLVMFuncOp>()) {
    for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
      DictionaryAttr d = fn.getArgAttrDict(i);
      if (!d || llvm::none_of(d.getValue(), isLoomAttr))
        continue;
      SmallVector<NamedAttribute> kept;
      llvm::copy_if(d.getValue(), std::back_inserter(kept),
                    [](NamedAttribute a) { return !isLoomAttr(a); });
      fn.setArgAttrs(i, kept);
    }
  }
}

void initializeNativeTarget() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

llvm::CodeGenOptLevel codeGenLevel(unsigned optLevel) {
  switch (optLevel) {
  case 0: return llvm::CodeGenOptLevel::None;
  case 1: return llvm::CodeGenOptLevel::Less;
  case 2: return llvm::CodeGenOptLevel::Default;
  default: return llvm::CodeGenOptLevel::Aggressive;
  }
}

} // namespace

void prepareEntriesForCPU(ModuleOp module) { prepareEntries(module); }

llvm::Error lowerToLLVMDialect(ModuleOp lowered, const std::string &modelName) {
  MLIRContext *ctx = lowered.getContext();
  {
    ErrorCollector errors(ctx);
    PassManager pm(ctx);
    buildPipelineUpTo(pm, Stage::LLVM);
    if (failed(pm.run(lowered)))
      return errors.error("model '" + modelName + "': lowering to LLVM failed");
  }
  dropLoomArgAttrs(lowered);
  return llvm::Error::success();
}

void readBufferNeeds(ModuleOp lowered, rt::Executable &exe) {
  auto needs = lowered->getAttrOfType<DictionaryAttr>("loom.buffer_needs");
  if (!needs)
    return;
  for (rt::EntryPoint &entry : exe.entries)
    if (auto mine = needs.getAs<DictionaryAttr>(entry.name)) {
      if (auto n = mine.getAs<IntegerAttr>("buffers"))
        entry.tempBuffers = n.getInt();
      if (auto n = mine.getAs<IntegerAttr>("bytes"))
        entry.tempBytes = n.getInt();
      if (auto n = mine.getAs<IntegerAttr>("workspace"))
        entry.workspaceBytes = n.getInt();
    }
}

void initializeCPUCodegen() { initializeNativeTarget(); }

llvm::CodeGenOptLevel cpuCodeGenLevel(unsigned optLevel) {
  return codeGenLevel(optLevel);
}

llvm::Expected<std::shared_ptr<rt::Executable>>
compileForCPU(ModuleOp module, const CompileOptions &options) {
  auto exe = std::make_shared<rt::Executable>();
  exe->modelName = options.modelName;
  if (llvm::Error e = describeEntryPoints(module, *exe))
    return std::move(e);

  MLIRContext *ctx = module.getContext();
  DialectRegistry registry;
  registerCPUTargetDialects(registry);
  ctx->appendDialectRegistry(registry);

  OwningOpRef<ModuleOp> lowered = module.clone();
  prepareEntries(*lowered);

  std::optional<CompileCache> cache;
  std::string key;
  std::vector<std::string> libs = {LOOM_MLIR_C_RUNNER_UTILS};
  libs.insert(libs.end(), options.sharedLibs.begin(), options.sharedLibs.end());
  unsigned opt = std::min(options.optLevel, 3u);
  if (!options.cacheDir.empty()) {
    cache.emplace(options.cacheDir);
    key = CompileCache::key(*lowered, opt, libs);
    std::map<std::string, BufferNeeds> needs;
    auto object = cache->lookup(key, needs);
    llvm::Error loaded = llvm::Error::success();
    if (object && *object) {
      initializeNativeTarget();
      loaded = loadCachedObject(std::move(*object), libs, *exe);
      if (!loaded) {
        for (rt::EntryPoint &entry : exe->entries) {
          entry.tempBuffers = needs[entry.name].buffers;
          entry.tempBytes = needs[entry.name].bytes;
          entry.workspaceBytes = needs[entry.name].workspace;
        }
        if (options.log)
          *options.log << "loomc: compile cache hit for '" << options.modelName
                       << "' (" << cache->objectPath(key) << ")\n";
        return exe;
      }
    } else if (!object) {
      loaded = object.takeError();
    }
    if (loaded) {
      // Never fatal: say so, drop the entry, compile.
      llvm::errs() << "loomc: warning: unusable compile cache entry "
                   << cache->objectPath(key) << " ("
                   << llvm::toString(std::move(loaded))
                   << "); compiling afresh\n";
      cache->remove(key);
      for (rt::EntryPoint &entry : exe->entries)
        entry.fn = nullptr;
    }
  }
  if (llvm::Error e = lowerToLLVMDialect(*lowered, options.modelName))
    return std::move(e);

  initializeNativeTarget();
  // The optimizer needs the host's TargetMachine: without it the loop
  // vectorizer's cost model sees no vector registers and every loop stays
  // scalar (measured: the i-k-j matmul loop compiled to vmovss/vfmadd213ss).
  auto hostBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!hostBuilder)
    return hostBuilder.takeError();
  hostBuilder->setCodeGenOptLevel(codeGenLevel(opt));
  auto hostMachine = hostBuilder->createTargetMachine();
  if (!hostMachine)
    return hostMachine.takeError();
  auto transformer = makeOptimizingTransformer(opt, /*sizeLevel=*/0,
                                               hostMachine->get());
  SmallVector<StringRef> libRefs(libs.begin(), libs.end());
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = codeGenLevel(opt);
  engineOptions.sharedLibPaths = libRefs;
  engineOptions.enableObjectDump = cache.has_value();
  std::unique_ptr<ExecutionEngine> engine;
  {
    ErrorCollector errors(ctx);
    auto created = ExecutionEngine::create(*lowered, engineOptions);
    if (!created)
      return llvm::joinErrors(
          errors.error("model '" + options.modelName +
                       "': JIT compilation failed"),
          created.takeError());
    engine = std::move(*created);
  }
  // Functions of the runtime that generated code calls by name
  // (RuntimeSymbols.h).
  engine->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    for (auto [name, address] : kRuntimeSymbols)
      symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(address),
                                 llvm::JITSymbolFlags::Exported};
    return symbols;
  });

  for (rt::EntryPoint &entry : exe->entries) {
    // The packed wrapper of the C-interface function: args[i] points at a
    // pointer to the i-th memref descriptor, which is rt::PackedFn.
    auto fn = engine->lookupPacked("_mlir_ciface_" + entry.name);
    if (!fn)
      return llvm::joinErrors(
          llvm::createStringError("entry '" + entry.name +
                                  "' is missing from the JIT module"),
          fn.takeError());
    entry.fn = *fn;
  }
  // Recorded after bufferization by -loom-record-buffer-needs.
  readBufferNeeds(*lowered, *exe);
  if (cache) {
    // Every entry has been looked up, so the object is complete.
    std::map<std::string, BufferNeeds> needs;
    for (const rt::EntryPoint &entry : exe->entries)
      needs[entry.name] = {entry.tempBuffers, entry.tempBytes,
                          entry.workspaceBytes};
    std::string temp = cache->objectPath(key) + ".tmp." +
                       std::to_string(::getpid());
    if (!llvm::sys::fs::create_directories(options.cacheDir))
      engine->dumpToObjectFile(temp);
    if (!llvm::sys::fs::exists(temp)) {
      llvm::errs() << "loomc: warning: cannot write the compile cache entry "
                   << temp << "\n";
    } else if (llvm::Error e = cache->store(key, temp, needs)) {
      llvm::errs() << "loomc: warning: " << llvm::toString(std::move(e))
                   << "\n";
    } else if (options.log) {
      *options.log << "loomc: compiled '" << options.modelName
                   << "' and stored it in the compile cache ("
                   << cache->objectPath(key) << ")\n";
    }
  }
  exe->keepAlive = std::shared_ptr<ExecutionEngine>(std::move(engine));
  return exe;
}

} // namespace loom
