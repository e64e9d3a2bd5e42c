//===- BatchIteratorTest.cpp - Shuffled mini-batches ----------------------===//
//
// Every example once per epoch, the ragged last batch at its real size (or
// dropped on request), per-epoch orders that depend only on (seed, epoch),
// and batch storage that is reused rather than reallocated.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/data/Dataset.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

using namespace loom::rt;

namespace {

/// Row i has features (i, 100 + i) and label i.
Dataset indexed(int64_t n) {
  Dataset d;
  d.features = HostTensor(TensorType{DType::F32, {n, 2}});
  d.labels = HostTensor(TensorType{DType::F32, {n, 1}});
  for (int64_t i = 0; i < n; ++i) {
    d.features.set(2 * i, double(i));
    d.features.set(2 * i + 1, 100.0 + double(i));
    d.labels.set(i, double(i));
  }
  return d;
}

/// The example indices of one epoch, batch by batch.
std::vector<std::vector<int64_t>> epochOf(BatchIterator &it, uint64_t e) {
  it.startEpoch(e);
  std::vector<std::vector<int64_t>> batches;
  Batch b;
  while (it.next(b)) {
    EXPECT_EQ(b.index, int64_t(batches.size()));
    EXPECT_EQ(b.features->shape()[0], b.size);
    EXPECT_EQ(b.labels->shape()[0], b.size);
    std::vector<int64_t> ids;
    for (int64_t r = 0; r < b.size; ++r) {
      int64_t id = int64_t(b.labels->at(r));
      EXPECT_EQ(b.features->at(2 * r), double(id)) << "rows stay paired";
      EXPECT_EQ(b.features->at(2 * r + 1), 100.0 + double(id));
      ids.push_back(id);
    }
    batches.push_back(ids);
  }
  return batches;
}

std::vector<int64_t> flat(const std::vector<std::vector<int64_t>> &bs) {
  std::vector<int64_t> all;
  for (const auto &b : bs)
    all.insert(all.end(), b.begin(), b.end());
  return all;
}

} // namespace

TEST(BatchIteratorTest, VisitsEveryExampleOnceWithARaggedLastBatch) {
  Dataset d = indexed(10);
  BatchIterator it;
  ASSERT_TRUE(BatchIterator::create(d, {.batchSize = 4, .seed = 3}, it));
  EXPECT_EQ(it.batchesPerEpoch(), 3);
  auto batches = epochOf(it, 0);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].size(), 4u);
  EXPECT_EQ(batches[1].size(), 4u);
  EXPECT_EQ(batches[2].size(), 2u) << "real size, not padded or dropped";
  std::vector<int64_t> ids = flat(batches), sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> want(10);
  std::iota(want.begin(), want.end(), 0);
  EXPECT_EQ(sorted, want);
  EXPECT_NE(ids, want) << "shuffled";
}

TEST(BatchIteratorTest, EpochOrderDependsOnlyOnSeedAndEpoch) {
  Dataset d = indexed(50);
  BatchIterator a, b;
  ASSERT_TRUE(BatchIterator::create(d, {.batchSize = 8, .seed = 7}, a));
  ASSERT_TRUE(BatchIterator::create(d, {.batchSize = 8, .seed = 7}, b));
  auto a0 = flat(epochOf(a, 0)), a1 = flat(epochOf(a, 1)),
       a2 = flat(epochOf(a, 2));
  EXPECT_NE(a0, a1);
  EXPECT_NE(a1, a2);
  /// b jumps straight to epoch 2 (a resumed run) and gets a's epoch 2.
  EXPECT_EQ(flat(epochOf(b, 2)), a2);
  EXPECT_EQ(flat(epochOf(b, 0)), a0);
  BatchIterator c;
  ASSERT_TRUE(BatchIterator::create(d, {.batchSize = 8, .seed = 8}, c));
  EXPECT_NE(flat(epochOf(c, 0)), a0);
  /// Pinned: the order comes from splitmix64 + Fisher-Yates, not from the
  /// standard library, and must not drift.
  BatchIterator small;
  Dataset d6 = indexed(6);
  ASSERT_TRUE(BatchIterator::create(d6, {.batchSize = 6, .seed = 1}, small));
  EXPECT_EQ(flat(epochOf(small, 0)), (std::vector<int64_t>{3, 4, 5, 0, 1, 2}));
}

TEST(BatchIteratorTest, UnshuffledAndDropLast) {
  Dataset d = indexed(10);
  BatchIterator it;
  ASSERT_TRUE(BatchIterator::create(
      d, {.batchSize = 4, .shuffle = false, .dropLast = true}, it));
  EXPECT_EQ(it.batchesPerEpoch(), 2);
  auto batches = epochOf(it, 5);
  EXPECT_EQ(batches,
            (std::vector<std::vector<int64_t>>{{0, 1, 2, 3}, {4, 5, 6, 7}}));
  ASSERT_TRUE(BatchIterator::create(d, {.batchSize = 5, .dropLast = true}, it));
  EXPECT_EQ(epochOf(it, 0).size(), 2u) << "nothing to drop when it divides";
}

TEST(BatchIteratorTest, ReusesBatchStorage) {
  Dataset d = indexed(10);
  BatchIterator it;
  ASSERT_TRUE(BatchIterator::create(d, {.batchSize = 3}, it));
  const void *full = nullptr, *last = nullptr;
  for (uint64_t e = 0; e < 3; ++e) {
    it.startEpoch(e);
    Batch b;
    while (it.next(b)) {
      const void *&slot = b.size == 3 ? full : last;
      if (!slot)
        slot = b.features->data();
      EXPECT_EQ(b.features->data(), slot)
          << "epoch " << e << " batch " << b.index;
    }
  }
  EXPECT_NE(full, last);
}

TEST(BatchIteratorTest, Errors) {
  Dataset d = indexed(10);
  BatchIterator it;
  EXPECT_EQ(BatchIterator::create(d, {.batchSize = 0}, it).message(),
            "BatchIterator: batch size must be at least 1, got 0");
  EXPECT_EQ(
      BatchIterator::create(d, {.batchSize = 16, .dropLast = true}, it)
          .message(),
      "BatchIterator: dropLast with batch size 16 leaves no batch of the 10 "
      "examples");
  Dataset bad;
  bad.features = HostTensor::fromF32({2, 1}, {1, 2});
  bad.labels = HostTensor::fromF32({3}, {1, 2, 3});
  EXPECT_EQ(BatchIterator::create(bad, {}, it).message(),
            "BatchIterator: 2 feature rows but 3 label rows");
  Batch b;
  EXPECT_FALSE(BatchIterator().next(b));

  /// A batch larger than the data set is one ragged batch.
  ASSERT_TRUE(BatchIterator::create(d, {.batchSize = 64}, it));
  auto batches = epochOf(it, 0);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].size(), 10u);
  Dataset empty = indexed(0);
  ASSERT_TRUE(BatchIterator::create(empty, {.batchSize = 4}, it));
  EXPECT_FALSE(it.next(b));
}
