//===- ConvAlgorithm.cpp - Direct or im2col, per convolution shape --------===//
//
// See ConvAlgorithm.h. The measurements are cached per process: a model
// usually repeats few shapes (ResNet's six block convolutions share one),
// and the compile cache keeps the compiled choice across processes.
//
//===----------------------------------------------------------------------===//
#include "Conversion/LoomToLinalg/ConvAlgorithm.h"

#include "loom/rt/cpu/Conv.h"

#include <cstdlib>
#include <map>
#include <mutex>
#include <tuple>

namespace loom {

namespace {
/// The micro-kernel's tile width (runtime/cpu/GemmKernels.h, kNR).
constexpr int64_t kMinDirectRow = 16;
} // namespace

std::optional<ConvAlgorithm> parseConvAlgorithm(llvm::StringRef name) {
  if (name.empty()) {
    const char *env = std::getenv("LOOM_CONV_ALGORITHM");
    if (!env || !*env)
      return ConvAlgorithm::Measure;
    name = env;
  }
  if (name == "measure")
    return ConvAlgorithm::Measure;
  if (name == "im2col")
    return ConvAlgorithm::Im2col;
  if (name == "direct")
    return ConvAlgorithm::Direct;
  if (name == "static")
    return ConvAlgorithm::Static;
  return std::nullopt;
}

bool preferDirectConv(ConvAlgorithm policy, int64_t N, int64_t C, int64_t F,
                      int64_t KH, int64_t KW, int64_t OH, int64_t OW,
                      int64_t dH, int64_t dW) {
  if (policy == ConvAlgorithm::Im2col || policy == ConvAlgorithm::Direct)
    return policy == ConvAlgorithm::Direct;
  // Direct works one output row at a time in tiles of 16 pixels; rows
  // shorter than a tile leave most of every tile empty and gather each one
  // (a weight gradient's 3x3 "output" of K = 32768 taps ran 30% slower
  // than im2col), so they are not candidates and cost no measurement.
  if (OW < kMinDirectRow)
    return false;
  if (policy == ConvAlgorithm::Static)
    return true;
  using Key = std::tuple<int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                         int64_t, int64_t, int64_t>;
  static std::mutex mutex;
  static std::map<Key, bool> chosen;
  Key key{N, C, F, KH, KW, OH, OW, dH, dW};
  std::lock_guard<std::mutex> lock(mutex);
  auto it = chosen.find(key);
  if (it != chosen.end())
    return it->second;
  rt::ConvShape shape{N, C, F, KH, KW, OH, OW, dH, dW};
  bool direct = rt::timeConv(shape, true) < rt::timeConv(shape, false);
  chosen.emplace(key, direct);
  return direct;
}

bool preferDirectFilterGrad(ConvAlgorithm policy, int64_t N, int64_t C,
                            int64_t F, int64_t KH, int64_t KW, int64_t OH,
                            int64_t OW, int64_t sH, int64_t sW, int64_t dH,
                            int64_t dW) {
  if (F <= 1 || KH * KW <= 1)
    return false;
  if (policy == ConvAlgorithm::Im2col || policy == ConvAlgorithm::Direct)
    return policy == ConvAlgorithm::Direct;
  if (policy == ConvAlgorithm::Static)
    return OW >= kMinDirectRow;
  using Key = std::tuple<int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                         int64_t, int64_t, int64_t, int64_t, int64_t>;
  static std::mutex mutex;
  static std::map<Key, bool> chosen;
  Key key{N, C, F, KH, KW, OH, OW, sH, sW, dH, dW};
  std::lock_guard<std::mutex> lock(mutex);
  auto it = chosen.find(key);
  if (it != chosen.end())
    return it->second;
  rt::ConvShape shape{N, C, F, KH, KW, OH, OW, dH, dW};
  bool direct = rt::timeFilterGrad(shape, sH, sW, true) <
                rt::timeFilterGrad(shape, sH, sW, false);
  chosen.emplace(key, direct);
  return direct;
}

} // namespace loom
