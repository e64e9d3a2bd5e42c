//===- GemmAvx2.cpp - AVX2/FMA micro-kernel, packing and GEMV -------------===//
//
// The 6x16 micro-kernel keeps a 6 x 16 tile of C in 12 ymm accumulators:
// per k it loads 16 floats of B (two vectors; a packed sliver, or a row of
// B read in place, then prefetching rows ahead), broadcasts 6 floats of
// A and issues 12 FMAs, which keeps both FMA pipes of a Zen 3 / Haswell core
// busy (12 independent chains cover the 4-5 cycle FMA latency) while using
// 14 of the 16 ymm registers. Everything here is compiled for AVX2 and FMA
// through target attributes, so the library as a whole still targets the
// baseline ISA; the driver calls in only after checking the CPU.
//
//===----------------------------------------------------------------------===//
#include "GemmKernels.h"
#include "GemmPack.h"

#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#define LOOM_AVX2 __attribute__((target("avx2,fma")))

namespace loom::rt::detail {
namespace {

alignas(32) const int32_t kMaskTable[16] = {-1, -1, -1, -1, -1, -1, -1, -1,
                                            0,  0,  0,  0,  0,  0,  0,  0};

/// A mask selecting the first n lanes (0 <= n <= 8).
LOOM_AVX2 inline __m256i firstLanes(int n) {
  return _mm256_loadu_si256(
      reinterpret_cast<const __m256i *>(kMaskTable + 8 - n));
}

/// c[0, n) += v, for 0 <= n <= 8.
LOOM_AVX2 inline void addTo(float *c, __m256 v, int n) {
  if (n == 8) {
    _mm256_storeu_ps(c, _mm256_add_ps(_mm256_loadu_ps(c), v));
  } else if (n > 0) {
    __m256i m = firstLanes(n);
    _mm256_maskstore_ps(c, m, _mm256_add_ps(_mm256_maskload_ps(c, m), v));
  }
}

#define LOOM_FMA_ROW(i, ptr)                                                   \
  do {                                                                         \
    __m256 ai = _mm256_broadcast_ss(ptr);                                      \
    c##i##0 = _mm256_fmadd_ps(ai, b0, c##i##0);                                \
    c##i##1 = _mm256_fmadd_ps(ai, b1, c##i##1);                                \
  } while (0)

/// One k step of a packed A sliver (kMR floats at `ptr`) against b0, b1:
/// the first Rows (4 or 6) rows of the tile.
#define LOOM_FMA_PACKED_A(Rows, ptr)                                           \
  do {                                                                         \
    LOOM_FMA_ROW(0, (ptr) + 0);                                                \
    LOOM_FMA_ROW(1, (ptr) + 1);                                                \
    LOOM_FMA_ROW(2, (ptr) + 2);                                                \
    LOOM_FMA_ROW(3, (ptr) + 3);                                                \
    if constexpr ((Rows) > 4) {                                                \
      LOOM_FMA_ROW(4, (ptr) + 4);                                              \
      LOOM_FMA_ROW(5, (ptr) + 5);                                              \
    }                                                                          \
  } while (0)

/// How many rows ahead the kernel prefetches B read in place. B's rows are
/// far apart there, and the kernel alone keeps too few misses in flight
/// when B comes from L3 or memory (6 x 196 x 400, batch 64: 3040 us packed,
/// 4000 us in place without prefetching, 2830 with). 8 rows measured best
/// on Zen 3 over the LeNet shapes (4 rows: 25-35% slower on two of three,
/// 16: up to 8% slower, 24: 8-14% slower).
constexpr int64_t kPrefetchRowsB = 8;

/// Prefetches the kNR floats of B row k + kPrefetchRowsB (they may straddle
/// two cache lines) when B is read in place; packed slivers are already in
/// L1 or L2. Rows past the k block are prefetched too, which is harmless:
/// prefetches do not fault (the address is computed as an integer).
#define LOOM_PREFETCH_B(InPlaceB, b, ldb)                                      \
  do {                                                                         \
    if constexpr (InPlaceB) {                                                  \
      const char *p = reinterpret_cast<const char *>(                          \
          reinterpret_cast<uintptr_t>(b) +                                     \
          uintptr_t(kPrefetchRowsB * ldb) * sizeof(float));                    \
      _mm_prefetch(p, _MM_HINT_T0);                                            \
      _mm_prefetch(p + 63, _MM_HINT_T0);                                       \
    }                                                                          \
  } while (0)

/// C tile += the accumulators (row i in ci0, ci1), mr x nr of them.
LOOM_AVX2 inline __attribute__((always_inline)) void
finishTile(float *c, int64_t rsC, int64_t csC, int mr, int nr, __m256 c00,
           __m256 c01, __m256 c10, __m256 c11, __m256 c20, __m256 c21,
           __m256 c30, __m256 c31, __m256 c40, __m256 c41, __m256 c50,
           __m256 c51) {
  if (mr == kMR && nr == kNR && csC == 1) {
    addTo(c + 0 * rsC, c00, 8);
    addTo(c + 0 * rsC + 8, c01, 8);
    addTo(c + 1 * rsC, c10, 8);
    addTo(c + 1 * rsC + 8, c11, 8);
    addTo(c + 2 * rsC, c20, 8);
    addTo(c + 2 * rsC + 8, c21, 8);
    addTo(c + 3 * rsC, c30, 8);
    addTo(c + 3 * rsC + 8, c31, 8);
    addTo(c + 4 * rsC, c40, 8);
    addTo(c + 4 * rsC + 8, c41, 8);
    addTo(c + 5 * rsC, c50, 8);
    addTo(c + 5 * rsC + 8, c51, 8);
    return;
  }
  // An edge tile (or strided C): go through memory. The sums are the same
  // float additions as above, so edges round exactly like full tiles.
  alignas(32) float t[kMR][kNR];
  _mm256_store_ps(&t[0][0], c00);
  _mm256_store_ps(&t[0][8], c01);
  _mm256_store_ps(&t[1][0], c10);
  _mm256_store_ps(&t[1][8], c11);
  _mm256_store_ps(&t[2][0], c20);
  _mm256_store_ps(&t[2][8], c21);
  _mm256_store_ps(&t[3][0], c30);
  _mm256_store_ps(&t[3][8], c31);
  _mm256_store_ps(&t[4][0], c40);
  _mm256_store_ps(&t[4][8], c41);
  _mm256_store_ps(&t[5][0], c50);
  _mm256_store_ps(&t[5][8], c51);
  for (int i = 0; i < mr; ++i) {
    float *ci = c + i * rsC;
    if (csC == 1) {
      addTo(ci, _mm256_load_ps(&t[i][0]), nr < 8 ? nr : 8);
      addTo(ci + 8, _mm256_load_ps(&t[i][8]), nr > 8 ? nr - 8 : 0);
    } else {
      for (int j = 0; j < nr; ++j)
        ci[j * csC] += t[i][j];
    }
  }
}

/// Rows (4 or 6): how many rows of the tile are computed; a tile of at
/// most 4 real rows skips the last two (zeros or repeats), a third of the
/// multiply-adds. Computed elements sum the same either way.
template <bool PackedA, bool InPlaceB, int Rows>
LOOM_AVX2 inline __attribute__((always_inline)) void
microKernelImpl(int64_t kc, const float *a, int64_t rsA, int64_t csA,
                const float *b, int64_t ldb, float *c, int64_t rsC, int64_t csC,
                int mr, int nr) {
  // The C tile is needed only after the k loop; fetching it now hides the
  // miss (C rows are far apart and were last touched a whole panel ago).
  for (int i = 0; i < mr; ++i) {
    _mm_prefetch(reinterpret_cast<const char *>(c + i * rsC), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char *>(c + i * rsC + (nr - 1) * csC),
                 _MM_HINT_T0);
  }
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00,
         c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00,
         c51 = c00;
  if constexpr (PackedA) {
#pragma GCC unroll 4
    for (int64_t k = 0; k < kc; ++k) {
      LOOM_PREFETCH_B(InPlaceB, b, ldb);
      __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
      LOOM_FMA_PACKED_A(Rows, a);
      a += kMR;
      b += ldb;
    }
  } else {
    // Rows from mr on repeat the last real row: they are computed and
    // dropped, and never read outside A.
    const float *a0 = a, *a1 = a + (mr > 1 ? 1 : 0) * rsA,
                *a2 = a + (mr > 2 ? 2 : mr - 1) * rsA,
                *a3 = a + (mr > 3 ? 3 : mr - 1) * rsA,
                *a4 = a + (mr > 4 ? 4 : mr - 1) * rsA,
                *a5 = a + (mr > 5 ? 5 : mr - 1) * rsA;
#pragma GCC unroll 2
    for (int64_t k = 0; k < kc; ++k) {
      LOOM_PREFETCH_B(InPlaceB, b, ldb);
      __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
      LOOM_FMA_ROW(0, a0);
      LOOM_FMA_ROW(1, a1);
      LOOM_FMA_ROW(2, a2);
      LOOM_FMA_ROW(3, a3);
      if constexpr (Rows > 4) {
        LOOM_FMA_ROW(4, a4);
        LOOM_FMA_ROW(5, a5);
      }
      a0 += csA;
      a1 += csA;
      a2 += csA;
      a3 += csA;
      a4 += csA;
      a5 += csA;
      b += ldb;
    }
  }

  finishTile(c, rsC, csC, mr, nr, c00, c01, c10, c11, c20, c21, c30, c31,
             c40, c41, c50, c51);
}

/// Rows computes the first Rows (4 or 6) rows of the tile: a last sliver
/// of at most 4 real rows (F = 16 filters: 6 + 6 + 4) skips the two rows of
/// zeros, a third of its multiply-adds. Each computed element's sum is the
/// same either way.
template <int Rows>
LOOM_AVX2 inline __attribute__((always_inline)) void
offsetBTile(int64_t kc, const float *a, const float *b, const int64_t *boff,
            float *c, int64_t rsC, int mr) {
  for (int i = 0; i < mr; ++i)
    _mm_prefetch(reinterpret_cast<const char *>(c + i * rsC), _MM_HINT_T0);
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00,
         c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00,
         c51 = c00;
#pragma GCC unroll 4
  for (int64_t k = 0; k < kc; ++k) {
    const float *bk = b + boff[k];
    __m256 b0 = _mm256_loadu_ps(bk), b1 = _mm256_loadu_ps(bk + 8);
    LOOM_FMA_PACKED_A(Rows, a);
    a += kMR;
  }
  finishTile(c, rsC, 1, mr, kNR, c00, c01, c10, c11, c20, c21, c30, c31, c40,
             c41, c50, c51);
}

/// The direct convolution's kernel: A packed, B row k read in place at
/// b + boff[k] (kNR floats, all inside B: only full tiles come here).
LOOM_AVX2 void microKernelOffsetB(int64_t kc, const float *a, const float *b,
                                  const int64_t *boff, float *c, int64_t rsC,
                                  int mr) {
  if (mr <= 4)
    offsetBTile<4>(kc, a, b, boff, c, rsC, mr);
  else
    offsetBTile<6>(kc, a, b, boff, c, rsC, mr);
}

#undef LOOM_FMA_PACKED_A
#undef LOOM_FMA_ROW
#undef LOOM_PREFETCH_B

/// The table's kernel: B packed (ldb = kNR; B read in place with rows of
/// exactly kNR floats lands here too, unprefetched but right) or in place.
template <bool PackedA>
LOOM_AVX2 void microKernel(int64_t kc, const float *a, int64_t rsA, int64_t csA,
                           const float *b, int64_t ldb, float *c, int64_t rsC,
                           int64_t csC, int mr, int nr) {
  if (mr <= 4) {
    if (ldb == kNR)
      microKernelImpl<PackedA, false, 4>(kc, a, rsA, csA, b, ldb, c, rsC, csC,
                                         mr, nr);
    else
      microKernelImpl<PackedA, true, 4>(kc, a, rsA, csA, b, ldb, c, rsC, csC,
                                        mr, nr);
    return;
  }
  if (ldb == kNR)
    microKernelImpl<PackedA, false, 6>(kc, a, rsA, csA, b, ldb, c, rsC, csC,
                                       mr, nr);
  else
    microKernelImpl<PackedA, true, 6>(kc, a, rsA, csA, b, ldb, c, rsC, csC, mr,
                                      nr);
}

/// Transposes the 8x8 block in r[0..7] (row i becomes column i).
LOOM_AVX2 inline void transpose8x8(__m256 r[8]) {
  __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]),
         t1 = _mm256_unpackhi_ps(r[0], r[1]);
  __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]),
         t3 = _mm256_unpackhi_ps(r[2], r[3]);
  __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]),
         t5 = _mm256_unpackhi_ps(r[4], r[5]);
  __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]),
         t7 = _mm256_unpackhi_ps(r[6], r[7]);
  __m256 s0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0));
  __m256 s1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
  __m256 s2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0));
  __m256 s3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
  __m256 s4 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(1, 0, 1, 0));
  __m256 s5 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(3, 2, 3, 2));
  __m256 s6 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(1, 0, 1, 0));
  __m256 s7 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(3, 2, 3, 2));
  r[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
  r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
  r[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
  r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
  r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
  r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
  r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
  r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

/// PackOffsetsBFn (k offsets increasing): where 8 consecutive k have
/// consecutive offsets (8
/// pixels of one output row at stride 1), 8 x 8 blocks go through a
/// register transpose: one 8-float load per column instead of 8 scalar
/// ones. Anything else element by element.
LOOM_AVX2 void packOffsetsBAvx2(int64_t kc, int nr, const float *src,
                                const int64_t *koff, const int64_t *joff,
                                float *dst) {
  int64_t k = 0;
  while (k < kc) {
    // Offsets only grow (pixels in order), so 7 apart means consecutive.
    if (k + 8 <= kc && koff[k + 7] == koff[k] + 7) {
      const float *base = src + koff[k];
      for (int h = 0; h < kNR; h += 8) {
        __m256 r[8];
        for (int j = 0; j < 8; ++j)
          r[j] = h + j < nr ? _mm256_loadu_ps(base + joff[h + j])
                            : _mm256_setzero_ps();
        transpose8x8(r);
        for (int i = 0; i < 8; ++i)
          _mm256_store_ps(dst + (k + i) * kNR + h, r[i]);
      }
      k += 8;
      continue;
    }
    for (int j = 0; j < kNR; ++j)
      dst[k * kNR + j] = j < nr ? src[koff[k] + joff[j]] : 0.0f;
    ++k;
  }
}

LOOM_AVX2 void packBAvx2(int64_t kc, int64_t nc, const float *b, int64_t sBk,
                         int64_t sBn, float *dst) {
  if (sBn == 1) {
    // Rows contiguous: copy 16 floats per k, a ragged last sliver through
    // masked loads (which read nothing past the row).
    for (int64_t j0 = 0; j0 < nc; j0 += kNR) {
      int nr = int(std::min<int64_t>(kNR, nc - j0));
      float *d = dst + (j0 / kNR) * kc * kNR;
      const float *bj = b + j0;
      if (nr == kNR) {
        for (int64_t k = 0; k < kc; ++k) {
          _mm256_store_ps(d + k * kNR, _mm256_loadu_ps(bj + k * sBk));
          _mm256_store_ps(d + k * kNR + 8, _mm256_loadu_ps(bj + k * sBk + 8));
        }
      } else {
        __m256i m0 = firstLanes(nr < 8 ? nr : 8),
                m1 = firstLanes(nr > 8 ? nr - 8 : 0);
        for (int64_t k = 0; k < kc; ++k) {
          _mm256_store_ps(d + k * kNR, _mm256_maskload_ps(bj + k * sBk, m0));
          _mm256_store_ps(d + k * kNR + 8,
                          _mm256_maskload_ps(bj + k * sBk + 8, m1));
        }
      }
    }
    return;
  }
  if (sBk != 1 || kc < 8) {
    packBPortable(kc, nc, b, sBk, sBn, dst);
    return;
  }
  // Columns contiguous (B transposed): 8 k x 8 columns at a time through
  // a register transpose instead of element by element.
  for (int64_t j0 = 0; j0 < nc; j0 += kNR) {
    int nr = int(std::min<int64_t>(kNR, nc - j0));
    float *d = dst + (j0 / kNR) * kc * kNR;
    const float *bj = b + j0 * sBn;
    int64_t k = 0;
    for (; k + 8 <= kc; k += 8)
      for (int h = 0; h < kNR; h += 8) {
        __m256 r[8];
        for (int j = 0; j < 8; ++j)
          r[j] = h + j < nr ? _mm256_loadu_ps(bj + (h + j) * sBn + k)
                            : _mm256_setzero_ps();
        transpose8x8(r);
        for (int i = 0; i < 8; ++i)
          _mm256_store_ps(d + (k + i) * kNR + h, r[i]);
      }
    for (; k < kc; ++k)
      for (int j = 0; j < kNR; ++j)
        d[k * kNR + j] = j < nr ? bj[j * sBn + k] : 0.0f;
  }
}

LOOM_AVX2 void packAAvx2(int64_t mc, int64_t kc, const float *a, int64_t sAm,
                         int64_t sAk, float *dst) {
  if (sAk != 1) {
    packAPortable(mc, kc, a, sAm, sAk, dst);
    return;
  }
  // Rows contiguous (A not transposed): 8 k x 6 rows at a time through a
  // register transpose. Each column of 6 is stored as 8 floats whose last
  // two the next store overwrites; the last store of the buffer spills 2
  // floats into its kPackSlack padding.
  for (int64_t i0 = 0; i0 < mc; i0 += kMR) {
    int mr = int(std::min<int64_t>(kMR, mc - i0));
    float *d = dst + (i0 / kMR) * kc * kMR;
    const float *ai = a + i0 * sAm;
    int64_t k = 0;
    for (; k + 8 <= kc; k += 8) {
      __m256 r[8];
      for (int i = 0; i < 8; ++i)
        r[i] = i < mr ? _mm256_loadu_ps(ai + i * sAm + k) : _mm256_setzero_ps();
      transpose8x8(r);
      for (int j = 0; j < 8; ++j)
        _mm256_storeu_ps(d + (k + j) * kMR, r[j]);
    }
    for (; k < kc; ++k)
      for (int i = 0; i < kMR; ++i)
        d[k * kMR + i] = i < mr ? ai[i * sAm + k] : 0.0f;
  }
}

/// The sum of the 8 lanes, always in the same order.
LOOM_AVX2 inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

LOOM_AVX2 void gemvAvx2(int64_t M, int64_t K, const float *a, int64_t sAm,
                        int64_t sAk, const float *x, float *y, int64_t sy) {
  if (sAk == 1) {
    // Rows are contiguous: four dot products at a time, 8 lanes each, the
    // last partial vector through a mask. Each row's sum is the same
    // whichever group it falls in.
    int64_t kv = K & ~int64_t(7);
    int rem = int(K - kv);
    __m256i tail = firstLanes(rem);
    for (int64_t m = 0; m < M; m += 4) {
      int64_t mb = M - m < 4 ? M - m : 4;
      const float *r0 = a + m * sAm, *r1 = a + (m + (mb > 1 ? 1 : 0)) * sAm,
                  *r2 = a + (m + (mb > 2 ? 2 : mb - 1)) * sAm,
                  *r3 = a + (m + (mb > 3 ? 3 : mb - 1)) * sAm;
      __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
      for (int64_t k = 0; k < kv; k += 8) {
        __m256 xv = _mm256_loadu_ps(x + k);
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(r0 + k), xv, s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(r1 + k), xv, s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(r2 + k), xv, s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(r3 + k), xv, s3);
      }
      if (rem) {
        __m256 xv = _mm256_maskload_ps(x + kv, tail);
        s0 = _mm256_fmadd_ps(_mm256_maskload_ps(r0 + kv, tail), xv, s0);
        s1 = _mm256_fmadd_ps(_mm256_maskload_ps(r1 + kv, tail), xv, s1);
        s2 = _mm256_fmadd_ps(_mm256_maskload_ps(r2 + kv, tail), xv, s2);
        s3 = _mm256_fmadd_ps(_mm256_maskload_ps(r3 + kv, tail), xv, s3);
      }
      y[m * sy] += hsum(s0);
      if (mb > 1)
        y[(m + 1) * sy] += hsum(s1);
      if (mb > 2)
        y[(m + 2) * sy] += hsum(s2);
      if (mb > 3)
        y[(m + 3) * sy] += hsum(s3);
    }
    return;
  }
  if (sAm == 1) {
    // Columns are contiguous: y += x[k] * column k, 64 rows at a time in 8
    // accumulators, the last block through masks.
    constexpr int kRows = 64;
    for (int64_t m = 0; m < M; m += kRows) {
      int rows = int(M - m < kRows ? M - m : kRows);
      __m256i mask[8];
      for (int v = 0; v < 8; ++v) {
        int n = rows - 8 * v;
        mask[v] = firstLanes(n < 0 ? 0 : (n > 8 ? 8 : n));
      }
      __m256 acc[8];
      for (int v = 0; v < 8; ++v)
        acc[v] = _mm256_setzero_ps();
      const float *col = a + m;
      if (rows == kRows) {
        for (int64_t k = 0; k < K; ++k, col += sAk) {
          __m256 xk = _mm256_broadcast_ss(x + k);
#pragma GCC unroll 8
          for (int v = 0; v < 8; ++v)
            acc[v] = _mm256_fmadd_ps(_mm256_loadu_ps(col + 8 * v), xk, acc[v]);
        }
      } else {
        for (int64_t k = 0; k < K; ++k, col += sAk) {
          __m256 xk = _mm256_broadcast_ss(x + k);
#pragma GCC unroll 8
          for (int v = 0; v < 8; ++v)
            acc[v] = _mm256_fmadd_ps(_mm256_maskload_ps(col + 8 * v, mask[v]),
                                     xk, acc[v]);
        }
      }
      alignas(32) float t[kRows];
      for (int v = 0; v < 8; ++v)
        _mm256_store_ps(t + 8 * v, acc[v]);
      for (int i = 0; i < rows; ++i)
        y[(m + i) * sy] += t[i];
    }
    return;
  }
  for (int64_t m = 0; m < M; ++m) {
    float s = 0.0f;
    for (int64_t k = 0; k < K; ++k)
      s = __builtin_fmaf(a[m * sAm + k * sAk], x[k], s);
    y[m * sy] += s;
  }
}

} // namespace

const GemmKernels *avx2GemmKernels() {
  static const GemmKernels kernels = {
      "avx2",    microKernel<true>, microKernel<false>, packAAvx2,
      packBAvx2, gemvAvx2,          microKernelOffsetB, packOffsetsBAvx2};
  return &kernels;
}

} // namespace loom::rt::detail

#else // not x86

namespace loom::rt::detail {
const GemmKernels *avx2GemmKernels() { return nullptr; }
} // namespace loom::rt::detail

#endif
