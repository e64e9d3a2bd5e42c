//===- AttentionTest.cpp - loom.attention: JIT, reference, gradients ------===//
//
// The compiled attention (decomposed into matmul, softmax and select)
// against the reference evaluator's direct loops, with and without the
// causal mask, with heads as a leading dimension and unequal query/key
// lengths; a known value; and the VJP of every operand against finite
// differences (GradientCheckUtil.h), on the reference and on the JIT.
//
//===----------------------------------------------------------------------===//
#include "GradientCheckUtil.h"
#include "JitTestUtil.h"

#include "Reference/Evaluator.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cmath>

using namespace mlir;
using namespace loom;
using namespace loom::test;
using Shape = std::vector<int64_t>;

namespace {

std::string op(const Shape &q, const Shape &k, const Shape &v, bool causal) {
  return "loom.attention %a0, %a1, %a2 scale 0.35" +
         std::string(causal ? " causal" : "") + " : " + tensorType(q) + ", " +
         tensorType(k) + ", " + tensorType(v);
}

Shape outShape(const Shape &q, const Shape &v) {
  Shape o = q;
  o.back() = v.back();
  return o;
}

std::string forwardFn(const Shape &q, const Shape &k, const Shape &v,
                      bool causal) {
  std::string o = tensorType(outShape(q, v));
  return "func.func @forward(%a0: " + tensorType(q) + ", %a1: " +
         tensorType(k) + ", %a2: " + tensorType(v) + ") -> " + o +
         " {\n  %y = " + op(q, k, v, causal) + "\n  return %y : " + o + "\n}\n";
}

struct Case {
  const char *name;
  Shape q, k, v;
  bool causal;
};

const Case kCases[] = {
    {"Plain2D", {5, 4}, {6, 4}, {6, 3}, false},
    {"Causal", {2, 6, 8}, {2, 6, 8}, {2, 6, 8}, true},
    {"Heads", {2, 3, 5, 4}, {2, 3, 7, 4}, {2, 3, 7, 2}, false},
    {"HeadsCausal", {2, 2, 4, 3}, {2, 2, 4, 3}, {2, 2, 4, 5}, true},
    {"SingleKey", {3, 1, 4}, {3, 1, 4}, {3, 1, 2}, true},
};

class AttentionTest : public ::testing::TestWithParam<Case> {};

TEST_P(AttentionTest, MatchesReference) {
  const Case &c = GetParam();
  CheckOptions o;
  o.atol = 1e-5;
  checkAgainstReference(forwardFn(c.q, c.k, c.v, c.causal), o);
}

TEST_P(AttentionTest, GradientMatchesFiniteDifferences) {
  const Case &c = GetParam();
  std::vector<Arg> args = {{"a0", c.q}, {"a1", c.k}, {"a2", c.v}};
  Shape out = outShape(c.q, c.v);
  std::string src =
      lossFunction(args, "%y = " + op(c.q, c.k, c.v, c.causal), out);
  std::vector<Arg> extra = {{"w", out, Dist::Uniform, false}};
  checkFiniteDifferences(src, args, extra);
  checkJitGradient(src, args, extra);
}

INSTANTIATE_TEST_SUITE_P(Shapes, AttentionTest, ::testing::ValuesIn(kCases),
                         [](const auto &info) { return info.param.name; });

TEST(Attention, KnownValue) {
  // One query [1, 0], keys [1, 0] and [0, 1], values 10 and 20, scale 1:
  // weights e/(e+1) and 1/(e+1). Causal: the first query sees only itself.
  auto run = [](bool causal) {
    OwningOpRef<ModuleOp> m =
        parseModule(forwardFn({2, 2}, {2, 2}, {2, 1}, causal));
    auto f = m->lookupSymbol<func::FuncOp>("forward");
    RefTensor q(Shape{2, 2}), v(Shape{2, 1});
    q.data = {1, 0, 0, 1};
    v.data = {10, 20};
    auto r = evaluateReference(f, {q, q, v});
    EXPECT_TRUE(succeeded(r));
    return (*r)[0].data;
  };
  double e = std::exp(0.35);
  std::vector<double> full = run(false), causal = run(true);
  EXPECT_NEAR(full[0], (10 * e + 20) / (e + 1), 1e-12);
  EXPECT_NEAR(full[1], (10 + 20 * e) / (e + 1), 1e-12);
  EXPECT_NEAR(causal[0], 10, 1e-12);
  EXPECT_NEAR(causal[1], (10 + 20 * e) / (e + 1), 1e-12);
}

} // namespace
