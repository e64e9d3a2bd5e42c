//===- MatmulTest.cpp - 2-D and batched matmul vs reference ---------------===//
//
// Every transpose-flag combination on non-square operands, 2-D and batched,
// with batch dimensions that broadcast (a 2-D weight against a batch, size-1
// batch dims on either side, unequal batch ranks).
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

using namespace loom::test;
using Shape = std::vector<int64_t>;

namespace {

struct MatmulCase {
  const char *name;
  Shape lhsBatch, rhsBatch, resultBatch;
};

const MatmulCase kCases[] = {
    {"TwoD", {}, {}, {}},
    {"BatchTimesMatrix", {3}, {}, {3}},
    {"MatrixTimesBatch", {}, {2}, {2}},
    {"EqualBatch", {2}, {2}, {2}},
    {"BroadcastBatch", {2, 1}, {3}, {2, 3}},
    {"UnitBatchBothSides", {1, 4}, {3, 1}, {3, 4}},
};

/// M=5, K=4, N=3: every dimension distinct, so a swapped index shows.
constexpr int64_t M = 5, K = 4, N = 3;

Shape concat(Shape batch, std::initializer_list<int64_t> tail) {
  batch.insert(batch.end(), tail);
  return batch;
}

class MatmulTest : public ::testing::TestWithParam<
                       std::tuple<MatmulCase, bool, bool>> {};

TEST_P(MatmulTest, AgainstReference) {
  auto [c, tl, tr] = GetParam();
  Shape lhs = concat(c.lhsBatch, tl ? std::initializer_list<int64_t>{K, M}
                                    : std::initializer_list<int64_t>{M, K});
  Shape rhs = concat(c.rhsBatch, tr ? std::initializer_list<int64_t>{N, K}
                                    : std::initializer_list<int64_t>{K, N});
  Shape out = concat(c.resultBatch, {M, N});
  std::string l = tensorType(lhs), r = tensorType(rhs), o = tensorType(out);
  std::string flags = std::string(tl ? " transpose_lhs" : "") +
                      (tr ? " transpose_rhs" : "");
  CheckOptions opts;
  opts.atol = 1e-5; // sums of K products: cancellation, see CheckOptions
  checkAgainstReference("func.func @forward(%a: " + l + ", %b: " + r +
                            ") -> " + o + " {\n  %0 = loom.matmul %a, %b" +
                            flags + " : " + l + ", " + r +
                            "\n  return %0 : " + o + "\n}\n",
                        opts);
}

INSTANTIATE_TEST_SUITE_P(
    AllShapesAndFlags, MatmulTest,
    ::testing::Combine(::testing::ValuesIn(kCases), ::testing::Bool(),
                       ::testing::Bool()),
    [](const auto &info) {
      return std::string(std::get<0>(info.param).name) +
             (std::get<1>(info.param) ? "_TL" : "_NL") +
             (std::get<2>(info.param) ? "_TR" : "_NR");
    });

TEST(MatmulTest, DenseLayer) {
  // x W + b, then relu: the shape of a real model's first layer.
  CheckOptions opts;
  opts.atol = 1e-5;
  checkAgainstReference(R"mlir(
func.func @forward(%x: tensor<8x6xf32>, %w: tensor<6x16xf32>,
                   %b: tensor<16xf32>) -> tensor<8x16xf32> {
  %0 = loom.matmul %x, %w : tensor<8x6xf32>, tensor<6x16xf32>
  %1 = loom.add %0, %b : tensor<8x16xf32>, tensor<16xf32>
  %2 = loom.relu %1 : tensor<8x16xf32>
  return %2 : tensor<8x16xf32>
}
)mlir",
                        opts);
}

} // namespace
