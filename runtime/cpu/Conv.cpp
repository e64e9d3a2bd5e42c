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
#include "loom/rt/cpu/Conv.h"
#include "loom/rt/cpu/Gemm.h"

#include "GemmKernels.h"
#include "ThreadPool.h"

#include <algorithm>
#include <chrono>
#include <vector>

using namespace loom::rt::detail;

namespace {

/// The median of 3 timed calls of f after one warm-up (caches, packing
/// buffers, pool threads).
template <typename F> double medianSeconds(const F &f) {
  using Clock = std::chrono::steady_clock;
  f();
  double t[3];
  for (double &ti : t) {
    auto t0 = Clock::now();
    f();
    ti = std::chrono::duration<double>(Clock::now() - t0).count();
  }
  std::sort(t, t + 3);
  return t[1];
}

} // namespace

extern "C" void loom_rt_conv2d_f32(const float *X, const float *W, float *Y,
                                   int64_t N, int64_t C, int64_t F, int64_t KH,
                                   int64_t KW, int64_t OH, int64_t OW,
                                   int64_t dH, int64_t dW, int64_t sXn,
                                   int64_t sXc, int64_t sXh, int64_t sWf,
                                   int64_t sWc, int64_t sWh, int64_t sWw,
                                   int64_t sYn, int64_t sYf, int64_t sYh,
                                   int64_t accumulate) {
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
    if (!accumulate) // the unit's F rows, zeroed while in cache
      for (int64_t f = 0; f < F; ++f)
        std::fill_n(y + f * sYf, OW, 0.0f);
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
  parallelFor(threads, units, row);
}

extern "C" void loom_rt_conv2d_filter_grad_f32(
    const float *X, const float *G, float *DW, int64_t N, int64_t C, int64_t F,
    int64_t KH, int64_t KW, int64_t OH, int64_t OW, int64_t sH, int64_t sW,
    int64_t dH, int64_t dW, int64_t sXn, int64_t sXc, int64_t sXh, int64_t sXw,
    int64_t sGn, int64_t sGf, int64_t sGh, int64_t sGw, int64_t sDf,
    int64_t sDc, int64_t sDh, int64_t sDw) {
  int64_t T = C * KH * KW, P = N * OH * OW;
  if (F <= 0 || T <= 0 || P <= 0)
    return;
  const GemmKernels &ks = activeGemmKernels();
  int64_t kc = gemmKBlock(P), kSteps = ceilDiv(P, kc);
  int64_t fSlivers = ceilDiv(F, kMR), tSlivers = ceilDiv(T, kNR);

  // Per tap: its offset in X and in DW; per pixel: its offsets in X and G.
  // The sums go to a dense F x T copy of DW (C of the GEMM), copied back.
  auto *tapX = reinterpret_cast<int64_t *>(threadScratch(1, size_t(2 * T)));
  auto *pixX = reinterpret_cast<int64_t *>(threadScratch(2, size_t(4 * P)));
  int64_t *pixG = pixX + P;
  float *acc = threadScratch(3, size_t(F * T));
  for (int64_t c = 0, t = 0; c < C; ++c)
    for (int64_t kh = 0; kh < KH; ++kh)
      for (int64_t kw = 0; kw < KW; ++kw, ++t) {
        tapX[t] = c * sXc + kh * dH * sXh + kw * dW * sXw;
        for (int64_t f = 0; f < F; ++f)
          acc[f * T + t] = DW[f * sDf + c * sDc + kh * sDh + kw * sDw];
      }
  for (int64_t n = 0, p = 0; n < N; ++n)
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow, ++p) {
        pixX[p] = n * sXn + oh * sH * sXh + ow * sW * sXw;
        pixG[p] = n * sGn + oh * sGh + ow * sGw;
      }

  // Work units: ranges of tap slivers, one per thread; each packs A (G's
  // F x kc block, small) itself and B for its own slivers.
  int threads = ThreadPool::instance().numThreads();
  if (2.0 * double(F) * double(T) * double(P) < kParallelFlops)
    threads = 1;
  int64_t units = std::min<int64_t>(threads, tSlivers);
  auto unit = [&](int64_t u) {
    int64_t j0 = tSlivers * u / units, j1 = tSlivers * (u + 1) / units;
    // B's sliver 64-byte aligned after A (the packing stores aligned).
    int64_t aFloats = (fSlivers * kMR * kc + kPackSlack + 15) / 16 * 16;
    float *a = threadScratch(0, size_t(aFloats + kc * kNR));
    float *b = a + aFloats;
    for (int64_t step = 0; step < kSteps; ++step) {
      int64_t p0 = step * kc, kcb = std::min(kc, P - p0);
      // A: sliver s holds (f, k) at s*kMR*kcb + k*kMR + f%kMR, zero rows
      // past F. Where G's pixels are contiguous along a row (or a whole
      // image), each such run of the block is one packA call per sliver
      // (its layout for one sliver is the same whatever the run's length;
      // the slack it may write past a run is overwritten by the next run or
      // sliver). G with padded rows (sGh > OW) used to take the scalar
      // path below: 6% of a ResNet training step.
      bool runs = sGw == 1;
      int64_t runLength = sGh == OW ? OH * OW : OW;
      for (int64_t s = 0; s < fSlivers; ++s) {
        float *as = a + s * kMR * kcb;
        int64_t f0 = s * kMR, mr = std::min<int64_t>(kMR, F - f0);
        if (runs) {
          for (int64_t k = 0; k < kcb;) {
            int64_t p = p0 + k, q = p % runLength;
            int64_t len = std::min(kcb - k, runLength - q);
            ks.packA(mr, len, G + pixG[p] + f0 * sGf, sGf, 1, as + k * kMR);
            k += len;
          }
          continue;
        }
        for (int64_t k = 0; k < kcb; ++k) {
          const float *g = G + pixG[p0 + k];
          for (int i = 0; i < kMR; ++i) {
            int64_t f = f0 + i;
            as[k * kMR + i] = f < F ? g[f * sGf] : 0.0f;
          }
        }
      }
      for (int64_t j = j0; j < j1; ++j) {
        int nr = int(std::min<int64_t>(kNR, T - j * kNR));
        ks.packOffsetsB(kcb, nr, X, pixX + p0, tapX + j * kNR, b);
        for (int64_t s = 0; s < fSlivers; ++s) {
          int mr = int(std::min<int64_t>(kMR, F - s * kMR));
          ks.packedA(kcb, a + s * kMR * kcb, 1, kMR, b, kNR,
                     acc + s * kMR * T + j * kNR, T, 1, mr, nr);
        }
      }
    }
  };
  parallelFor(int(units), units, unit);
  for (int64_t c = 0, t = 0; c < C; ++c)
    for (int64_t kh = 0; kh < KH; ++kh)
      for (int64_t kw = 0; kw < KW; ++kw, ++t)
        for (int64_t f = 0; f < F; ++f)
          DW[f * sDf + c * sDc + kh * sDh + kw * sDw] = acc[f * T + t];
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
    // As compiled: the direct call overwrites Y, im2col fills it with zeros
    // and accumulates the product into it.
    if (direct) {
      loom_rt_conv2d_f32(x.data(), w.data(), y.data(), s.N, s.C, s.F, s.KH,
                         s.KW, s.OH, s.OW, s.dH, s.dW, s.C * H * Wd, H * Wd,
                         Wd, K, s.KH * s.KW, s.KW, 1, s.F * P, P, s.OW, 0);
      return;
    }
    std::fill(y.begin(), y.end(), 0.0f);
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
  return medianSeconds(once);
}

} // namespace loom::rt

namespace loom::rt {

double timeFilterGrad(const ConvShape &s, int64_t sH, int64_t sW,
                      bool direct) {
  // X [N, C, H, W] padded, G [N, F, OH, OW], DW [F, C, KH, KW].
  int64_t H = (s.OH - 1) * sH + (s.KH - 1) * s.dH + 1,
          Wd = (s.OW - 1) * sW + (s.KW - 1) * s.dW + 1;
  int64_t T = s.C * s.KH * s.KW, P = s.N * s.OH * s.OW, Q = s.OH * s.OW;
  std::vector<float> x(size_t(s.N * s.C * H * Wd)), g(size_t(s.N * s.F * Q)),
      dw(size_t(s.F * T)), xt, gt, col, out;
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = float(int(i % 17) - 8) * 0.125f;
  for (size_t i = 0; i < g.size(); ++i)
    g[i] = float(int(i % 13) - 6) * 0.0625f;
  if (!direct) {
    xt.resize(x.size());
    gt.resize(g.size());
    col.resize(size_t(s.C * P * s.KH * s.KW));
    out.resize(dw.size());
  }
  int64_t KK = s.KH * s.KW;
  auto once = [&] {
    if (direct) {
      std::fill(dw.begin(), dw.end(), 0.0f);
      loom_rt_conv2d_filter_grad_f32(
          x.data(), g.data(), dw.data(), s.N, s.C, s.F, s.KH, s.KW, s.OH, s.OW,
          sH, sW, s.dH, s.dW, s.C * H * Wd, H * Wd, Wd, 1, s.F * Q, Q, s.OW,
          1, T, KK, s.KW, 1);
      return;
    }
    // As lowered: X^T [C, N, H, W] and G^T [F, N, OH, OW] (copy kernels),
    // col[c, (n, oh, ow), (kh, kw)] (the gather), then per c the GEMM
    // out[c] (F x KK) += G^T (F x P) * col[c] (P x KK), then DW = out^T.
    for (int64_t n = 0; n < s.N; ++n)
      for (int64_t c = 0; c < s.C; ++c)
        std::copy_n(x.data() + (n * s.C + c) * H * Wd, H * Wd,
                    xt.data() + (c * s.N + n) * H * Wd);
    for (int64_t n = 0; n < s.N; ++n)
      for (int64_t f = 0; f < s.F; ++f)
        std::copy_n(g.data() + (n * s.F + f) * Q, Q,
                    gt.data() + (f * s.N + n) * Q);
    float *dst = col.data();
    for (int64_t c = 0; c < s.C; ++c)
      for (int64_t n = 0; n < s.N; ++n)
        for (int64_t oh = 0; oh < s.OH; ++oh)
          for (int64_t ow = 0; ow < s.OW; ++ow)
            for (int64_t kh = 0; kh < s.KH; ++kh)
              for (int64_t kw = 0; kw < s.KW; ++kw)
                *dst++ = xt[size_t(((c * s.N + n) * H + oh * sH + kh * s.dH) *
                                       Wd +
                                   ow * sW + kw * s.dW)];
    std::fill(out.begin(), out.end(), 0.0f);
    loom_rt_gemm_f32(gt.data(), col.data(), out.data(), s.F, KK, P, P, 1, KK,
                     1, KK, 1, s.C, 0, P * KK, s.F * KK, 1, 0, 0, 0);
    for (int64_t c = 0; c < s.C; ++c)
      for (int64_t f = 0; f < s.F; ++f)
        std::copy_n(out.data() + (c * s.F + f) * KK, KK,
                    dw.data() + (f * s.C + c) * KK);
  };
  return medianSeconds(once);
}

} // namespace loom::rt
