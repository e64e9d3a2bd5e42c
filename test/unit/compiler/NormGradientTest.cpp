//===- NormGradientTest.cpp - VJPs of activations, norms, dropout ----------===//
//
// The harness of GradientCheckTest.cpp (GradientCheckUtil.h): each op's
// reference gradient from -loom-autodiff against central differences of
// the reference evaluator, and the JIT's gradient function against the
// reference's. batch_norm is checked in training mode (the gradient through
// the batch statistics) and in inference mode; dropout in training mode
// (its gradient re-draws the same mask).
//
//===----------------------------------------------------------------------===//
#include "GradientCheckUtil.h"
#include "JitTestUtil.h"

#include <ostream>

using namespace loom;
using namespace loom::test;
using Shape = std::vector<int64_t>;

namespace {

struct GradCase {
  std::string name;
  std::vector<Arg> args;
  std::string op; // the op's text after `%y = ` (or the whole body)
  Shape out;
};

std::ostream &operator<<(std::ostream &os, const GradCase &c) {
  return os << c.name;
}

GradCase unary(const std::string &name, const std::string &op,
               const std::string &attrs, Dist dist) {
  Shape s = {3, 5};
  return {name, {{"a0", s, dist}},
          "%y = loom." + op + " %a0" + attrs + " : " + tensorType(s), s};
}

GradCase layerNorm(const std::string &name, const Shape &x, int64_t axis) {
  Shape g(x.begin() + axis, x.end());
  return {name,
          {{"a0", x}, {"a1", g}, {"a2", g}},
          "%y = loom.layer_norm %a0, %a1, %a2 axis " + std::to_string(axis) +
              " epsilon 1.0e-05 : " + tensorType(x) + ", " + tensorType(g),
          x};
}

GradCase batchNorm(const std::string &name, const Shape &x, bool training) {
  Shape c = {x[1]};
  return {name,
          {{"a0", x},
           {"a1", c},
           {"a2", c},
           {"rm", c, Dist::Uniform, /*param=*/false},
           {"rv", c, Dist::Positive, /*param=*/false}},
          "%y, %nm, %nv = loom.batch_norm %a0, %a1, %a2, %rm, %rv epsilon "
          "1.0e-05 momentum 0.1" +
              std::string(training ? " training" : "") + " : " +
              tensorType(x) + ", " + tensorType(c),
          x};
}

GradCase dropout(const std::string &name, const Shape &x, double rate) {
  return {name,
          {{"a0", x}, {"step", {}, Dist::Positive, /*param=*/false}},
          "%y = loom.dropout %a0 counter %step rate " + std::to_string(rate) +
              " seed 5 training : " + tensorType(x),
          x};
}

std::vector<GradCase> allCases() {
  return {
      unary("erf", "erf", "", Dist::Uniform),
      unary("gelu", "gelu", "", Dist::Uniform),
      unary("gelu_tanh", "gelu", " approximate_tanh", Dist::Uniform),
      // GridHalf never hits 0 (leaky_relu's kink) or +-1 (clamp's bounds).
      unary("leaky_relu", "leaky_relu", " alpha 0.1", Dist::GridHalf),
      unary("clamp", "clamp", " min -1.0 max 1.0", Dist::GridHalf),
      layerNorm("layer_norm_last", {4, 6}, 1),
      layerNorm("layer_norm_two_dims", {2, 3, 4}, 1),
      batchNorm("batch_norm_training_nchw", {3, 2, 2, 3}, true),
      batchNorm("batch_norm_training_nc", {5, 3}, true),
      batchNorm("batch_norm_inference", {3, 2, 2, 2}, false),
      dropout("dropout", {6, 7}, 0.4),
  };
}

class NormGradientCheck : public ::testing::TestWithParam<GradCase> {};

TEST_P(NormGradientCheck, MatchesFiniteDifferences) {
  const GradCase &c = GetParam();
  std::vector<Arg> extra = {{"w", c.out, Dist::Uniform, false}};
  checkFiniteDifferences(lossFunction(c.args, c.op, c.out), c.args, extra);
}

TEST_P(NormGradientCheck, JitMatchesReference) {
  const GradCase &c = GetParam();
  std::vector<Arg> extra = {{"w", c.out, Dist::Uniform, false}};
  checkJitGradient(lossFunction(c.args, c.op, c.out), c.args, extra);
}

INSTANTIATE_TEST_SUITE_P(EveryOp, NormGradientCheck,
                         ::testing::ValuesIn(allCases()),
                         [](const auto &info) { return info.param.name; });

} // namespace
