//===- RecurrentTest.cpp - lstm and gru: JIT vs reference -----------------===//
//
// loom.lstm and loom.gru run on the JIT (decomposed into an scf.for over
// time) and through the reference evaluator (plain loops in double) on
// seeded inputs, for several (B, T, I, H) with T from 1 to 100, and are
// compared elementwise with rtol 1e-5, atol 1e-5: every step is a few
// f32 dot products and libm calls, and the states stay in (-1, 1) (h) or
// grow by at most one per step (c), so errors do not compound beyond a few
// ulps per step. Known values pin the reference itself to PyTorch's
// nn.LSTM / nn.GRU (values printed by PyTorch 1.13 for the weights below).
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "Reference/Evaluator.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace loom;
using namespace loom::test;
using Shape = std::vector<int64_t>;

namespace {

struct Dims {
  int64_t b, t, in, h;
};

std::ostream &operator<<(std::ostream &os, const Dims &d) {
  return os << d.b << "x" << d.t << "x" << d.in << "x" << d.h;
}

/// @forward(x, h0, [c0,] w_ih, w_hh, b_ih, b_hh) -> the op's results.
std::string recurrentFn(const Dims &d, bool lstm) {
  int64_t g = lstm ? 4 : 3;
  std::string xt = tensorType({d.b, d.t, d.in}), st = tensorType({d.b, d.h}),
              wi = tensorType({g * d.h, d.in}), wh = tensorType({g * d.h, d.h}),
              bt = tensorType({g * d.h}), yt = tensorType({d.b, d.t, d.h});
  std::string args = "%x: " + xt + ", %h0: " + st +
                     (lstm ? ", %c0: " + st : std::string()) + ", %wih: " + wi +
                     ", %whh: " + wh + ", %bih: " + bt + ", %bhh: " + bt;
  std::string types = xt + ", " + st + (lstm ? ", " + st : std::string()) +
                      ", " + wi + ", " + wh + ", " + bt + ", " + bt;
  if (lstm)
    return "func.func @forward(" + args + ") -> (" + yt + ", " + yt +
           ") {\n  %ys, %cs = loom.lstm %x, %h0, %c0, %wih, %whh, %bih, %bhh "
           ": " +
           types + "\n  return %ys, %cs : " + yt + ", " + yt + "\n}\n";
  return "func.func @forward(" + args + ") -> " + yt +
         " {\n  %ys = loom.gru %x, %h0, %wih, %whh, %bih, %bhh : " + types +
         "\n  return %ys : " + yt + "\n}\n";
}

class RecurrentTest : public ::testing::TestWithParam<Dims> {};

TEST_P(RecurrentTest, LstmMatchesReference) {
  CheckOptions o;
  o.lo = -1, o.hi = 1;
  o.rtol = 1e-5, o.atol = 1e-5;
  checkAgainstReference(recurrentFn(GetParam(), true), o);
}

TEST_P(RecurrentTest, GruMatchesReference) {
  CheckOptions o;
  o.lo = -1, o.hi = 1;
  o.rtol = 1e-5, o.atol = 1e-5;
  checkAgainstReference(recurrentFn(GetParam(), false), o);
}

TEST_P(RecurrentTest, SaturatedGatesMatchReference) {
  // Inputs in [-3, 3): pre-activations up to ~30, deep in the flat parts of
  // sigmoid and tanh.
  CheckOptions o;
  o.lo = -3, o.hi = 3;
  o.rtol = 1e-5, o.atol = 1e-5;
  o.seed = 99;
  checkAgainstReference(recurrentFn(GetParam(), true), o);
  checkAgainstReference(recurrentFn(GetParam(), false), o);
}

INSTANTIATE_TEST_SUITE_P(Shapes, RecurrentTest,
                         ::testing::Values(Dims{2, 5, 3, 4}, Dims{1, 1, 2, 3},
                                           Dims{3, 1, 4, 2}, Dims{4, 9, 1, 6},
                                           Dims{5, 16, 7, 8},
                                           Dims{2, 100, 3, 5}),
                         [](const auto &info) {
                           const Dims &d = info.param;
                           return "B" + std::to_string(d.b) + "T" +
                                  std::to_string(d.t) + "I" +
                                  std::to_string(d.in) + "H" +
                                  std::to_string(d.h);
                         });

RefTensor ramp(Shape shape, double start, double step) {
  RefTensor t(shape);
  for (int64_t i = 0; i < t.numElements(); ++i)
    t.data[i] = start + step * double(i);
  return t;
}

SmallVector<RefTensor> reference(const std::string &source,
                                 ArrayRef<RefTensor> args) {
  OwningOpRef<ModuleOp> m = parseModule(source);
  auto f = m->lookupSymbol<func::FuncOp>("forward");
  FailureOr<SmallVector<RefTensor>> r = evaluateReference(f, args);
  EXPECT_TRUE(succeeded(r));
  return succeeded(r) ? *r : SmallVector<RefTensor>{};
}

// B = 1, T = 2, I = 2, H = 2; x = [[0.5, -1], [1, 0.25]], h0 = [0.1, -0.2],
// c0 = [0.3, 0.4], weight_ih = ramp(-0.5, 0.05), weight_hh = ramp(0.4,
// -0.04), bias_ih = ramp(-0.1, 0.03), bias_hh = ramp(0.05, -0.02).
TEST(Lstm, KnownValuesFromPyTorch) {
  Dims d{1, 2, 2, 2};
  RefTensor x({1, 2, 2}), h0({1, 2}), c0({1, 2});
  x.data = {0.5, -1, 1, 0.25};
  h0.data = {0.1, -0.2};
  c0.data = {0.3, 0.4};
  SmallVector<RefTensor> r = reference(
      recurrentFn(d, true),
      {x, h0, c0, ramp({8, 2}, -0.5, 0.05), ramp({8, 2}, 0.4, -0.04),
       ramp({8}, -0.1, 0.03), ramp({8}, 0.05, -0.02)});
  ASSERT_EQ(r.size(), 2u);
  const double ys[] = {0.0711028827334, 0.0844679888955, 0.0113250743602,
                       0.0466683447043};
  const double cs[] = {0.148754534441, 0.180310336965, 0.0212561220138,
                       0.0830506939075};
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(r[0].data[i], ys[i], 1e-6) << "ys[" << i << "]";
    EXPECT_NEAR(r[1].data[i], cs[i], 1e-6) << "cs[" << i << "]";
  }
}

TEST(Gru, KnownValuesFromPyTorch) {
  Dims d{1, 2, 2, 2};
  RefTensor x({1, 2, 2}), h0({1, 2});
  x.data = {0.5, -1, 1, 0.25};
  h0.data = {0.1, -0.2};
  SmallVector<RefTensor> r = reference(
      recurrentFn(d, false),
      {x, h0, ramp({6, 2}, -0.5, 0.05), ramp({6, 2}, 0.4, -0.04),
       ramp({6}, -0.1, 0.03), ramp({6}, 0.05, -0.02)});
  ASSERT_EQ(r.size(), 1u);
  const double ys[] = {0.0533521206258, -0.111928987416, -0.0399062931046,
                       -0.0228185301722};
  for (int i = 0; i < 4; ++i)
    EXPECT_NEAR(r[0].data[i], ys[i], 1e-6) << "ys[" << i << "]";
}

} // namespace
