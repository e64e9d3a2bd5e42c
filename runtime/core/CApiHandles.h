//===- CApiHandles.h - The structs behind the C API's handles -------------===//
//
// Private to the runtime: CApi.cpp (tensors, executables, sessions) and
// CApiArtifacts.cpp (artifacts, introspection, checkpoints, training)
// share these definitions and the status helpers.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/runtime.h"

#include "loom/rt/core/Session.h"

#include <atomic>
#include <exception>
#include <memory>
#include <new>
#include <string>

using loom::rt::DType;
using loom::rt::HostTensor;
using loom::rt::Status;

struct loom_status_s {
  std::string message;
};

/// Reference counting shared by every handle type. Relaxed increments and an
/// acquire-release decrement are the usual shared_ptr discipline.
struct RefCounted {
  std::atomic<int> refs{1};
};

template <typename T> inline void retainHandle(T *h) {
  if (h)
    h->refs.fetch_add(1, std::memory_order_relaxed);
}
template <typename T> inline void releaseHandle(T *h) {
  if (h && h->refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
    delete h;
}

struct loom_tensor_t : RefCounted {
  explicit loom_tensor_t(HostTensor t) : tensor(std::move(t)) {}
  HostTensor tensor;
};

struct loom_executable_t : RefCounted {
  explicit loom_executable_t(std::shared_ptr<const loom::rt::Executable> e)
      : executable(std::move(e)) {}
  std::shared_ptr<const loom::rt::Executable> executable;
};

struct loom_session_t : RefCounted {
  std::unique_ptr<loom::rt::Session> session;
};

namespace loom::capi {

inline loom_status_t makeStatus(std::string message) {
  try {
    return new loom_status_s{std::move(message)};
  } catch (...) {
    /// Out of memory while reporting an error: a static status would be
    /// freed by the caller, so the best left is a minimal allocation.
    return new (std::nothrow) loom_status_s{};
  }
}

inline loom_status_t toC(const Status &s) {
  return s ? nullptr : makeStatus(s.message());
}

/// Runs `body`, turning any exception into an error status for `fn`.
template <typename F> loom_status_t guarded(const char *fn, F &&body) {
  try {
    return body();
  } catch (const std::exception &e) {
    return makeStatus(std::string(fn) + ": " + e.what());
  } catch (...) {
    return makeStatus(std::string(fn) + ": unknown C++ exception");
  }
}

inline bool validDType(loom_dtype_t d) { return d <= LOOM_DTYPE_I64; }

/// The C enum mirrors DType's order; checked here so neither can drift.
static_assert(LOOM_DTYPE_F32 == uint32_t(DType::F32) &&
              LOOM_DTYPE_F64 == uint32_t(DType::F64) &&
              LOOM_DTYPE_I1 == uint32_t(DType::I1) &&
              LOOM_DTYPE_I32 == uint32_t(DType::I32) &&
              LOOM_DTYPE_I64 == uint32_t(DType::I64));

} // namespace loom::capi
