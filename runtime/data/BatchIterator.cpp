//===- BatchIterator.cpp - Shuffled mini-batches over a Dataset -----------===//
//
// Each epoch's order is a Fisher-Yates permutation seeded from (seed, epoch)
// alone, so any epoch can be reproduced without replaying the ones before.
// Batch tensors are allocated in create() - one pair for full batches and
// one for the smaller last batch - and rows are copied into them, so a
// training loop's steady state makes no allocation here.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/data/Dataset.h"

#include "DatasetRows.h"
#include "SplitMix64.h"

#include <exception>

namespace loom::rt {

using detail::gatherRows;
using detail::withRows;

Status BatchIterator::create(const Dataset &data, const BatchOptions &opts,
                             BatchIterator &out) {
  if (opts.batchSize < 1)
    return Status::error("BatchIterator: batch size must be at least 1, got " +
                         std::to_string(opts.batchSize));
  if (Status s = checkDataset(data, "BatchIterator"); !s)
    return s;
  int64_t n = data.size(), b = opts.batchSize;
  if (opts.dropLast && n < b)
    return Status::error("BatchIterator: dropLast with batch size " +
                         std::to_string(b) + " leaves no batch of the " +
                         std::to_string(n) + " examples");
  try {
    BatchIterator it;
    it.data_ = &data;
    it.opts_ = opts;
    it.order_.reserve(size_t(n));
    it.fullFeatures_ = HostTensor(withRows(data.features.type(), b));
    it.fullLabels_ = HostTensor(withRows(data.labels.type(), b));
    if (int64_t rest = n % b; rest != 0 && !opts.dropLast) {
      it.lastFeatures_ = HostTensor(withRows(data.features.type(), rest));
      it.lastLabels_ = HostTensor(withRows(data.labels.type(), rest));
    }
    it.startEpoch(0);
    out = std::move(it);
  } catch (const std::exception &e) {
    return Status::error(std::string("BatchIterator: ") + e.what());
  }
  return Status::ok();
}

void BatchIterator::startEpoch(uint64_t epoch) {
  epoch_ = epoch;
  cursor_ = 0;
  batchIndex_ = 0;
  if (!data_)
    return;
  int64_t n = data_->size();
  if (opts_.shuffle) {
    SplitMix64 rng(mixSeed(opts_.seed, epoch));
    shuffledRange(order_, n, rng);
  } else {
    order_.resize(size_t(n));
    for (int64_t i = 0; i < n; ++i)
      order_[size_t(i)] = i;
  }
}

int64_t BatchIterator::batchesPerEpoch() const {
  if (!data_)
    return 0;
  int64_t n = data_->size(), b = opts_.batchSize;
  return opts_.dropLast ? n / b : (n + b - 1) / b;
}

bool BatchIterator::next(Batch &out) {
  if (!data_ || batchIndex_ >= batchesPerEpoch())
    return false;
  int64_t count = std::min(opts_.batchSize, data_->size() - cursor_);
  bool full = count == opts_.batchSize;
  HostTensor &f = full ? fullFeatures_ : lastFeatures_;
  HostTensor &l = full ? fullLabels_ : lastLabels_;
  gatherRows(f, data_->features, order_, cursor_, count);
  gatherRows(l, data_->labels, order_, cursor_, count);
  out.features = &f;
  out.labels = &l;
  out.size = count;
  out.index = batchIndex_++;
  cursor_ += count;
  return true;
}

} // namespace loom::rt
