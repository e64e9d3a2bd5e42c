//===- FakeExecutable.h - A hand-written "compiled" model for tests ------===//
//
// Stands in for the compiler: an Executable whose entry points are C++
// functions with MLIR's packed calling convention. They read their memref
// descriptors through a layout written out independently here, so the tests
// also pin down the ABI the runtime builds (pointers, offset, sizes,
// row-major strides, 64-byte alignment).
//
// Model "adder": parameter w : f32[4,2] = values 0.5, 1.5, ..., 7.5.
//   forward(x : f32[4,2], w) -> y : f32[4,2] = x + w
//   sum(x : f32[4,2]) -> total : f32[] = sum of x       (rank-0 output)
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Executable.h"

#include <cstdint>
#include <memory>
#include <string>

namespace loom::rt::test {

struct Desc2 {
  float *allocated;
  float *aligned;
  int64_t offset;
  int64_t sizes[2];
  int64_t strides[2];
};
struct Desc0 {
  float *allocated;
  float *aligned;
  int64_t offset;
};

/// Set by the fake functions when a descriptor is not what the runtime
/// promises; tests assert it stays empty.
inline std::string &descriptorProblem() {
  static std::string problem;
  return problem;
}

inline void checkDesc(const Desc2 *d, const char *what) {
  bool ok = d->allocated == d->aligned && d->offset == 0 && d->sizes[0] == 4 &&
            d->sizes[1] == 2 && d->strides[0] == 2 && d->strides[1] == 1 &&
            reinterpret_cast<uintptr_t>(d->aligned) % 64 == 0;
  if (!ok)
    descriptorProblem() += std::string("bad descriptor for ") + what + "; ";
}

inline void addForward(void **args) {
  auto *x = *static_cast<Desc2 **>(args[0]);
  auto *w = *static_cast<Desc2 **>(args[1]);
  auto *y = *static_cast<Desc2 **>(args[2]);
  checkDesc(x, "x");
  checkDesc(w, "w");
  checkDesc(y, "y");
  for (int64_t i = 0; i < y->sizes[0]; ++i)
    for (int64_t j = 0; j < y->sizes[1]; ++j) {
      auto at = [&](Desc2 *d) {
        return d->offset + i * d->strides[0] + j * d->strides[1];
      };
      y->aligned[at(y)] = x->aligned[at(x)] + w->aligned[at(w)];
    }
}

inline void sumEntry(void **args) {
  auto *x = *static_cast<Desc2 **>(args[0]);
  auto *total = *static_cast<Desc0 **>(args[1]);
  checkDesc(x, "x");
  if (total->offset != 0 || total->allocated != total->aligned)
    descriptorProblem() += "bad rank-0 descriptor; ";
  float s = 0;
  for (int64_t i = 0; i < 8; ++i)
    s += x->aligned[i];
  total->aligned[0] = s;
}

inline std::shared_ptr<Executable> makeAdder() {
  auto exe = std::make_shared<Executable>();
  exe->modelName = "adder";
  TensorType mat{DType::F32, {4, 2}};
  ParamInfo w;
  w.name = "w";
  w.type = mat;
  w.init.kind = Initializer::Kind::Values;
  w.init.values = {0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5};
  exe->params.push_back(w);
  exe->entries.push_back({"forward",
                          &addForward,
                          {{ArgKind::Input, "x", mat},
                           {ArgKind::Param, "w", mat},
                           {ArgKind::Output, "y", mat}}});
  exe->entries.push_back({"sum",
                          &sumEntry,
                          {{ArgKind::Input, "x", mat},
                           {ArgKind::Output, "total", {DType::F32, {}}}}});
  return exe;
}

} // namespace loom::rt::test
