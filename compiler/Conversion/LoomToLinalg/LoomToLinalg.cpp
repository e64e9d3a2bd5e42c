//===- LoomToLinalg.cpp - PLACEHOLDER, being written ------------------------===//
#include "Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
namespace loom {
#define GEN_PASS_DEF_CONVERTLOOMTOLINALG
#include "Passes.h.inc"
} // namespace loom
namespace {
struct ConvertLoomToLinalg
    : loom::impl::ConvertLoomToLinalgBase<ConvertLoomToLinalg> {
  void runOnOperation() override { signalPassFailure(); }
};
} // namespace
