//===- loom-opt.cpp - mlir-opt with the loom dialect and passes ------------===//
//
// The lit suite's driver: MlirOptMain with every upstream dialect and pass,
// plus the loom dialect and every Loom pass and pipeline.
//
//===----------------------------------------------------------------------===//
#include "Loom/LoomDialect.h"
#include "Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  loom::registerLoomPassesAndPipelines();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<loom::LoomDialect>();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Loom optimizer driver\n", registry));
}
