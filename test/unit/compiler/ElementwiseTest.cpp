//===- ElementwiseTest.cpp - Unary, binary, compare, select vs reference --===//
//
// Every elementwise op on a non-square shape and on rank 0, and the NumPy
// broadcasting cases the indexing maps must get right: size-1 dims on either
// side, rank-0 operands, and rank mismatch ([3] with [4,3], [4,1] with [1,3]).
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "Target/CPU/JitCompiler.h"

#include <cmath>

using namespace loom::test;
using Shape = std::vector<int64_t>;

namespace {

std::string unaryFn(const std::string &op, const Shape &shape) {
  std::string t = tensorType(shape);
  return "func.func @forward(%a: " + t + ") -> " + t + " {\n  %0 = loom." +
         op + " %a : " + t + "\n  return %0 : " + t + "\n}\n";
}

std::string binaryFn(const std::string &op, const Shape &lhs, const Shape &rhs,
                     const Shape &result, const std::string &element = "f32") {
  std::string l = tensorType(lhs), r = tensorType(rhs),
              o = tensorType(result, element);
  return "func.func @forward(%a: " + l + ", %b: " + r + ") -> " + o +
         " {\n  %0 = loom." + op + " %a, %b : " + l + ", " + r +
         "\n  return %0 : " + o + "\n}\n";
}

/// Inputs an op needs: log/sqrt/rsqrt want positive values.
CheckOptions unaryOptions(const std::string &op) {
  CheckOptions o;
  if (op == "log" || op == "sqrt" || op == "rsqrt")
    o.lo = 0.1, o.hi = 4.0;
  return o;
}

class UnaryTest : public ::testing::TestWithParam<const char *> {};

TEST_P(UnaryTest, NonSquare) {
  std::string op = GetParam();
  checkAgainstReference(unaryFn(op, {4, 3}), unaryOptions(op));
}
TEST_P(UnaryTest, Rank0) {
  std::string op = GetParam();
  checkAgainstReference(unaryFn(op, {}), unaryOptions(op));
}
TEST_P(UnaryTest, Rank3) {
  std::string op = GetParam();
  checkAgainstReference(unaryFn(op, {2, 3, 5}), unaryOptions(op));
}

INSTANTIATE_TEST_SUITE_P(AllUnary, UnaryTest,
                         ::testing::Values("neg", "exp", "log", "sqrt",
                                           "rsqrt", "tanh", "sigmoid", "relu",
                                           "abs"));

struct BroadcastCase {
  const char *name;
  Shape lhs, rhs, result;
};

const BroadcastCase kBroadcastCases[] = {
    {"Same", {4, 3}, {4, 3}, {4, 3}},
    {"RowVector", {4, 3}, {3}, {4, 3}},
    {"VectorLhs", {3}, {4, 3}, {4, 3}},
    {"ColumnTimesRow", {4, 1}, {1, 3}, {4, 3}},
    {"Rank0Rhs", {4, 3}, {}, {4, 3}},
    {"Rank0Lhs", {}, {2, 3}, {2, 3}},
    {"Rank0Both", {}, {}, {}},
    {"Rank3With2", {2, 1, 3}, {4, 1}, {2, 4, 3}},
    {"OneVsMany", {1}, {5}, {5}},
    {"AllOnes", {1, 1}, {1}, {1, 1}},
};

class BinaryTest : public ::testing::TestWithParam<
                       std::tuple<const char *, BroadcastCase>> {};

TEST_P(BinaryTest, Broadcast) {
  auto [op, c] = GetParam();
  CheckOptions o;
  if (std::string(op) == "pow")
    o.lo = 0.25, o.hi = 3.0; // positive base; the exponent shares the range
  if (std::string(op) == "div")
    o.lo = 0.5, o.hi = 3.0; // keeps the divisor away from zero
  checkAgainstReference(binaryFn(op, c.lhs, c.rhs, c.result), o);
}

INSTANTIATE_TEST_SUITE_P(
    AllBinary, BinaryTest,
    ::testing::Combine(::testing::Values("add", "sub", "mul", "div", "maximum",
                                         "minimum", "pow"),
                       ::testing::ValuesIn(kBroadcastCases)),
    [](const auto &info) {
      return std::string(std::get<0>(info.param)) + "_" +
             std::get<1>(info.param).name;
    });

TEST(BinaryTest, PowNegativeExponent) {
  CheckOptions o;
  o.lo = 0.5, o.hi = 2.0;
  checkAgainstReference(R"mlir(
func.func @forward(%a: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %e = loom.constant dense<-1.5> : tensor<f32>
  %0 = loom.pow %a, %e : tensor<3x4xf32>, tensor<f32>
  return %0 : tensor<3x4xf32>
}
)mlir",
                        o);
}

class CompareTest : public ::testing::TestWithParam<const char *> {};

TEST_P(CompareTest, BroadcastWithTies) {
  // Small integers so that eq/le/ge see equal pairs.
  CheckOptions o;
  o.integers = true;
  std::string pred = GetParam();
  checkAgainstReference(binaryFn("compare " + pred + ",", {4, 1}, {1, 3},
                                 {4, 3}, "i1"),
                        o);
  checkAgainstReference(
      binaryFn("compare " + pred + ",", {2, 3}, {}, {2, 3}, "i1"), o);
}

INSTANTIATE_TEST_SUITE_P(AllPredicates, CompareTest,
                         ::testing::Values("eq", "ne", "lt", "le", "gt",
                                           "ge"));

TEST(SelectTest, BroadcastThreeWays) {
  checkAgainstReference(R"mlir(
func.func @forward(%c: tensor<4x1xi1>, %t: tensor<3xf32>, %f: tensor<f32>)
    -> tensor<4x3xf32> {
  %0 = loom.select %c, %t, %f : tensor<4x1xi1>, tensor<3xf32>, tensor<f32>
  return %0 : tensor<4x3xf32>
}
)mlir");
}

TEST(SelectTest, CompareThenSelect) {
  // relu written by hand: x > 0 ? x : 0, with the mask computed in-graph.
  CheckOptions o;
  o.integers = true;
  checkAgainstReference(R"mlir(
func.func @forward(%x: tensor<2x5xf32>, %y: tensor<5xf32>) -> tensor<2x5xf32> {
  %m = loom.compare ge, %x, %y : tensor<2x5xf32>, tensor<5xf32>
  %0 = loom.select %m, %x, %y : tensor<2x5xi1>, tensor<2x5xf32>, tensor<5xf32>
  return %0 : tensor<2x5xf32>
}
)mlir",
                        o);
}

TEST(SelectTest, Rank0) {
  checkAgainstReference(R"mlir(
func.func @forward(%c: tensor<i1>, %t: tensor<f32>, %f: tensor<f32>)
    -> tensor<f32> {
  %0 = loom.select %c, %t, %f : tensor<i1>, tensor<f32>, tensor<f32>
  return %0 : tensor<f32>
}
)mlir");
}

TEST(ElementwiseChainTest, MixedOps) {
  CheckOptions o;
  o.lo = 0.2, o.hi = 2.0;
  checkAgainstReference(R"mlir(
func.func @forward(%x: tensor<3x4xf32>, %b: tensor<4xf32>) -> tensor<3x4xf32> {
  %0 = loom.add %x, %b : tensor<3x4xf32>, tensor<4xf32>
  %1 = loom.sigmoid %0 : tensor<3x4xf32>
  %2 = loom.log %1 : tensor<3x4xf32>
  %3 = loom.mul %2, %x : tensor<3x4xf32>, tensor<3x4xf32>
  %4 = loom.tanh %3 : tensor<3x4xf32>
  return %4 : tensor<3x4xf32>
}
)mlir",
                        o);
}

} // namespace

namespace {
TEST(BinaryTest, PowNegativeBase) {
  // Integer exponents of negative bases are real numbers (libm's pow); an
  // exp(b * log(a)) expansion would make them NaN. Inputs, not constants,
  // so the graph folder cannot compute them at compile time.
  std::vector<float> a = {-2, -2, -3, -0.5f, 0, -2, 2};
  std::vector<float> b = {2, 3, -1, 4, 2, 0.5f, 0};
  auto r = runOn(R"mlir(
func.func @forward(%a: tensor<7xf32>, %b: tensor<7xf32>) -> tensor<7xf32> {
  %0 = loom.pow %a, %b : tensor<7xf32>, tensor<7xf32>
  return %0 : tensor<7xf32>
}
)mlir",
                 {a, b});
  ASSERT_EQ(r.size(), a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    double want = std::pow(double(a[i]), double(b[i]));
    if (std::isnan(want))
      EXPECT_TRUE(std::isnan(r[i])) << a[i] << "^" << b[i];
    else
      EXPECT_NEAR(r[i], want, 1e-6 * std::fabs(want)) << a[i] << "^" << b[i];
  }
}

TEST(UnaryTest, TanhAndSigmoidAtExtremes) {
  // Saturation without NaN, and tiny arguments without cancellation.
  std::vector<float> x = {-100, -20, -1e-6f, 0, 1e-6f, 20, 100, 3e-3f};
  auto t = runOn(R"mlir(
func.func @forward(%a: tensor<8xf32>) -> tensor<8xf32> {
  %0 = loom.tanh %a : tensor<8xf32>
  return %0 : tensor<8xf32>
}
)mlir",
                 {x});
  auto s = runOn(R"mlir(
func.func @forward(%a: tensor<8xf32>) -> tensor<8xf32> {
  %0 = loom.sigmoid %a : tensor<8xf32>
  return %0 : tensor<8xf32>
}
)mlir",
                 {x});
  ASSERT_EQ(t.size(), x.size());
  ASSERT_EQ(s.size(), x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    double wt = std::tanh(double(x[i]));
    double ws = 1.0 / (1.0 + std::exp(-double(x[i])));
    EXPECT_NEAR(t[i], wt, 1e-6 * std::fabs(wt) + 1e-12) << "tanh " << x[i];
    EXPECT_NEAR(s[i], ws, 1e-6 * std::fabs(ws) + 1e-12) << "sigmoid " << x[i];
  }
}
} // namespace
