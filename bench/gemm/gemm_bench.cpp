//===- gemm_bench.cpp - loom_rt_gemm_f32 against OpenBLAS sgemm -----------===//
//
// Prints one parseable line per measurement (see README.md): the measured
// FMA peak, square GEMMs at 1 and 2 threads, and the small and batched
// shapes compiled models produce (a matrix-vector product, a long-K
// gradient, attention heads, dense layers). Each figure is the median
// GFLOP/s of timed runs after a warm-up, Loom and OpenBLAS alternating in
// rounds, over the samples undisturbed by other processes (README.md).
//
//===----------------------------------------------------------------------===//
#include "loom/rt/cpu/Gemm.h"

#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <random>
#include <thread>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

/// CPU time of the whole process (all threads, spinning included).
double processCpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

/// Timed samples of one library on one problem.
struct Samples {
  std::vector<double> wall; ///< GFLOP/s per wall second
  std::vector<double> cpu;  ///< GFLOP/s per CPU second of the process
  std::vector<bool> clean;  ///< the process got its threads' worth of CPU

  /// The median of `v`, over the clean samples only or over all.
  double median(const std::vector<double> &v, bool cleanOnly) const {
    std::vector<double> use;
    for (size_t i = 0; i < v.size(); ++i)
      if (clean[i] || !cleanOnly)
        use.push_back(v[i]);
    std::sort(use.begin(), use.end());
    size_t n = use.size();
    return n % 2 ? use[n / 2] : 0.5 * (use[n / 2 - 1] + use[n / 2]);
  }
  int cleanCount() const {
    return int(std::count(clean.begin(), clean.end(), true));
  }
};

/// Appends `samples` timings of `fn` (doing `flops` per call, run on
/// `threads` threads): calls are batched so one sample lasts at least
/// ~20 ms. A sample is clean when the process used at least 90% of
/// `threads` CPUs during it: on a machine shared with other processes the
/// others were then not running, and the figure is what the library does
/// on a machine of its own.
void measure(const std::function<void()> &fn, double flops, int threads,
             int samples, Samples &out) {
  auto t0 = Clock::now();
  fn();
  double once = std::max(seconds(Clock::now() - t0), 1e-7);
  int calls = std::max(1, int(0.02 / once));
  for (int s = 0; s < samples; ++s) {
    double cpu0 = processCpuSeconds();
    auto start = Clock::now();
    for (int i = 0; i < calls; ++i)
      fn();
    double wall = seconds(Clock::now() - start);
    double cpu = processCpuSeconds() - cpu0;
    out.wall.push_back(flops * calls / wall * 1e-9);
    out.cpu.push_back(flops * calls / cpu * 1e-9);
    out.clean.push_back(cpu >= 0.9 * threads * wall);
  }
}

#if defined(__x86_64__)
/// A tight loop of 12 independent FMA chains (enough to cover latency times
/// the two FMA pipes of current cores); returns GFLOP/s.
__attribute__((target("avx2,fma"))) double fmaPeakOnce(int64_t iters) {
  __m256 a0 = _mm256_set1_ps(0.0f), a1 = _mm256_set1_ps(1.0f),
         a2 = _mm256_set1_ps(2.0f), a3 = _mm256_set1_ps(3.0f),
         a4 = _mm256_set1_ps(4.0f), a5 = _mm256_set1_ps(5.0f),
         a6 = _mm256_set1_ps(6.0f), a7 = _mm256_set1_ps(7.0f),
         a8 = _mm256_set1_ps(8.0f), a9 = _mm256_set1_ps(9.0f),
         a10 = _mm256_set1_ps(10.0f), a11 = _mm256_set1_ps(11.0f);
  __m256 mul = _mm256_set1_ps(0.999999f), add = _mm256_set1_ps(1e-6f);
  auto start = Clock::now();
  for (int64_t it = 0; it < iters; ++it) {
    a0 = _mm256_fmadd_ps(a0, mul, add);
    a1 = _mm256_fmadd_ps(a1, mul, add);
    a2 = _mm256_fmadd_ps(a2, mul, add);
    a3 = _mm256_fmadd_ps(a3, mul, add);
    a4 = _mm256_fmadd_ps(a4, mul, add);
    a5 = _mm256_fmadd_ps(a5, mul, add);
    a6 = _mm256_fmadd_ps(a6, mul, add);
    a7 = _mm256_fmadd_ps(a7, mul, add);
    a8 = _mm256_fmadd_ps(a8, mul, add);
    a9 = _mm256_fmadd_ps(a9, mul, add);
    a10 = _mm256_fmadd_ps(a10, mul, add);
    a11 = _mm256_fmadd_ps(a11, mul, add);
  }
  double secs = seconds(Clock::now() - start);
  __m256 s = _mm256_add_ps(
      _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
      _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)));
  s = _mm256_add_ps(
      s, _mm256_add_ps(_mm256_add_ps(a8, a9), _mm256_add_ps(a10, a11)));
  float sink[8];
  _mm256_storeu_ps(sink, s);
  if (sink[0] == 12345.0f) // keep the result alive
    std::puts("");
  return double(iters) * 12 * 16 / secs * 1e-9;
}

void printPeak() {
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma"))
    return;
  for (int threads : {1, 2}) {
    std::vector<double> samples;
    for (int rep = 0; rep < 7; ++rep) {
      std::vector<double> per(threads);
      std::vector<std::thread> pool;
      for (int t = 1; t < threads; ++t)
        pool.emplace_back([&, t] { per[t] = fmaPeakOnce(100'000'000); });
      per[0] = fmaPeakOnce(100'000'000);
      for (auto &th : pool)
        th.join();
      double sum = 0;
      for (double p : per)
        sum += p;
      samples.push_back(sum);
    }
    std::printf("peak threads=%d gflops=%.1f\n", threads,
                *std::max_element(samples.begin(), samples.end()));
    std::fflush(stdout);
  }
}
#else
void printPeak() {}
#endif

std::vector<float> randomVector(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float &x : v)
    x = dist(rng);
  return v;
}

/// A batch of row-major C[b] += A[b] B[b] (B shared when shareB), timed
/// for both libraries; OpenBLAS gets one sgemm call per batch entry.
struct Shape {
  int64_t m, n, k, batch = 1;
  bool shareB = false;
  bool transA = false; ///< A stored K x M
  bool transB = false; ///< B stored N x K
};

void compare(const Shape &s, int threads, bool square) {
  std::vector<float> A = randomVector(size_t(s.batch * s.m * s.k), 1),
                     B = randomVector(
                         size_t((s.shareB ? 1 : s.batch) * s.k * s.n), 2),
                     C = randomVector(size_t(s.batch * s.m * s.n), 3);
  int64_t sBb = s.shareB ? 0 : s.k * s.n;
  auto loom = [&] {
    loom_rt_gemm_f32(A.data(), B.data(), C.data(), s.m, s.n, s.k,
                     s.transA ? 1 : s.k, s.transA ? s.m : 1, s.transB ? 1 : s.n,
                     s.transB ? s.k : 1, s.n, 1, s.batch, s.m * s.k, sBb,
                     s.m * s.n, 1, 0, 0, 0);
  };
  auto blas = [&] {
    for (int64_t b = 0; b < s.batch; ++b)
      cblas_sgemm(CblasRowMajor, s.transA ? CblasTrans : CblasNoTrans,
                  s.transB ? CblasTrans : CblasNoTrans, int(s.m), int(s.n),
                  int(s.k), 1.0f, A.data() + b * s.m * s.k,
                  int(s.transA ? s.m : s.k), B.data() + b * sBb,
                  int(s.transB ? s.k : s.n), 1.0f, C.data() + b * s.m * s.n,
                  int(s.n));
  };
  loom::rt::setNumThreads(threads);
  openblas_set_num_threads(threads);
  double flops = 2.0 * double(s.m * s.n * s.k * s.batch);
  Samples loomS, blasS;
  // Idle workers of either library poll for a while before they sleep
  // (OpenBLAS's for 2^28 cycles, ~0.1 s); let them settle before timing
  // the other library, so neither competes with the other's spinning.
  auto settle = [] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  };
  for (int round = 0; round < 5; ++round) {
    settle();
    for (int w = 0; w < 3; ++w)
      loom();
    measure(loom, flops, threads, 3, loomS);
    settle();
    for (int w = 0; w < 3; ++w)
      blas();
    measure(blas, flops, threads, 3, blasS);
  }
  if (square)
    std::printf("gemm n=%lld threads=%d", (long long)s.n, threads);
  else
    std::printf("gemm m=%lld n=%lld k=%lld batch=%lld%s%s threads=%d",
                (long long)s.m, (long long)s.n, (long long)s.k,
                (long long)s.batch, s.transA ? " transA=1" : "",
                s.transB ? " transB=1" : "", threads);
  // Clean samples only when both libraries have a few: a library that
  // runs a small problem on one thread never has clean samples at two.
  bool cleanOnly = loomS.cleanCount() >= 3 && blasS.cleanCount() >= 3;
  double l = loomS.median(loomS.wall, cleanOnly),
         o = blasS.median(blasS.wall, cleanOnly);
  double lc = loomS.median(loomS.cpu, cleanOnly),
         oc = blasS.median(blasS.cpu, cleanOnly);
  std::printf(" loom_gflops=%.1f openblas_gflops=%.1f ratio=%.3f"
              " loom_cpu_gflops=%.1f openblas_cpu_gflops=%.1f cpu_ratio=%.3f"
              " clean=%d/%d,%d/%d%s\n",
              l, o, l / o, lc, oc, lc / oc, loomS.cleanCount(),
              int(loomS.wall.size()), blasS.cleanCount(),
              int(blasS.wall.size()), cleanOnly ? "" : " (all samples)");
  std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv) {
  // Arguments pick parts: square sizes, "peak", "small", "conv"; none = all.
  std::vector<int64_t> sizes;
  bool peak = argc == 1, small = argc == 1, conv = argc == 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "peak") == 0)
      peak = true;
    else if (std::strcmp(argv[i], "small") == 0)
      small = true;
    else if (std::strcmp(argv[i], "conv") == 0)
      conv = true;
    else
      sizes.push_back(std::atoll(argv[i]));
  }
  if (argc == 1)
    sizes = {128, 256, 512, 1024};

  std::printf("config openblas=\"%s\" openblas_parallel=%d loom_kernels=%s "
              "hardware_threads=%u\n",
              openblas_get_config(), openblas_get_parallel(),
              loom::rt::gemmKernelName(), std::thread::hardware_concurrency());
  if (peak)
    printPeak();
  for (int64_t n : sizes)
    for (int threads : {1, 2})
      compare({n, n, n}, threads, true);
  if (conv) {
    // The GEMMs of a LeNet training step (batch 64): convolutions as
    // im2col GEMMs, few filters (M) times many output pixels (N), B
    // row-major along N (some with A transposed); the weight gradients
    // dY X^T read B transposed.
    const Shape convShapes[] = {
        {6, 784, 25, 64},
        {16, 100, 150, 64},
        {6, 196, 400, 64, false, true},
        {16, 100, 16, 64, false, true},
        {6, 25, 784, 64, false, false, true},
        {16, 150, 100, 64, false, false, true},
    };
    for (const Shape &s : convShapes)
      for (int threads : {1, 2})
        compare(s, threads, false);
  }
  if (!small)
    return 0;
  const Shape shapes[] = {
      {569, 1, 30},                   // logistic regression forward
      {30, 1, 569, 1, false, true},   // ... and its weight gradient
      {32, 9, 50000, 1, false, true}, // a long-K weight gradient
      {128, 64, 128, 16},             // attention heads: scores x values
      {64, 64, 64, 64, true},         // many tiny GEMMs, shared B
      {100, 100, 100},
      {64, 128, 784},                 // dense layer forward, batch 64
      {784, 128, 64, 1, false, true}, // ... its weight gradient X^T dY
      {4, 1000, 512},                 // small-batch inference
  };
  for (const Shape &s : shapes)
    for (int threads : {1, 2})
      compare(s, threads, false);
  return 0;
}
