//===- RuntimeImports.cpp - What compiled model code may call, by name ----===//
//
// One table of every function generated CPU code calls: Loom's own kernels
// (GEMM, convolutions, the parallel loop, the index-error hook), the libc
// and libm functions LLVM lowers to (memcpy, memset, logf, powf, ...) and
// memrefCopy, which MLIR's lowering of a strided memref.copy calls. The
// artifact loader resolves undefined symbols from it, and the JIT defines
// Loom's functions from it, so both run the same code; memrefCopy is
// implemented here so the runtime needs none of MLIR's libraries.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/RunErrors.h"
#include "loom/rt/cpu/Conv.h"
#include "loom/rt/cpu/Gemm.h"
#include "loom/rt/cpu/ObjectLoader.h"
#include "loom/rt/cpu/Parallel.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace {

/// MLIR's unranked memref: the rank and a pointer to a ranked descriptor
/// {allocated, aligned, offset, sizes[rank], strides[rank]}.
struct Unranked {
  int64_t rank;
  void *descriptor;
};

struct View {
  char *aligned;
  int64_t offset;
  const int64_t *sizes, *strides;
};

View viewOf(const Unranked &m) {
  auto *d = static_cast<int64_t *>(m.descriptor);
  return {reinterpret_cast<char *>(d[1]), d[2], d + 3, d + 3 + m.rank};
}

/// memref.copy between memrefs of any strides, what MLIR's C runner utils
/// define as `memrefCopy` (imported under that name; kept internal here so
/// a process that also loads MLIR's library has one of each): element by
/// element, with one memcpy per contiguous innermost run.
void memrefCopy(int64_t elemSize, Unranked *src, Unranked *dst) {
  int64_t rank = src->rank;
  View s = viewOf(*src), d = viewOf(*dst);
  if (rank == 0) {
    std::memcpy(d.aligned + d.offset * elemSize, s.aligned + s.offset * elemSize,
                size_t(elemSize));
    return;
  }
  for (int64_t i = 0; i < rank; ++i)
    if (s.sizes[i] == 0)
      return;
  int64_t index[16] = {0};
  if (rank > 16)
    std::abort(); // memrefs of Loom's programs have rank <= 6
  bool runs = s.strides[rank - 1] == 1 && d.strides[rank - 1] == 1;
  int64_t inner = runs ? s.sizes[rank - 1] : 1;
  for (;;) {
    int64_t so = s.offset, dO = d.offset;
    for (int64_t i = 0; i < rank; ++i) {
      so += index[i] * s.strides[i];
      dO += index[i] * d.strides[i];
    }
    std::memcpy(d.aligned + dO * elemSize, s.aligned + so * elemSize,
                size_t(inner * elemSize));
    int64_t dim = runs ? rank - 2 : rank - 1;
    for (; dim >= 0; --dim) {
      if (++index[dim] < s.sizes[dim])
        break;
      index[dim] = 0;
    }
    if (dim < 0)
      return;
  }
}

} // namespace

namespace loom::rt {

namespace {
template <typename F> void *fn(F *f) { return reinterpret_cast<void *>(f); }

struct Import {
  std::string_view name;
  void *address;
};

const Import kImports[] = {
    // Loom's kernels (the JIT defines these from here too).
    {"loom_rt_report_index_error", fn(&loom_rt_report_index_error)},
    {"loom_rt_gemm_f32", fn(&loom_rt_gemm_f32)},
    {"loom_rt_gemm_f32_ep", fn(&loom_rt_gemm_f32_ep)},
    {"loom_rt_conv2d_f32", fn(&loom_rt_conv2d_f32)},
    {"loom_rt_conv2d_filter_grad_f32", fn(&loom_rt_conv2d_filter_grad_f32)},
    {"loom_rt_parallel_for", fn(&loom_rt_parallel_for)},
    {"memrefCopy", fn(&memrefCopy)},
    // libc: memory, and the heap of memref.alloc.
    {"memcpy", fn(&::memcpy)},
    {"memmove", fn(&::memmove)},
    {"memset", fn(&::memset)},
    {"malloc", fn(&::malloc)},
    {"free", fn(&::free)},
    {"aligned_alloc", fn(&::aligned_alloc)},
    {"posix_memalign", fn(&::posix_memalign)},
    // libm (f32 and f64), what math and arith lower to.
    {"expf", fn(static_cast<float (*)(float)>(&::expf))},
    {"exp2f", fn(static_cast<float (*)(float)>(&::exp2f))},
    {"expm1f", fn(static_cast<float (*)(float)>(&::expm1f))},
    {"logf", fn(static_cast<float (*)(float)>(&::logf))},
    {"log2f", fn(static_cast<float (*)(float)>(&::log2f))},
    {"log10f", fn(static_cast<float (*)(float)>(&::log10f))},
    {"log1pf", fn(static_cast<float (*)(float)>(&::log1pf))},
    {"powf", fn(static_cast<float (*)(float, float)>(&::powf))},
    {"sqrtf", fn(static_cast<float (*)(float)>(&::sqrtf))},
    {"cbrtf", fn(static_cast<float (*)(float)>(&::cbrtf))},
    {"tanhf", fn(static_cast<float (*)(float)>(&::tanhf))},
    {"sinf", fn(static_cast<float (*)(float)>(&::sinf))},
    {"cosf", fn(static_cast<float (*)(float)>(&::cosf))},
    {"tanf", fn(static_cast<float (*)(float)>(&::tanf))},
    {"atanf", fn(static_cast<float (*)(float)>(&::atanf))},
    {"atan2f", fn(static_cast<float (*)(float, float)>(&::atan2f))},
    {"erff", fn(static_cast<float (*)(float)>(&::erff))},
    {"fmodf", fn(static_cast<float (*)(float, float)>(&::fmodf))},
    {"floorf", fn(static_cast<float (*)(float)>(&::floorf))},
    {"ceilf", fn(static_cast<float (*)(float)>(&::ceilf))},
    {"roundf", fn(static_cast<float (*)(float)>(&::roundf))},
    {"truncf", fn(static_cast<float (*)(float)>(&::truncf))},
    {"rintf", fn(static_cast<float (*)(float)>(&::rintf))},
    {"fmaf", fn(static_cast<float (*)(float, float, float)>(&::fmaf))},
    {"exp", fn(static_cast<double (*)(double)>(&::exp))},
    {"log", fn(static_cast<double (*)(double)>(&::log))},
    {"pow", fn(static_cast<double (*)(double, double)>(&::pow))},
    {"sqrt", fn(static_cast<double (*)(double)>(&::sqrt))},
    {"tanh", fn(static_cast<double (*)(double)>(&::tanh))},
    {"erf", fn(static_cast<double (*)(double)>(&::erf))},
    {"fmod", fn(static_cast<double (*)(double, double)>(&::fmod))},
};
} // namespace

void *runtimeSymbol(const std::string &name) {
  for (const Import &i : kImports)
    if (i.name == name)
      return i.address;
  return nullptr;
}

} // namespace loom::rt
