//===- Tensor.h - Host tensors and status values for the runtime ---------===//
//
// The runtime's value types: element types, tensor types, an owning host
// tensor with 64-byte aligned storage, and a Status that every call that can
// fail returns. Plain C++: no LLVM or MLIR headers, so apps can include it.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace loom::rt {

/// Element types the runtime moves around. i1 is stored as one byte per
/// element, which is what MLIR's memref lowering uses.
enum class DType : uint8_t { F32, F64, I1, I32, I64 };

size_t dtypeSize(DType t);
const char *dtypeName(DType t); // "f32", "f64", "i1", "i32", "i64"
bool parseDType(const std::string &name, DType &out);

struct TensorType {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;

  int64_t numElements() const;
  size_t byteSize() const { return size_t(numElements()) * dtypeSize(dtype); }
  std::string str() const; // e.g. "f32[4,1]", "f32[]" for rank 0
  /// byteSize() for untrusted shapes (file headers): false when a dimension
  /// is negative or the size overflows, so callers can check a claimed size
  /// against the bytes present before allocating anything.
  bool checkedByteSize(size_t &out) const;
  bool operator==(const TensorType &o) const {
    return dtype == o.dtype && shape == o.shape;
  }
};

/// An owning, contiguous, row-major host tensor. Storage is 64-byte aligned
/// so generated code may use aligned vector loads.
class HostTensor {
public:
  HostTensor() = default;
  /// Allocates zeroed storage. Throws std::invalid_argument for a negative
  /// dimension and std::length_error / std::bad_alloc when too large.
  explicit HostTensor(TensorType type);
  /// Throws std::invalid_argument unless values.size() matches the shape.
  static HostTensor fromF32(std::vector<int64_t> shape,
                            const std::vector<float> &values);

  const TensorType &type() const { return type_; }
  const std::vector<int64_t> &shape() const { return type_.shape; }
  DType dtype() const { return type_.dtype; }
  int64_t numElements() const { return type_.numElements(); }
  size_t byteSize() const { return type_.byteSize(); }

  void *data() { return data_.get(); }
  const void *data() const { return data_.get(); }
  template <typename T> T *as() { return static_cast<T *>(data()); }
  template <typename T> const T *as() const {
    return static_cast<const T *>(data());
  }
  /// Element i converted to double, whatever the dtype. Throws
  /// std::out_of_range for an index outside the tensor.
  double at(int64_t i) const;
  /// Stores v into element i, converted to the dtype (i1 stores v != 0).
  /// For integer dtypes v must be representable; used by initializers.
  void set(int64_t i, double v);
  /// A deep copy. HostTensor is move-only so copies are always explicit.
  HostTensor clone() const;
  /// False for a default-constructed (moved-from) tensor with no storage.
  bool hasStorage() const { return data_ != nullptr; }

private:
  struct Free {
    void operator()(void *p) const;
  };
  TensorType type_;
  std::unique_ptr<void, Free> data_;
};

/// Success, or an error message meant for a person. Messages name the file,
/// tensor or argument at fault.
class Status {
public:
  Status() = default;
  static Status ok() { return Status(); }
  static Status error(std::string message) {
    Status s;
    s.ok_ = false;
    s.message_ = std::move(message);
    return s;
  }
  bool isOk() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const std::string &message() const { return message_; }

private:
  bool ok_ = true;
  std::string message_;
};

} // namespace loom::rt
