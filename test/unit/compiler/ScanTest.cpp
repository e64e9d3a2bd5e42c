//===- ScanTest.cpp - argmax and cumsum: JIT vs reference -----------------===//
//
// argmax over the first, middle and last axis, a 1-D tensor and size-1
// axes, with and without keepdims, on random reals and on the integers
// -2..2 (many ties, so the first-position rule of the lowering's
// order-independent reduction meets the reference's plain loop). cumsum
// on the same kinds of shapes in all four reverse/exclusive modes. Then
// exact values written out by hand: NaN, -inf and tied lines for argmax
// (NumPy's answers), and one small line per cumsum mode, each through both
// the JIT and the reference evaluator.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "Reference/Evaluator.h"
#include "Target/CPU/JitCompiler.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cmath>
#include <limits>
#include <ostream>

using namespace mlir;
using namespace loom;
using namespace loom::test;
using Shape = std::vector<int64_t>;

namespace {

struct AxisCase {
  const char *name;
  Shape shape;
  int64_t axis;
};

std::ostream &operator<<(std::ostream &os, const AxisCase &c) {
  return os << c.name;
}

const AxisCase kAxisCases[] = {
    {"First", {3, 4, 5}, 0},    {"Middle", {3, 4, 5}, 1},
    {"Last", {3, 4, 5}, 2},     {"Vector", {17}, 0},
    {"UnitAxis", {3, 1, 5}, 1}, {"UnitOther", {1, 6}, 1},
    {"UnitLast", {4, 1}, 1},    {"LongRows", {2, 40}, 1},
};

std::string unaryFn(const std::string &op, const Shape &in, const Shape &out) {
  std::string ti = tensorType(in), to = tensorType(out);
  return "func.func @forward(%a: " + ti + ") -> " + to + " {\n  %0 = " + op +
         " : " + ti + "\n  return %0 : " + to + "\n}\n";
}

//===----------------------------------------------------------------------===//
// argmax
//===----------------------------------------------------------------------===//

class ArgmaxTest
    : public ::testing::TestWithParam<std::tuple<AxisCase, bool, bool>> {};

TEST_P(ArgmaxTest, AgainstReference) {
  auto [c, keepdims, integers] = GetParam();
  Shape out = c.shape;
  if (keepdims)
    out[c.axis] = 1;
  else
    out.erase(out.begin() + c.axis);
  CheckOptions o;
  o.integers = integers;
  o.rtol = o.atol = 0; // positions are exact
  checkAgainstReference(unaryFn("loom.argmax %a axis " +
                                    std::to_string(c.axis) +
                                    (keepdims ? " keepdims" : ""),
                                c.shape, out),
                        o);
}

INSTANTIATE_TEST_SUITE_P(
    Axes, ArgmaxTest,
    ::testing::Combine(::testing::ValuesIn(kAxisCases), ::testing::Bool(),
                       ::testing::Bool()),
    [](const auto &info) {
      return std::string(std::get<0>(info.param).name) +
             (std::get<1>(info.param) ? "_Keep" : "_Drop") +
             (std::get<2>(info.param) ? "_Ties" : "_Reals");
    });

/// Runs `source`'s @forward on the JIT and the reference evaluator with one
/// f32 input and returns both sides' results.
struct BothSides {
  std::vector<std::vector<double>> jit;
  SmallVector<RefTensor> ref;
};
BothSides runBoth(const std::string &source, const Shape &shape,
                  const std::vector<float> &values) {
  BothSides r;
  auto module = parseModule(source);
  EXPECT_TRUE(module);
  if (!module)
    return r;
  RefTensor in(shape);
  in.data.assign(values.begin(), values.end());
  auto fn = module->lookupSymbol<func::FuncOp>("forward");
  FailureOr<SmallVector<RefTensor>> ref = evaluateReference(fn, {in});
  EXPECT_TRUE(succeeded(ref));
  if (succeeded(ref))
    r.ref = *ref;
  auto exe = compileForCPU(*module);
  EXPECT_TRUE(bool(exe)) << llvm::toString(exe.takeError());
  if (!exe)
    return r;
  std::unique_ptr<rt::Session> session;
  EXPECT_TRUE(rt::Session::create(*exe, 0, session));
  std::map<std::string, rt::HostTensor> inputs, outputs;
  inputs.emplace("arg0", rt::HostTensor::fromF32(shape, values));
  rt::Status st = session->run("forward", inputs, outputs);
  EXPECT_TRUE(st) << st.message();
  for (size_t i = 0; outputs.count("out" + std::to_string(i)); ++i) {
    const rt::HostTensor &t = outputs.at("out" + std::to_string(i));
    r.jit.emplace_back();
    for (int64_t k = 0; k < t.numElements(); ++k)
      r.jit.back().push_back(t.at(k));
  }
  return r;
}

/// Expects result `i` of both sides to be exactly `want`.
void expectValues(const BothSides &r, size_t i, const std::vector<double> &want,
                  const std::string &what) {
  ASSERT_GT(r.jit.size(), i) << what;
  ASSERT_GT(r.ref.size(), i) << what;
  EXPECT_EQ(r.jit[i], want) << what << " (JIT)";
  EXPECT_EQ(r.ref[i].data, want) << what << " (reference)";
}

TEST(ArgmaxTest, NaNInfAndTiesLikeNumPy) {
  constexpr float nan = std::numeric_limits<float>::quiet_NaN();
  constexpr float inf = std::numeric_limits<float>::infinity();
  // np.argmax of each row and each column of this matrix.
  std::vector<float> x = {
      1,    nan,  3,    nan,  0,    // the first NaN wins
      -1,   4,    4,    -inf, 2,    // a tie: the first 4
      -inf, -inf, -inf, -inf, -inf, // all -inf: position 0
      nan,  9,    9,    9,    nan,  // NaN first
  };
  BothSides r = runBoth(R"mlir(
func.func @forward(%a: tensor<4x5xf32>) -> (tensor<4xf32>, tensor<5xf32>) {
  %0 = loom.argmax %a axis 1 : tensor<4x5xf32>
  %1 = loom.argmax %a axis 0 : tensor<4x5xf32>
  return %0, %1 : tensor<4xf32>, tensor<5xf32>
}
)mlir",
                        {4, 5}, x);
  expectValues(r, 0, {1, 1, 0, 0}, "rows");
  expectValues(r, 1, {3, 0, 3, 0, 3}, "columns");
}

//===----------------------------------------------------------------------===//
// cumsum
//===----------------------------------------------------------------------===//

const char *const kModes[] = {"", " exclusive", " reverse",
                              " reverse exclusive"};

class CumsumTest
    : public ::testing::TestWithParam<std::tuple<AxisCase, const char *>> {};

TEST_P(CumsumTest, AgainstReference) {
  auto [c, mode] = GetParam();
  CheckOptions o;
  o.atol = 1e-5; // sums: cancellation, see CheckOptions
  checkAgainstReference(
      unaryFn("loom.cumsum %a axis " + std::to_string(c.axis) + mode, c.shape,
              c.shape),
      o);
}

std::string
cumsumName(const ::testing::TestParamInfo<CumsumTest::ParamType> &info) {
  std::string mode = std::get<1>(info.param);
  std::string name = std::get<0>(info.param).name;
  if (mode.find("reverse") != std::string::npos)
    name += "_Reverse";
  if (mode.find("exclusive") != std::string::npos)
    name += "_Exclusive";
  return name;
}

INSTANTIATE_TEST_SUITE_P(Axes, CumsumTest,
                         ::testing::Combine(::testing::ValuesIn(kAxisCases),
                                            ::testing::ValuesIn(kModes)),
                         cumsumName);

TEST(CumsumTest, EveryModeByHand) {
  BothSides r = runBoth(R"mlir(
func.func @forward(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = loom.cumsum %a axis 0 : tensor<4xf32>
  %1 = loom.cumsum %a axis 0 exclusive : tensor<4xf32>
  %2 = loom.cumsum %a axis 0 reverse : tensor<4xf32>
  %3 = loom.cumsum %a axis 0 reverse exclusive : tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}
)mlir",
                        {4}, {1, 2, 3, 4});
  expectValues(r, 0, {1, 3, 6, 10}, "inclusive");
  expectValues(r, 1, {0, 1, 3, 6}, "exclusive");
  expectValues(r, 2, {10, 9, 7, 4}, "reverse");
  expectValues(r, 3, {9, 7, 4, 0}, "reverse exclusive");
}

} // namespace
