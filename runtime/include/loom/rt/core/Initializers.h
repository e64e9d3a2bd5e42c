//===- Initializers.h - First values of a model's parameters -------------===//
//
// Fills a parameter tensor according to its Initializer (see Executable.h).
// Random kinds draw from a small counter-free generator (splitmix64) seeded
// from the session seed and the parameter's name, with Box-Muller for
// normals. The C++ <random> distributions are deliberately not used: their
// algorithms are implementation-defined, and a model must start from the same
// weights on every platform and standard library.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Executable.h"
#include "loom/rt/core/Tensor.h"

#include <cstdint>

namespace loom::rt {

/// Allocates `out` with `param.type` and fills it. Zeros, Ones, Constant and
/// Values work for every dtype; the random kinds need f32 or f64. Errors name
/// the parameter (a Values count that does not match the shape, U(a, b) with
/// b < a, a negative standard deviation, a random kind on an integer tensor).
Status initializeParam(const ParamInfo &param, uint64_t seed, HostTensor &out);

/// fan_in and fan_out as Executable.h defines them: [in, out] for a matrix;
/// for rank > 2 PyTorch's rule for convolution weights [out, in, ...]
/// (fan_in = shape[1], fan_out = shape[0], both times the receptive field
/// of dims 2..). A vector
/// [n] has fan_in = fan_out = n, a scalar 1 and 1.
void computeFans(const std::vector<int64_t> &shape, double &fanIn,
                 double &fanOut);

} // namespace loom::rt
