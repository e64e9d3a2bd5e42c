//===- SplitMix64.h - The runtime's one random number generator ----------===//
//
// Everything random in the runtime (parameter initializers, data set splits,
// batch shuffling) draws from splitmix64, so that a seed means the same bits
// on every platform and standard library. The <random> engines are portable
// but their distributions and std::shuffle are implementation-defined, which
// is why index draws and Fisher-Yates are written out here.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>
#include <vector>

namespace loom::rt {

/// splitmix64 (Steele, Lea, Flood 2014). The stream is a pure function of
/// the starting state.
class SplitMix64 {
public:
  explicit SplitMix64(uint64_t state) : state_(state) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1) with 53 random bits: exact in double.
  double uniform01() { return double(next() >> 11) * 0x1.0p-53; }
  /// Uniform in [0, bound), bound > 0, without modulo bias: draws below
  /// 2^64 mod bound are rejected (at most one retry in 2^32 for small
  /// bounds), so the result is exactly uniform and fully specified.
  uint64_t below(uint64_t bound) {
    uint64_t reject = (0 - bound) % bound;
    uint64_t r;
    do
      r = next();
    while (r < reject);
    return r % bound;
  }

private:
  uint64_t state_;
};

/// A seed for stream `stream` of `seed` (an epoch, a purpose), so that
/// neighbouring streams of one seed start far apart.
inline uint64_t mixSeed(uint64_t seed, uint64_t stream) {
  return SplitMix64(seed ^ (stream * 0xD1B54A32D192ED03ull)).next();
}

/// Sets `perm` to 0..n-1 shuffled by Fisher-Yates (Durstenfeld's variant,
/// from the back), reusing its storage.
inline void shuffledRange(std::vector<int64_t> &perm, int64_t n,
                          SplitMix64 &rng) {
  perm.resize(size_t(n));
  for (int64_t i = 0; i < n; ++i)
    perm[size_t(i)] = i;
  for (int64_t i = n - 1; i > 0; --i) {
    int64_t j = int64_t(rng.below(uint64_t(i) + 1));
    std::swap(perm[size_t(i)], perm[size_t(j)]);
  }
}

} // namespace loom::rt
