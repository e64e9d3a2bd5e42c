//===- Parallel.cpp - loom_rt_parallel_for ---------------------------------===//
#include "loom/rt/cpu/Parallel.h"

#include "ThreadPool.h"

#include <algorithm>

using loom::rt::detail::ThreadPool;
using loom::rt::detail::parallelFor;

int64_t loom::rt::parallelForRanges(int64_t n, int64_t grain, int threads) {
  if (n <= 0)
    return 0;
  grain = std::max<int64_t>(grain, 1);
  int64_t most = std::max<int64_t>(n / grain, 1);
  return std::clamp<int64_t>(int64_t(threads) * 4, 1, most);
}

extern "C" void loom_rt_parallel_for(void (*body)(void *, int64_t, int64_t),
                                     void *ctx, int64_t n, int64_t grain) {
  if (n <= 0)
    return;
  grain = std::max<int64_t>(grain, 1);
  int threads = ThreadPool::instance().numThreads();
  int64_t ranges = loom::rt::parallelForRanges(n, grain, threads);
  if (ranges <= 1 || threads <= 1) {
    body(ctx, 0, n);
    return;
  }
  // Equal ranges rounded up to a multiple of grain; the last is shorter.
  int64_t chunk = (n + ranges - 1) / ranges;
  chunk = (chunk + grain - 1) / grain * grain;
  ranges = (n + chunk - 1) / chunk;
  parallelFor(threads, ranges, [&](int64_t i) {
    int64_t lo = i * chunk;
    body(ctx, lo, std::min(n, lo + chunk));
  });
}
