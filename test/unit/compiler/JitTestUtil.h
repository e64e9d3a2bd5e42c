//===- JitTestUtil.h - Run loom functions on the oracle and the JIT -------===//
//
// The compiler's numeric tests all follow one recipe: a small loom function
// written as MLIR text, seeded random inputs, the reference evaluator (double
// precision, un-decomposed ops) as the oracle, and compileForCPU + an
// rt::Session as the system under test, compared result by result.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Loom/RefTensor.h"
#include "loom/rt/core/Session.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace loom::test {

/// How inputs are drawn and results compared.
struct CheckOptions {
  std::string entry = "forward";
  uint32_t seed = 1234;
  /// f32 inputs are uniform in [lo, hi); i1 inputs are fair coin flips.
  double lo = -2.0, hi = 2.0;
  /// Draw f32 inputs from the integers in [lo, hi] instead, so that
  /// comparisons see ties and max/min see equal values.
  bool integers = false;
  /// f32 results pass when |jit - ref| <= rtol * |ref| + atol (NaN matches
  /// NaN). The defaults suit elementwise ops: a few f32 roundings of
  /// relative size 6e-8, plus libm-vs-expansion differences in
  /// exp/tanh/pow. Sums (matmul, reductions, softmax) pass a larger atol,
  /// since cancellation can leave a small result with the absolute error of
  /// its large terms.
  double rtol = 1e-5, atol = 1e-6;
};

/// "tensor<4x3xf32>" / "tensor<f32>".
std::string tensorType(const std::vector<int64_t> &shape,
                       const std::string &element = "f32");

/// A context with the loom dialect and everything the CPU target needs.
mlir::MLIRContext &testContext();

/// Parses `source` (failing the test on a parse or verifier error).
mlir::OwningOpRef<mlir::ModuleOp> parseModule(const std::string &source);

/// Random inputs for every argument of `entry`, as host tensors keyed by
/// the JIT's input names (arg<i>) and as reference values in order.
struct Inputs {
  std::map<std::string, rt::HostTensor> host;
  std::vector<RefTensor> ref;
};
Inputs makeInputs(mlir::ModuleOp module, const CheckOptions &options);

/// Compiles and runs `options.entry` of `source` on random inputs and
/// compares every result with the reference evaluator's. Failures are
/// gtest failures naming the result and element.
void checkAgainstReference(const std::string &source,
                           const CheckOptions &options = {});

/// Compares one JIT output with its reference value.
void expectClose(const rt::HostTensor &jit, const RefTensor &ref,
                 const CheckOptions &options, const std::string &what);

/// Compiles `source` and runs its @forward on f32 vectors (arg<i> =
/// args[i], each of shape [size]); returns out0's elements. Failures are
/// gtest failures (and an empty result).
std::vector<double> runOn(const std::string &source,
                          const std::vector<std::vector<float>> &args);

} // namespace loom::test
