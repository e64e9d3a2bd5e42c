//===- GemmPortable.cpp - The GEMM kernels in plain C++ -------------------===//
//
// The kernel table for CPUs without AVX2/FMA (and for hosts other than
// x86): the same 6x16 tile, packing and matrix-vector product as
// GemmAvx2.cpp, written as loops the compiler vectorizes for whatever the
// baseline ISA offers. Also what the tests run with setGemmForcePortable.
//
//===----------------------------------------------------------------------===//
#include "GemmKernels.h"
#include "GemmPack.h"

namespace loom::rt::detail {
namespace {

template <bool PackedA>
void microKernelPortable(int64_t kc, const float *a, int64_t rsA, int64_t csA,
                         const float *b, int64_t ldb, float *c, int64_t rsC,
                         int64_t csC, int mr, int nr) {
  float acc[kMR][kNR] = {};
  int rows = PackedA ? kMR : mr;
  for (int64_t k = 0; k < kc; ++k) {
    const float *bk = b + k * ldb;
    for (int i = 0; i < rows; ++i) {
      float ai = PackedA ? a[k * kMR + i] : a[i * rsA + k * csA];
      for (int j = 0; j < kNR; ++j)
        acc[i][j] += ai * bk[j];
    }
  }
  for (int i = 0; i < mr; ++i)
    for (int j = 0; j < nr; ++j)
      c[i * rsC + j * csC] += acc[i][j];
}

void microKernelOffsetBPortable(int64_t kc, const float *a, const float *b,
                                const int64_t *boff, float *c, int64_t rsC,
                                int mr) {
  float acc[kMR][kNR] = {};
  for (int64_t k = 0; k < kc; ++k) {
    const float *bk = b + boff[k];
    for (int i = 0; i < kMR; ++i)
      for (int j = 0; j < kNR; ++j)
        acc[i][j] += a[k * kMR + i] * bk[j];
  }
  for (int i = 0; i < mr; ++i)
    for (int j = 0; j < kNR; ++j)
      c[i * rsC + j] += acc[i][j];
}

void packOffsetsBPortable(int64_t kc, int nr, const float *src,
                          const int64_t *koff, const int64_t *joff,
                          float *dst) {
  for (int64_t k = 0; k < kc; ++k)
    for (int j = 0; j < kNR; ++j)
      dst[k * kNR + j] = j < nr ? src[koff[k] + joff[j]] : 0.0f;
}

void packAGeneric(int64_t mc, int64_t kc, const float *a, int64_t sAm,
                  int64_t sAk, float *dst) {
  packAPortable(mc, kc, a, sAm, sAk, dst);
}

void packBGeneric(int64_t kc, int64_t nc, const float *b, int64_t sBk,
                  int64_t sBn, float *dst) {
  packBPortable(kc, nc, b, sBk, sBn, dst);
}

void gemvGeneric(int64_t M, int64_t K, const float *a, int64_t sAm, int64_t sAk,
                 const float *x, float *y, int64_t sy) {
  for (int64_t m = 0; m < M; ++m) {
    float s = 0.0f;
    for (int64_t k = 0; k < K; ++k)
      s += a[m * sAm + k * sAk] * x[k];
    y[m * sy] += s;
  }
}

} // namespace

const GemmKernels &genericGemmKernels() {
  static const GemmKernels kernels = {"portable",
                                      microKernelPortable<true>,
                                      microKernelPortable<false>,
                                      packAGeneric,
                                      packBGeneric,
                                      gemvGeneric,
                                      microKernelOffsetBPortable,
                                      packOffsetsBPortable};
  return kernels;
}

} // namespace loom::rt::detail
