//===- ParallelKernelsTest.cpp - Large kernels on the thread pool ---------===//
//
// Ops large enough for -loom-parallel-kernels (split over the pool) and
// lowered by -loom-reduction-loops (vectorized partial sums): batch norm's
// per-channel statistics, a row maximum, a pointwise chain and a
// training batch norm, each against the
// reference evaluator, and each bit-identical across 1, 2 and 3 threads
// (only parallel dimensions are split, so the thread count must not change
// a single bit).
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "Target/CPU/JitCompiler.h"
#include "loom/rt/cpu/Gemm.h"

#include <cstring>

using namespace loom::test;

namespace {

struct LargeCase {
  const char *name;
  std::string source;
  double atol;
  double lo = -2.0, hi = 2.0;
};

std::string unary(const std::vector<int64_t> &in,
                  const std::vector<int64_t> &out, const std::string &body) {
  std::string t = tensorType(in), o = tensorType(out);
  return "func.func @forward(%a: " + t + ") -> " + o + " {\n" + body +
         "  return %0 : " + o + "\n}\n";
}

std::vector<LargeCase> cases() {
  std::vector<LargeCase> c;
  // 32768 terms per channel in [-2, 2): the sums are O(100); a missing or
  // doubled range would be off by O(10).
  c.push_back({"ChannelSums",
               unary({8, 16, 4096}, {16},
                     "  %0 = loom.reduce_sum %a axes [0, 2] : " +
                         tensorType({8, 16, 4096}) + "\n"),
               2e-3});
  c.push_back({"RowMax",
               unary({64, 8192}, {64},
                     "  %0 = loom.reduce_max %a axes [1] : " +
                         tensorType({64, 8192}) + "\n"),
               0});
  std::string t = tensorType({512, 1024});
  c.push_back({"Pointwise",
               unary({512, 1024}, {512, 1024},
                     "  %1 = loom.tanh %a : " + t + "\n  %2 = loom.mul %1, %a : " +
                         t + ", " + t + "\n  %0 = loom.add %2, %a : " + t +
                         ", " + t + "\n"),
               1e-6});
  // Training batch norm: per-channel statistics over (N, H, W), the
  // normalization, the running statistics. Inputs in [0.5, 3).
  std::string x = tensorType({16, 16, 32, 32}), ct = tensorType({16});
  c.push_back({"BatchNorm",
               "func.func @forward(%x: " + x + ", %g: " + ct + ", %b: " + ct +
                   ", %m: " + ct + ", %v: " + ct + ") -> (" + x + ", " + ct +
                   ", " + ct +
                   ") {\n  %y, %nm, %nv = loom.batch_norm %x, %g, %b, %m, %v "
                   "epsilon 1.0e-05 momentum 0.1 training : " +
                   x + ", " + ct + "\n  return %y, %nm, %nv : " + x + ", " +
                   ct + ", " + ct + "\n}\n",
               1e-4, 0.5, 3.0});
  return c;
}

class ParallelKernelsTest : public ::testing::TestWithParam<LargeCase> {
protected:
  void SetUp() override { loom::rt::setNumThreads(2); }
  void TearDown() override { loom::rt::setNumThreads(0); }
};

TEST_P(ParallelKernelsTest, AgainstReference) {
  CheckOptions o;
  o.atol = GetParam().atol;
  o.lo = GetParam().lo, o.hi = GetParam().hi;
  checkAgainstReference(GetParam().source, o);
}

TEST_P(ParallelKernelsTest, SameBitsOnAnyThreadCount) {
  auto module = parseModule(GetParam().source);
  ASSERT_TRUE(module);
  CheckOptions o;
  o.lo = GetParam().lo, o.hi = GetParam().hi;
  Inputs inputs = makeInputs(*module, o);
  auto exe = loom::compileForCPU(*module);
  ASSERT_TRUE(bool(exe)) << llvm::toString(exe.takeError());
  std::vector<std::vector<float>> results; // every output, in name order
  for (int threads : {1, 2, 3}) {
    loom::rt::setNumThreads(threads);
    std::unique_ptr<loom::rt::Session> session;
    ASSERT_TRUE(loom::rt::Session::create(*exe, 0, session));
    std::map<std::string, loom::rt::HostTensor> out;
    ASSERT_TRUE(session->run("forward", inputs.host, out));
    std::vector<float> values;
    for (const auto &[name, tensor] : out)
      for (int64_t i = 0; i < tensor.numElements(); ++i)
        values.push_back(tensor.at(i));
    results.push_back(std::move(values));
  }
  for (size_t t = 1; t < results.size(); ++t) {
    ASSERT_EQ(results[0].size(), results[t].size());
    EXPECT_EQ(0, std::memcmp(results[0].data(), results[t].data(),
                             results[0].size() * sizeof(float)))
        << (t + 1) << " threads differ from 1 thread";
  }
}

INSTANTIATE_TEST_SUITE_P(Large, ParallelKernelsTest,
                         ::testing::ValuesIn(cases()),
                         [](const auto &info) { return info.param.name; });

} // namespace
