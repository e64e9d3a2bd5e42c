//===- Progress.cpp - The training progress display -------------------------===//
//
// See Progress.h. The interactive line is rewritten with '\r' and padded so
// a shorter line fully covers a longer one.
//
//===----------------------------------------------------------------------===//
#include "Progress.h"

#include "llvm/Support/Format.h"

using namespace llvm;
using Clock = std::chrono::steady_clock;

namespace loomc {

std::string formatDuration(double seconds) {
  int64_t s = int64_t(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", (long long)(s / 3600),
             (long long)(s / 60 % 60), (long long)(s % 60));
  else
    snprintf(buf, sizeof buf, "%lld:%02lld", (long long)(s / 60),
             (long long)(s % 60));
  return buf;
}

void Progress::startEpoch(int64_t epoch, int64_t epochs, int64_t steps) {
  epoch_ = epoch;
  epochs_ = epochs;
  steps_ = steps;
  start_ = lastPrint_ = Clock::now();
  printedLive_ = false;
}

std::string Progress::line(int64_t step, const Values &values,
                           int64_t samples) const {
  double elapsed =
      std::chrono::duration<double>(Clock::now() - start_).count();
  double rate = elapsed > 0 ? double(samples) / elapsed : 0.0;
  double eta = step > 0 ? elapsed / double(step) * double(steps_ - step) : 0;
  constexpr int kWidth = 24;
  int filled = steps_ > 0 ? int(kWidth * step / steps_) : kWidth;
  std::string bar(filled, '#');
  bar.resize(kWidth, '.');
  std::string s;
  raw_string_ostream os(s);
  os << "epoch " << epoch_ << "/" << epochs_ << " [" << bar << "] " << step
     << "/" << steps_;
  for (const auto &[name, value] : values)
    os << "  " << name << " " << format("%.4f", value);
  os << "  " << format("%.0f", rate) << " samples/s  ETA "
     << formatDuration(eta);
  return s;
}

void Progress::update(int64_t step, const Values &values, int64_t samples) {
  auto now = Clock::now();
  double sinceLast = std::chrono::duration<double>(now - lastPrint_).count();
  if (interactive_) {
    if (sinceLast < 0.1 && step != steps_)
      return;
    std::string s = line(step, values, samples);
    os_ << "\r" << s << "\x1b[K";
    os_.flush();
    printedLive_ = true;
  } else {
    // Plain lines: at most one every 10 seconds (the epoch summary follows
    // each epoch anyway).
    if (sinceLast < 10.0 || step == steps_)
      return;
    os_ << line(step, values, samples) << "\n";
    os_.flush();
  }
  lastPrint_ = now;
}

void Progress::finishEpoch() {
  if (interactive_ && printedLive_) {
    os_ << "\r\x1b[K";
    os_.flush();
  }
  printedLive_ = false;
}

} // namespace loomc
