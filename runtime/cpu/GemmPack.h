//===- GemmPack.h - Portable packing loops shared by every ISA ------------===//
//
// The packing loops in plain C++. The portable kernel table uses them as
// they are; the AVX2 table inlines them into functions compiled for AVX2
// (so the compiler vectorizes them with 256-bit moves) and replaces only
// the cases where hand-written shuffles do better.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "GemmKernels.h"

#include <algorithm>

namespace loom::rt::detail {

#define LOOM_GEMM_INLINE inline __attribute__((always_inline))

LOOM_GEMM_INLINE void packBPortable(int64_t kc, int64_t nc, const float *b,
                                    int64_t sBk, int64_t sBn, float *dst) {
  for (int64_t j0 = 0; j0 < nc; j0 += kNR) {
    int nr = int(std::min<int64_t>(kNR, nc - j0));
    float *d = dst + (j0 / kNR) * kc * kNR;
    const float *bj = b + j0 * sBn;
    if (sBn == 1 && nr == kNR) {
      for (int64_t k = 0; k < kc; ++k)
        for (int j = 0; j < kNR; ++j)
          d[k * kNR + j] = bj[k * sBk + j];
    } else if (sBk == 1) {
      // Columns are contiguous: read each one down k.
      for (int j = 0; j < kNR; ++j) {
        const float *col = bj + j * sBn;
        for (int64_t k = 0; k < kc; ++k)
          d[k * kNR + j] = j < nr ? col[k] : 0.0f;
      }
    } else {
      for (int64_t k = 0; k < kc; ++k)
        for (int j = 0; j < kNR; ++j)
          d[k * kNR + j] = j < nr ? bj[k * sBk + j * sBn] : 0.0f;
    }
  }
}

LOOM_GEMM_INLINE void packAPortable(int64_t mc, int64_t kc, const float *a,
                                    int64_t sAm, int64_t sAk, float *dst) {
  for (int64_t i0 = 0; i0 < mc; i0 += kMR) {
    int mr = int(std::min<int64_t>(kMR, mc - i0));
    float *d = dst + (i0 / kMR) * kc * kMR;
    const float *ai = a + i0 * sAm;
    if (sAm == 1 && mr == kMR) {
      for (int64_t k = 0; k < kc; ++k)
        for (int i = 0; i < kMR; ++i)
          d[k * kMR + i] = ai[k * sAk + i];
    } else {
      for (int i = 0; i < kMR; ++i) {
        const float *row = ai + i * sAm;
        for (int64_t k = 0; k < kc; ++k)
          d[k * kMR + i] = i < mr ? row[k * sAk] : 0.0f;
      }
    }
  }
}

} // namespace loom::rt::detail
