//===- AotCompiler.cpp - Compile a loom module into an object file --------===//
//
// See AotCompiler.h. After the shared lowering: translate to LLVM IR, add
// the packed wrappers (what MLIR's ExecutionEngine adds for the JIT, written
// here because that helper is private to it), optimize with the target's
// cost model and emit an object file from a TargetMachine configured for
// the requested CPU, static relocations and the large code model.
//
//===----------------------------------------------------------------------===//
#include "Target/CPU/AotCompiler.h"
#include "Target/CPU/JitCompiler.h"
#include "Target/CPU/Lowering.h"

#include "loom/rt/core/Artifact.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

using namespace mlir;

namespace loom {
namespace {

/// `void _mlir_<name>(void **args)`: args[i] points at the i-th argument of
/// `<name>`, which is called with them.
void addPackedWrapper(llvm::Module &m, llvm::Function &fn) {
  llvm::LLVMContext &ctx = m.getContext();
  llvm::IRBuilder<> b(ctx);
  auto *ptr = llvm::PointerType::get(ctx, 0);
  auto *type = llvm::FunctionType::get(b.getVoidTy(), {ptr}, false);
  auto *wrapper = llvm::Function::Create(type, llvm::Function::ExternalLinkage,
                                         "_mlir_" + fn.getName(), m);
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", wrapper));
  llvm::Value *args = wrapper->arg_begin();
  llvm::SmallVector<llvm::Value *> callArgs;
  for (auto [i, arg] : llvm::enumerate(fn.args())) {
    llvm::Value *slot = b.CreateConstGEP1_64(ptr, args, i);
    llvm::Value *argPtr = b.CreateLoad(ptr, slot);
    callArgs.push_back(b.CreateLoad(arg.getType(), argPtr));
  }
  llvm::Value *result = b.CreateCall(&fn, callArgs);
  if (!fn.getReturnType()->isVoidTy()) {
    llvm::Value *slot = b.CreateConstGEP1_64(ptr, args, fn.arg_size());
    b.CreateStore(result, b.CreateLoad(ptr, slot));
  }
  b.CreateRetVoid();
}

} // namespace

llvm::Expected<AotResult> compileAheadOfTime(ModuleOp module,
                                             const AotOptions &options) {
  AotResult out;
  out.exe = std::make_shared<rt::Executable>();
  out.exe->modelName = options.modelName;
  if (llvm::Error e = describeEntryPoints(module, *out.exe))
    return std::move(e);
  MLIRContext *ctx = module.getContext();
  DialectRegistry registry;
  registerCPUTargetDialects(registry);
  ctx->appendDialectRegistry(registry);
  OwningOpRef<ModuleOp> lowered = module.clone();
  prepareEntriesForCPU(*lowered);
  if (llvm::Error e = lowerToLLVMDialect(*lowered, options.modelName))
    return std::move(e);
  readBufferNeeds(*lowered, *out.exe);

  initializeCPUCodegen();
  std::string triple = llvm::sys::getDefaultTargetTriple();
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(llvm::Triple(triple), error);
  if (!target)
    return llvm::createStringError("no LLVM target for " + triple + ": " +
                                   error);
  std::string features;
  out.cpu = options.cpu;
  if (options.cpu == "native") {
    out.cpu = llvm::sys::getHostCPUName().str();
    llvm::SubtargetFeatures f;
    for (const auto &[name, on] : llvm::sys::getHostCPUFeatures())
      f.AddFeature(name, on);
    features = f.getString();
  }
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      llvm::Triple(triple), out.cpu, features, targetOptions,
      llvm::Reloc::Static, llvm::CodeModel::Large,
      cpuCodeGenLevel(options.optLevel)));
  if (!tm)
    return llvm::createStringError("cannot create a target machine for CPU '" +
                                   out.cpu + "'");
  const llvm::MCSubtargetInfo *sti = tm->getMCSubtargetInfo();
  if (!sti->isCPUStringValid(out.cpu))
    return llvm::createStringError(
        "unknown --cpu '" + options.cpu +
        "' (use native, x86-64-v3, x86-64-v2, x86-64 or an LLVM CPU name)");
  for (const std::string &f : rt::checkableCpuFeatures())
    if (sti->checkFeatures("+" + f))
      out.cpuFeatures.push_back(f);

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*lowered, llvmContext, "model");
  if (!llvmModule)
    return llvm::createStringError("model '" + options.modelName +
                                   "': translation to LLVM IR failed");
  llvmModule->setSourceFileName("model");
  ExecutionEngine::setupTargetTripleAndDataLayout(llvmModule.get(), tm.get());
  for (rt::EntryPoint &entry : out.exe->entries) {
    std::string name = "_mlir_ciface_" + entry.name;
    llvm::Function *fn = llvmModule->getFunction(name);
    if (!fn)
      return llvm::createStringError("entry '" + entry.name +
                                     "' has no C interface function");
    addPackedWrapper(*llvmModule, *fn);
    out.symbols[entry.name] = "_mlir_" + name;
  }
  auto optimize = makeOptimizingTransformer(std::min(options.optLevel, 3u),
                                            /*sizeLevel=*/0, tm.get());
  if (llvm::Error e = optimize(llvmModule.get()))
    return std::move(e);
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, os, nullptr, llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError("LLVM cannot emit an object file for " +
                                   triple);
  pm.run(*llvmModule);
  out.object.assign(buffer.begin(), buffer.end());
  return std::move(out);
}

} // namespace loom
