//===- ConvTest.cpp - Convolution and pooling: JIT vs reference -----------===//
//
// conv2d, conv2d_transpose, max_pool2d and avg_pool2d compiled for the CPU
// and compared with the reference evaluator on seeded random inputs, over
// strides, padding, dilation, groups (depthwise included), non-square
// inputs and kernels and batch > 1. The reference gathers for conv2d and
// scatters for conv2d_transpose; the lowering gathers for both, so a wrong
// flip or offset in either shows.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include <cstdlib>
#include <ostream>

using namespace loom::test;
using Shape = std::vector<int64_t>;

namespace {

std::string pair(int64_t h, int64_t w) {
  return "[" + std::to_string(h) + ", " + std::to_string(w) + "]";
}

/// Sums of up to C*KH*KW products: allow for cancellation (see CheckOptions).
CheckOptions sumTolerance() {
  CheckOptions o;
  o.atol = 1e-5;
  return o;
}

struct ConvCase {
  const char *name;
  Shape x;           // [N, C, H, W]
  int64_t f, kh, kw; // output channels and kernel
  int64_t sh, sw, ph, pw, dh, dw, groups;
  int64_t oph = 0, opw = 0; // conv2d_transpose only
};

std::ostream &operator<<(std::ostream &os, const ConvCase &c) {
  return os << c.name;
}

const ConvCase kConvCases[] = {
    {"Plain", {1, 1, 5, 5}, 1, 3, 3, 1, 1, 0, 0, 1, 1, 1},
    {"BatchChannels", {2, 3, 6, 5}, 4, 3, 3, 1, 1, 0, 0, 1, 1, 1},
    {"Padding", {2, 2, 5, 6}, 3, 3, 3, 1, 1, 1, 2, 1, 1, 1},
    {"Stride", {2, 2, 7, 8}, 3, 3, 2, 2, 3, 1, 0, 1, 1, 1, 1, 2},
    {"Dilation", {1, 2, 9, 8}, 2, 3, 2, 1, 1, 1, 0, 2, 3, 1},
    {"StrideDilationPadding",
     {2, 3, 10, 9},
     2,
     3,
     3,
     2,
     2,
     2,
     1,
     2,
     2,
     1,
     1,
     1},
    {"Groups", {2, 4, 6, 6}, 6, 3, 3, 1, 1, 1, 1, 1, 1, 2},
    {"Depthwise", {2, 3, 6, 7}, 3, 3, 3, 2, 1, 1, 1, 1, 1, 3, 1, 0},
    {"DepthwiseMultiplier", {1, 2, 5, 5}, 4, 2, 3, 1, 2, 0, 1, 1, 1, 2, 0, 1},
    {"NonSquareKernel", {2, 2, 8, 6}, 3, 1, 4, 1, 1, 0, 1, 1, 1, 1},
    {"KernelCoversInput", {2, 2, 4, 4}, 3, 4, 4, 1, 1, 0, 0, 1, 1, 1},
    // Rows of 16 pixels and more: the direct convolution's full tiles.
    {"WideRows", {2, 3, 5, 37}, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1},
    {"WideRowsDilation", {1, 2, 6, 40}, 8, 2, 3, 1, 1, 0, 2, 2, 2, 1},
};

/// Sets LOOM_CONV_ALGORITHM while it lives (ConvAlgorithm.h).
class ConvAlgorithmScope {
public:
  explicit ConvAlgorithmScope(const char *name) {
    ::setenv("LOOM_CONV_ALGORITHM", name, 1);
  }
  ~ConvAlgorithmScope() { ::unsetenv("LOOM_CONV_ALGORITHM"); }
};

/// Every case under each lowering: im2col + GEMM, and direct where it
/// applies (stride 1, groups 1; the other cases fall back to im2col).
class Conv2dTest : public ::testing::TestWithParam<ConvCase> {
protected:
  void check(const ConvCase &c);
};

TEST_P(Conv2dTest, Im2colAgainstReference) {
  ConvAlgorithmScope scope("im2col");
  check(GetParam());
}

TEST_P(Conv2dTest, DirectAgainstReference) {
  ConvAlgorithmScope scope("direct");
  check(GetParam());
}

void Conv2dTest::check(const ConvCase &c) {
  int64_t oh = (c.x[2] + 2 * c.ph - c.dh * (c.kh - 1) - 1) / c.sh + 1;
  int64_t ow = (c.x[3] + 2 * c.pw - c.dw * (c.kw - 1) - 1) / c.sw + 1;
  std::string x = tensorType(c.x);
  std::string w = tensorType({c.f, c.x[1] / c.groups, c.kh, c.kw});
  std::string y = tensorType({c.x[0], c.f, oh, ow});
  checkAgainstReference("func.func @forward(%x: " + x + ", %w: " + w + ") -> " +
                            y + " {\n  %y = loom.conv2d %x, %w stride " +
                            pair(c.sh, c.sw) + " padding " + pair(c.ph, c.pw) +
                            " dilation " + pair(c.dh, c.dw) + " groups " +
                            std::to_string(c.groups) + " : " + x + ", " + w +
                            "\n  return %y : " + y + "\n}\n",
                        sumTolerance());
}

INSTANTIATE_TEST_SUITE_P(Cases, Conv2dTest, ::testing::ValuesIn(kConvCases),
                         [](const auto &info) { return info.param.name; });

/// The same cases read as transposed convolutions: input [N, C, H, W],
/// weight [C, F/groups, KH, KW], output_padding where the stride allows.
/// Under each lowering too: the direct one applies at stride 1, groups 1
/// and padding at most d*(K-1) (the flipped-weight convolution's padding).
class Conv2dTransposeTest : public ::testing::TestWithParam<ConvCase> {
protected:
  void check(ConvCase c);
};

TEST_P(Conv2dTransposeTest, Im2colAgainstReference) {
  ConvAlgorithmScope scope("im2col");
  check(GetParam());
}

TEST_P(Conv2dTransposeTest, DirectAgainstReference) {
  ConvAlgorithmScope scope("direct");
  check(GetParam());
}

void Conv2dTransposeTest::check(ConvCase c) {
  int64_t oh = (c.x[2] - 1) * c.sh - 2 * c.ph + c.dh * (c.kh - 1) + c.oph + 1;
  int64_t ow = (c.x[3] - 1) * c.sw - 2 * c.pw + c.dw * (c.kw - 1) + c.opw + 1;
  ASSERT_GT(oh, 0);
  ASSERT_GT(ow, 0);
  std::string x = tensorType(c.x);
  std::string w = tensorType({c.x[1], c.f / c.groups, c.kh, c.kw});
  std::string y = tensorType({c.x[0], c.f, oh, ow});
  checkAgainstReference(
      "func.func @forward(%x: " + x + ", %w: " + w + ") -> " + y +
          " {\n  %y = loom.conv2d_transpose %x, %w stride " + pair(c.sh, c.sw) +
          " padding " + pair(c.ph, c.pw) + " output_padding " +
          pair(c.oph, c.opw) + " dilation " + pair(c.dh, c.dw) + " groups " +
          std::to_string(c.groups) + " : " + x + ", " + w +
          "\n  return %y : " + y + "\n}\n",
      sumTolerance());
}

/// The conv cases whose output channels split into the groups (the
/// transposed weight is [C, F/groups, ...]).
static std::vector<ConvCase> transposeCases() {
  std::vector<ConvCase> cases;
  for (const ConvCase &c : kConvCases)
    if (c.f % c.groups == 0)
      cases.push_back(c);
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Cases, Conv2dTransposeTest,
                         ::testing::ValuesIn(transposeCases()),
                         [](const auto &info) { return info.param.name; });

struct PoolCase {
  const char *name;
  Shape x;
  int64_t kh, kw, sh, sw, ph, pw;
};

std::ostream &operator<<(std::ostream &os, const PoolCase &c) {
  return os << c.name;
}

const PoolCase kPoolCases[] = {
    {"TwoByTwo", {2, 3, 6, 8}, 2, 2, 2, 2, 0, 0},
    {"Overlapping", {2, 2, 7, 6}, 3, 3, 1, 1, 0, 0},
    {"Padded", {1, 2, 5, 7}, 3, 3, 2, 2, 1, 1},
    {"NonSquare", {2, 2, 9, 6}, 3, 2, 2, 1, 1, 0},
    {"OddSizeRoundsDown", {2, 1, 7, 7}, 2, 2, 2, 2, 0, 0},
};

class Pool2dTest : public ::testing::TestWithParam<std::tuple<PoolCase, bool>> {
};

TEST_P(Pool2dTest, AgainstReference) {
  auto [c, isMax] = GetParam();
  int64_t oh = (c.x[2] + 2 * c.ph - c.kh) / c.sh + 1;
  int64_t ow = (c.x[3] + 2 * c.pw - c.kw) / c.sw + 1;
  std::string x = tensorType(c.x), y = tensorType({c.x[0], c.x[1], oh, ow});
  std::string source =
      "func.func @forward(%x: " + x + ") -> " + y + " {\n  %y = loom." +
      (isMax ? "max_pool2d" : "avg_pool2d") + " %x kernel " + pair(c.kh, c.kw) +
      " stride " + pair(c.sh, c.sw) + " padding " + pair(c.ph, c.pw) + " : " +
      x + "\n  return %y : " + y + "\n}\n";
  checkAgainstReference(source, sumTolerance());
  if (isMax) {
    // Integers: ties and negative windows next to -inf padding.
    CheckOptions ints;
    ints.integers = true;
    ints.lo = -5;
    ints.hi = 0;
    checkAgainstReference(source, ints);
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, Pool2dTest,
                         ::testing::Combine(::testing::ValuesIn(kPoolCases),
                                            ::testing::Bool()),
                         [](const auto &info) {
                           return std::string(std::get<0>(info.param).name) +
                                  (std::get<1>(info.param) ? "_Max" : "_Avg");
                         });

TEST(ConvNetTest, LeNetStyleForward) {
  // conv + bias + relu + pool, twice, then flatten into a dense layer: the
  // shape of the examples' convolutional models.
  checkAgainstReference(R"mlir(
func.func @forward(%x: tensor<3x1x12x12xf32>, %w1: tensor<4x1x3x3xf32>,
                   %b1: tensor<4x1x1xf32>, %w2: tensor<6x4x3x3xf32>,
                   %fc: tensor<24x5xf32>) -> tensor<3x5xf32> {
  %0 = loom.conv2d %x, %w1 stride [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<3x1x12x12xf32>, tensor<4x1x3x3xf32>
  %1 = loom.add %0, %b1 : tensor<3x4x12x12xf32>, tensor<4x1x1xf32>
  %2 = loom.relu %1 : tensor<3x4x12x12xf32>
  %3 = loom.max_pool2d %2 kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<3x4x12x12xf32>
  %4 = loom.conv2d %3, %w2 stride [2, 2] padding [0, 0] dilation [1, 1] groups 1 : tensor<3x4x6x6xf32>, tensor<6x4x3x3xf32>
  %5 = loom.avg_pool2d %4 kernel [2, 2] stride [1, 1] padding [1, 1] : tensor<3x6x2x2xf32>
  %6 = loom.reduce_mean %5 axes [2, 3] : tensor<3x6x3x3xf32>
  %7 = loom.broadcast_to %6 [4, 3, 6] : tensor<3x6xf32>
  %8 = loom.transpose %7 [1, 0, 2] : tensor<4x3x6xf32>
  %9 = loom.reshape %8 [3, 24] : tensor<3x4x6xf32>
  %10 = loom.matmul %9, %fc : tensor<3x24xf32>, tensor<24x5xf32>
  return %10 : tensor<3x5xf32>
}
)mlir",
                        sumTolerance());
}

} // namespace
