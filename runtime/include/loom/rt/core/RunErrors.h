//===- RunErrors.h - Errors that generated code reports while it runs -----===//
//
// Compiled code cannot return a Status from the middle of a loop, so checks
// that can only be made on the data (an index out of range in gather,
// scatter_add or one_hot) call into the runtime instead: the generated code
// keeps going on a safe fallback (a clamped read, a dropped write) and the
// runtime records the first error. rt::Session clears the record before
// each entry call and turns it into an error Status after the call, so the
// results of a call that reported are never used (and a training step's
// updates are not adopted).
//
// The reporting function has C linkage and plain C types because generated
// code calls it by name; the JIT resolves the symbol to this definition
// (compiler/Target/CPU/JitCompiler.cpp registers it explicitly).
//
// Thread safety: the record is thread-local: an error belongs to the entry
// call running on the thread that reported it. Generated code runs on the
// calling thread (no threads inside entry points yet); when it gets its own
// threads, they must hand errors back to the caller's record.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>
#include <optional>
#include <string>

extern "C" {
/// Called by generated code when an index is negative, not an integer or
/// not below `size`. `where` is the op's "file:line:col", `what` names the
/// op or layer ("gather", "embedding"), `range` says what was indexed ("a
/// table of 50 rows"). Only the first report of a call is kept.
void loom_rt_report_index_error(double index, int64_t size, const char *where,
                                const char *what, const char *range);
}

namespace loom::rt {

/// Forgets any error recorded on this thread (before an entry call).
void clearRunError();

/// The error recorded on this thread since the last clear, if any, e.g.
/// "model.cpp:12:9: embedding index 57 is out of range for a table of 50
/// rows"; clears it.
std::optional<std::string> takeRunError();

} // namespace loom::rt
