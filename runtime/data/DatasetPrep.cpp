//===- DatasetPrep.cpp - Splitting, standardizing, checking labels --------===//
//
// What happens to a Dataset between loading and training: a seeded shuffle
// cut into train/validation/test, per-feature standardization whose
// statistics come from the training split only, and a check that class
// labels are valid indices before they reach a cross-entropy loss (where an
// out-of-range index would read out of bounds or silently give garbage).
//
//===----------------------------------------------------------------------===//

#include "loom/rt/data/Dataset.h"

#include "DatasetRows.h"
#include "SplitMix64.h"

#include <cmath>
#include <cstdio>
#include <exception>
#include <stdexcept>

namespace loom::rt {

using detail::gatherRows;
using detail::rowElements;
using detail::withRows;

Status splitDataset(const Dataset &all, double trainFrac, double valFrac,
                    uint64_t seed, Dataset &train, Dataset &val,
                    Dataset &test) {
  if (Status s = checkDataset(all, "splitDataset"); !s)
    return s;
  if (!(trainFrac >= 0 && trainFrac <= 1 && valFrac >= 0 && valFrac <= 1) ||
      trainFrac + valFrac > 1 + 1e-9)
    return Status::error(
        "splitDataset: fractions must be in [0, 1] with a sum of at most 1, "
        "got train " +
        std::to_string(trainFrac) + ", validation " + std::to_string(valFrac));
  int64_t n = all.size();
  /// The epsilon keeps 0.7 * 10 = 6.9999999 from becoming 6.
  auto count = [&](double frac) {
    return std::min(n, int64_t(std::floor(double(n) * frac + 1e-9)));
  };
  int64_t nTrain = count(trainFrac);
  int64_t nVal = std::min(n - nTrain, count(valFrac));
  int64_t nTest = n - nTrain - nVal;

  SplitMix64 rng(seed);
  std::vector<int64_t> order;
  shuffledRange(order, n, rng);
  try {
    auto part = [&](int64_t first, int64_t rows) {
      Dataset d;
      d.features = HostTensor(withRows(all.features.type(), rows));
      d.labels = HostTensor(withRows(all.labels.type(), rows));
      gatherRows(d.features, all.features, order, first, rows);
      gatherRows(d.labels, all.labels, order, first, rows);
      d.featureNames = all.featureNames;
      return d;
    };
    /// All three are built before any output is assigned, so `all` may be
    /// one of the outputs.
    Dataset tr = part(0, nTrain), va = part(nTrain, nVal),
            te = part(nTrain + nVal, nTest);
    train = std::move(tr);
    val = std::move(va);
    test = std::move(te);
  } catch (const std::exception &e) {
    return Status::error(std::string("splitDataset: ") + e.what());
  }
  return Status::ok();
}

Standardizer Standardizer::fit(const HostTensor &features) {
  if (!features.hasStorage() || features.dtype() != DType::F32 ||
      features.shape().empty())
    throw std::invalid_argument("Standardizer::fit needs f32 [N, ...] "
                                "features, got " +
                                features.type().str());
  int64_t n = features.shape()[0], width = rowElements(features.type());
  std::vector<double> sum(size_t(width), 0.0), sq(size_t(width), 0.0);
  const float *x = features.as<float>();
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < width; ++j)
      sum[size_t(j)] += x[r * width + j];
  Standardizer s;
  s.mean.resize(size_t(width));
  s.stddev.resize(size_t(width));
  for (int64_t j = 0; j < width; ++j)
    sum[size_t(j)] = n ? sum[size_t(j)] / double(n) : 0.0;
  /// Two passes (mean, then squared deviations) rather than E[x^2] - E[x]^2,
  /// which cancels catastrophically for large, nearly constant columns and
  /// would give a constant column a tiny nonzero stddev.
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < width; ++j) {
      double dev = x[r * width + j] - sum[size_t(j)];
      sq[size_t(j)] += dev * dev;
    }
  for (int64_t j = 0; j < width; ++j) {
    s.mean[size_t(j)] = float(sum[size_t(j)]);
    s.stddev[size_t(j)] = n ? float(std::sqrt(sq[size_t(j)] / double(n))) : 0;
  }
  return s;
}

void Standardizer::apply(HostTensor &features) const {
  /// An empty Dataset's features (e.g. a validation split of fraction 0
  /// that was never filled) hold no rows, so there is nothing to scale.
  if (!features.hasStorage())
    return;
  if (features.dtype() != DType::F32 || features.shape().empty() ||
      rowElements(features.type()) != int64_t(mean.size()) ||
      stddev.size() != mean.size())
    throw std::invalid_argument("Standardizer::apply: features " +
                                features.type().str() + " do not match the " +
                                std::to_string(mean.size()) +
                                " features it was fitted on");
  int64_t n = features.shape()[0], width = int64_t(mean.size());
  float *x = features.as<float>();
  for (int64_t r = 0; r < n; ++r)
    for (int64_t j = 0; j < width; ++j) {
      float &v = x[r * width + j];
      v -= mean[size_t(j)];
      if (stddev[size_t(j)] > 0)
        v /= stddev[size_t(j)];
    }
}

Status checkClassLabels(const Dataset &data, int64_t numClasses,
                        const std::string &source) {
  if (Status s = checkDataset(data, source); !s)
    return s;
  if (numClasses < 1)
    return Status::error(source +
                         ": the number of classes must be at least "
                         "1, got " +
                         std::to_string(numClasses));
  const float *l = data.labels.as<float>();
  int64_t perRow = rowElements(data.labels.type());
  for (int64_t i = 0, n = data.labels.numElements(); i < n; ++i) {
    float v = l[i];
    if (v >= 0 && v < float(numClasses) && v == std::floor(v))
      continue;
    char text[32];
    std::snprintf(text, sizeof(text), "%g", double(v));
    std::string at = source + ": label " + text + " at row " +
                     std::to_string(perRow ? i / perRow : 0);
    if (!std::isfinite(v) || v != std::floor(v))
      return Status::error(at + " is not an integer class index");
    return Status::error(at + " is out of range for " +
                         std::to_string(numClasses) + " classes");
  }
  return Status::ok();
}

} // namespace loom::rt
