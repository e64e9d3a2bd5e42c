//===- Format.h - Human-readable tensor printing --------------------------===//
//
// numpy-like text for a tensor, for tools, examples and test failure
// messages: nested brackets, ", " between elements, floats in %g form.
// The output is stable (no locale, no terminal width), so tests may compare
// it literally.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Tensor.h"

#include <string>

namespace loom::rt {

/// "3.5" for a scalar, "[1, 2.5, -3]" for a vector, "[[10], [0]]" for a
/// [2, 1] matrix, "[]" for an empty dimension. Floats print like printf's
/// %.<precision>g ("nan", "inf", "1e-07"); i1 prints as true/false. Like
/// numpy, a tensor of more than 1000 elements is summarized: each dimension
/// longer than 6 shows its first and last 3 entries around "...".
std::string formatTensor(const HostTensor &tensor, int precision = 6);

} // namespace loom::rt
