//===- Conv.cpp - Direct convolution through the GEMM micro-kernel --------===//
//
// loom_rt_conv2d_f32 is loom_rt_gemm_f32 specialised to one product per
// (image, output row): A is the weight as an F x (C*KH*KW) matrix, packed
// once per call; B's row k = (c, kh, kw) is the run of OW input pixels at
// X[n, c, oh + kh*dH, kw*dW ...], found through a table of row offsets
// instead of being gathered into a column matrix; C is output row oh of
// image n, F rows of OW contiguous pixels. Full 16-pixel tiles read B in
// place (MicroKernelOffsetBFn); a ragged last tile is gathered into a
// small packed sliver first, so nothing is read past a run's end.
//
// The k blocks are loom_rt_gemm_f32's (gemmKBlock) and each C element is
// summed in the same order as there, so this and im2col + GEMM agree bit
// for bit.
//
//===----------------------------------------------------------------------===//
#include "loom/rt/Conv.h"
#include "loom/rt/Gemm.h"

#include "GemmKernels.h"
#include "ThreadPool.h"

#include <algorithm>
#include <chrono>
#include <vector>

using namespace loom::rt::detail;

namespace {

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// Work below this many flops stays on the caller (as in the GEMM).
constexpr double kParallelFlops = double(1 << 20);

} // namespace

extern "C" void loom_rt_conv2d_f32(const float *X, const float *W, float *Y,
                                   int64_t N, int64_t C, int64_t F, int64_t KH,
                                   int64_t KW, int64_t OH, int64_t OW,
                                   int64_t dH, int64_t dW, int64_t sXn,
                                   int64_t sXc, int64_t sXh, int64_t sWf,
                                   int64_t sWc, int64_t sWh, int64_t sWw,
                                   int64_t sYn, int64_t sYf, int64_t sYh) {
  int64_t K = C * KH * KW;
  if (N <= 0 || F <= 0 || OH <= 0 || OW <= 0 || K <= 0)
    return;
  const GemmKernels &ks = activeGemmKernels();
  int64_t kc = gemmKBlock(K), kSteps = ceilDiv(K, kc);
  int64_t slivers = ceilDiv(F, kMR);

  // The weight as an F x K matrix, packed per k block: block b's sliver s
  // at aPacked + b * slivers * kMR * kc + s * kMR * kcb (kcb: its length).
  // Row offsets of B: tap k = (c, kh, kw) reads X + c*sXc + kh*dH*sXh + kw*dW.
  // The caller's scratch (slot 0 is each thread's ragged sliver).
  auto *off = reinterpret_cast<int64_t *>(threadScratch(1, size_t(2 * K)));
  float *w = threadScratch(2, size_t(F * K));
  for (int64_t c = 0, k = 0; c < C; ++c)
    for (int64_t kh = 0; kh < KH; ++kh)
      for (int64_t kw = 0; kw < KW; ++kw, ++k) {
        off[k] = c * sXc + kh * dH * sXh + kw * dW;
        for (int64_t f = 0; f < F; ++f)
          w[f * K + k] = W[f * sWf + c * sWc + kh * sWh + kw * sWw];
      }
  float *aPacked =
      threadScratch(3, size_t(kSteps * slivers * kMR * kc + kPackSlack));
  for (int64_t b = 0; b < kSteps; ++b) {
    int64_t k0 = b * kc, kcb = std::min(kc, K - k0);
    ks.packA(F, kcb, w + k0, K, 1, aPacked + b * slivers * kMR * kc);
  }

  auto row = [&](int64_t unit) {
    int64_t n = unit / OH, oh = unit % OH;
    const float *x = X + n * sXn + oh * sXh;
    float *y = Y + n * sYn + oh * sYh;
    float *ragged = threadScratch(0, size_t(kc * kNR + kPackSlack));
    for (int64_t b = 0; b < kSteps; ++b) {
      int64_t k0 = b * kc, kcb = std::min(kc, K - k0);
      const float *a = aPacked + b * slivers * kMR * kc;
      const int64_t *boff = off + k0;
      for (int64_t j0 = 0; j0 < OW; j0 += kNR) {
        int nr = int(std::min<int64_t>(kNR, OW - j0));
        if (nr < kNR)
          for (int64_t k = 0; k < kcb; ++k) {
            const float *src = x + boff[k] + j0;
            float *dst = ragged + k * kNR;
            for (int j = 0; j < kNR; ++j)
              dst[j] = j < nr ? src[j] : 0.0f;
          }
        for (int64_t s = 0; s < slivers; ++s) {
          int mr = int(std::min<int64_t>(kMR, F - s * kMR));
          float *c = y + s * kMR * sYf + j0;
          const float *as = a + s * kMR * kcb;
          if (nr == kNR)
            ks.offsetB(kcb, as, x + j0, boff, c, sYf, mr);
          else
            ks.packedA(kcb, as, 1, kMR, ragged, kNR, c, sYf, 1, mr, nr);
        }
      }
    }
  };

  int64_t units = N * OH;
  int threads = ThreadPool::instance().numThreads();
  if (2.0 * double(F) * double(K) * double(OW) * double(units) <
      kParallelFlops)
    threads = 1;
  if (threads == 1) {
    for (int64_t u = 0; u < units; ++u)
      row(u);
    return;
  }
  WorkQueue queue(units);
  ThreadPool::instance().run(int(std::min<int64_t>(threads, units)), [&](int) {
    for (int64_t u; (u = queue.claim()) >= 0;)
      row(u);
  });
}

namespace loom::rt {

double timeConv(const ConvShape &s, bool direct) {
  int64_t H = s.OH + (s.KH - 1) * s.dH, Wd = s.OW + (s.KW - 1) * s.dW;
  int64_t K = s.C * s.KH * s.KW, P = s.OH * s.OW;
  std::vector<float> x(size_t(s.N * s.C * H * Wd)), w(size_t(s.F * K)),
      y(size_t(s.N * s.F * P)), col;
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = float(int(i % 17) - 8) * 0.125f;
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = float(int(i % 13) - 6) * 0.0625f;
  if (!direct)
    col.resize(size_t(s.N * K * P));
  auto once = [&] {
    std::fill(y.begin(), y.end(), 0.0f);
    if (direct) {
      loom_rt_conv2d_f32(x.data(), w.data(), y.data(), s.N, s.C, s.F, s.KH,
                         s.KW, s.OH, s.OW, s.dH, s.dW, s.C * H * Wd, H * Wd,
                         Wd, K, s.KH * s.KW, s.KW, 1, s.F * P, P, s.OW);
      return;
    }
    // The gather the generated im2col kernel does: col[n, (c,kh,kw), (oh,ow)].
    float *dst = col.data();
    for (int64_t n = 0; n < s.N; ++n)
      for (int64_t c = 0; c < s.C; ++c)
        for (int64_t kh = 0; kh < s.KH; ++kh)
          for (int64_t kw = 0; kw < s.KW; ++kw)
            for (int64_t oh = 0; oh < s.OH; ++oh) {
              const float *src = x.data() + ((n * s.C + c) * H + oh +
                                             kh * s.dH) * Wd + kw * s.dW;
              dst = std::copy(src, src + s.OW, dst);
            }
    loom_rt_gemm_f32(w.data(), col.data(), y.data(), s.F, P, K, K, 1, P, 1, P,
                     1, s.N, 0, K * P, s.F * P, 1, 0, 0, 0);
  };
  using Clock = std::chrono::steady_clock;
  once(); // warm-up: caches, packing buffers, pool threads
  std::vector<double> times;
  for (int i = 0; i < 3; ++i) {
    auto t0 = Clock::now();
    once();
    times.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  std::sort(times.begin(), times.end());
  return times[1];
}

} // namespace loom::rt
