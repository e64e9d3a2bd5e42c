//===- ThreadPool.cpp - A small persistent pool for the runtime's kernels -===//
//
// A job is announced by storing (generation, open, threads) in one atomic
// word, so a worker learns in a single load that there is a new job and
// whether it may take part. Joining is a handshake with the caller's close:
// the worker counts itself in active_ and then re-reads the word; the
// caller closes the word and then reads active_. All four accesses are
// sequentially consistent, so either the caller sees the worker and waits
// for it, or the worker sees the job closed and stays out: no worker ever
// touches a job (whose context lives on the caller's stack) after the call
// returned. See ThreadPool.h.
//
//===----------------------------------------------------------------------===//
#include "ThreadPool.h"

#include <chrono>
#include <cstdlib>

namespace loom::rt::detail {
namespace {

/// How long an idle worker keeps polling for the next job before it sleeps.
/// Back-to-back kernel calls (a training step) then skip the futex wake-up,
/// which costs more than a small GEMM; an idle process stops using the core
/// after this long.
constexpr auto kSpinTime = std::chrono::microseconds(200);

/// Polls with the pause instruction before a waiting thread starts to
/// yield its core instead.
constexpr unsigned kPauseSpins = 64;

constexpr int kMaxThreads = 256;
constexpr uint64_t kOpen = 1 << 8;

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

int defaultNumThreads() {
  if (const char *env = std::getenv("LOOM_NUM_THREADS")) {
    char *end = nullptr;
    long n = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && n > 0)
      return int(n < kMaxThreads ? n : kMaxThreads);
  }
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : int(hw < kMaxThreads ? hw : kMaxThreads);
}

int threadsOf(uint64_t job) { return int(job & 0xff) + 1; }

} // namespace

void spinUntil(bool (*done)(const void *), const void *ctx) {
  // Poll with pause for a microsecond or so, then yield the core between
  // polls: the thread we wait for may be waiting for a core (other
  // processes share the machine), and a yield with nothing else to run
  // returns at once.
  for (unsigned spins = 0; !done(ctx); ++spins) {
    if (spins < kPauseSpins)
      cpuRelax();
    else
      std::this_thread::yield();
  }
}

ThreadPool &ThreadPool::instance() {
  static ThreadPool *pool = new ThreadPool; // never destroyed, see header
  return *pool;
}

ThreadPool::ThreadPool() { numThreads_.store(defaultNumThreads()); }

void ThreadPool::setNumThreads(int n) {
  numThreads_.store(n <= 0 ? defaultNumThreads()
                           : (n < kMaxThreads ? n : kMaxThreads));
}

void ThreadPool::ensureWorkers(int n) {
  // Called with busy_ held, so no job is open and job_ is stable: new
  // workers start from it and wait for the next one.
  uint64_t job = job_.load(std::memory_order_relaxed);
  while (int(workers_.size()) < n) {
    int index = int(workers_.size()) + 1; // thread 0 is the caller
    workers_.emplace_back([this, index, job] { workerLoop(index, job); });
  }
}

void ThreadPool::workerLoop(int index, uint64_t seen) {
  for (;;) {
    auto start = std::chrono::steady_clock::now();
    uint64_t job;
    for (unsigned spins = 0;
         (job = job_.load(std::memory_order_acquire)) == seen; ++spins) {
      if (spins < kPauseSpins) {
        cpuRelax();
        continue;
      }
      std::this_thread::yield(); // see spinUntil
      if (spins % 16 == 0 &&
          std::chrono::steady_clock::now() - start > kSpinTime) {
        std::unique_lock<std::mutex> lock(sleepMutex_);
        wake_.wait(
            lock, [&] { return job_.load(std::memory_order_acquire) != seen; });
      }
    }
    seen = job;
    if (!(job & kOpen) || index >= threadsOf(job))
      continue;
    active_.fetch_add(1, std::memory_order_seq_cst);
    if (job_.load(std::memory_order_seq_cst) == job)
      fn_(ctx_, index);
    active_.fetch_sub(1, std::memory_order_release);
  }
}

bool ThreadPool::tryRun(int n, void (*fn)(void *, int), void *ctx) {
  if (n > kMaxThreads)
    n = kMaxThreads;
  if (n <= 1) {
    fn(ctx, 0);
    return true;
  }
  std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
  if (!busy.owns_lock())
    return false;
  ensureWorkers(n - 1);
  fn_ = fn;
  ctx_ = ctx;
  uint64_t generation = (job_.load(std::memory_order_relaxed) >> 9) + 1;
  uint64_t open = generation << 9 | kOpen | uint64_t(n - 1);
  job_.store(open, std::memory_order_seq_cst);
  {
    // Pairs with the predicate check in the worker's wait: a worker either
    // sees the new job before sleeping or is woken by this notify.
    std::lock_guard<std::mutex> lock(sleepMutex_);
  }
  wake_.notify_all();
  fn(ctx, 0);
  job_.store(open & ~kOpen, std::memory_order_seq_cst); // close
  if (active_.load(std::memory_order_seq_cst) != 0)
    spinUntil([&] { return active_.load(std::memory_order_acquire) == 0; });
  return true;
}

} // namespace loom::rt::detail
