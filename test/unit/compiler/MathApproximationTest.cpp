//===- MathApproximationTest.cpp - tanh, exp and sigmoid on the CPU -------===//
//
// The CPU target replaces libm's tanhf and expf by polynomial
// approximations (-loom-approximate-math) so that pointwise kernels
// vectorize. These tests measure the error of the compiled functions
// against the same functions in double precision, over dense sweeps of
// their whole useful range plus the special values, in units in the last
// place (ulp) of the correctly rounded f32 result:
//
//   err = |got - want| / ulp(want),   ulp(w) = the spacing of floats at w.
//
// Bounds: exp within 5 ulp and sigmoid within 3 (libm's expf is within 1),
// tanh within 6 ulp; measured with the MLIR 22 approximations: exp 3.9
// (near the overflow threshold), sigmoid 2.1, tanh 4.2. A sign error, a lost small-argument branch (tanh(1e-6)
// computed as a difference of exponentials is off by far more) or a wrong
// range reduction would be off by thousands. The measured maxima are
// printed.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "Target/CPU/JitCompiler.h"

#include <cmath>
#include <iostream>
#include <limits>

using namespace loom::test;

namespace {

std::vector<float> runUnary(const std::string &op,
                            const std::vector<float> &x) {
  std::string t = tensorType({int64_t(x.size())});
  std::vector<double> y = runOn("func.func @forward(%a: " + t + ") -> " + t +
                                    " {\n  %0 = loom." + op + " %a : " + t +
                                    "\n  return %0 : " + t + "\n}\n",
                                {x});
  return std::vector<float>(y.begin(), y.end());
}

/// Every float step of `step` in [lo, hi], and +-(1e-30 .. 1) on a log scale.
std::vector<float> sweep(float lo, float hi, float step) {
  std::vector<float> x;
  for (double v = lo; v <= hi; v += step)
    x.push_back(float(v));
  for (double m = 1e-30; m < 1.0; m *= 1.01) {
    x.push_back(float(m));
    x.push_back(float(-m));
  }
  return x;
}

double ulpError(float got, double want) {
  float w = float(want);
  if (std::isinf(w))
    return std::isinf(got) && std::signbit(got) == std::signbit(w)
               ? 0
               : std::numeric_limits<double>::infinity();
  float a = std::fabs(w);
  double ulp = double(std::nextafter(a, std::numeric_limits<float>::infinity())) - a;
  return std::fabs(double(got) - want) / ulp;
}

/// The largest error over `x` of `op` against `ref`, and where.
void expectWithin(const std::string &op, const std::vector<float> &x,
                  double (*ref)(double), double bound) {
  std::vector<float> y = runUnary(op, x);
  ASSERT_EQ(y.size(), x.size());
  double worst = 0;
  float at = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    double e = ulpError(y[i], ref(double(x[i])));
    if (!(e <= worst))
      worst = e, at = x[i];
  }
  std::cout << op << ": max error " << worst << " ulp at x = " << at << " ("
            << x.size() << " points)\n";
  EXPECT_LE(worst, bound) << op << " at x = " << at;
}

double sigmoidRef(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double tanhRef(double x) { return std::tanh(x); }
double expRef(double x) { return std::exp(x); }

TEST(MathApproximationTest, Tanh) {
  expectWithin("tanh", sweep(-20.0f, 20.0f, 1.0f / 4096), tanhRef, 6.0);
}

TEST(MathApproximationTest, Exp) {
  // Down to the subnormals (exp(-87.3) is the smallest normal) and up to
  // the largest finite result (exp(88.72)).
  expectWithin("exp", sweep(-87.0f, 88.7f, 1.0f / 1024), expRef, 5.0);
}

TEST(MathApproximationTest, Sigmoid) {
  expectWithin("sigmoid", sweep(-80.0f, 80.0f, 1.0f / 1024), sigmoidRef, 3.0);
}

TEST(MathApproximationTest, SpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> x = {0.0f, -0.0f, inf, -inf, nan, 100.0f, -100.0f,
                          89.0f, -104.0f, 1e-40f};
  std::vector<float> e = runUnary("exp", x);
  std::vector<float> t = runUnary("tanh", x);
  std::vector<float> s = runUnary("sigmoid", x);
  ASSERT_EQ(e.size(), x.size());
  ASSERT_EQ(t.size(), x.size());
  ASSERT_EQ(s.size(), x.size());
  // exp: 1, 1, inf, 0, NaN, overflow to inf, underflow to 0.
  EXPECT_EQ(e[0], 1.0f);
  EXPECT_EQ(e[1], 1.0f);
  EXPECT_EQ(e[2], inf);
  EXPECT_EQ(e[3], 0.0f);
  EXPECT_TRUE(std::isnan(e[4]));
  EXPECT_EQ(e[5], inf);
  EXPECT_EQ(e[6], 0.0f);
  EXPECT_EQ(e[7], inf);
  EXPECT_EQ(e[8], 0.0f);
  EXPECT_EQ(e[9], 1.0f);
  // tanh: odd, saturating, NaN through.
  EXPECT_EQ(t[0], 0.0f);
  EXPECT_EQ(t[2], 1.0f);
  EXPECT_EQ(t[3], -1.0f);
  EXPECT_TRUE(std::isnan(t[4]));
  EXPECT_EQ(t[5], 1.0f);
  EXPECT_EQ(t[6], -1.0f);
  // sigmoid: 1/2, 1 and 0 at the ends, NaN through.
  EXPECT_EQ(s[0], 0.5f);
  EXPECT_EQ(s[2], 1.0f);
  EXPECT_EQ(s[3], 0.0f);
  EXPECT_TRUE(std::isnan(s[4]));
  EXPECT_EQ(s[5], 1.0f);
  EXPECT_EQ(s[6], 0.0f);
}

} // namespace
