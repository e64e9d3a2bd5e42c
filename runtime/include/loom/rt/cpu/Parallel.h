//===- Parallel.h - Loops of generated kernels split over the thread pool --===//
//
// -loom-parallel-kernels outlines the body of a large kernel loop (a batch
// norm over 2 MB, a pointwise op over a feature map) into a function of a
// range [lo, hi) of one parallel dimension and calls loom_rt_parallel_for
// with it, so generated kernels use both cores like the GEMM and the
// convolutions do, on the same pool (ThreadPool.h): one set of threads,
// never two pools spinning against each other.
//
// Only parallel dimensions are split, so every element is computed by the
// same instructions whatever thread runs it: results are bit-identical for
// any thread count (LOOM_NUM_THREADS, setNumThreads in Gemm.h).
//
// Thread safety: as loom_rt_gemm_f32. A call that finds the pool busy (or
// one thread configured) runs body(ctx, 0, n) on the calling thread.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>

extern "C" {
/// Runs body(ctx, lo, hi) over ranges that cover [0, n) exactly once,
/// each range a multiple of `grain` long (but the last), on the calling
/// thread and the pool's workers. grain >= 1 is the fewest iterations
/// worth a thread (the compiler's estimate); ranges are never cut smaller,
/// so n < 2 * grain runs as one call on the caller. n <= 0 does nothing.
void loom_rt_parallel_for(void (*body)(void *ctx, int64_t lo, int64_t hi),
                          void *ctx, int64_t n, int64_t grain);
}

namespace loom::rt {
/// How many ranges loom_rt_parallel_for cuts n iterations into: at most
/// n / grain, at most 4 per thread (so a thread that starts late still
/// finds work), at least 1. Exposed for tests.
int64_t parallelForRanges(int64_t n, int64_t grain, int threads);
} // namespace loom::rt
