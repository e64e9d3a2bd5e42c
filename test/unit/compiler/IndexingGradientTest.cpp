//===- IndexingGradientTest.cpp - gather/scatter_add VJPs vs differences --===//
//
// The table gradient of gather and the updates gradient of scatter_add
// (each the other op), with the harness of GradientCheckUtil.h: reference
// gradients of -loom-autodiff's @f_grad against central differences, and
// the JIT's gradient function against the reference's. The indices are
// constants in the function body (they are data, never differentiated),
// with repeats (gradients must add up) and unused positions (zero
// gradient).
//
//===----------------------------------------------------------------------===//
#include "GradientCheckUtil.h"
#include "JitTestUtil.h"

#include <ostream>

using namespace loom::test;
using Shape = std::vector<int64_t>;

namespace {

struct GradCase {
  std::string name;
  std::vector<Arg> args;
  std::string body; // defines %y from the args
  Shape out;
};

std::ostream &operator<<(std::ostream &os, const GradCase &c) {
  return os << c.name;
}

/// `%i = loom.constant dense<values> : tensor<shape>`.
std::string indexConstant(const std::string &values, const Shape &shape) {
  return "%i = loom.constant dense<" + values + "> : " + tensorType(shape) +
         "\n  ";
}

std::vector<GradCase> cases() {
  return {
      {"GatherRows",
       {{"t", {5, 3}}},
       indexConstant("[3.0, 0.0, 3.0, 4.0]", {4}) +
           "%y = loom.gather %t, %i axis 0 : tensor<5x3xf32>, tensor<4xf32>",
       {4, 3}},
      {"GatherMatrixOfIndices",
       {{"t", {6, 2}}},
       indexConstant("[[5.0, 1.0, 1.0], [0.0, 5.0, 2.0]]", {2, 3}) +
           "%y = loom.gather %t, %i axis 0 : tensor<6x2xf32>, tensor<2x3xf32>",
       {2, 3, 2}},
      {"GatherMiddleAxis",
       {{"t", {2, 4, 3}}},
       indexConstant("[2.0, 2.0, 0.0]", {3}) +
           "%y = loom.gather %t, %i axis 1 : tensor<2x4x3xf32>, tensor<3xf32>",
       {2, 3, 3}},
      {"GatherScalarIndex",
       {{"t", {2, 4}}},
       indexConstant("1.0", {}) +
           "%y = loom.gather %t, %i axis 1 : tensor<2x4xf32>, tensor<f32>",
       {2}},
      {"ScatterAddRows",
       {{"u", {6, 3}}},
       indexConstant("[4.0, 0.0, 4.0, 1.0, 4.0, 0.0]", {6}) +
           "%y = loom.scatter_add %u, %i axis 0 dim_size 5 : "
           "tensor<6x3xf32>, tensor<6xf32>",
       {5, 3}},
      {"ScatterAddInnerAxis",
       {{"u", {2, 2, 3, 2}}},
       indexConstant("[[0.0, 3.0, 0.0], [2.0, 2.0, 3.0]]", {2, 3}) +
           "%y = loom.scatter_add %u, %i axis 1 dim_size 4 : "
           "tensor<2x2x3x2xf32>, tensor<2x3xf32>",
       {2, 4, 2}},
  };
}

class IndexingGradientCheck : public ::testing::TestWithParam<GradCase> {};

TEST_P(IndexingGradientCheck, MatchesFiniteDifferences) {
  const GradCase &c = GetParam();
  checkFiniteDifferences(lossFunction(c.args, c.body, c.out), c.args,
                         {{"w", c.out, Dist::Uniform, /*param=*/false}});
}

TEST_P(IndexingGradientCheck, JitMatchesReference) {
  const GradCase &c = GetParam();
  checkJitGradient(lossFunction(c.args, c.body, c.out), c.args,
                   {{"w", c.out, Dist::Uniform, /*param=*/false}});
}

INSTANTIATE_TEST_SUITE_P(EveryOp, IndexingGradientCheck,
                         ::testing::ValuesIn(cases()),
                         [](const auto &info) { return info.param.name; });

/// An embedding followed by a dense layer and a scatter back: gradients
/// chain through gather -> matmul -> scatter_add to both parameters.
TEST(IndexingGradient, EmbeddingThroughScatter) {
  std::vector<Arg> args = {{"emb", {7, 3}}, {"fc", {3, 2}}};
  std::string body =
      indexConstant("[6.0, 2.0, 2.0, 0.0]", {4}) +
      "%e = loom.gather %emb, %i axis 0 : tensor<7x3xf32>, tensor<4xf32>\n"
      "  %h = loom.matmul %e, %fc : tensor<4x3xf32>, tensor<3x2xf32>\n"
      "  %t = loom.tanh %h : tensor<4x2xf32>\n"
      "  %j = loom.constant dense<[1.0, 0.0, 1.0, 2.0]> : tensor<4xf32>\n"
      "  %y = loom.scatter_add %t, %j axis 0 dim_size 3 : tensor<4x2xf32>, "
      "tensor<4xf32>";
  std::string source = lossFunction(args, body, {3, 2});
  checkFiniteDifferences(source, args, {{"w", {3, 2}, Dist::Uniform, false}});
  checkJitGradient(source, args, {{"w", {3, 2}, Dist::Uniform, false}});
}

} // namespace
