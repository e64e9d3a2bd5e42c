//===- ThreadSafetyTest.cpp - What the headers promise about threads ------===//
//
// The C API's promises, exercised as an app would (and run under
// ThreadSanitizer by `make sanitize`): one executable shared by N sessions
// in N threads; one session shared by N threads behind the caller's mutex;
// the GEMM (and its thread pool) called from several threads at once, each
// result checked against a serial computation.
//
//===----------------------------------------------------------------------===//

#include "FakeExecutable.h"

#include "loom/rt/core/CInterop.h"
#include "loom/rt/cpu/Gemm.h"
#include "loom/runtime.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

using namespace loom::rt;

namespace {

constexpr int kThreads = 4, kCalls = 200;

/// Runs forward(x) on `s` and checks y = x + w (w = 0.5, 1.5, ...).
bool runOnce(loom_session_t *s, float base) {
  float x[8];
  for (int i = 0; i < 8; ++i)
    x[i] = base + float(i);
  int64_t shape[2] = {4, 2};
  loom_tensor_t *in = nullptr, *out = nullptr;
  if (loom_tensor_create(LOOM_DTYPE_F32, shape, 2, x, sizeof x, &in))
    return false;
  const char *inName = "x", *outName = "y";
  loom_status_t st = loom_session_run(s, "forward", 1, &inName, &in, 1,
                                      &outName, &out);
  bool ok = !st;
  if (st)
    loom_status_free(st);
  if (ok) {
    const float *y = static_cast<const float *>(loom_tensor_data(out));
    for (int i = 0; i < 8; ++i)
      ok = ok && y[i] == x[i] + 0.5f + float(i);
    loom_tensor_release(out);
  }
  loom_tensor_release(in);
  return ok;
}

TEST(ThreadSafetyTest, SessionsOfOneExecutableInParallel) {
  loom_executable_t *exe = wrapExecutable(test::makeAdder());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      loom_session_t *s = nullptr;
      if (loom_session_create(exe, nullptr, &s)) {
        ++failures;
        return;
      }
      for (int c = 0; c < kCalls; ++c)
        failures += !runOnce(s, float(t * 1000 + c));
      loom_session_release(s);
    });
  for (auto &th : threads)
    th.join();
  loom_executable_release(exe);
  EXPECT_EQ(failures.load(), 0);
}

TEST(ThreadSafetyTest, OneSessionBehindAMutex) {
  loom_executable_t *exe = wrapExecutable(test::makeAdder());
  loom_session_t *s = nullptr;
  ASSERT_EQ(loom_session_create(exe, nullptr, &s), nullptr);
  loom_executable_release(exe); // the session keeps it alive
  std::mutex m;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int c = 0; c < kCalls; ++c) {
        std::lock_guard<std::mutex> lock(m);
        failures += !runOnce(s, float(t * 1000 + c));
      }
    });
  for (auto &th : threads)
    th.join();
  loom_session_release(s);
  EXPECT_EQ(failures.load(), 0);
}

TEST(ThreadSafetyTest, GemmFromSeveralThreads) {
  constexpr int64_t M = 96, N = 80, K = 64;
  std::vector<float> A(M * K), B(K * N), want(M * N, 0.0f);
  for (int64_t i = 0; i < M * K; ++i)
    A[i] = float((i * 7) % 13) - 6.0f;
  for (int64_t i = 0; i < K * N; ++i)
    B[i] = float((i * 5) % 11) - 5.0f;
  for (int64_t m = 0; m < M; ++m) // small integers: exact in any order
    for (int64_t n = 0; n < N; ++n)
      for (int64_t k = 0; k < K; ++k)
        want[m * N + n] += A[m * K + k] * B[k * N + n];
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int c = 0; c < 20; ++c) {
        std::vector<float> C(M * N, 0.0f);
        loom_rt_gemm_f32(A.data(), B.data(), C.data(), M, N, K, K, 1, N, 1, N,
                         1, 1, 0, 0, 0, 1, 0, 0, 0);
        failures += C != want;
      }
    });
  for (auto &th : threads)
    th.join();
  EXPECT_EQ(failures.load(), 0);
}

} // namespace
