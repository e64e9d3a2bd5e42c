//===- ReductionTest.cpp - reduce_sum/max/mean vs reference ---------------===//
//
// Single, multiple, non-adjacent, unordered, all and no axes, each with and
// without keepdims; reduce_mean goes through -loom-decompose inside the
// pipeline while the oracle evaluates it directly. reduce_max must
// propagate NaN.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "Target/CPU/JitCompiler.h"

#include <cmath>

using namespace loom::test;
using Shape = std::vector<int64_t>;

namespace {

struct AxesCase {
  const char *name;
  std::vector<int64_t> axes;
};

const AxesCase kAxes[] = {
    {"Axis0", {0}},         {"Axis1", {1}},       {"Axis2", {2}},
    {"NonAdjacent", {0, 2}}, {"Unordered", {2, 0}}, {"Trailing", {1, 2}},
    {"All", {0, 1, 2}},     {"None", {}},
};

std::string reduceFn(const std::string &op, const std::vector<int64_t> &axes,
                     bool keepdims) {
  Shape in = {2, 3, 4}, out;
  for (int64_t d = 0; d < 3; ++d) {
    bool reduced = std::count(axes.begin(), axes.end(), d) > 0;
    if (!reduced)
      out.push_back(in[d]);
    else if (keepdims)
      out.push_back(1);
  }
  std::string list;
  for (size_t i = 0; i < axes.size(); ++i)
    list += (i ? ", " : "") + std::to_string(axes[i]);
  std::string t = tensorType(in), o = tensorType(out);
  return "func.func @forward(%a: " + t + ") -> " + o + " {\n  %0 = loom." +
         op + " %a axes [" + list + "]" + (keepdims ? " keepdims" : "") +
         " : " + t + "\n  return %0 : " + o + "\n}\n";
}

class ReduceTest : public ::testing::TestWithParam<
                       std::tuple<const char *, AxesCase, bool>> {};

TEST_P(ReduceTest, AgainstReference) {
  auto [op, c, keepdims] = GetParam();
  CheckOptions o;
  o.atol = 1e-5; // sums: cancellation, see CheckOptions
  checkAgainstReference(reduceFn(op, c.axes, keepdims), o);
}

INSTANTIATE_TEST_SUITE_P(
    AllReductions, ReduceTest,
    ::testing::Combine(::testing::Values("reduce_sum", "reduce_max",
                                         "reduce_mean"),
                       ::testing::ValuesIn(kAxes), ::testing::Bool()),
    [](const auto &info) {
      return std::string(std::get<0>(info.param)) + "_" +
             std::get<1>(info.param).name +
             (std::get<2>(info.param) ? "_Keep" : "_Drop");
    });

TEST(ReduceTest, Rank0Identity) {
  checkAgainstReference(R"mlir(
func.func @forward(%a: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %0 = loom.reduce_sum %a axes [] : tensor<f32>
  %1 = loom.reduce_max %a axes [] keepdims : tensor<f32>
  return %0, %1 : tensor<f32>, tensor<f32>
}
)mlir");
}

TEST(ReduceTest, MaxPropagatesNaN) {
  auto module = parseModule(R"mlir(
func.func @forward(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  %0 = loom.reduce_max %a axes [1] : tensor<2x3xf32>
  return %0 : tensor<2xf32>
}
)mlir");
  ASSERT_TRUE(module);
  auto exe = loom::compileForCPU(*module);
  ASSERT_TRUE(bool(exe)) << llvm::toString(exe.takeError());
  std::unique_ptr<loom::rt::Session> session;
  ASSERT_TRUE(loom::rt::Session::create(*exe, 0, session));
  std::map<std::string, loom::rt::HostTensor> in, out;
  in.emplace("arg0", loom::rt::HostTensor::fromF32(
                         {2, 3}, {1.0f, NAN, 3.0f, -1.0f, -5.0f, -2.0f}));
  ASSERT_TRUE(session->run("forward", in, out));
  EXPECT_TRUE(std::isnan(out.at("out0").at(0)));
  EXPECT_EQ(out.at("out0").at(1), -1.0);
}

} // namespace
