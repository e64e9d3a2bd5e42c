//===- Random.h - The counter-based generator of dropout and random_normal ===//
//
// A random bit pattern is a pure function of (seed, counter, element index):
// no state to carry, the same mask in a gradient as in the forward pass, and
// a resumed run that draws exactly what an uninterrupted one would. The
// mixer is a 32-bit integer hash with good avalanche (xor-shift-multiply,
// constants from Chris Wellons' hash prospector); two rounds per element.
// The lowering (RandomToLinalg.cpp) builds the same arithmetic as arith
// ops on i32, and the reference evaluator calls these functions, so the two
// agree bit for bit.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cmath>
#include <cstdint>

namespace loom::rng {

inline constexpr uint32_t kMul1 = 0x7feb352dU;
inline constexpr uint32_t kMul2 = 0x846ca68bU;
inline constexpr uint32_t kGolden = 0x9e3779b9U;

inline uint32_t mix32(uint32_t x) {
  x ^= x >> 16;
  x *= kMul1;
  x ^= x >> 15;
  x *= kMul2;
  x ^= x >> 16;
  return x;
}

/// The per-(seed, counter) key, computed once per op execution.
inline uint32_t streamKey(uint32_t seed, uint32_t counter) {
  return mix32(seed ^ mix32(counter + kGolden));
}

/// 24 random bits for element `index` of the stream `key`.
inline uint32_t bits24(uint32_t key, uint32_t index) {
  return mix32((index * kGolden) ^ key) >> 8;
}

/// An element survives dropout iff bits24 >= this threshold (rate in [0, 1)).
inline uint32_t dropThreshold(double rate) {
  return uint32_t(std::llround(rate * 16777216.0));
}

/// loom.random_normal's key: dropout's mixed once more with a constant, so
/// the two ops never share a stream even with equal seeds and counters.
inline constexpr uint32_t kNormalSalt = 0x6a09e667U; // frac(sqrt(2))
inline uint32_t normalKey(uint32_t seed, uint32_t counter) {
  return mix32(streamKey(seed, counter) ^ kNormalSalt);
}

/// N(0, 1) for element `index` by Box-Muller from the stream's draws at
/// 2 * index and 2 * index + 1 (see loom.random_normal). The compiled code
/// computes the same formula in f32.
inline double normal(uint32_t key, uint32_t index) {
  constexpr double kTwoPi = 6.283185307179586;
  double u1 = (double(bits24(key, 2 * index)) + 0.5) / 16777216.0;
  double u2 = double(bits24(key, 2 * index + 1)) / 16777216.0;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

} // namespace loom::rng
