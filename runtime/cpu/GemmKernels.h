//===- GemmKernels.h - The per-ISA pieces of loom_rt_gemm_f32 -------------===//
//
// The GEMM driver (Gemm.cpp) blocks, packs and splits the work; what depends
// on the instruction set sits behind this table: the register-blocked
// micro-kernel, the packing routines and the matrix-vector kernel. There are
// two tables, a portable one (plain C++) and an AVX2/FMA one (GemmAvx2.cpp,
// compiled with a target attribute so the rest of the library keeps the
// baseline ISA); the driver picks one at run time.
//
// Every kernel computes each C element as one chain of multiply-adds over k
// in increasing order, added to C at the end of each k block, whatever the
// tile, the edge or the packing. So the result does not depend on how the
// work is split between threads.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstddef>
#include <cstdint>

namespace loom::rt::detail {

/// The micro-tile: kMR rows of A times kNR columns of B, held in 12 ymm
/// accumulators on AVX2 (6 rows x 2 vectors of 8 floats).
constexpr int kMR = 6;
constexpr int kNR = 16;
/// Floats a packing routine may write past the packed block.
constexpr int kPackSlack = 8;

/// Below this many flops a call of a runtime kernel (GEMM, convolution)
/// runs on the calling thread: waking a worker costs more than the split
/// saves.
constexpr double kParallelFlops = double(1 << 20);

inline int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// C tile (mr x nr, mr <= kMR, nr <= kNR) += A sliver * B sliver over kc.
/// A element (i, k) is a[i * rsA + k * csA]: a packed sliver has rsA = 1,
/// csA = kMR (and zero rows from mr on); A read in place has any strides (rows
/// from mr on are never read). B element (k, j) is b[k * ldb + j], kNR
/// columns of it read whatever nr is: a packed sliver (ldb = kNR, zero
/// columns right of nr) or, for B with contiguous rows, kNR columns of B
/// itself (ldb = B's row stride); b needs no alignment. C element (i, j) is
/// c[i * rsC + j * csC].
using MicroKernelFn = void (*)(int64_t kc, const float *a, int64_t rsA,
                               int64_t csA, const float *b, int64_t ldb,
                               float *c, int64_t rsC, int64_t csC, int mr,
                               int nr);

/// Packs the kc x nc block of B at `b` (element (k, j) at b[k * sBk +
/// j * sBn]) into kNR-wide slivers: sliver s starts at dst + s * kc * kNR,
/// element (k, j) of the sliver at k * kNR + j. Columns past nc are zero.
using PackBFn = void (*)(int64_t kc, int64_t nc, const float *b, int64_t sBk,
                         int64_t sBn, float *dst);

/// Packs the mc x kc block of A at `a` (element (i, k) at a[i * sAm +
/// k * sAk]) into kMR-tall slivers: sliver s starts at dst + s * kc * kMR,
/// element (i, k) at k * kMR + i. Rows past mc are zero. May write up to
/// kPackSlack floats past the end of the packed block.
using PackAFn = void (*)(int64_t mc, int64_t kc, const float *a, int64_t sAm,
                         int64_t sAk, float *dst);

/// y[m * sy] += sum_k a[m * sAm + k * sAk] * x[k] for m < M: GEMM with one
/// column (or, transposed, one row). x is contiguous.
using GemvFn = void (*)(int64_t M, int64_t K, const float *a, int64_t sAm,
                        int64_t sAk, const float *x, float *y, int64_t sy);

/// C tile (mr x kNR, mr <= kMR, C's columns contiguous) += packed A sliver
/// times B, whose row k is the kNR floats at b + boff[k]: the direct
/// convolution's implicit column matrix (Conv.cpp), each row a run of input
/// pixels. Same summation order as MicroKernelFn.
using MicroKernelOffsetBFn = void (*)(int64_t kc, const float *a,
                                      const float *b, const int64_t *boff,
                                      float *c, int64_t rsC, int mr);

/// Packs one kNR-wide sliver of a B given by offsets: element (k, j) is
/// src[koff[k] + joff[j]] for k < kc, j < nr (columns from nr on are zero),
/// stored at dst[k * kNR + j] (dst 32-byte aligned); koff is strictly
/// increasing. The filter
/// gradient's implicit column matrix
/// (Conv.cpp): k a pixel, j a tap.
using PackOffsetsBFn = void (*)(int64_t kc, int nr, const float *src,
                                const int64_t *koff, const int64_t *joff,
                                float *dst);

struct GemmKernels {
  const char *name;
  MicroKernelFn packedA;  ///< A packed (rsA = 1, csA = kMR known)
  MicroKernelFn stridedA; ///< A read in place
  PackAFn packA;
  PackBFn packB;
  GemvFn gemv;
  MicroKernelOffsetBFn offsetB;
  PackOffsetsBFn packOffsetsB;
};

/// The kernel table loom_rt_gemm_f32 uses now (Gemm.cpp).
const GemmKernels &activeGemmKernels();
/// The k block loom_rt_gemm_f32 cuts a K-long product into; other drivers
/// that must sum exactly as it does (the direct convolution) use it too.
int64_t gemmKBlock(int64_t K);
/// Floats in a per-thread scratch buffer of the GEMM driver's kind:
/// 64-byte aligned, grown on first use, reused (no steady-state allocation).
float *threadScratch(int which, size_t floats); ///< which < 4

/// The portable kernels (plain C++; any CPU).
const GemmKernels &genericGemmKernels();
/// The AVX2/FMA kernels, or nullptr when not compiled in (non-x86 hosts).
/// The caller checks the CPU before using them.
const GemmKernels *avx2GemmKernels();

} // namespace loom::rt::detail
