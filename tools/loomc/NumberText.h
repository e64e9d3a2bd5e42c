//===- NumberText.h - How loomc writes numbers ------------------------------===//
//
// Two forms, used everywhere loomc prints or stores a number: the shortest
// readable one for settings and messages ("0.01", "1e-05"), and full float
// precision for data (metrics files, predictions: 9 significant digits read
// back to the same f32).
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdio>
#include <string>

namespace loomc {

inline std::string shortNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

inline std::string fullNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

} // namespace loomc
