//===- Bench.cpp - loomc bench: time a model's compiled entry points --------===//
//
// Compiles a model for one batch size (timing model file to ready session,
// through the same caches as `loomc train`), feeds it synthetic data of the
// declared shapes (normal features; labels that are valid class indices
// for classifiers, 0/1 otherwise) and times repeated calls of train_step
// and forward after a warm-up. Prints one `key=value` line per entry for
// bench/run_bench.py, which runs the peers in the same run, and the memory
// the training step needs beyond the compiler's. Timings belong in
// benchmarks, never in tests.
//
//===----------------------------------------------------------------------===//
#include "Trainer.h"

#include "Target/CPU/JitCompiler.h"
#include "Transforms/Training.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <malloc.h>
#include <random>
#include <sys/resource.h>

using namespace llvm;
namespace rt = loom::rt;
using Clock = std::chrono::steady_clock;

namespace loomc {
namespace {

double seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

rt::HostTensor synthetic(const std::vector<int64_t> &shape, int64_t batch,
                         int64_t classes, bool label, std::mt19937 &rng) {
  std::vector<int64_t> full = shape;
  for (int64_t &d : full)
    if (d == -1)
      d = batch;
  rt::HostTensor t(rt::TensorType{rt::DType::F32, full});
  std::normal_distribution<float> normal;
  for (int64_t i = 0; i < t.numElements(); ++i)
    t.as<float>()[i] = !label          ? normal(rng)
                       : classes > 0 ? float(rng() % uint64_t(classes))
                                     : float(rng() % 2);
  return t;
}

/// Median, 10th and 90th percentile of the per-call times, in ms.
std::string summary(std::vector<double> &ms) {
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[size_t(q * double(ms.size() - 1))]; };
  return formatv("median_ms={0:F4} p10_ms={1:F4} p90_ms={2:F4} calls={3}",
                 at(0.5), at(0.1), at(0.9), ms.size())
      .str();
}

/// A `VmRSS:`-style field of /proc/self/status, in kB (0 if unreadable).
int64_t statusKb(const std::string &key) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind(key + ":", 0) == 0)
      return std::atoll(line.c_str() + key.size() + 1);
  return 0;
}

/// Restarts the peak RSS (VmHWM) from the current RSS, so that the peak read
/// later is the training step's and not the compiler's (Linux >= 4.0).
/// The compiler's freed memory is handed back to the system first, or the
/// session would reuse those resident pages and look smaller than it is.
bool resetPeakRss() {
  ::malloc_trim(0);
  std::ofstream clear("/proc/self/clear_refs");
  return bool(clear << "5" << std::flush);
}

} // namespace

int runBench(const BenchArgs &args) {
  auto t0 = Clock::now();
  auto model = loadModel(args.model.file, args.model.model, args.model.verbose);
  if (!model)
    return fail(model.takeError());
  CompilerContext cc;
  cc.verbose = args.model.verbose;
  int64_t batch = args.model.batch > 0 ? args.model.batch : 32;
  loom::dsl::ModelInterface iface;
  auto module = loom::dsl::buildModel(cc.context, *model, batch, &iface);
  if (!module)
    return 1;
  auto options = trainingOptionsFor(args.optimizer);
  if (!options)
    return fail(options.takeError());
  if (iface.hasLoss && failed(loom::buildTrainingEntries(*module, *options)))
    return fail("deriving the training step failed");
  auto exe = loom::compileForCPU(*module, cc.compileOptions(model->name));
  if (!exe)
    return fail(exe.takeError());
  // From here on the memory is the session's: parameters, optimizer state,
  // data and the steps' buffers.
  bool peakReset = resetPeakRss();
  int64_t baseKb = statusKb("VmRSS");
  std::unique_ptr<rt::Session> session;
  if (rt::Status st = rt::Session::create(*exe, 0, session); !st)
    return fail(st.message());
  auto t1 = Clock::now();

  std::mt19937 rng(0);
  std::map<std::string, rt::HostTensor> all, forwardInputs;
  for (const auto &in : iface.inputs) {
    all[in.name] = synthetic(in.shape, batch, iface.numClasses, in.isLabel, rng);
    if (!in.isLabel)
      forwardInputs[in.name] = all[in.name].clone();
  }
  outs() << "bench model=" << model->name << " batch=" << batch
         << formatv(" compile_s={0:F3}", seconds(t0, t1)) << "\n";

  auto time = [&](const char *entry, auto call) -> int {
    for (int i = 0; i < args.warmup; ++i)
      if (rt::Status st = call(); !st)
        return fail(st.message());
    std::vector<double> ms;
    auto start = Clock::now();
    while (int64_t(ms.size()) < args.steps ||
           seconds(start, Clock::now()) < args.minSeconds) {
      auto a = Clock::now();
      if (rt::Status st = call(); !st)
        return fail(st.message());
      ms.push_back(seconds(a, Clock::now()) * 1e3);
    }
    outs() << "bench entry=" << entry << " " << summary(ms) << "\n";
    return 0;
  };
  std::map<std::string, rt::HostTensor> out;
  bool train =
      iface.hasLoss && (args.entry == "train_step" || args.entry == "both");
  if (train)
    if (int rc = time("train_step", [&] {
          // A tiny learning rate keeps synthetic training finite for long
          // runs; the work per step does not depend on it.
          return session->trainStep(all, 1e-6, out);
        }))
      return rc;
  if (train && peakReset)
    outs() << "bench base_kb=" << baseKb
           << " step_peak_kb=" << statusKb("VmHWM") << "\n";
  if (args.entry == "forward" || args.entry == "both")
    if (int rc = time("forward",
                      [&] { return session->run("forward", forwardInputs, out); }))
      return rc;
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  outs() << "bench peak_rss_kb=" << usage.ru_maxrss << "\n";
  return 0;
}

} // namespace loomc
