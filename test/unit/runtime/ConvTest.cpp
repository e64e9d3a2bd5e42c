//===- ConvTest.cpp - loom_rt_conv2d_f32 against references ---------------===//
//
// Each case convolves random data three ways and compares:
//  - a double-precision reference, element by element:
//      |y - ref| <= 1e-5 * (|y0| + sum |w x|) + 1e-6
//    (y0: Y's initial value; the call accumulates into Y);
//  - im2col + loom_rt_gemm_f32, bit for bit: the direct convolution sums
//    in the GEMM's order, so the compiler's choice between the two
//    (ConvAlgorithm.cpp) cannot change a convolution's result;
//  - itself on 1 and 2 threads, bit for bit.
// Y is laid out with padding between rows and channels; the padding must
// come back unchanged. Shapes cover ragged output rows (OW not a multiple
// of 16), F not a multiple of the 6-row tile, K over one k block (> 256),
// dilation, W with transposed strides, and the portable kernels.
//
//===----------------------------------------------------------------------===//
#include "loom/rt/cpu/Conv.h"
#include "loom/rt/cpu/Gemm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <sstream>
#include <vector>

namespace {

struct Case {
  int64_t N, C, F, KH, KW, OH, OW, dH = 1, dW = 1;
  bool transposedW = false; ///< W stored [C, KH, KW, F]
  std::string str() const {
    std::ostringstream os;
    os << "N" << N << " C" << C << " F" << F << " k" << KH << "x" << KW
       << " out" << OH << "x" << OW << " dil" << dH << "x" << dW
       << (transposedW ? " Wt" : "");
    return os.str();
  }
};

struct Run {
  std::vector<float> y;
};

class ConvFixture {
public:
  explicit ConvFixture(const Case &c) : c(c) {
    H = c.OH + (c.KH - 1) * c.dH;
    Wd = c.OW + (c.KW - 1) * c.dW + 3; // 3 unused columns at each row's end
    K = c.C * c.KH * c.KW;
    // Y: rows padded by 5, channels by 7.
    sYh = c.OW + 5;
    sYf = c.OH * sYh + 7;
    sYn = c.F * sYf;
    std::mt19937 rng(unsigned(c.N * 131 + c.C * 17 + c.F * 7 + c.OW));
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    x.resize(size_t(c.N * c.C * H * Wd));
    w.resize(size_t(c.F * K));
    y0.resize(size_t(c.N * sYn));
    for (float &v : x) v = u(rng);
    for (float &v : w) v = u(rng);
    for (float &v : y0) v = u(rng);
    if (c.transposedW) {
      sWf = 1;
      sWc = c.KH * c.KW * c.F;
      sWh = c.KW * c.F;
      sWw = c.F;
    } else {
      sWf = K;
      sWc = c.KH * c.KW;
      sWh = c.KW;
      sWw = 1;
    }
  }

  float wAt(int64_t f, int64_t ch, int64_t kh, int64_t kw) const {
    return w[size_t(f * sWf + ch * sWc + kh * sWh + kw * sWw)];
  }
  float xAt(int64_t n, int64_t ch, int64_t h, int64_t ww) const {
    return x[size_t(((n * c.C + ch) * H + h) * Wd + ww)];
  }

  std::vector<float> direct() const {
    std::vector<float> y = y0;
    loom_rt_conv2d_f32(x.data(), w.data(), y.data(), c.N, c.C, c.F, c.KH, c.KW,
                       c.OH, c.OW, c.dH, c.dW, c.C * H * Wd, H * Wd, Wd, sWf,
                       sWc, sWh, sWw, sYn, sYf, sYh, 1);
    return y;
  }

  /// accumulate = 0 over `y`'s addressed elements set to NaN (they must
  /// never be read); the padding keeps y0's values.
  std::vector<float> directOverwrite() const {
    std::vector<float> y = y0;
    forEachOutput([&](size_t at) { y[at] = std::nanf(""); });
    loom_rt_conv2d_f32(x.data(), w.data(), y.data(), c.N, c.C, c.F, c.KH, c.KW,
                       c.OH, c.OW, c.dH, c.dW, c.C * H * Wd, H * Wd, Wd, sWf,
                       sWc, sWh, sWw, sYn, sYf, sYh, 0);
    return y;
  }

  /// y0 with the addressed elements zeroed: what accumulate = 0 must
  /// match bit for bit after accumulating into it.
  ConvFixture zeroed() const {
    ConvFixture z = *this;
    forEachOutput([&](size_t at) { z.y0[at] = 0.0f; });
    return z;
  }

  /// f(index into Y) for every element the convolution addresses.
  template <typename F> void forEachOutput(F f) const {
    for (int64_t n = 0; n < c.N; ++n)
      for (int64_t fi = 0; fi < c.F; ++fi)
        for (int64_t oh = 0; oh < c.OH; ++oh)
          for (int64_t ow = 0; ow < c.OW; ++ow)
            f(size_t(n * sYn + fi * sYf + oh * sYh + ow));
  }

  /// im2col into [N, K, OH*OW], the weight gathered into [F, K], then the
  /// GEMM per image into a dense [N, F, OH*OW], added into Y0 after.
  std::vector<float> im2col() const {
    int64_t P = c.OH * c.OW;
    std::vector<float> col(size_t(c.N * K * P)), wm(size_t(c.F * K));
    for (int64_t n = 0; n < c.N; ++n)
      for (int64_t ch = 0, k = 0; ch < c.C; ++ch)
        for (int64_t kh = 0; kh < c.KH; ++kh)
          for (int64_t kw = 0; kw < c.KW; ++kw, ++k)
            for (int64_t oh = 0; oh < c.OH; ++oh)
              for (int64_t ow = 0; ow < c.OW; ++ow)
                col[size_t((n * K + k) * P + oh * c.OW + ow)] =
                    xAt(n, ch, oh + kh * c.dH, ow + kw * c.dW);
    for (int64_t f = 0; f < c.F; ++f)
      for (int64_t ch = 0, k = 0; ch < c.C; ++ch)
        for (int64_t kh = 0; kh < c.KH; ++kh)
          for (int64_t kw = 0; kw < c.KW; ++kw, ++k)
            wm[size_t(f * K + k)] = wAt(f, ch, kh, kw);
    // C = Y itself (strided): the GEMM accumulates into it as the
    // direct call does.
    std::vector<float> y = y0;
    for (int64_t n = 0; n < c.N; ++n)
      for (int64_t oh = 0; oh < c.OH; ++oh)
        loom_rt_gemm_f32(wm.data(), col.data() + n * K * P + oh * c.OW,
                         y.data() + n * sYn + oh * sYh, c.F, c.OW, K, K, 1, P,
                         1, sYf, 1, 1, 0, 0, 0, 1, 0, 0, 0);
    return y;
  }

  void checkAgainstReference(const std::vector<float> &y) const {
    int bad = 0;
    for (int64_t n = 0; n < c.N; ++n)
      for (int64_t f = 0; f < c.F; ++f)
        for (int64_t oh = 0; oh < c.OH; ++oh)
          for (int64_t ow = 0; ow < c.OW; ++ow) {
            size_t at = size_t(n * sYn + f * sYf + oh * sYh + ow);
            double ref = y0[at], mag = std::fabs(y0[at]);
            for (int64_t ch = 0; ch < c.C; ++ch)
              for (int64_t kh = 0; kh < c.KH; ++kh)
                for (int64_t kw = 0; kw < c.KW; ++kw) {
                  double t = double(wAt(f, ch, kh, kw)) *
                             xAt(n, ch, oh + kh * c.dH, ow + kw * c.dW);
                  ref += t;
                  mag += std::fabs(t);
                }
            if (std::fabs(y[at] - ref) > 1e-5 * mag + 1e-6 && bad++ < 5)
              ADD_FAILURE() << c.str() << " at n" << n << " f" << f << " oh"
                            << oh << " ow" << ow << ": " << y[at] << " vs "
                            << ref;
          }
    // Padding of Y untouched.
    std::vector<bool> addressed(y.size());
    forEachOutput([&](size_t at) { addressed[at] = true; });
    for (size_t i = 0; i < y.size(); ++i)
      if (!addressed[i] && std::memcmp(&y[i], &y0[i], sizeof(float)) != 0 &&
          bad++ < 5)
        ADD_FAILURE() << c.str() << ": padding element " << i << " written";
  }

  Case c;
  int64_t H, Wd, K, sYn, sYf, sYh, sWf, sWc, sWh, sWw;
  std::vector<float> x, w, y0;
};

bool sameBits(const std::vector<float> &a, const std::vector<float> &b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

const Case kCases[] = {
    {2, 3, 16, 3, 3, 8, 32},          // full 16-pixel tiles
    {2, 16, 16, 3, 3, 6, 28},         // a ragged 12-pixel tile
    {1, 1, 6, 5, 5, 28, 28},          // LeNet conv1
    {3, 6, 16, 5, 5, 10, 10},         // LeNet conv2: only a ragged tile
    {1, 32, 20, 3, 3, 4, 17},         // K = 288: two k blocks; F = 20
    {2, 4, 1, 3, 3, 5, 40},           // one filter
    {1, 5, 7, 3, 2, 9, 33, 2, 3},     // dilation
    {2, 3, 9, 3, 3, 7, 21, 1, 1, true}, // transposed weight strides
};

/// Restores the thread count and the AVX2 kernels after each case.
template <typename Param>
class KernelTest : public ::testing::TestWithParam<Param> {
protected:
  void TearDown() override {
    loom::rt::setNumThreads(0);
    loom::rt::setGemmForcePortable(false);
  }
};

class ConvTest : public KernelTest<Case> {};

TEST_P(ConvTest, MatchesReferenceAndIm2colBitForBit) {
  ConvFixture fx(GetParam());
  for (bool portable : {false, true}) {
    loom::rt::setGemmForcePortable(portable);
    loom::rt::setNumThreads(1);
    std::vector<float> one = fx.direct();
    fx.checkAgainstReference(one);
    EXPECT_TRUE(sameBits(one, fx.im2col()))
        << GetParam().str() << (portable ? " portable" : "")
        << ": direct and im2col + GEMM differ";
    loom::rt::setNumThreads(2);
    EXPECT_TRUE(sameBits(one, fx.direct()))
        << GetParam().str() << ": 1 and 2 threads differ";
    // Overwriting equals accumulating into zeros, on 1 and 2 threads.
    ConvFixture z = fx.zeroed();
    std::vector<float> into = z.direct();
    z.checkAgainstReference(into);
    for (int threads : {1, 2}) {
      loom::rt::setNumThreads(threads);
      EXPECT_TRUE(sameBits(into, fx.directOverwrite()))
          << GetParam().str() << (portable ? " portable" : "") << " threads "
          << threads << ": accumulate = 0 differs from accumulating into 0";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, ConvTest, ::testing::ValuesIn(kCases));

TEST(ConvTiming, BothAlgorithmsMeasure) {
  loom::rt::ConvShape s{2, 4, 8, 3, 3, 8, 16, 1, 1};
  EXPECT_GT(loom::rt::timeConv(s, true), 0.0);
  EXPECT_GT(loom::rt::timeConv(s, false), 0.0);
}

} // namespace

namespace {

//===----------------------------------------------------------------------===//
// loom_rt_conv2d_filter_grad_f32
//===----------------------------------------------------------------------===//

struct FilterCase {
  int64_t N, C, F, KH, KW, OH, OW, sH = 1, sW = 1, dH = 1, dW = 1;
  bool cfLayout = false; ///< DW stored [C, F, KH, KW] (as the lowering's)
  int64_t gPad = 2; ///< floats between G's rows (0: each image contiguous)
  std::string str() const {
    std::ostringstream os;
    os << "N" << N << " C" << C << " F" << F << " k" << KH << "x" << KW
       << " out" << OH << "x" << OW << " stride" << sH << "x" << sW << " dil"
       << dH << "x" << dW << (cfLayout ? " CF" : "") << " gPad" << gPad;
    return os.str();
  }
};

class FilterGradTest : public KernelTest<FilterCase> {};

TEST_P(FilterGradTest, MatchesReferenceAndIm2colBitForBit) {
  const FilterCase c = GetParam();
  int64_t H = (c.OH - 1) * c.sH + (c.KH - 1) * c.dH + 2; // 1 unused row
  int64_t W = (c.OW - 1) * c.sW + (c.KW - 1) * c.dW + 3;
  int64_t KK = c.KH * c.KW, T = c.C * KK, Q = c.OH * c.OW, P = c.N * Q;
  // G with its rows padded by gPad (strided, packed element by element)
  // or contiguous (packed in runs), X dense, DW [F, C, KH, KW] or
  // [C, F, KH, KW].
  int64_t sGh = c.OW + c.gPad, sGf = c.OH * sGh, sGn = c.F * sGf;
  int64_t sDf = c.cfLayout ? KK : T, sDc = c.cfLayout ? c.F * KK : KK;
  std::mt19937 rng(unsigned(c.N * 7 + c.C * 11 + c.OW));
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> x(size_t(c.N * c.C * H * W)), g(size_t(c.N * sGn)),
      dw0(size_t(c.F * T));
  for (float &v : x) v = u(rng);
  for (float &v : g) v = u(rng);
  for (float &v : dw0) v = u(rng);
  auto xAt = [&](int64_t n, int64_t ch, int64_t h, int64_t w) {
    return x[size_t(((n * c.C + ch) * H + h) * W + w)];
  };
  auto gAt = [&](int64_t n, int64_t f, int64_t oh, int64_t ow) {
    return g[size_t(n * sGn + f * sGf + oh * sGh + ow)];
  };
  auto at = [&](int64_t f, int64_t ch, int64_t kh, int64_t kw) {
    return size_t(f * sDf + ch * sDc + kh * c.KW + kw);
  };
  auto direct = [&] {
    std::vector<float> dw = dw0;
    loom_rt_conv2d_filter_grad_f32(
        x.data(), g.data(), dw.data(), c.N, c.C, c.F, c.KH, c.KW, c.OH, c.OW,
        c.sH, c.sW, c.dH, c.dW, c.C * H * W, H * W, W, 1, sGn, sGf, sGh, 1,
        sDf, sDc, c.KW, 1);
    return dw;
  };
  // As the compiler lowers it otherwise: per input channel, the GEMM of
  // G^T (F x P) with the column matrix (P x KH*KW), added to DW's values.
  auto im2col = [&] {
    std::vector<float> gt(size_t(c.F * P)), col(size_t(P * KK)),
        out(size_t(c.F * KK));
    for (int64_t f = 0; f < c.F; ++f)
      for (int64_t n = 0, p = 0; n < c.N; ++n)
        for (int64_t oh = 0; oh < c.OH; ++oh)
          for (int64_t ow = 0; ow < c.OW; ++ow, ++p)
            gt[size_t(f * P + p)] = gAt(n, f, oh, ow);
    std::vector<float> dw = dw0;
    for (int64_t ch = 0; ch < c.C; ++ch) {
      for (int64_t n = 0, p = 0; n < c.N; ++n)
        for (int64_t oh = 0; oh < c.OH; ++oh)
          for (int64_t ow = 0; ow < c.OW; ++ow, ++p)
            for (int64_t kh = 0; kh < c.KH; ++kh)
              for (int64_t kw = 0; kw < c.KW; ++kw)
                col[size_t(p * KK + kh * c.KW + kw)] =
                    xAt(n, ch, oh * c.sH + kh * c.dH, ow * c.sW + kw * c.dW);
      for (int64_t f = 0; f < c.F; ++f)
        for (int64_t k = 0; k < KK; ++k)
          out[size_t(f * KK + k)] = dw[at(f, ch, k / c.KW, k % c.KW)];
      loom_rt_gemm_f32(gt.data(), col.data(), out.data(), c.F, KK, P, P, 1,
                       KK, 1, KK, 1, 1, 0, 0, 0, 1, 0, 0, 0);
      for (int64_t f = 0; f < c.F; ++f)
        for (int64_t k = 0; k < KK; ++k)
          dw[at(f, ch, k / c.KW, k % c.KW)] = out[size_t(f * KK + k)];
    }
    return dw;
  };
  for (bool portable : {false, true}) {
    loom::rt::setGemmForcePortable(portable);
    loom::rt::setNumThreads(1);
    std::vector<float> one = direct();
    int bad = 0;
    for (int64_t f = 0; f < c.F; ++f)
      for (int64_t ch = 0; ch < c.C; ++ch)
        for (int64_t kh = 0; kh < c.KH; ++kh)
          for (int64_t kw = 0; kw < c.KW; ++kw) {
            double ref = dw0[at(f, ch, kh, kw)], mag = std::fabs(ref);
            for (int64_t n = 0; n < c.N; ++n)
              for (int64_t oh = 0; oh < c.OH; ++oh)
                for (int64_t ow = 0; ow < c.OW; ++ow) {
                  double t = double(gAt(n, f, oh, ow)) *
                             xAt(n, ch, oh * c.sH + kh * c.dH,
                                 ow * c.sW + kw * c.dW);
                  ref += t;
                  mag += std::fabs(t);
                }
            float got = one[at(f, ch, kh, kw)];
            if (std::fabs(got - ref) > 1e-5 * mag + 1e-6 && bad++ < 5)
              ADD_FAILURE() << c.str() << " f" << f << " c" << ch << " kh"
                            << kh << " kw" << kw << ": " << got << " vs "
                            << ref;
          }
    // With one filter or a 1x1 kernel the GEMM is a matrix-vector product,
    // which sums in another order; the compiler never picks direct there.
    if (c.F > 1 && KK > 1) {
      EXPECT_TRUE(sameBits(one, im2col()))
          << c.str() << (portable ? " portable" : "")
          << ": direct and im2col + GEMM differ";
    }
    loom::rt::setNumThreads(2);
    EXPECT_TRUE(sameBits(one, direct())) << c.str() << ": threads differ";
  }
}

const FilterCase kFilterCases[] = {
    {2, 3, 16, 3, 3, 8, 8},              // one k block, 27 taps
    {3, 5, 20, 3, 3, 10, 12},            // P = 360: two k blocks; F = 20
    {3, 5, 20, 3, 3, 10, 12, 1, 1, 1, 1, false, 0}, // blocks cross images
    {2, 16, 16, 3, 3, 6, 20, 1, 1, 1, 1, true, 0}, // ResNet-like, [C, F, ..]
    {2, 2, 6, 5, 5, 7, 7, 2, 2},         // stride 2
    {1, 3, 4, 3, 2, 9, 11, 1, 2, 2, 3},  // dilation, mixed strides
    {2, 1, 1, 1, 1, 5, 40},              // one tap, one filter (no bit check)
    // P = 105: the packed A block (6 x 105 + slack floats) ends off a
    // 32-byte boundary, where B's sliver follows (once a crash).
    {1, 2, 4, 3, 3, 5, 21},
    {1, 2, 4, 3, 3, 5, 21, 1, 1, 1, 1, false, 0},
};

INSTANTIATE_TEST_SUITE_P(Shapes, FilterGradTest,
                         ::testing::ValuesIn(kFilterCases));

TEST(ConvTiming, FilterGradientMeasures) {
  loom::rt::ConvShape s{2, 4, 8, 3, 3, 8, 16, 1, 1};
  EXPECT_GT(loom::rt::timeFilterGrad(s, 1, 1, true), 0.0);
  EXPECT_GT(loom::rt::timeFilterGrad(s, 2, 2, false), 0.0);
}

} // namespace
