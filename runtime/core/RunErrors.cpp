//===- RunErrors.cpp - The record of errors reported by generated code ----===//
//
// One thread-local slot holding the first message since the last clear;
// see RunErrors.h. Formatting happens here, once, so generated code only
// passes constants and the offending value.
//
//===----------------------------------------------------------------------===//
#include "loom/rt/core/RunErrors.h"

#include <cmath>
#include <sstream>

namespace {
thread_local std::optional<std::string> firstError;

std::string formatIndex(double index) {
  std::ostringstream os;
  os.precision(9); // every f32 value exactly, integers without exponent
  os << index;
  return os.str();
}
} // namespace

extern "C" void loom_rt_report_index_error(double index, int64_t size,
                                           const char *where, const char *what,
                                           const char *range) {
  if (firstError)
    return;
  std::string message = std::string(where ? where : "?") + ": " +
                        (what ? what : "index") + " index " +
                        formatIndex(index);
  if (std::isfinite(index) && std::floor(index) != index)
    message += " is not an integer (indices are f32 values holding "
               "integers in [0, " +
               std::to_string(size) + "))";
  else
    message += " is out of range for " + std::string(range ? range : "?") +
               " (valid indices are 0 to " + std::to_string(size - 1) + ")";
  firstError = std::move(message);
}

namespace loom::rt {

void clearRunError() { firstError.reset(); }

std::optional<std::string> takeRunError() {
  std::optional<std::string> e = std::move(firstError);
  firstError.reset();
  return e;
}

} // namespace loom::rt
