//===- Gemm.h - Single-precision matrix multiply called by generated code -===//
//
// Compiled models lower matmul (and convolutions via im2col) to a call of
// loom_rt_gemm_f32 rather than to loops: a packed, register-blocked,
// multi-threaded GEMM reaches most of the machine's FMA peak, which
// generated loops do not. The function has C linkage and plain C types
// because generated code calls it by name; the JIT resolves the symbol to
// this definition.
//
// Memory: the operands may have any layout and any alignment (the kernel
// packs what it needs). Packing buffers are per thread, 64-byte aligned,
// grown on first use and reused, so steady-state calls do not allocate.
//
// Threads: large calls are split over a persistent pool of threads (the
// calling thread takes part). The thread count is LOOM_NUM_THREADS, or the
// hardware concurrency when unset, and can be changed with setNumThreads.
// Each C element is summed by one thread in the same order whatever the
// thread count, so results are bit-identical for 1, 2 or more threads.
//
// Thread safety: loom_rt_gemm_f32 may be called from any thread, also from
// several at once (on distinct C): the pool serves one call at a time and a
// call that finds it busy runs on its own thread.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>

extern "C" {
/// C[b0,b1] += A[b0,b1] * B[b0,b1] for b0 < batch0, b1 < batch1, where
///   A[b0,b1] is M x K: (m,k) at A + b0*sAb0 + b1*sAb1 + m*sAm + k*sAk
///   B[b0,b1] is K x N: (k,n) at B + b0*sBb0 + b1*sBb1 + k*sBk + n*sBn
///   C[b0,b1] is M x N: (m,n) at C + b0*sCb0 + b1*sCb1 + m*sCm + n*sCn
/// Strides are in elements and may be anything >= 0: transposed operands
/// (sAm = 1), broadcast over a batch dimension (stride 0 on A or B), padded
/// rows. C is accumulated into (read, then written). Distinct (b0,b1,m,n)
/// must address distinct C elements. Sizes are >= 0; a zero size (or
/// K = 0) leaves C unchanged.
void loom_rt_gemm_f32(const float *A, const float *B, float *C, int64_t M,
                      int64_t N, int64_t K, int64_t sAm, int64_t sAk,
                      int64_t sBk, int64_t sBn, int64_t sCm, int64_t sCn,
                      int64_t batch0, int64_t sAb0, int64_t sBb0, int64_t sCb0,
                      int64_t batch1, int64_t sAb1, int64_t sBb1, int64_t sCb1);

/// loom_rt_gemm_f32 with an epilogue, applied to each C element exactly
/// once, right after its last k block (while the tile is in cache):
///   v = alpha * (C + A*B) + D            (D omitted when D is null)
///   O null:  C = act(v)
///   O set:   C = v, O = act(v)
/// act: 0 none, 1 relu as arith.maximumf(v, 0) (NaN stays NaN, -0 -> +0).
/// D (element (m,n) of batch (b0,b1) at D + b0*sDb0 + b1*sDb1 + m*sDm +
/// n*sDn) may use stride 0 for broadcasts (a bias along rows or columns)
/// and must not overlap C or O; O is addressed like C with its own strides
/// and must not overlap C. alpha * x is skipped when alpha == 1, and no
/// multiply-add is fused, so results match computing the epilogue
/// separately, bit for bit. With K = 0 the epilogue still runs (on C).
void loom_rt_gemm_f32_ep(const float *A, const float *B, float *C, int64_t M,
                         int64_t N, int64_t K, int64_t sAm, int64_t sAk,
                         int64_t sBk, int64_t sBn, int64_t sCm, int64_t sCn,
                         int64_t batch0, int64_t sAb0, int64_t sBb0,
                         int64_t sCb0, int64_t batch1, int64_t sAb1,
                         int64_t sBb1, int64_t sCb1, const float *D,
                         int64_t sDm, int64_t sDn, int64_t sDb0, int64_t sDb1,
                         float *O, int64_t sOm, int64_t sOn, int64_t sOb0,
                         int64_t sOb1, float alpha, int64_t act);
}

namespace loom::rt {

/// Sets how many threads runtime kernels (GEMM) may use, counting the
/// calling thread; n <= 0 restores the default (LOOM_NUM_THREADS, else the
/// hardware concurrency). Takes effect from the next call.
void setNumThreads(int n);

/// The number of threads runtime kernels may use (>= 1).
int numThreads();

/// The GEMM kernels in use: "avx2" (AVX2 + FMA) or "portable".
const char *gemmKernelName();

/// For tests and benchmarks: use the portable kernels even where AVX2 is
/// available (true), or the best ones for this CPU again (false).
void setGemmForcePortable(bool force);

} // namespace loom::rt
