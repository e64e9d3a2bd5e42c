//===- RandomTest.cpp - random_normal: JIT vs reference, statistics -------===//
//
// loom.random_normal on the JIT against the reference evaluator (the bits
// agree exactly; Box-Muller in f32 against double), and the reference's
// samples against N(0, 1): mean, variance, the mass within one and beyond
// three standard deviations, and independence between neighbouring
// elements, counters (train steps), seeds, and dropout's stream of the same
// seed and counter. Inference mode draws counter 0's noise.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "Reference/Evaluator.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cmath>

using namespace mlir;
using namespace loom;
using namespace loom::test;
using Shape = std::vector<int64_t>;

namespace {

std::string normalFn(const Shape &shape, int64_t seed, bool training) {
  std::string t = tensorType(shape);
  return "func.func @forward(%c: tensor<f32>) -> " + t +
         " {\n  %z = loom.random_normal" +
         (training ? std::string(" counter %c") : std::string()) + " seed " +
         std::to_string(seed) + (training ? " training" : "") + " : " + t +
         "\n  return %z : " + t + "\n}\n";
}

std::vector<double> evaluate(const std::string &source, double counter) {
  OwningOpRef<ModuleOp> m = parseModule(source);
  auto f = m->lookupSymbol<func::FuncOp>("forward");
  RefTensor c(Shape{});
  c.data = {counter};
  FailureOr<SmallVector<RefTensor>> r = evaluateReference(f, {c});
  EXPECT_TRUE(succeeded(r));
  return succeeded(r) ? (*r)[0].data : std::vector<double>{};
}

/// The reference's noise for (seed, counter).
std::vector<double> noise(int64_t seed, double counter, int64_t n) {
  return evaluate(normalFn({n}, seed, true), counter);
}

double mean(const std::vector<double> &v) {
  double s = 0;
  for (double x : v)
    s += x;
  return s / double(v.size());
}

double correlation(const std::vector<double> &a, const std::vector<double> &b) {
  double ma = mean(a), mb = mean(b), sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

TEST(RandomNormal, MatchesReference) {
  CheckOptions o;
  o.lo = 1, o.hi = 40, o.integers = true; // the counter is a step number
  o.rtol = 1e-5, o.atol = 1e-5;           // f32 log/cos against double
  checkAgainstReference(normalFn({37, 29}, 3, true), o);
  checkAgainstReference(normalFn({2, 3, 4, 5}, 12345, true), o);
  checkAgainstReference(normalFn({64, 100}, 0, false), o);
  checkAgainstReference(normalFn({}, 7, true), o);
}

TEST(RandomNormal, InferenceDrawsCounterZero) {
  EXPECT_EQ(evaluate(normalFn({1000}, 5, false), 17.0), noise(5, 0.0, 1000));
  EXPECT_NE(noise(5, 0.0, 1000), noise(5, 1.0, 1000));
}

TEST(RandomNormal, Statistics) {
  const int64_t n = 200000;
  // 5 standard errors: mean 1/sqrt(n) = 0.0022, variance sqrt(2/n) =
  // 0.0032, a proportion p sqrt(p(1-p)/n) <= 0.0011, a correlation
  // 1/sqrt(n).
  std::vector<double> z = noise(0, 1, n);
  double m = mean(z), var = 0, within1 = 0, beyond3 = 0;
  for (double x : z) {
    var += (x - m) * (x - m);
    within1 += std::abs(x) < 1;
    beyond3 += std::abs(x) > 3;
  }
  var /= double(n - 1);
  EXPECT_NEAR(m, 0.0, 0.011);
  EXPECT_NEAR(var, 1.0, 0.016);
  EXPECT_NEAR(within1 / n, 0.682689, 0.0055);
  EXPECT_NEAR(beyond3 / n, 0.002700, 0.0006);

  double limit = 5 / std::sqrt(double(n));
  std::vector<double> shifted(z.begin() + 1, z.end()),
      head(z.begin(), z.end() - 1);
  EXPECT_LT(std::abs(correlation(head, shifted)), limit) << "neighbours";
  EXPECT_LT(std::abs(correlation(z, noise(0, 2, n))), limit) << "next step";
  EXPECT_LT(std::abs(correlation(z, noise(1, 1, n))), limit) << "another seed";
  EXPECT_EQ(z, noise(0, 1, n)) << "the same (seed, counter) draws the same";

  // Dropout's mask for the same seed and counter is unrelated.
  std::string t = tensorType({n});
  std::string dropout = "func.func @forward(%c: tensor<f32>) -> " + t +
                        " {\n  %o = loom.constant dense<1.0> : " + t +
                        "\n  %y = loom.dropout %o counter %c rate 0.5 seed 0 "
                        "training : " +
                        t + "\n  return %y : " + t + "\n}\n";
  EXPECT_LT(std::abs(correlation(z, evaluate(dropout, 1))), limit) << "dropout";
}

} // namespace
