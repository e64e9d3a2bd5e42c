//===- ApproximateMath.cpp - tanh and exp the vectorizer can take ---------===//
//
// convert-math-to-libm turns math.tanh into a call of tanhf and
// convert-math-to-llvm turns math.exp into llvm.exp, which LLVM also
// lowers to a call of expf. A loop with a call in it stays scalar (or is
// vectorized around the call, one call per lane), so every sigmoid, tanh,
// softmax and GELU kernel ran at libm's scalar speed: an LSTM training step
// spent 17% of its time in tanhf, the expm1f inside it, and expf.
//
// MLIR ships polynomial approximations of both that are made only of arith
// ops (select, fma, bit casts), so the kernel's loop vectorizes whole. This
// pass applies them to f32 tanh and exp; their error against the functions
// in double precision is measured over dense sweeps in
// test/unit/compiler/MathApproximationTest.cpp. It runs in the CPU
// lowering only: the CUDA target keeps the device's own tanhf and expf.
//
//===----------------------------------------------------------------------===//
#include "Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace loom {
#define GEN_PASS_DEF_LOOMAPPROXIMATEMATH
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;

namespace {
bool approximated(StringRef name) {
  return name == math::TanhOp::getOperationName() ||
         name == math::ExpOp::getOperationName();
}

struct LoomApproximateMath
    : loom::impl::LoomApproximateMathBase<LoomApproximateMath> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, approximated);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
