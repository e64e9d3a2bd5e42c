//===- FakeTrainer.h - A hand-written "compiled" train_step for tests -----===//
//
// Stands in for the compiler's training entries, with MLIR's packed calling
// convention and the argument kinds the CPU target emits:
//
// Model "quad": parameter w : f32[2] = values 1, 2; optimizer state w.m.
//   train_step(x : f32[2], w, w.m, lr : f32[], step : f32[])
//       -> loss : f32[] = sum((w - x)^2),  seen : f32[] = step,
//          w' = w - lr * g,  w.m' = w.m + g      where g = 2 (w - x)
//   eval(x, w) -> loss
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Executable.h"

#include <cstdint>
#include <memory>

namespace loom::rt::test {

struct Desc1 {
  float *allocated;
  float *aligned;
  int64_t offset;
  int64_t sizes[1];
  int64_t strides[1];
};
struct Scalar {
  float *allocated;
  float *aligned;
  int64_t offset;
};

template <typename D> D *arg(void **args, int i) {
  return *static_cast<D **>(args[i]);
}

inline float quadLoss(const float *x, const float *w) {
  float s = 0;
  for (int i = 0; i < 2; ++i)
    s += (w[i] - x[i]) * (w[i] - x[i]);
  return s;
}

inline void quadTrainStep(void **args) {
  const float *x = arg<Desc1>(args, 0)->aligned;
  const float *w = arg<Desc1>(args, 1)->aligned;
  const float *m = arg<Desc1>(args, 2)->aligned;
  float lr = arg<Scalar>(args, 3)->aligned[0];
  float step = arg<Scalar>(args, 4)->aligned[0];
  float *loss = arg<Scalar>(args, 5)->aligned;
  float *seen = arg<Scalar>(args, 6)->aligned;
  float *wOut = arg<Desc1>(args, 7)->aligned;
  float *mOut = arg<Desc1>(args, 8)->aligned;
  loss[0] = quadLoss(x, w);
  seen[0] = step;
  for (int i = 0; i < 2; ++i) {
    float g = 2 * (w[i] - x[i]);
    wOut[i] = w[i] - lr * g;
    mOut[i] = m[i] + g;
  }
}

inline void quadEval(void **args) {
  arg<Scalar>(args, 2)->aligned[0] =
      quadLoss(arg<Desc1>(args, 0)->aligned, arg<Desc1>(args, 1)->aligned);
}

inline std::shared_ptr<Executable> makeQuad() {
  auto exe = std::make_shared<Executable>();
  exe->modelName = "quad";
  TensorType vec{DType::F32, {2}}, scalar{DType::F32, {}};
  ParamInfo w;
  w.name = "w";
  w.type = vec;
  w.init.kind = Initializer::Kind::Values;
  w.init.values = {1, 2};
  exe->params.push_back(w);
  exe->states.push_back({"w.m", vec});
  exe->entries.push_back({"train_step",
                          &quadTrainStep,
                          {{ArgKind::Input, "x", vec},
                           {ArgKind::Param, "w", vec},
                           {ArgKind::State, "w.m", vec},
                           {ArgKind::Hyper, "lr", scalar},
                           {ArgKind::Hyper, "step", scalar},
                           {ArgKind::Output, "loss", scalar},
                           {ArgKind::Output, "seen", scalar},
                           {ArgKind::ParamUpdate, "w", vec},
                           {ArgKind::StateUpdate, "w.m", vec}}});
  exe->entries.push_back({"eval",
                          &quadEval,
                          {{ArgKind::Input, "x", vec},
                           {ArgKind::Param, "w", vec},
                           {ArgKind::Output, "loss", scalar}}});
  return exe;
}

} // namespace loom::rt::test
