//===- DatasetRows.h - Row-wise helpers shared by the data set code -------===//
//
// Datasets are [N, ...] tensors whose rows (examples) get picked, reordered
// and copied by the splitter and the batch iterator. These helpers do that
// with one memcpy per row. Private to the runtime.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Tensor.h"

#include <cstring>
#include <vector>

namespace loom::rt::detail {

/// Elements per example of a [N, ...] tensor: the product of dims 1.. (so
/// it is right even when N = 0).
inline int64_t rowElements(const TensorType &t) {
  int64_t n = 1;
  for (size_t i = 1; i < t.shape.size(); ++i)
    n *= t.shape[i];
  return n;
}

/// The type of `t` with its first dimension replaced by `rows`.
inline TensorType withRows(const TensorType &t, int64_t rows) {
  TensorType r = t;
  r.shape[0] = rows;
  return r;
}

/// Copies rows src[order[first + i]] to dst row i for i in [0, count).
inline void gatherRows(HostTensor &dst, const HostTensor &src,
                       const std::vector<int64_t> &order, int64_t first,
                       int64_t count) {
  size_t rowBytes = size_t(rowElements(src.type())) * dtypeSize(src.dtype());
  auto *d = static_cast<char *>(dst.data());
  const auto *s = static_cast<const char *>(src.data());
  for (int64_t i = 0; i < count; ++i)
    std::memcpy(d + size_t(i) * rowBytes,
                s + size_t(order[size_t(first + i)]) * rowBytes, rowBytes);
}

} // namespace loom::rt::detail
