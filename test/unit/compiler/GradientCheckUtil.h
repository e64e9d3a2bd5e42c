//===- GradientCheckUtil.h - Gradient checks against finite differences ---===//
//
// The harness shared by the gradient tests (GradientCheckTest.cpp,
// ConvGradientTest.cpp): a loss `reduce_sum(op(args) * W)` around an op,
// differentiated by -loom-autodiff, whose reference gradients are compared
// with central differences of the reference evaluator (in double), and
// whose JIT gradient function is compared with the reference's (in f32).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Loom/RefTensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace loom::test {

/// How an argument's values are drawn.
enum class Dist {
  Uniform,  // [-2, 2)
  Positive, // [0.5, 2): log, sqrt, rsqrt, divisors, pow's base
  Grid,     // multiples of 0.5 in [-2, 2]
  GridHalf, // multiples of 0.5 plus 0.25: never 0 (relu, abs), never equal
            // to a Grid value (maximum, minimum)
  Distinct, // all values distinct, >= 0.25 apart: no ties in reduce_max
  Bool,     // i1 coin flips (select's condition); not differentiated
};

struct Arg {
  std::string name;
  std::vector<int64_t> shape;
  Dist dist = Dist::Uniform;
  bool param = true; // differentiated (loom.param) or an input
};

/// The argument's tensor type (i1 for Dist::Bool).
std::string typeOf(const Arg &a);

/// Values for `a`, f32-representable.
RefTensor draw(const Arg &a, std::mt19937 &rng);

/// `@f(args..., %w) -> loss` around `body`, which defines %y of shape `out`
/// from the arguments.
std::string lossFunction(const std::vector<Arg> &args, const std::string &body,
                         const std::vector<int64_t> &out);

/// Parses `source` and runs -loom-autodiff on it.
mlir::OwningOpRef<mlir::ModuleOp> differentiate(const std::string &source);

/// Compares every param's reference gradient with central differences:
///   fd = (loss(x + h) - loss(x - h)) / 2h,  h = 1e-6 * max(1, |x|)
///   pass when |g - fd| <= 1e-5 * max(1, |fd|)
void checkFiniteDifferences(const std::string &source,
                            const std::vector<Arg> &args,
                            const std::vector<Arg> &extra = {},
                            uint32_t seed = 7);

/// Runs @f_grad on the JIT (params set through the session) and compares
/// every result with the reference gradient, in f32 tolerance.
void checkJitGradient(const std::string &source, const std::vector<Arg> &args,
                      const std::vector<Arg> &extra = {}, uint32_t seed = 7);

} // namespace loom::test
