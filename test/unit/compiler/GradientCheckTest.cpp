//===- GradientCheckTest.cpp - Every op's VJP against finite differences --===//
//
// For each differentiable op, on shapes that exercise broadcasting (size-1
// dims, rank 0, rank mismatch) and every matmul flag combination:
//
//   loss = reduce_sum(op(args) * W)
//
// with a fixed random W (an input, so every output element matters and
// gets no gradient), differentiated by -loom-autodiff, evaluated by the
// reference evaluator in double, and compared with central differences of
// the original function, also in double:
//
//   fd = (loss(x + h) - loss(x - h)) / 2h,  h = 1e-6 * max(1, |x|)
//   pass when |g - fd| <= 1e-5 * max(1, |fd|)
//
// Inputs avoid kinks (relu and abs at 0, ties in maximum, minimum,
// reduce_max and argmax) by construction: see Dist. The tie rules
// themselves get exact checks, and a few cases, including a small MLP
// loss, also run the JIT's gradient function against the reference
// gradient in f32.
//
//===----------------------------------------------------------------------===//
#include "GradientCheckUtil.h"
#include "JitTestUtil.h"

#include "Loom/ShapeInference.h"
#include "Passes.h"
#include "Reference/Evaluator.h"
#include "Target/CPU/JitCompiler.h"
#include "Transforms/Autodiff.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"

#include <algorithm>
#include <cmath>
#include <random>

using namespace mlir;
using namespace loom;
using namespace loom::test;
using Shape = std::vector<int64_t>;

namespace {

//===----------------------------------------------------------------------===//
// The cases: one op applied to named arguments a0, a1, ...
//===----------------------------------------------------------------------===//

struct OpCase {
  std::string name;
  std::vector<Arg> args;
  std::string op; // the op's text after `%y = `
  Shape out;
};

std::string source(const OpCase &c) {
  return lossFunction(c.args, "%y = " + c.op, c.out);
}

std::ostream &operator<<(std::ostream &os, const OpCase &c) {
  return os << c.name;
}

Shape broadcast(const Shape &a, const Shape &b) {
  SmallVector<int64_t> out;
  EXPECT_TRUE(broadcastShapes(a, b, out));
  return Shape(out.begin(), out.end());
}

std::string shapeName(const Shape &s) {
  if (s.empty())
    return "scalar";
  std::string n;
  for (int64_t d : s)
    n += (n.empty() ? "" : "x") + std::to_string(d);
  return n;
}

std::vector<OpCase> unaryCases() {
  struct U {
    const char *op;
    Dist dist;
  };
  const U ops[] = {{"neg", Dist::Uniform},     {"exp", Dist::Uniform},
                   {"log", Dist::Positive},    {"sqrt", Dist::Positive},
                   {"rsqrt", Dist::Positive},  {"tanh", Dist::Uniform},
                   {"sigmoid", Dist::Uniform}, {"relu", Dist::GridHalf},
                   {"abs", Dist::GridHalf}};
  std::vector<OpCase> cases;
  for (const U &u : ops)
    for (const Shape &s : {Shape{3, 4}, Shape{}, Shape{2, 1, 3}})
      cases.push_back({std::string(u.op) + "_" + shapeName(s),
                       {{"a0", s, u.dist}},
                       "loom." + std::string(u.op) + " %a0 : " + tensorType(s),
                       s});
  return cases;
}

std::vector<OpCase> binaryCases() {
  struct B {
    const char *op;
    Dist lhs, rhs;
  };
  const B ops[] = {{"add", Dist::Uniform, Dist::Uniform},
                   {"sub", Dist::Uniform, Dist::Uniform},
                   {"mul", Dist::Uniform, Dist::Uniform},
                   {"div", Dist::Uniform, Dist::Positive},
                   {"maximum", Dist::GridHalf, Dist::Grid},
                   {"minimum", Dist::Grid, Dist::GridHalf},
                   {"pow", Dist::Positive, Dist::Uniform}};
  const std::pair<Shape, Shape> shapes[] = {{{3, 4}, {3, 4}},    {{3, 4}, {4}},
                                            {{3, 1}, {1, 4}},    {{}, {2, 3}},
                                            {{2, 3, 4}, {3, 1}}, {{1}, {2, 3}}};
  std::vector<OpCase> cases;
  for (const B &b : ops)
    for (const auto &[l, r] : shapes)
      cases.push_back(
          {std::string(b.op) + "_" + shapeName(l) + "_" + shapeName(r),
           {{"a0", l, b.lhs}, {"a1", r, b.rhs}},
           "loom." + std::string(b.op) + " %a0, %a1 : " + tensorType(l) + ", " +
               tensorType(r),
           broadcast(l, r)});
  return cases;
}

std::vector<OpCase> selectCases() {
  const Shape shapes[][3] = {
      {{3, 4}, {3, 4}, {3, 4}}, {{3, 4}, {4}, {}}, {{1, 4}, {3, 1}, {4}}};
  std::vector<OpCase> cases;
  for (const auto &s : shapes)
    cases.push_back(
        {"select_" + shapeName(s[0]) + "_" + shapeName(s[1]) + "_" +
             shapeName(s[2]),
         {{"c", s[0], Dist::Bool, /*param=*/false}, {"a0", s[1]}, {"a1", s[2]}},
         "loom.select %c, %a0, %a1 : " + tensorType(s[0], "i1") + ", " +
             tensorType(s[1]) + ", " + tensorType(s[2]),
         broadcast(broadcast(s[0], s[1]), s[2])});
  return cases;
}

std::vector<OpCase> matmulCases() {
  struct M {
    const char *name;
    Shape lhsBatch, rhsBatch, outBatch;
  };
  const M batches[] = {{"2d", {}, {}, {}},
                       {"batch_x_matrix", {3}, {}, {3}},
                       {"matrix_x_batch", {}, {2}, {2}},
                       {"equal_batch", {2}, {2}, {2}},
                       {"broadcast_batch", {2, 1}, {3}, {2, 3}},
                       {"unit_batch_both", {1, 2}, {3, 1}, {3, 2}}};
  constexpr int64_t M_ = 4, K = 3, N = 2;
  std::vector<OpCase> cases;
  for (const M &m : batches)
    for (bool tl : {false, true})
      for (bool tr : {false, true}) {
        Shape l = m.lhsBatch, r = m.rhsBatch, o = m.outBatch;
        l.insert(l.end(), {tl ? K : M_, tl ? M_ : K});
        r.insert(r.end(), {tr ? N : K, tr ? K : N});
        o.insert(o.end(), {M_, N});
        cases.push_back({std::string("matmul_") + m.name +
                             (tl ? "_TL" : "_NL") + (tr ? "_TR" : "_NR"),
                         {{"a0", l}, {"a1", r}},
                         "loom.matmul %a0, %a1" +
                             std::string(tl ? " transpose_lhs" : "") +
                             (tr ? " transpose_rhs" : "") + " : " +
                             tensorType(l) + ", " + tensorType(r),
                         o});
      }
  return cases;
}

std::vector<OpCase> reductionCases() {
  struct R {
    std::string name;
    Shape in;
    std::string axes;
    bool keepdims;
    Shape out;
  };
  const R configs[] = {{"rows", {3, 4}, "[1]", false, {3}},
                       {"all", {3, 4}, "[0, 1]", false, {}},
                       {"outer_keepdims", {2, 3, 4}, "[0, 2]", true, {1, 3, 1}},
                       {"none", {3, 4}, "[]", false, {3, 4}}};
  std::vector<OpCase> cases;
  for (const char *op : {"reduce_sum", "reduce_mean", "reduce_max"})
    for (const R &r : configs)
      cases.push_back(
          {std::string(op) + "_" + r.name,
           {{"a0", r.in,
             std::string(op) == "reduce_max" ? Dist::Distinct : Dist::Uniform}},
           "loom." + std::string(op) + " %a0 axes " + r.axes +
               (r.keepdims ? " keepdims" : "") + " : " + tensorType(r.in),
           r.out});
  return cases;
}

std::vector<OpCase> shapeCases() {
  auto t = [](const Shape &s) { return tensorType(s); };
  return {
      {"reshape",
       {{"a0", {3, 4}}},
       "loom.reshape %a0 [2, 6] : " + t({3, 4}),
       {2, 6}},
      {"reshape_to_scalar",
       {{"a0", {1, 1}}},
       "loom.reshape %a0 [] : " + t({1, 1}),
       {}},
      {"transpose",
       {{"a0", {2, 3, 4}}},
       "loom.transpose %a0 [2, 0, 1] : " + t({2, 3, 4}),
       {4, 2, 3}},
      {"broadcast_to_rank",
       {{"a0", {3}}},
       "loom.broadcast_to %a0 [2, 3] : " + t({3}),
       {2, 3}},
      {"broadcast_to_unit",
       {{"a0", {3, 1}}},
       "loom.broadcast_to %a0 [2, 3, 4] : " + t({3, 1}),
       {2, 3, 4}},
      {"broadcast_to_scalar",
       {{"a0", {}}},
       "loom.broadcast_to %a0 [2, 2] : " + t({}),
       {2, 2}},
      {"slice_strided",
       {{"a0", {5, 6}}},
       "loom.slice %a0 start [1, 0] limit [5, 6] stride [2, 4] : " + t({5, 6}),
       {2, 2}},
      {"slice_box",
       {{"a0", {4, 3}}},
       "loom.slice %a0 start [1, 1] limit [3, 3] stride [1, 1] : " + t({4, 3}),
       {2, 2}},
      {"pad",
       {{"a0", {2, 3}}},
       "loom.pad %a0 low [1, 0] high [0, 2] interior [0, 1] : " + t({2, 3}),
       {3, 7}},
      {"concat_axis1",
       {{"a0", {2, 3}}, {"a1", {2, 1}}, {"a2", {2, 2}}},
       "loom.concat %a0, %a1, %a2 axis 1 : " + t({2, 3}) + ", " + t({2, 1}) +
           ", " + t({2, 2}),
       {2, 6}},
      {"concat_axis0",
       {{"a0", {1, 3}}, {"a1", {2, 3}}},
       "loom.concat %a0, %a1 axis 0 : " + t({1, 3}) + ", " + t({2, 3}),
       {3, 3}},
      {"softmax_axis1",
       {{"a0", {3, 4}}},
       "loom.softmax %a0 axis 1 : " + t({3, 4}),
       {3, 4}},
      {"softmax_axis0",
       {{"a0", {2, 3, 2}}},
       "loom.softmax %a0 axis 0 : " + t({2, 3, 2}),
       {2, 3, 2}},
      {"log_softmax_axis1",
       {{"a0", {3, 4}}},
       "loom.log_softmax %a0 axis 1 : " + t({3, 4}),
       {3, 4}},
      {"log_softmax_axis0",
       {{"a0", {2, 3, 2}}},
       "loom.log_softmax %a0 axis 0 : " + t({2, 3, 2}),
       {2, 3, 2}},
  };
}

/// argmax's gradient is zero: on Distinct inputs no perturbation of size h
/// changes which element is largest, so the differences are zero too.
/// cumsum in every mode, along the first, a middle and the last axis.
std::vector<OpCase> scanCases() {
  auto t = [](const Shape &s) { return tensorType(s); };
  std::vector<OpCase> cases = {
      {"argmax_rows",
       {{"a0", {3, 4}, Dist::Distinct}},
       "loom.argmax %a0 axis 1 : " + t({3, 4}),
       {3}},
      {"argmax_axis0_keepdims",
       {{"a0", {3, 2, 2}, Dist::Distinct}},
       "loom.argmax %a0 axis 0 keepdims : " + t({3, 2, 2}),
       {1, 2, 2}},
  };
  const std::pair<std::string, std::string> modes[] = {
      {"", ""},
      {"_exclusive", " exclusive"},
      {"_reverse", " reverse"},
      {"_reverse_exclusive", " reverse exclusive"}};
  for (const auto &[suffix, flags] : modes)
    for (int64_t axis : {0, 1, 2})
      cases.push_back({"cumsum_axis" + std::to_string(axis) + suffix,
                       {{"a0", {3, 4, 2}}},
                       "loom.cumsum %a0 axis " + std::to_string(axis) + flags +
                           " : " + t({3, 4, 2}),
                       {3, 4, 2}});
  return cases;
}

std::vector<OpCase> allCases() {
  std::vector<OpCase> all;
  for (auto family : {unaryCases, binaryCases, selectCases, matmulCases,
                      reductionCases, shapeCases, scanCases}) {
    std::vector<OpCase> cases = family();
    all.insert(all.end(), cases.begin(), cases.end());
  }
  return all;
}

class GradientCheck : public ::testing::TestWithParam<OpCase> {};

TEST_P(GradientCheck, MatchesFiniteDifferences) {
  const OpCase &c = GetParam();
  checkFiniteDifferences(source(c), c.args,
                         {{"w", c.out, Dist::Uniform, /*param=*/false}});
}

INSTANTIATE_TEST_SUITE_P(EveryOp, GradientCheck,
                         ::testing::ValuesIn(allCases()),
                         [](const auto &info) { return info.param.name; });

//===----------------------------------------------------------------------===//
// Composites, tie rules, stop_gradient
//===----------------------------------------------------------------------===//

/// A two-layer MLP with softmax cross-entropy against one-hot labels: the
/// shape of a real training loss.
const char *kMlp = R"mlir(
func.func @f(%x: tensor<4x3xf32> {loom.input = "x"},
             %labels: tensor<4x2xf32> {loom.input = "labels"},
             %w1: tensor<3x5xf32> {loom.param = "w1"},
             %b1: tensor<5xf32> {loom.param = "b1"},
             %w2: tensor<5x2xf32> {loom.param = "w2"},
             %b2: tensor<2xf32> {loom.param = "b2"}) -> (tensor<f32> {loom.loss}) {
  %0 = loom.matmul %x, %w1 : tensor<4x3xf32>, tensor<3x5xf32>
  %1 = loom.add %0, %b1 : tensor<4x5xf32>, tensor<5xf32>
  %2 = loom.relu %1 : tensor<4x5xf32>
  %3 = loom.matmul %2, %w2 : tensor<4x5xf32>, tensor<5x2xf32>
  %4 = loom.add %3, %b2 : tensor<4x2xf32>, tensor<2xf32>
  %5 = loom.log_softmax %4 axis 1 : tensor<4x2xf32>
  %6 = loom.mul %labels, %5 : tensor<4x2xf32>, tensor<4x2xf32>
  %7 = loom.reduce_sum %6 axes [1] : tensor<4x2xf32>
  %8 = loom.reduce_mean %7 axes [0] : tensor<4xf32>
  %loss = loom.neg %8 : tensor<f32>
  return %loss : tensor<f32>
}
)mlir";

const std::vector<Arg> kMlpArgs = {{"x", {4, 3}, Dist::Uniform, false},
                                   {"labels", {4, 2}, Dist::Positive, false},
                                   {"w1", {3, 5}},
                                   {"b1", {5}},
                                   {"w2", {5, 2}},
                                   {"b2", {2}}};

TEST(GradientCheckComposite, MlpCrossEntropy) {
  checkFiniteDifferences(kMlp, kMlpArgs);
}

TEST(GradientCheckComposite, SelectOfCompareAndConstant) {
  // Compare has no gradient; select routes it; a constant operand has none.
  checkFiniteDifferences(
      lossFunction({{"a0", {3, 4}, Dist::GridHalf}, {"a1", {4}, Dist::Grid}},
                   R"mlir(%k = loom.constant dense<1.5> : tensor<f32>
  %s = loom.add %a1, %k : tensor<4xf32>, tensor<f32>
  %m = loom.compare gt, %a0, %s : tensor<3x4xf32>, tensor<4xf32>
  %y = loom.select %m, %a0, %s : tensor<3x4xi1>, tensor<3x4xf32>, tensor<4xf32>)mlir",
                   {3, 4}),
      {{"a0", {3, 4}, Dist::GridHalf}, {"a1", {4}, Dist::Grid}},
      {{"w", {3, 4}, Dist::Uniform, false}});
}

/// The reference gradient of @f_grad for fixed inputs.
SmallVector<RefTensor> gradientsAt(const std::string &src,
                                   std::vector<RefTensor> inputs) {
  OwningOpRef<ModuleOp> module = differentiate(src);
  if (!module)
    return {};
  auto grad = module->lookupSymbol<func::FuncOp>("f_grad");
  FailureOr<SmallVector<RefTensor>> r = evaluateReference(grad, inputs);
  EXPECT_TRUE(succeeded(r));
  return succeeded(r) ? *r : SmallVector<RefTensor>{};
}

RefTensor values(const Shape &shape, std::vector<double> v) {
  RefTensor t(shape);
  t.data = std::move(v);
  return t;
}

TEST(GradientTieRules, ReduceMaxSplitsEvenlyAmongTies) {
  // Row 0 has its maximum 3 twice, row 1 once.
  auto g = gradientsAt(R"mlir(
func.func @f(%x: tensor<2x4xf32>) -> (tensor<f32> {loom.loss}) {
  %0 = loom.reduce_max %x axes [1] : tensor<2x4xf32>
  %1 = loom.reduce_sum %0 axes [0] : tensor<2xf32>
  return %1 : tensor<f32>
})mlir",
                       {values({2, 4}, {1, 3, 3, 2, 5, 0, 1, 4})});
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[1].data, (std::vector<double>{0, 0.5, 0.5, 0, 1, 0, 0, 0}));
}

TEST(GradientTieRules, MaximumAndMinimumSplitTiesInHalf) {
  auto g = gradientsAt(R"mlir(
func.func @f(%a: tensor<3xf32>, %b: tensor<3xf32>) -> (tensor<f32> {loom.loss}) {
  %0 = loom.maximum %a, %b : tensor<3xf32>, tensor<3xf32>
  %1 = loom.minimum %a, %b : tensor<3xf32>, tensor<3xf32>
  %2 = loom.mul %1, %1 : tensor<3xf32>, tensor<3xf32>
  %3 = loom.add %0, %2 : tensor<3xf32>, tensor<3xf32>
  %4 = loom.reduce_sum %3 axes [0] : tensor<3xf32>
  return %4 : tensor<f32>
})mlir",
                       {values({3}, {1, 2, 3}), values({3}, {2, 2, 1})});
  ASSERT_EQ(g.size(), 3u);
  // d/da: max picks b, tie, a; min (squared, 2*min) picks a, tie, b.
  EXPECT_EQ(g[1].data, (std::vector<double>{2, 0.5 + 2, 1}));
  EXPECT_EQ(g[2].data, (std::vector<double>{1, 0.5 + 2, 2}));
}

TEST(GradientTieRules, ArgmaxHasNoGradientEvenAtTies) {
  // loss = sum(argmax(x) + x): only the second term has a gradient, also
  // where x's rows tie (row 0) or hold NaN (row 1).
  auto g = gradientsAt(R"mlir(
func.func @f(%x: tensor<2x3xf32>) -> (tensor<f32> {loom.loss}) {
  %0 = loom.argmax %x axis 1 keepdims : tensor<2x3xf32>
  %1 = loom.add %0, %x : tensor<2x1xf32>, tensor<2x3xf32>
  %2 = loom.reduce_sum %1 axes [0, 1] : tensor<2x3xf32>
  return %2 : tensor<f32>
})mlir",
                       {values({2, 3}, {2, 2, 1, 0, NAN, 3})});
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[1].data, (std::vector<double>(6, 1.0)));
}

TEST(GradientStop, NoGradientThroughStopGradient) {
  // loss = sum(x * stop_gradient(x)): d/dx = stop_gradient(x) = x, not 2x.
  auto g = gradientsAt(R"mlir(
func.func @f(%x: tensor<3xf32>) -> (tensor<f32> {loom.loss}) {
  %0 = loom.stop_gradient %x : tensor<3xf32>
  %1 = loom.mul %x, %0 : tensor<3xf32>, tensor<3xf32>
  %2 = loom.reduce_sum %1 axes [0] : tensor<3xf32>
  return %2 : tensor<f32>
})mlir",
                       {values({3}, {1, -2, 3})});
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[1].data, (std::vector<double>{1, -2, 3}));
}

TEST(GradientStop, UnrelatedArgumentGetsZeros) {
  auto g = gradientsAt(R"mlir(
func.func @f(%x: tensor<2xf32>, %y: tensor<2xf32>) -> (tensor<f32> {loom.loss}) {
  %0 = loom.reduce_sum %x axes [0] : tensor<2xf32>
  return %0 : tensor<f32>
})mlir",
                       {values({2}, {1, 2}), values({2}, {3, 4})});
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[1].data, (std::vector<double>{1, 1}));
  EXPECT_EQ(g[2].data, (std::vector<double>{0, 0}));
}

//===----------------------------------------------------------------------===//
// buildGradients called directly, as a training-step builder does
//===----------------------------------------------------------------------===//

TEST(BuildGradients, InsideAFunctionBeingBuilt) {
  // Gradients w.r.t. an argument and an intermediate value, returned in
  // place of the function's results.
  OwningOpRef<ModuleOp> m = parseModule(R"mlir(
func.func @step(%x: tensor<3xf32>, %w: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %0 = loom.mul %x, %w : tensor<3xf32>, tensor<3xf32>
  %1 = loom.exp %0 : tensor<3xf32>
  %2 = loom.reduce_sum %1 axes [0] : tensor<3xf32>
  return %x, %w : tensor<3xf32>, tensor<3xf32>
})mlir");
  ASSERT_TRUE(m);
  auto fn = m->lookupSymbol<func::FuncOp>("step");
  Operation *ret = fn.getBody().front().getTerminator();
  Value product, loss;
  fn.walk([&](MulOp op) { product = op.getResult(); });
  fn.walk([&](ReduceSumOp op) { loss = op.getResult(); });
  OpBuilder b(ret);
  FailureOr<SmallVector<Value>> grads =
      buildGradients(b, ret->getLoc(), loss, {fn.getArgument(1), product});
  ASSERT_TRUE(succeeded(grads));
  ret->setOperands(*grads);
  ASSERT_TRUE(succeeded(verify(*m)));
  // d/dw = x * exp(x w), d/d(x w) = exp(x w).
  auto r = evaluateReference(
      fn, {values({3}, {1, 2, -1}), values({3}, {0.5, -1, 2})});
  ASSERT_TRUE(succeeded(r));
  for (int i = 0; i < 3; ++i) {
    double x = std::vector<double>{1, 2, -1}[i];
    double w = std::vector<double>{0.5, -1, 2}[i];
    EXPECT_NEAR((*r)[0].data[i], x * std::exp(x * w), 1e-6);
    EXPECT_NEAR((*r)[1].data[i], std::exp(x * w), 1e-6);
  }
}

/// Runs buildGradients on the value @f returns, w.r.t. argument `wrtArg`,
/// and returns the error it reports (failing the test if it succeeds).
std::string gradientError(const std::string &src, unsigned wrtArg) {
  OwningOpRef<ModuleOp> m = parseModule(src);
  if (!m)
    return "<parse failed>";
  auto fn = m->lookupSymbol<func::FuncOp>("f");
  Operation *ret = fn.getBody().front().getTerminator();
  std::string errors;
  ScopedDiagnosticHandler handler(&testContext(), [&](Diagnostic &d) {
    errors += d.str();
    return success();
  });
  OpBuilder b(ret);
  FailureOr<SmallVector<Value>> grads = buildGradients(
      b, ret->getLoc(), ret->getOperand(0), {fn.getArgument(wrtArg)});
  EXPECT_TRUE(failed(grads));
  return errors;
}

TEST(BuildGradients, ErrorsAreDiagnostics) {
  EXPECT_EQ(gradientError(R"mlir(
func.func @f(%x: tensor<3xf32>) -> tensor<3xf32> {
  return %x : tensor<3xf32>
})mlir",
                          0),
            "the loss must be a rank-0 f32 tensor (reduce it to a scalar "
            "first), got 'tensor<3xf32>'");
  EXPECT_EQ(gradientError(R"mlir(
func.func @f(%x: tensor<f32>, %m: tensor<i1>) -> tensor<f32> {
  return %x : tensor<f32>
})mlir",
                          1),
            "cannot differentiate with respect to a value of type "
            "'tensor<i1>' (float tensors only)");
  std::string noRule = gradientError(R"mlir(
func.func @f(%x: tensor<f32>) -> tensor<f32> {
  %0 = loom.exp %x : tensor<f32>
  %1 = arith.negf %0 : tensor<f32>
  %2 = loom.neg %1 : tensor<f32>
  return %2 : tensor<f32>
})mlir",
                                     0);
  EXPECT_EQ(noRule, "'arith.negf' has no gradient rule (needed to "
                    "differentiate the loss)");
}

TEST(BuildGradients, FailedSweepLeavesNoOps) {
  OwningOpRef<ModuleOp> m = parseModule(R"mlir(
func.func @f(%x: tensor<f32>) -> tensor<f32> {
  %0 = arith.negf %x : tensor<f32>
  %1 = loom.exp %0 : tensor<f32>
  %2 = loom.mul %1, %1 : tensor<f32>, tensor<f32>
  return %2 : tensor<f32>
})mlir");
  ASSERT_TRUE(m);
  auto fn = m->lookupSymbol<func::FuncOp>("f");
  Block &body = fn.getBody().front();
  size_t before = body.getOperations().size();
  ScopedDiagnosticHandler quiet(&testContext(),
                                [](Diagnostic &) { return success(); });
  OpBuilder b(body.getTerminator());
  EXPECT_TRUE(
      failed(buildGradients(b, fn.getLoc(), body.getTerminator()->getOperand(0),
                            {fn.getArgument(0)})));
  EXPECT_EQ(body.getOperations().size(), before);
}

//===----------------------------------------------------------------------===//
// The JIT's gradient functions against the reference's
//===----------------------------------------------------------------------===//

class JitGradient : public ::testing::TestWithParam<std::string> {};

TEST_P(JitGradient, MatchesReference) {
  for (const OpCase &c : allCases())
    if (c.name == GetParam())
      return checkJitGradient(source(c), c.args,
                              {{"w", c.out, Dist::Uniform, false}});
  FAIL() << "no case " << GetParam();
}

INSTANTIATE_TEST_SUITE_P(
    SomeOps, JitGradient,
    ::testing::Values("add_2x3x4_3x1", "maximum_3x1_1x4", "pow_3x4_4",
                      "select_1x4_3x1_4", "relu_2x1x3",
                      "matmul_broadcast_batch_TL_TR",
                      "matmul_unit_batch_both_NL_TR", "reduce_max_rows",
                      "reduce_mean_outer_keepdims", "slice_strided", "pad",
                      "concat_axis1", "softmax_axis1", "log_softmax_axis0",
                      "argmax_rows", "cumsum_axis1",
                      "cumsum_axis0_reverse_exclusive"),
    [](const auto &info) { return info.param; });

TEST(JitGradientComposite, MlpCrossEntropy) {
  checkJitGradient(kMlp, kMlpArgs);
}

} // namespace
