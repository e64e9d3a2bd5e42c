//===- Initializers.cpp - Deterministic parameter initialization ----------===//
//
// Every random initializer reduces to "uniform in [lo, hi)" or "normal with
// mean m and stddev s"; this file maps each Initializer::Kind to one of those
// (or to a constant) and fills the tensor. The generator is splitmix64, which
// is tiny, passes BigCrush, and is fully specified by its few lines, so the
// same seed gives the same bits everywhere. Values are computed in double and
// converted to the parameter's dtype at the end.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/Initializers.h"

#include "SplitMix64.h"

#include <cmath>
#include <exception>
#include <numbers>

namespace loom::rt {

namespace {

/// FNV-1a over the name, then mixed with the seed through one splitmix step,
/// so that "w" under seed 1 and "w" under seed 2 start far apart.
uint64_t streamSeed(uint64_t seed, const std::string &name) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : name) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  SplitMix64 mix(seed ^ (h * 0x9E3779B97F4A7C15ull));
  return mix.next() ^ h;
}

bool isFloat(DType t) { return t == DType::F32 || t == DType::F64; }

void fillConstant(HostTensor &t, double v) {
  for (int64_t i = 0, n = t.numElements(); i < n; ++i)
    t.set(i, v);
}

void fillUniform(HostTensor &t, SplitMix64 &rng, double lo, double hi) {
  for (int64_t i = 0, n = t.numElements(); i < n; ++i)
    t.set(i, lo + (hi - lo) * rng.uniform01());
}

/// Box-Muller, using both values of each pair. 1 - u keeps log's argument in
/// (0, 1], so no draw is ever -inf.
void fillNormal(HostTensor &t, SplitMix64 &rng, double mean, double stddev) {
  int64_t n = t.numElements();
  for (int64_t i = 0; i < n; i += 2) {
    double u1 = 1.0 - rng.uniform01(), u2 = rng.uniform01();
    double r = std::sqrt(-2.0 * std::log(u1));
    double theta = 2.0 * std::numbers::pi * u2;
    t.set(i, mean + stddev * r * std::cos(theta));
    if (i + 1 < n)
      t.set(i + 1, mean + stddev * r * std::sin(theta));
  }
}

std::string where(const ParamInfo &p) {
  return "parameter '" + p.name + "' (" + p.type.str() + ", " +
         initializerName(p.init.kind) + ")";
}

} // namespace

void computeFans(const std::vector<int64_t> &shape, double &fanIn,
                 double &fanOut) {
  if (shape.empty()) {
    fanIn = fanOut = 1;
    return;
  }
  if (shape.size() == 1) {
    fanIn = fanOut = double(shape[0]);
    return;
  }
  if (shape.size() == 2) { // Loom's dense layout [in, out]
    fanIn = double(shape[0]);
    fanOut = double(shape[1]);
    return;
  }
  double receptive = 1;
  for (size_t i = 2; i < shape.size(); ++i)
    receptive *= double(shape[i]);
  // Convolution weights are [out, in, kh, kw] (PyTorch's layout): fan_in
  // is the input channels times the window, as torch.nn.init computes it.
  fanIn = double(shape[1]) * receptive;
  fanOut = double(shape[0]) * receptive;
}

static Status fill(const ParamInfo &p, uint64_t seed, HostTensor &t) {
  using Kind = Initializer::Kind;
  const Initializer &init = p.init;
  switch (init.kind) {
  case Kind::Zeros:
    return Status::ok(); // storage is already zeroed
  case Kind::Ones:
    fillConstant(t, 1.0);
    return Status::ok();
  case Kind::Constant:
    fillConstant(t, init.a);
    return Status::ok();
  case Kind::Values:
    if (int64_t(init.values.size()) != t.numElements())
      return Status::error(
          where(p) + ": initializer has " + std::to_string(init.values.size()) +
          " values, the type needs " + std::to_string(t.numElements()));
    for (size_t i = 0; i < init.values.size(); ++i)
      t.set(int64_t(i), init.values[i]);
    return Status::ok();
  default:
    break;
  }

  if (!isFloat(p.type.dtype))
    return Status::error(where(p) +
                         ": random initializers need an f32 or f64 tensor");
  SplitMix64 rng(streamSeed(seed, p.name));
  double fanIn, fanOut;
  computeFans(p.type.shape, fanIn, fanOut);
  /// A gain of 0 would make Xavier a zero initializer; 0 is also the field's
  /// default, so it means "unset" and the documented default gain 1 applies.
  double gain = init.a == 0.0 ? 1.0 : init.a;
  if ((fanIn <= 0 || fanIn + fanOut <= 0) && t.numElements() > 0)
    return Status::error(where(p) + ": fan_in/fan_out are zero");

  switch (init.kind) {
  case Kind::Uniform:
    if (!(init.b >= init.a))
      return Status::error(where(p) + ": U(a, b) needs b >= a, got a = " +
                           std::to_string(init.a) +
                           ", b = " + std::to_string(init.b));
    fillUniform(t, rng, init.a, init.b);
    break;
  case Kind::Normal:
    if (!(init.b >= 0))
      return Status::error(where(p) + ": negative standard deviation " +
                           std::to_string(init.b));
    fillNormal(t, rng, init.a, init.b);
    break;
  case Kind::XavierUniform: {
    double bound = gain * std::sqrt(6.0 / (fanIn + fanOut));
    fillUniform(t, rng, -bound, bound);
    break;
  }
  case Kind::XavierNormal:
    fillNormal(t, rng, 0.0, gain * std::sqrt(2.0 / (fanIn + fanOut)));
    break;
  case Kind::HeUniform: {
    double bound = std::sqrt(6.0 / fanIn);
    fillUniform(t, rng, -bound, bound);
    break;
  }
  case Kind::HeNormal:
    fillNormal(t, rng, 0.0, std::sqrt(2.0 / fanIn));
    break;
  default:
    return Status::error(where(p) + ": unknown initializer kind");
  }
  return Status::ok();
}

Status initializeParam(const ParamInfo &param, uint64_t seed, HostTensor &out) {
  try {
    HostTensor t(param.type);
    Status s = fill(param, seed, t);
    if (!s)
      return s;
    out = std::move(t);
    return Status::ok();
  } catch (const std::exception &e) {
    return Status::error("parameter '" + param.name + "': " + e.what());
  }
}

} // namespace loom::rt
