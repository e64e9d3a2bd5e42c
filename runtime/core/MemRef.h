//===- MemRef.h - MLIR strided memref descriptors, built at run time -----===//
//
// Generated entry points take every tensor as a pointer to MLIR's strided
// memref descriptor: for rank R, all fields 8 bytes,
//   { void *allocated; void *aligned; int64_t offset;
//     int64_t sizes[R]; int64_t strides[R]; }
// (rank 0 stops after offset). MLIR's StridedMemRefType<T, R> is a template
// over the rank, but the runtime only learns ranks at run time, so it builds
// the same bytes in an int64_t array of 3 + 2R words.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>
#include <vector>

namespace loom::rt {

static_assert(sizeof(void *) == sizeof(int64_t),
              "memref descriptors assume 64-bit pointers");

class MemRefDescriptor {
public:
  /// Describes a contiguous row-major buffer of `shape` at `data`, offset 0.
  /// `data` is both the allocated and the aligned pointer: HostTensor storage
  /// is already aligned, and the runtime, not the callee, owns it.
  MemRefDescriptor(void *data, const std::vector<int64_t> &shape) {
    size_t rank = shape.size();
    words_.assign(3 + 2 * rank, 0);
    words_[0] = reinterpret_cast<intptr_t>(data);
    words_[1] = reinterpret_cast<intptr_t>(data);
    words_[2] = 0;
    int64_t stride = 1;
    for (size_t i = rank; i-- > 0;) {
      words_[3 + i] = shape[i];
      words_[3 + rank + i] = stride;
      stride *= shape[i];
    }
  }

  /// The address generated code receives. Stable as long as this object
  /// lives and is not copied.
  void *get() { return words_.data(); }

private:
  std::vector<int64_t> words_;
};

} // namespace loom::rt
