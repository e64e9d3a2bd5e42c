//===- NormTest.cpp - Activations, normalization, dropout: JIT vs reference -===//
//
// erf, gelu (both forms), leaky_relu, clamp, layer_norm, batch_norm (both
// modes, with the running-statistics results) and dropout (both modes) run
// on the JIT and through the reference evaluator on seeded inputs,
// compared elementwise (tolerances of JitTestUtil.h; the normalizations
// are sums, so they pass atol 1e-5). Known values pin the reference itself:
// gelu(1) and erf(0.5) from tables, a batch_norm computed by hand, and
// dropout's mask statistics (the drop rate, independence of counters and
// seeds, determinism).
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

std::string unaryFn(const std::string &op, const std::string &attrs,
                    const Shape &shape) {
  std::string t = tensorType(shape);
  return "func.func @forward(%a: " + t + ") -> " + t + " {\n  %0 = loom." +
         op + " %a" + attrs + " : " + t + "\n  return %0 : " + t + "\n}\n";
}

struct ActivationCase {
  const char *op;
  const char *attrs;
};

class ActivationTest : public ::testing::TestWithParam<ActivationCase> {};

TEST_P(ActivationTest, MatchesReference) {
  auto [op, attrs] = GetParam();
  CheckOptions o;
  o.lo = -4, o.hi = 4;
  checkAgainstReference(unaryFn(op, attrs, {5, 7}), o);
  checkAgainstReference(unaryFn(op, attrs, {}), o);
}

TEST_P(ActivationTest, MatchesReferenceOnIntegers) {
  // Integers hit the kinks exactly: leaky_relu at 0, clamp at its bounds.
  auto [op, attrs] = GetParam();
  CheckOptions o;
  o.lo = -3, o.hi = 3, o.integers = true;
  checkAgainstReference(unaryFn(op, attrs, {4, 6}), o);
}

INSTANTIATE_TEST_SUITE_P(
    All, ActivationTest,
    ::testing::Values(ActivationCase{"erf", ""}, ActivationCase{"gelu", ""},
                      ActivationCase{"gelu", " approximate_tanh"},
                      ActivationCase{"leaky_relu", " alpha 0.2"},
                      ActivationCase{"clamp", " min -1.0 max 2.0"}),
    [](const auto &info) {
      std::string n = info.param.op;
      if (std::string(info.param.attrs).find("tanh") != std::string::npos)
        n += "_tanh";
      return n;
    });

/// Runs `source`'s @forward through the reference evaluator.
SmallVector<RefTensor> reference(const std::string &source,
                                 ArrayRef<RefTensor> args) {
  OwningOpRef<ModuleOp> m = parseModule(source);
  auto f = m->lookupSymbol<func::FuncOp>("forward");
  FailureOr<SmallVector<RefTensor>> r = evaluateReference(f, args);
  EXPECT_TRUE(succeeded(r));
  return succeeded(r) ? *r : SmallVector<RefTensor>{};
}

RefTensor tensor(Shape shape, std::vector<double> values) {
  RefTensor t(shape);
  t.data = std::move(values);
  return t;
}

TEST(Activation, KnownValues) {
  // Abramowitz & Stegun: erf(0.5) = 0.5204998778; gelu(1) = Phi(1) =
  // 0.8413447461; gelu_tanh(1) = 0.5 (1 + tanh(0.7978845608 * 1.044715)).
  auto at = [](const char *op, const char *attrs, double x) {
    return reference(unaryFn(op, attrs, {}), {tensor({}, {x})})[0].data[0];
  };
  EXPECT_NEAR(at("erf", "", 0.5), 0.5204998778, 1e-10);
  EXPECT_NEAR(at("gelu", "", 1.0), 0.8413447461, 1e-10);
  EXPECT_NEAR(at("gelu", " approximate_tanh", 1.0), 0.8411919906, 1e-9);
  EXPECT_EQ(at("leaky_relu", " alpha 0.2", -2.0), -0.4);
  EXPECT_EQ(at("clamp", " min -1.0 max 2.0", 5.0), 2.0);
  EXPECT_TRUE(std::isnan(at("clamp", " min -1.0 max 2.0", NAN)));
}

//===----------------------------------------------------------------------===//
// layer_norm and batch_norm
//===----------------------------------------------------------------------===//

std::string layerNormFn(const Shape &x, int64_t axis) {
  Shape g(x.begin() + axis, x.end());
  std::string xt = tensorType(x), gt = tensorType(g);
  return "func.func @forward(%x: " + xt + ", %g: " + gt + ", %b: " + gt +
         ") -> " + xt + " {\n  %y = loom.layer_norm %x, %g, %b axis " +
         std::to_string(axis) + " epsilon 1.0e-05 : " + xt + ", " + gt +
         "\n  return %y : " + xt + "\n}\n";
}

TEST(LayerNorm, MatchesReference) {
  CheckOptions o;
  o.atol = 1e-5;
  checkAgainstReference(layerNormFn({4, 3, 8}, 2), o);
  checkAgainstReference(layerNormFn({2, 3, 5}, 1), o);
  checkAgainstReference(layerNormFn({6}, 0), o);
}

std::string batchNormFn(const Shape &x, bool training) {
  std::string xt = tensorType(x), ct = tensorType({x[1]});
  return "func.func @forward(%x: " + xt + ", %g: " + ct + ", %b: " + ct +
         ", %m: " + ct + ", %v: " + ct + ") -> (" + xt + ", " + ct + ", " +
         ct + ") {\n  %y, %nm, %nv = loom.batch_norm %x, %g, %b, %m, %v "
         "epsilon 1.0e-05 momentum 0.1" +
         (training ? " training" : "") + " : " + xt + ", " + ct +
         "\n  return %y, %nm, %nv : " + xt + ", " + ct + ", " + ct + "\n}\n";
}

TEST(BatchNorm, MatchesReference) {
  CheckOptions o;
  o.atol = 1e-5;
  // Inputs in [0.5, 3): running variances must be positive.
  o.lo = 0.5, o.hi = 3.0;
  for (bool training : {true, false}) {
    checkAgainstReference(batchNormFn({4, 3, 5, 5}, training), o);
    checkAgainstReference(batchNormFn({8, 6}, training), o);
    checkAgainstReference(batchNormFn({2, 4, 7}, training), o);
  }
}

// The JIT's pipeline folds an inference batch_norm into the convolution
// before it (-loom-fold-batch-norm: scaled weights plus a shift); the
// reference evaluates the two ops as written.
TEST(BatchNorm, FoldedIntoConvolutionMatchesReference) {
  std::string x = tensorType({2, 3, 9, 9}), w = tensorType({4, 3, 3, 3}),
              c = tensorType({4}), y = tensorType({2, 4, 5, 5});
  std::string fn =
      "func.func @forward(%x: " + x + ", %w: " + w + ", %g: " + c + ", %b: " +
      c + ", %m: " + c + ", %v: " + c + ") -> " + y +
      " {\n  %c = loom.conv2d %x, %w stride [2, 2] padding [1, 1] dilation "
      "[1, 1] groups 1 : " + x + ", " + w +
      "\n  %y, %nm, %nv = loom.batch_norm %c, %g, %b, %m, %v epsilon 1.0e-05 "
      "momentum 0.1 : " + y + ", " + c + "\n  return %y : " + y + "\n}\n";
  CheckOptions o;
  o.lo = 0.5, o.hi = 3.0; // positive running variances
  o.rtol = 1e-5, o.atol = 1e-4;
  checkAgainstReference(fn, o);
}

TEST(BatchNorm, KnownValues) {
  // One channel, values 1..4 (mean 2.5, biased var 1.25, unbiased 5/3),
  // running stats (0, 1), momentum 0.1, gamma 2, beta 1.
  SmallVector<RefTensor> r =
      reference(batchNormFn({4, 1}, /*training=*/true),
                {tensor({4, 1}, {1, 2, 3, 4}), tensor({1}, {2}),
                 tensor({1}, {1}), tensor({1}, {0}), tensor({1}, {1})});
  double rstd = 1 / std::sqrt(1.25 + 1e-5);
  EXPECT_NEAR(r[0].data[0], (1 - 2.5) * rstd * 2 + 1, 1e-12);
  EXPECT_NEAR(r[0].data[3], (4 - 2.5) * rstd * 2 + 1, 1e-12);
  EXPECT_NEAR(r[1].data[0], 0.25, 1e-12);
  EXPECT_NEAR(r[2].data[0], 0.9 + 0.1 * 5.0 / 3.0, 1e-12);
  // Inference with those running statistics.
  SmallVector<RefTensor> inf =
      reference(batchNormFn({1, 1}, /*training=*/false),
                {tensor({1, 1}, {3}), tensor({1}, {2}), tensor({1}, {1}),
                 tensor({1}, {1}), tensor({1}, {4})});
  EXPECT_NEAR(inf[0].data[0], (3 - 1) / std::sqrt(4 + 1e-5) * 2 + 1, 1e-12);
  EXPECT_EQ(inf[1].data[0], 1);
  EXPECT_EQ(inf[2].data[0], 4);
}

//===----------------------------------------------------------------------===//
// dropout
//===----------------------------------------------------------------------===//

std::string dropoutFn(const Shape &x, double rate, int64_t seed, bool training) {
  std::string t = tensorType(x);
  std::string r = std::to_string(rate);
  return "func.func @forward(%x: " + t + ", %c: tensor<f32>) -> " + t +
         " {\n  %y = loom.dropout %x" +
         (training ? std::string(" counter %c") : std::string()) + " rate " +
         r + " seed " + std::to_string(seed) +
         (training ? " training" : "") + " : " + t + "\n  return %y : " + t +
         "\n}\n";
}

TEST(Dropout, MatchesReference) {
  // The masks agree exactly (a wrong element would be off by 100%); the
  // kept values differ only by the f32 rounding of x * scale.
  CheckOptions o;
  o.lo = 1, o.hi = 40; // the counter is a step number: positive
  o.rtol = 1e-7, o.atol = 0;
  for (double rate : {0.1, 0.5, 0.9}) {
    checkAgainstReference(dropoutFn({37, 29}, rate, 3, true), o);
    checkAgainstReference(dropoutFn({2, 3, 4, 5}, rate, 12345, true), o);
  }
  checkAgainstReference(dropoutFn({8, 8}, 0.5, 1, false), o);
}

/// The reference's mask for one (seed, counter): 1 kept, 0 dropped.
std::vector<int> mask(double rate, int64_t seed, double counter, int64_t n) {
  RefTensor ones(Shape{n});
  ones.data.assign(size_t(n), 1.0);
  RefTensor y = reference(dropoutFn({n}, rate, seed, true),
                          {ones, tensor({}, {counter})})[0];
  std::vector<int> m;
  for (double v : y.data) {
    EXPECT_TRUE(v == 0.0 || std::abs(v - double(float(1 / (1 - rate)))) < 1e-12)
        << v;
    m.push_back(v != 0.0);
  }
  return m;
}

TEST(Dropout, MaskStatistics) {
  const int64_t n = 200000;
  for (double rate : {0.1, 0.5, 0.8}) {
    std::vector<int> m = mask(rate, 0, 1, n);
    double kept = 0;
    for (int k : m)
      kept += k;
    // Binomial: sd of the kept fraction <= 0.0012 for n = 2e5; 5 sd.
    EXPECT_NEAR(kept / n, 1 - rate, 0.006) << "rate " << rate;
  }
  // Another step, another seed: independent masks (agreement ~ 0.5 at
  // rate 0.5), and the same (seed, counter) again: the same mask.
  std::vector<int> a = mask(0.5, 0, 1, n), b = mask(0.5, 0, 2, n),
                   c = mask(0.5, 1, 1, n), a2 = mask(0.5, 0, 1, n);
  auto agreement = [&](const std::vector<int> &x, const std::vector<int> &y) {
    double same = 0;
    for (int64_t i = 0; i < n; ++i)
      same += x[i] == y[i];
    return same / n;
  };
  EXPECT_NEAR(agreement(a, b), 0.5, 0.006);
  EXPECT_NEAR(agreement(a, c), 0.5, 0.006);
  EXPECT_EQ(a, a2);
  // Neighbouring elements are not correlated: P(both kept) ~ 0.25.
  double both = 0;
  for (int64_t i = 0; i + 1 < n; ++i)
    both += a[i] && a[i + 1];
  EXPECT_NEAR(both / double(n - 1), 0.25, 0.006);
}

} // namespace
