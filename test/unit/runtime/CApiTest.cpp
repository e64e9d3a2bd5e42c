//===- CApiTest.cpp - The C API, driven only through its C functions -----===//
//
// Only wrapping the fake executable uses C++ (that is what CInterop.h is
// for); everything after is the C API as a C program would call it.
//
//===----------------------------------------------------------------------===//

#include "FakeExecutable.h"
#include "loom/rt/core/CInterop.h"
#include "loom/runtime.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace {

/// Frees the status and returns its message ("OK" for success).
std::string take(loom_status_t status) {
  std::string msg = loom_status_message(status);
  loom_status_free(status);
  return msg;
}

class CApiTest : public ::testing::Test {
protected:
  void SetUp() override {
    loom::rt::test::descriptorProblem().clear();
    loom_executable_t *exe =
        loom::rt::wrapExecutable(loom::rt::test::makeAdder());
    ASSERT_NE(exe, nullptr);
    EXPECT_STREQ(loom_executable_model_name(exe), "adder");
    loom_session_options_t options;
    loom_session_options_initialize(&options);
    options.seed = 3;
    ASSERT_EQ(take(loom_session_create(exe, &options, &session)), "OK");
    loom_executable_release(exe); // the session keeps the model alive
  }
  void TearDown() override {
    loom_session_release(session);
    EXPECT_EQ(loom::rt::test::descriptorProblem(), "");
  }

  loom_tensor_t *matrix(int64_t rows, int64_t cols, float start) {
    std::vector<float> data(size_t(rows * cols));
    for (size_t i = 0; i < data.size(); ++i)
      data[i] = start + float(i);
    int64_t shape[2] = {rows, cols};
    loom_tensor_t *t = nullptr;
    EXPECT_EQ(take(loom_tensor_create(LOOM_DTYPE_F32, shape, 2, data.data(),
                                      data.size() * sizeof(float), &t)),
              "OK");
    return t;
  }

  loom_session_t *session = nullptr;
};

} // namespace

TEST(CApiTensorTest, CreateInspectRelease) {
  int64_t shape[3] = {2, 1, 3};
  int32_t data[6] = {1, 2, 3, 4, 5, 6};
  loom_tensor_t *t = nullptr;
  ASSERT_EQ(take(loom_tensor_create(LOOM_DTYPE_I32, shape, 3, data,
                                    sizeof(data), &t)),
            "OK");
  EXPECT_EQ(loom_tensor_dtype(t), LOOM_DTYPE_I32);
  EXPECT_STREQ(loom_dtype_name(loom_tensor_dtype(t)), "i32");
  ASSERT_EQ(loom_tensor_rank(t), 3u);
  EXPECT_EQ(loom_tensor_shape(t)[2], 3);
  EXPECT_EQ(loom_tensor_element_count(t), 6);
  EXPECT_EQ(loom_tensor_byte_size(t), sizeof(data));
  EXPECT_EQ(std::memcmp(loom_tensor_data(t), data, sizeof(data)), 0);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(loom_tensor_data(t)) % 64, 0u);
  loom_tensor_retain(t);
  loom_tensor_release(t);
  EXPECT_EQ(loom_tensor_element_count(t), 6) << "still one reference";
  loom_tensor_release(t);

  loom_tensor_t *scalar = nullptr;
  ASSERT_EQ(
      take(loom_tensor_create(LOOM_DTYPE_F64, nullptr, 0, nullptr, 0, &scalar)),
      "OK");
  EXPECT_EQ(*static_cast<const double *>(loom_tensor_data(scalar)), 0.0);
  loom_tensor_release(scalar);
}

TEST(CApiTensorTest, CreateErrors) {
  int64_t shape[1] = {4};
  float data[3] = {};
  loom_tensor_t *t = nullptr;
  EXPECT_EQ(take(loom_tensor_create(LOOM_DTYPE_F32, shape, 1, data,
                                    sizeof(data), &t)),
            "loom_tensor_create: f32[4] needs 16 bytes, got 12");
  EXPECT_EQ(t, nullptr);
  EXPECT_EQ(take(loom_tensor_create(42, shape, 1, nullptr, 0, &t)),
            "loom_tensor_create: invalid dtype 42");
  int64_t negative[1] = {-1};
  EXPECT_NE(
      take(loom_tensor_create(LOOM_DTYPE_F32, negative, 1, nullptr, 0, &t))
          .find("negative dimension"),
      std::string::npos);
  EXPECT_EQ(take(nullptr), "OK");
}

TEST_F(CApiTest, RunForward) {
  loom_tensor_t *x = matrix(4, 2, 0);
  const char *inNames[] = {"x"};
  const char *outNames[] = {"y"};
  loom_tensor_t *y = nullptr;
  ASSERT_EQ(take(loom_session_run(session, "forward", 1, inNames, &x, 1,
                                  outNames, &y)),
            "OK");
  ASSERT_NE(y, nullptr);
  ASSERT_EQ(loom_tensor_rank(y), 2u);
  EXPECT_EQ(loom_tensor_shape(y)[0], 4);
  const float *yv = static_cast<const float *>(loom_tensor_data(y));
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(yv[i], float(i) + float(i) + 0.5f);
  loom_tensor_release(y);
  loom_tensor_release(x);
}

TEST_F(CApiTest, RunErrors) {
  loom_tensor_t *bad = matrix(3, 2, 0);
  const char *inNames[] = {"x"};
  const char *outNames[] = {"y"};
  loom_tensor_t *y = nullptr;
  EXPECT_EQ(take(loom_session_run(session, "forward", 1, inNames, &bad, 1,
                                  outNames, &y)),
            "input 'x': expected f32[4,2], got f32[3,2]");
  EXPECT_EQ(y, nullptr);
  EXPECT_EQ(take(loom_session_run(session, "backward", 0, nullptr, nullptr, 0,
                                  nullptr, nullptr)),
            "model 'adder' has no entry 'backward' (entries: forward, sum)");
  EXPECT_EQ(take(loom_session_run(session, "forward", 0, nullptr, nullptr, 0,
                                  nullptr, nullptr)),
            "missing input 'x' (f32[4,2]) for entry 'forward'");
  loom_tensor_release(bad);

  loom_tensor_t *x = matrix(4, 2, 0);
  const char *wrongOut[] = {"z"};
  EXPECT_EQ(take(loom_session_run(session, "forward", 1, inNames, &x, 1,
                                  wrongOut, &y)),
            "loom_session_run: entry 'forward' has no output 'z' (outputs: y)");
  EXPECT_EQ(y, nullptr);
  loom_tensor_release(x);
}

TEST_F(CApiTest, GetAndSetParam) {
  loom_tensor_t *w = nullptr;
  ASSERT_EQ(take(loom_session_get_param(session, "w", &w)), "OK");
  EXPECT_EQ(static_cast<const float *>(loom_tensor_data(w))[1], 1.5f);
  loom_tensor_release(w);
  EXPECT_EQ(take(loom_session_get_param(session, "v", &w)),
            "loom_session_get_param: unknown parameter 'v'");

  loom_tensor_t *ones = matrix(4, 2, 1);
  ASSERT_EQ(take(loom_session_set_param(session, "w", ones)), "OK");
  loom_tensor_release(ones); // the session holds its own copy
  loom_tensor_t *wrong = matrix(2, 4, 1);
  EXPECT_EQ(take(loom_session_set_param(session, "w", wrong)),
            "parameter 'w': expected f32[4,2], got f32[2,4]");
  loom_tensor_release(wrong);

  loom_tensor_t *x = matrix(4, 2, 0);
  const char *inNames[] = {"x"};
  const char *outNames[] = {"y", "y"};
  loom_tensor_t *ys[2] = {};
  ASSERT_EQ(take(loom_session_run(session, "forward", 1, inNames, &x, 2,
                                  outNames, ys)),
            "OK");
  EXPECT_EQ(static_cast<const float *>(loom_tensor_data(ys[0]))[3], 3.0f + 4);
  EXPECT_EQ(ys[0], ys[1]) << "an output asked for twice shares one handle";
  loom_tensor_release(ys[0]);
  loom_tensor_release(ys[1]);
  loom_tensor_release(x);
}
