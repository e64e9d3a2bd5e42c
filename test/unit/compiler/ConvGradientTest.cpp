//===- ConvGradientTest.cpp - Convolution VJPs against finite differences -===//
//
// Every differentiable operand of conv2d, conv2d_transpose, max_pool2d and
// avg_pool2d, with the harness of GradientCheckTest.cpp
// (GradientCheckUtil.h): reference gradients of -loom-autodiff's @f_grad
// against central differences, over strides that leave input rows unread,
// padding, dilation, groups (depthwise included) and non-square shapes;
// the JIT's gradient functions against the reference's; and max_pool2d's
// tie rule (the first maximum of a window, as in PyTorch).
//
//===----------------------------------------------------------------------===//
#include "GradientCheckUtil.h"
#include "JitTestUtil.h"

#include "Reference/Evaluator.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cstdlib>
#include <ostream>

using namespace mlir;
using namespace loom;
using namespace loom::test;
using Shape = std::vector<int64_t>;

namespace {

std::string pair(int64_t h, int64_t w) {
  return "[" + std::to_string(h) + ", " + std::to_string(w) + "]";
}

struct GradCase {
  std::string name;
  std::vector<Arg> args;
  std::string op; // the op's text after `%y = `
  Shape out;
};

std::ostream &operator<<(std::ostream &os, const GradCase &c) {
  return os << c.name;
}

/// The loss's fixed weights W (an input, not differentiated).
Arg lossWeights(const Shape &shape) {
  return {"w", shape, Dist::Uniform, /*param=*/false};
}

std::string source(const GradCase &c) {
  return lossFunction(c.args, "%y = " + c.op, c.out);
}

struct Conv {
  const char *name;
  Shape x;
  int64_t f, kh, kw, sh, sw, ph, pw, dh, dw, groups, oph = 0, opw = 0;
};

const Conv kConvs[] = {
    {"Plain", {1, 2, 5, 5}, 3, 3, 3, 1, 1, 0, 0, 1, 1, 1},
    {"StridePadding", {2, 2, 6, 7}, 2, 3, 2, 2, 3, 1, 1, 1, 1, 1, 1, 2},
    // (8 + 0 - 3) % 2 = 1: the last input row is never read by conv2d.
    {"StrideLeavesRows", {1, 1, 8, 7}, 2, 3, 3, 2, 2, 0, 0, 1, 1, 1, 1, 1},
    {"Dilation", {1, 2, 8, 7}, 2, 2, 3, 1, 2, 1, 0, 2, 2, 1},
    {"Groups", {2, 4, 5, 5}, 2, 3, 3, 1, 1, 1, 1, 1, 1, 2},
    {"Depthwise", {1, 3, 6, 5}, 3, 3, 3, 2, 1, 1, 0, 1, 1, 3, 1, 0},
    {"GroupsStrideDilation", {2, 4, 9, 8}, 4, 2, 2, 2, 2, 1, 1, 2, 1, 2, 1, 1},
};

std::vector<GradCase> convCases() {
  std::vector<GradCase> cases;
  for (const Conv &c : kConvs) {
    // conv2d: input and weight are params.
    int64_t oh = (c.x[2] + 2 * c.ph - c.dh * (c.kh - 1) - 1) / c.sh + 1;
    int64_t ow = (c.x[3] + 2 * c.pw - c.dw * (c.kw - 1) - 1) / c.sw + 1;
    Shape w = {c.f, c.x[1] / c.groups, c.kh, c.kw};
    Shape y = {c.x[0], c.f, oh, ow};
    std::string attrs =
        " stride " + pair(c.sh, c.sw) + " padding " + pair(c.ph, c.pw);
    std::string tail = " dilation " + pair(c.dh, c.dw) + " groups " +
                       std::to_string(c.groups) + " : ";
    cases.push_back({std::string("conv2d_") + c.name,
                     {{"a0", c.x}, {"a1", w}},
                     "loom.conv2d %a0, %a1" + attrs + tail + tensorType(c.x) +
                         ", " + tensorType(w),
                     y});
    // conv2d_transpose: the same numbers, input [N, C, H, W], weight
    // [C, F/groups, KH, KW].
    if (c.f % c.groups != 0)
      continue;
    Shape tw = {c.x[1], c.f / c.groups, c.kh, c.kw};
    int64_t th = (c.x[2] - 1) * c.sh - 2 * c.ph + c.dh * (c.kh - 1) + c.oph + 1;
    int64_t tww =
        (c.x[3] - 1) * c.sw - 2 * c.pw + c.dw * (c.kw - 1) + c.opw + 1;
    cases.push_back({std::string("conv2d_transpose_") + c.name,
                     {{"a0", c.x}, {"a1", tw}},
                     "loom.conv2d_transpose %a0, %a1" + attrs +
                         " output_padding " + pair(c.oph, c.opw) + tail +
                         tensorType(c.x) + ", " + tensorType(tw),
                     {c.x[0], c.f, th, tww}});
  }
  return cases;
}

struct Pool {
  const char *name;
  Shape x;
  int64_t kh, kw, sh, sw, ph, pw;
};

const Pool kPools[] = {
    {"TwoByTwo", {2, 2, 4, 6}, 2, 2, 2, 2, 0, 0},
    {"Overlapping", {1, 2, 5, 5}, 3, 3, 1, 1, 0, 0},
    {"Padded", {1, 2, 5, 6}, 3, 3, 2, 2, 1, 1},
    {"NonSquareRoundsDown", {2, 1, 7, 6}, 3, 2, 2, 1, 1, 0},
};

std::vector<GradCase> poolCases() {
  std::vector<GradCase> cases;
  for (const Pool &p : kPools)
    for (bool isMax : {true, false}) {
      int64_t oh = (p.x[2] + 2 * p.ph - p.kh) / p.sh + 1;
      int64_t ow = (p.x[3] + 2 * p.pw - p.kw) / p.sw + 1;
      std::string op = isMax ? "max_pool2d" : "avg_pool2d";
      // Distinct values: no ties, so max_pool2d is differentiable there.
      cases.push_back({op + "_" + p.name,
                       {{"a0", p.x, isMax ? Dist::Distinct : Dist::Uniform}},
                       "loom." + op + " %a0 kernel " + pair(p.kh, p.kw) +
                           " stride " + pair(p.sh, p.sw) + " padding " +
                           pair(p.ph, p.pw) + " : " + tensorType(p.x),
                       {p.x[0], p.x[1], oh, ow}});
    }
  return cases;
}

std::vector<GradCase> allCases() {
  std::vector<GradCase> cases = convCases();
  for (GradCase &c : poolCases())
    cases.push_back(std::move(c));
  return cases;
}

class ConvGradientCheck : public ::testing::TestWithParam<GradCase> {};

TEST_P(ConvGradientCheck, MatchesFiniteDifferences) {
  const GradCase &c = GetParam();
  checkFiniteDifferences(source(c), c.args, {lossWeights(c.out)});
}

/// The JIT under each convolution lowering (ConvAlgorithm.h): im2col +
/// GEMM everywhere, or the direct convolution, input gradient and filter
/// gradient wherever they apply.
TEST_P(ConvGradientCheck, JitMatchesReferenceIm2col) {
  const GradCase &c = GetParam();
  ::setenv("LOOM_CONV_ALGORITHM", "im2col", 1);
  checkJitGradient(source(c), c.args, {lossWeights(c.out)});
  ::unsetenv("LOOM_CONV_ALGORITHM");
}

TEST_P(ConvGradientCheck, JitMatchesReferenceDirect) {
  const GradCase &c = GetParam();
  ::setenv("LOOM_CONV_ALGORITHM", "direct", 1);
  checkJitGradient(source(c), c.args, {lossWeights(c.out)});
  ::unsetenv("LOOM_CONV_ALGORITHM");
}

INSTANTIATE_TEST_SUITE_P(EveryOp, ConvGradientCheck,
                         ::testing::ValuesIn(allCases()),
                         [](const auto &info) { return info.param.name; });

/// Only the weight is trainable (the input is data): the gradient is the
/// filter gradient alone, the case of a first layer.
TEST(ConvGradient, WeightOnly) {
  Shape x = {2, 3, 6, 6}, w = {4, 3, 3, 3}, y = {2, 4, 3, 3};
  std::string src = lossFunction(
      {{"a0", x, Dist::Uniform, /*param=*/false}, {"a1", w}},
      "%y = loom.conv2d %a0, %a1 stride [2, 2] padding [1, 1] dilation "
      "[1, 1] groups 1 : " +
          tensorType(x) + ", " + tensorType(w),
      y);
  checkFiniteDifferences(src, {{"a0", x, Dist::Uniform, false}, {"a1", w}},
                         {lossWeights(y)});
}

/// A small conv net's loss: conv, bias, relu, pool, conv, global average,
/// dense; every parameter's gradient by finite differences and on the JIT.
TEST(ConvGradient, SmallConvNet) {
  std::vector<Arg> args = {{"x", {2, 1, 6, 6}, Dist::Uniform, false},
                           {"w1", {3, 1, 3, 3}},
                           {"b1", {3, 1, 1}},
                           {"w2", {4, 3, 2, 2}},
                           {"fc", {4, 2}}};
  std::string body =
      R"mlir(%0 = loom.conv2d %x, %w1 stride [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<2x1x6x6xf32>, tensor<3x1x3x3xf32>
  %1 = loom.add %0, %b1 : tensor<2x3x6x6xf32>, tensor<3x1x1xf32>
  %2 = loom.tanh %1 : tensor<2x3x6x6xf32>
  %3 = loom.avg_pool2d %2 kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<2x3x6x6xf32>
  %4 = loom.conv2d %3, %w2 stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<2x3x3x3xf32>, tensor<4x3x2x2xf32>
  %5 = loom.reduce_mean %4 axes [2, 3] : tensor<2x4x2x2xf32>
  %y = loom.matmul %5, %fc : tensor<2x4xf32>, tensor<4x2xf32>)mlir";
  std::string src = lossFunction(args, body, {2, 2});
  checkFiniteDifferences(src, args, {lossWeights({2, 2})});
  checkJitGradient(src, args, {lossWeights({2, 2})});
}

/// max_pool2d routes a window's gradient to its first maximum in row-major
/// order, as PyTorch does, never splitting it among ties.
TEST(ConvGradient, MaxPoolTiesGoToTheFirstMaximum) {
  OwningOpRef<ModuleOp> module = differentiate(R"mlir(
func.func @f(%x: tensor<1x1x2x4xf32> {loom.param = "x"}) -> (tensor<f32> {loom.loss}) {
  %y = loom.max_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<1x1x2x4xf32>
  %l = loom.reduce_sum %y axes [0, 1, 2, 3] : tensor<1x1x1x2xf32>
  return %l : tensor<f32>
}
)mlir");
  ASSERT_TRUE(module);
  RefTensor x({1, 1, 2, 4});
  // Window 1: [[1, 3], [3, 0]] (tie at (0,1) and (1,0)); window 2:
  // [[2, 2], [2, 2]] (all tied).
  x.data = {1, 3, 2, 2, 3, 0, 2, 2};
  auto grad = module->lookupSymbol<func::FuncOp>("f_grad");
  ASSERT_TRUE(grad);
  FailureOr<SmallVector<RefTensor>> r = evaluateReference(grad, {x});
  ASSERT_TRUE(succeeded(r));
  std::vector<double> want = {0, 1, 1, 0, 0, 0, 0, 0};
  EXPECT_EQ((*r)[1].data, want);
}

} // namespace
