//===- ParallelTest.cpp - loom_rt_parallel_for ----------------------------===//
//
// The ranges cover [0, n) exactly once, every range but the last is a
// multiple of grain, small loops run as one call on the caller, and the
// work is shared with the pool's threads.
//
//===----------------------------------------------------------------------===//
#include "loom/rt/cpu/Gemm.h"
#include "loom/rt/cpu/Parallel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace {

std::mutex recordMutex;

struct Record {
  std::vector<std::pair<int64_t, int64_t>> ranges;
  std::set<std::thread::id> threads;
  std::vector<std::atomic<int>> *hits = nullptr;
};

void body(void *ctx, int64_t lo, int64_t hi) {
  auto *r = static_cast<Record *>(ctx);
  for (int64_t i = lo; i < hi; ++i)
    (*r->hits)[i].fetch_add(1, std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(recordMutex);
  r->ranges.emplace_back(lo, hi);
  r->threads.insert(std::this_thread::get_id());
}

class ParallelFor : public ::testing::Test {
protected:
  void TearDown() override { loom::rt::setNumThreads(0); }

  Record run(int64_t n, int64_t grain) {
    hits_ = std::vector<std::atomic<int>>(std::max<int64_t>(n, 0));
    Record r;
    r.hits = &hits_;
    loom_rt_parallel_for(body, &r, n, grain);
    for (int64_t i = 0; i < n; ++i)
      EXPECT_EQ(hits_[i].load(), 1) << "iteration " << i;
    return r;
  }
  std::vector<std::atomic<int>> hits_;
};

TEST_F(ParallelFor, CoversEveryIterationOnceInMultiplesOfGrain) {
  for (int threads : {1, 2, 3, 4}) {
    loom::rt::setNumThreads(threads);
    for (auto [n, grain] : std::vector<std::pair<int64_t, int64_t>>{
             {1, 1}, {7, 1}, {16, 1}, {1000, 16}, {524288, 65536},
             {524289, 65536}, {100, 33}, {5, 0}}) {
      SCOPED_TRACE("threads " + std::to_string(threads) + " n " +
                   std::to_string(n) + " grain " + std::to_string(grain));
      Record r = run(n, grain);
      std::sort(r.ranges.begin(), r.ranges.end());
      int64_t g = std::max<int64_t>(grain, 1);
      for (size_t i = 0; i + 1 < r.ranges.size(); ++i)
        EXPECT_EQ((r.ranges[i].second - r.ranges[i].first) % g, 0);
      EXPECT_LE(int64_t(r.ranges.size()),
                std::max<int64_t>(loom::rt::parallelForRanges(n, grain, threads), 1));
    }
  }
}

TEST_F(ParallelFor, SmallLoopsRunAsOneCallOnTheCaller) {
  loom::rt::setNumThreads(2);
  Record r = run(100, 64); // fewer than 2 * grain
  ASSERT_EQ(r.ranges.size(), 1u);
  EXPECT_EQ(r.ranges[0], std::make_pair(int64_t(0), int64_t(100)));
  EXPECT_EQ(*r.threads.begin(), std::this_thread::get_id());
  Record none = run(0, 1);
  EXPECT_TRUE(none.ranges.empty());
  Record negative = run(-5, 1);
  EXPECT_TRUE(negative.ranges.empty());
}

TEST_F(ParallelFor, OneThreadRunsOneCall) {
  loom::rt::setNumThreads(1);
  Record r = run(1 << 20, 1);
  ASSERT_EQ(r.ranges.size(), 1u);
}

TEST_F(ParallelFor, RangeCounts) {
  EXPECT_EQ(loom::rt::parallelForRanges(0, 1, 2), 0);
  EXPECT_EQ(loom::rt::parallelForRanges(100, 64, 2), 1);
  EXPECT_EQ(loom::rt::parallelForRanges(128, 64, 2), 2);
  EXPECT_EQ(loom::rt::parallelForRanges(1 << 20, 1, 2), 8); // 4 per thread
  EXPECT_EQ(loom::rt::parallelForRanges(16, 1, 3), 12);
}

// Workers join when they can: with slow ranges, a second thread takes
// some of them (the caller would otherwise run all 8 one after another).
TEST_F(ParallelFor, SharesTheWorkWithThePool) {
  loom::rt::setNumThreads(2);
  auto slow = [](void *ctx, int64_t lo, int64_t hi) {
    body(ctx, lo, hi);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  };
  hits_ = std::vector<std::atomic<int>>(8);
  Record r;
  r.hits = &hits_;
  loom_rt_parallel_for(slow, &r, 8, 1);
  EXPECT_EQ(r.ranges.size(), 8u);
  EXPECT_EQ(r.threads.size(), 2u);
}

} // namespace
