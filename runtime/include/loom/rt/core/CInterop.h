//===- CInterop.h - Between C API handles and the C++ runtime ------------===//
//
// The C API (loom/runtime.h) hides every C++ type. Code that holds a C++
// Executable, such as the JIT or a test's fake model, hands it to C callers
// through these functions.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Executable.h"
#include "loom/runtime.h"

#include <memory>

namespace loom::rt {

/// A new handle holding one reference (release it with
/// loom_executable_release); it keeps `executable` alive. Null for a null
/// executable.
loom_executable_t *wrapExecutable(std::shared_ptr<const Executable> executable);

/// The executable behind a handle, or null for a null handle.
const Executable *unwrapExecutable(const loom_executable_t *executable);

} // namespace loom::rt
