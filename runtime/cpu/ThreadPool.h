//===- ThreadPool.h - A small persistent pool for the runtime's kernels ---===//
//
// Kernels called by generated code (GEMM) split one call over a few threads.
// Creating threads per call costs tens of microseconds, so the pool keeps its
// workers for the life of the process. Workers spin briefly after a job
// (calls come in bursts) and then sleep on a condition variable.
//
// Jobs are work-sharing loops, not fixed shares: the caller and every worker
// that turns up run the same function, which claims units of work from a
// WorkQueue until none are left. The caller never waits for a worker to
// start: on a machine shared with other processes a worker may not get a
// core for milliseconds, and then the caller simply does all the units
// itself. Once the caller has run out of units the job is closed; workers
// that have not joined by then stay out, and the call returns when those
// that did join have finished their units. The units, not the threads,
// decide how the work is cut, so results do not depend on who ran what.
//
// The thread count comes from LOOM_NUM_THREADS (default: the hardware
// concurrency) and can be changed with setNumThreads (loom/rt/Gemm.h).
//
// Thread safety: one job runs at a time. A caller that finds the pool busy
// (another thread is in a job) runs its job alone instead, so concurrent
// calls stay correct and never wait on each other.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace loom::rt::detail {

/// Waits (spinning, with a yield now and then) until done() is true.
void spinUntil(bool (*done)(const void *), const void *ctx);
template <typename Pred> void spinUntil(const Pred &done) {
  spinUntil([](const void *p) { return (*static_cast<const Pred *>(p))(); },
            &done);
}

/// Units 0..total-1 handed out in order to whichever thread asks first.
class WorkQueue {
public:
  explicit WorkQueue(int64_t total) : total_(total) {}
  int64_t total() const { return total_; }
  /// The next unclaimed unit, or -1 when all are claimed.
  int64_t claim() {
    int64_t i = next_.fetch_add(1, std::memory_order_relaxed);
    return i < total_ ? i : -1;
  }
  /// Marks a claimed unit done (its writes visible to waitFinished).
  void finish() { done_.fetch_add(1, std::memory_order_release); }
  /// Waits until n units are done. With units claimed in order and each
  /// unit waiting only for earlier ones, "n done" means "units < n done".
  void waitFinished(int64_t n) const {
    if (done_.load(std::memory_order_acquire) < n)
      spinUntil([&] { return done_.load(std::memory_order_acquire) >= n; });
  }

private:
  const int64_t total_;
  alignas(64) std::atomic<int64_t> next_{0};
  alignas(64) std::atomic<int64_t> done_{0};
};

class ThreadPool {
public:
  /// The process-wide pool. It is never destroyed, so a kernel called from
  /// a static destructor still finds it.
  static ThreadPool &instance();

  /// The number of threads a job may use (>= 1), counting the caller.
  int numThreads() const { return numThreads_.load(std::memory_order_relaxed); }
  /// Sets it; n <= 0 restores the default (LOOM_NUM_THREADS or the hardware
  /// concurrency). Workers are created on first use, never destroyed.
  void setNumThreads(int n);

  /// Runs the work-sharing loop fn(ctx, thread) on the caller (thread 0)
  /// and on up to n - 1 workers that join before the caller's loop ends;
  /// returns when every thread that joined has left. fn must finish all the
  /// work even if no worker joins. Returns false, running nothing, when the
  /// pool is serving another call.
  bool tryRun(int n, void (*fn)(void *ctx, int thread), void *ctx);

  /// tryRun for a callable; runs f(0) alone when the pool is busy.
  template <typename F> void run(int n, F &&f) {
    using Fn = std::remove_reference_t<F>;
    auto call = [](void *ctx, int thread) {
      (*static_cast<Fn *>(ctx))(thread);
    };
    if (n <= 1 || !tryRun(n, call, &f))
      f(0);
  }

private:
  ThreadPool();
  void ensureWorkers(int n);
  void workerLoop(int index, uint64_t seen);

  std::atomic<int> numThreads_{1};
  std::mutex busy_; ///< held for the whole of a job
  std::vector<std::thread> workers_;

  // The current job: fn_ and ctx_ are written before job_ opens it.
  void (*fn_)(void *, int) = nullptr;
  void *ctx_ = nullptr;
  /// generation << 9 | open << 8 | (threads - 1)
  std::atomic<uint64_t> job_{0};
  /// Workers inside the current job's function (or about to check).
  std::atomic<int> active_{0};

  std::mutex sleepMutex_;
  std::condition_variable wake_;
};

/// Runs unit(i) for i in [0, units) on up to `threads` threads of the
/// pool (the caller included), each unit on whichever thread claims it;
/// threads <= 1 runs them all on the caller.
template <typename F>
void parallelFor(int threads, int64_t units, const F &unit) {
  WorkQueue queue(units);
  ThreadPool::instance().run(int(std::min<int64_t>(threads, units)), [&](int) {
    for (int64_t i; (i = queue.claim()) >= 0;)
      unit(i);
  });
}

} // namespace loom::rt::detail
