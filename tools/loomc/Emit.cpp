//===- Emit.cpp - loomc emit: a model's IR at a pipeline stage --------------===//
//
// Builds the model with the DSL and runs Loom's pipeline (Pipelines.cpp) up
// to the requested stage, then prints the module; `llvm-ir` translates the
// LLVM dialect to LLVM IR. The output file is only kept on success.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"
#include "Pipelines.h"
#include "Trainer.h"
#include "Transforms/Training.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace llvm;

namespace loomc {

int runEmit(const EmitArgs &args) {
  std::optional<loom::Stage> stage;
  bool llvmIR = args.stage == "llvm-ir";
  if (args.stage == "graph")
    stage = loom::Stage::Graph;
  else if (args.stage == "lowered" || args.stage == "fused")
    stage = loom::Stage::Lowered;
  else if (args.stage == "plan")
    stage = loom::Stage::Plan;
  else if (args.stage == "llvm" || llvmIR)
    stage = loom::Stage::LLVM;
  if (!stage)
    return fail("unknown stage '" + args.stage +
                "' (choose graph, fused, plan, llvm or llvm-ir)");

  auto model = loadModel(args.model.file, args.model.model, args.model.verbose);
  if (!model)
    return fail(model.takeError());
  CompilerContext cc;
  int64_t batch = args.model.batch > 0 ? args.model.batch : 1;
  loom::dsl::ModelInterface iface;
  auto module = loom::dsl::buildModel(cc.context, *model, batch, &iface);
  if (!module)
    return 1; // the diagnostics are printed already
  if (!args.train.empty()) {
    if (!iface.hasLoss)
      return fail("--train: model '" + model->name + "' has no loss");
    auto options = trainingOptionsFor(args.train);
    if (!options)
      return fail(options.takeError());
    if (failed(loom::buildTrainingEntries(*module, *options)))
      return fail("deriving the training step of '" + model->name +
                  "' failed");
  }

  mlir::PassManager pm(&cc.context);
  loom::buildPipelineUpTo(pm, *stage);
  if (failed(pm.run(*module)))
    return fail("compiling model '" + model->name + "' failed");

  std::string error;
  auto out = mlir::openOutputFile(args.output, &error);
  if (!out)
    return fail(error);
  if (llvmIR) {
    LLVMContext llvmContext;
    auto llvmModule = mlir::translateModuleToLLVMIR(*module, llvmContext);
    if (!llvmModule)
      return fail("translating model '" + model->name + "' to LLVM IR failed");
    llvmModule->print(out->os(), nullptr);
  } else {
    module->print(out->os());
  }
  out->keep();
  return 0;
}

} // namespace loomc
