//===- Tensor.cpp - Element types, tensor types and host tensors ---------===//
//
// The value types every other part of the runtime builds on. HostTensor owns
// 64-byte aligned, zero-initialized storage; constructing one with an
// impossible shape (a negative dimension, a byte size that overflows) throws,
// which the runtime's public entry points turn into a Status.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/Tensor.h"

#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <stdexcept>

namespace loom::rt {

size_t dtypeSize(DType t) {
  switch (t) {
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::F64:
  case DType::I64:
    return 8;
  case DType::I1:
    return 1;
  }
  return 0;
}

const char *dtypeName(DType t) {
  switch (t) {
  case DType::F32:
    return "f32";
  case DType::F64:
    return "f64";
  case DType::I1:
    return "i1";
  case DType::I32:
    return "i32";
  case DType::I64:
    return "i64";
  }
  return "?";
}

bool parseDType(const std::string &name, DType &out) {
  for (DType t : {DType::F32, DType::F64, DType::I1, DType::I32, DType::I64}) {
    if (name == dtypeName(t)) {
      out = t;
      return true;
    }
  }
  return false;
}

int64_t TensorType::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string TensorType::str() const {
  std::string s = dtypeName(dtype);
  s += '[';
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ',';
    s += std::to_string(shape[i]);
  }
  s += ']';
  return s;
}

bool TensorType::checkedByteSize(size_t &out) const {
  size_t elems = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return false;
    if (d != 0 && elems > std::numeric_limits<size_t>::max() / size_t(d))
      return false;
    elems *= size_t(d);
  }
  size_t width = dtypeSize(dtype);
  /// The headroom keeps HostTensor's round-up to 64 bytes from overflowing.
  if (elems > (std::numeric_limits<size_t>::max() - 64) / width)
    return false;
  out = elems * width;
  return true;
}

void HostTensor::Free::operator()(void *p) const { std::free(p); }

HostTensor::HostTensor(TensorType type) : type_(std::move(type)) {
  /// Validated before anything multiplies the shape: a negative dimension
  /// or an overflowing size must not become a small allocation that
  /// generated code then overruns.
  size_t bytes = 0;
  if (!type_.checkedByteSize(bytes)) {
    for (int64_t d : type_.shape)
      if (d < 0)
        throw std::invalid_argument("negative dimension in tensor type " +
                                    type_.str());
    throw std::length_error("tensor type " + type_.str() + " is too large");
  }
  /// aligned_alloc wants a size that is a multiple of the alignment, and an
  /// empty tensor still gets a real (non-null) buffer so that descriptors
  /// never carry a null pointer into generated code.
  size_t padded = (bytes + 63) / 64 * 64;
  if (padded == 0)
    padded = 64;
  void *p = std::aligned_alloc(64, padded);
  if (!p)
    throw std::bad_alloc();
  std::memset(p, 0, padded);
  data_.reset(p);
}

HostTensor HostTensor::fromF32(std::vector<int64_t> shape,
                               const std::vector<float> &values) {
  HostTensor t(TensorType{DType::F32, std::move(shape)});
  if (int64_t(values.size()) != t.numElements())
    throw std::invalid_argument(
        "HostTensor::fromF32: " + std::to_string(values.size()) +
        " values for type " + t.type().str());
  if (!values.empty())
    std::memcpy(t.data(), values.data(), values.size() * sizeof(float));
  return t;
}

HostTensor HostTensor::clone() const {
  if (!data_)
    return HostTensor();
  HostTensor t(type_);
  std::memcpy(t.data(), data(), byteSize());
  return t;
}

double HostTensor::at(int64_t i) const {
  if (!data_ || i < 0 || i >= numElements())
    throw std::out_of_range("HostTensor::at(" + std::to_string(i) + ") on " +
                            type_.str());
  switch (type_.dtype) {
  case DType::F32:
    return as<float>()[i];
  case DType::F64:
    return as<double>()[i];
  case DType::I1:
    return as<uint8_t>()[i] ? 1.0 : 0.0;
  case DType::I32:
    return as<int32_t>()[i];
  case DType::I64:
    return double(as<int64_t>()[i]);
  }
  return 0.0;
}

void HostTensor::set(int64_t i, double v) {
  if (!data_ || i < 0 || i >= numElements())
    throw std::out_of_range("HostTensor::set(" + std::to_string(i) + ") on " +
                            type_.str());
  switch (type_.dtype) {
  case DType::F32:
    as<float>()[i] = float(v);
    break;
  case DType::F64:
    as<double>()[i] = v;
    break;
  case DType::I1:
    as<uint8_t>()[i] = v != 0.0;
    break;
  case DType::I32:
    as<int32_t>()[i] = int32_t(v);
    break;
  case DType::I64:
    as<int64_t>()[i] = int64_t(v);
    break;
  }
}

} // namespace loom::rt
