//===- Format.cpp - Human-readable tensor printing ------------------------===//
//
// Recursive nested-bracket printing of a row-major tensor, with numpy's
// summarization rule for large tensors so a stray print of a 10^6-element
// activation stays one screen long.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/Format.h"

#include <cstdio>

namespace loom::rt {

namespace {

constexpr int64_t kSummarizeAbove = 1000;
constexpr int64_t kEdgeItems = 3;

class Printer {
public:
  Printer(const HostTensor &t, int precision)
      : t_(t), precision_(precision),
        summarize_(t.numElements() > kSummarizeAbove) {
    const auto &shape = t.shape();
    strides_.assign(shape.size(), 1);
    for (size_t i = shape.size(); i-- > 1;)
      strides_[i - 1] = strides_[i] * shape[i];
  }

  std::string run() {
    print(0, 0);
    return std::move(out_);
  }

private:
  void value(int64_t i) {
    char buf[64];
    switch (t_.dtype()) {
    case DType::F32:
    case DType::F64:
      std::snprintf(buf, sizeof(buf), "%.*g", precision_, t_.at(i));
      break;
    case DType::I1:
      std::snprintf(buf, sizeof(buf), "%s", t_.at(i) != 0 ? "true" : "false");
      break;
    case DType::I32:
      std::snprintf(buf, sizeof(buf), "%d", t_.as<int32_t>()[i]);
      break;
    case DType::I64:
      std::snprintf(buf, sizeof(buf), "%lld",
                    static_cast<long long>(t_.as<int64_t>()[i]));
      break;
    }
    out_ += buf;
  }

  void print(size_t dim, int64_t offset) {
    if (dim == t_.shape().size()) {
      value(offset);
      return;
    }
    int64_t n = t_.shape()[dim];
    out_ += '[';
    bool elide = summarize_ && n > 2 * kEdgeItems;
    for (int64_t i = 0; i < n; ++i) {
      if (elide && i == kEdgeItems) {
        out_ += "..., ";
        i = n - kEdgeItems;
      }
      print(dim + 1, offset + i * strides_[dim]);
      if (i + 1 < n)
        out_ += ", ";
    }
    out_ += ']';
  }

  const HostTensor &t_;
  int precision_;
  bool summarize_;
  std::vector<int64_t> strides_;
  std::string out_;
};

} // namespace

std::string formatTensor(const HostTensor &tensor, int precision) {
  if (!tensor.hasStorage())
    return "<empty>";
  return Printer(tensor, precision).run();
}

} // namespace loom::rt
