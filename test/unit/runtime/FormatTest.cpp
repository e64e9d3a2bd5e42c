//===- FormatTest.cpp - Tensor printing
//
// formatTensor's output is compared literally, so these tests pin its exact
// spelling: brackets, separators, %g numbers, bools and summarization.
//
//===----------------------------------------------------------------------===//
//------------------------------------===//

#include "loom/rt/core/Format.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace loom::rt;

TEST(FormatTest, NestedBrackets) {
  EXPECT_EQ(formatTensor(HostTensor::fromF32({2, 1}, {10, 0})), "[[10], [0]]");
  EXPECT_EQ(formatTensor(HostTensor::fromF32({3}, {1, 2.5f, -3})),
            "[1, 2.5, -3]");
  EXPECT_EQ(formatTensor(HostTensor::fromF32({}, {3.5f})), "3.5");
  EXPECT_EQ(formatTensor(HostTensor::fromF32({2, 2, 1}, {1, 2, 3, 4})),
            "[[[1], [2]], [[3], [4]]]");
  EXPECT_EQ(formatTensor(HostTensor(TensorType{DType::F32, {2, 0}})),
            "[[], []]");
  EXPECT_EQ(formatTensor(HostTensor(TensorType{DType::F32, {0}})), "[]");
  EXPECT_EQ(formatTensor(HostTensor()), "<empty>");
}

TEST(FormatTest, NumbersAndDTypes) {
  EXPECT_EQ(formatTensor(HostTensor::fromF32(
                {5}, {1e-7f, 123456789.f, NAN, -INFINITY, 0.1f})),
            "[1e-07, 1.23457e+08, nan, -inf, 0.1]");
  EXPECT_EQ(formatTensor(HostTensor::fromF32({1}, {3.14159265f}), 3), "[3.14]");
  HostTensor b(TensorType{DType::I1, {2}});
  b.set(1, 1);
  EXPECT_EQ(formatTensor(b), "[false, true]");
  HostTensor i(TensorType{DType::I64, {2}});
  i.set(0, -5);
  i.set(1, 9007199254740993.0);
  EXPECT_EQ(formatTensor(i), "[-5, 9007199254740992]");
}

TEST(FormatTest, LargeTensorsAreSummarized) {
  HostTensor t(TensorType{DType::I32, {2000}});
  for (int64_t k = 0; k < 2000; ++k)
    t.set(k, double(k));
  EXPECT_EQ(formatTensor(t), "[0, 1, 2, ..., 1997, 1998, 1999]");
  HostTensor small(TensorType{DType::I32, {10}});
  EXPECT_EQ(formatTensor(small), "[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]")
      << "no summary at or below 1000 elements";
}
