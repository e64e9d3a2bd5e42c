//===- Registry.cpp - Everything the CPU pipeline needs in a context ------===//
//
// Kept in its own file because the registerAll* headers make it the slowest
// translation unit of the target. Registering every upstream dialect and
// extension, rather than a hand-picked list, means a pass added to the
// pipeline later finds its interface models (bufferization, subset
// insertion, value bounds, ...) without a hunt for the missing one.
//
//===----------------------------------------------------------------------===//
#include "Target/CPU/JitCompiler.h"

#include "Loom/LoomDialect.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

void loom::registerCPUTargetDialects(mlir::DialectRegistry &registry) {
  registry.insert<loom::LoomDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
}
