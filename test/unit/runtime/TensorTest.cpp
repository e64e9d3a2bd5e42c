//===- TensorTest.cpp - DType, TensorType and HostTensor basics -----------===//
//
// The value types everything else builds on: dtype names and sizes, type
// strings, HostTensor's aligned zeroed storage, element access and copies.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/Tensor.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>

using namespace loom::rt;

TEST(DTypeTest, NamesSizesAndParsingAgree) {
  struct Case {
    DType t;
    const char *name;
    size_t size;
  } cases[] = {{DType::F32, "f32", 4},
               {DType::F64, "f64", 8},
               {DType::I1, "i1", 1},
               {DType::I32, "i32", 4},
               {DType::I64, "i64", 8}};
  for (const Case &c : cases) {
    EXPECT_STREQ(dtypeName(c.t), c.name);
    EXPECT_EQ(dtypeSize(c.t), c.size);
    DType parsed = DType::F64;
    ASSERT_TRUE(parseDType(c.name, parsed)) << c.name;
    EXPECT_EQ(parsed, c.t);
  }
  DType unused;
  EXPECT_FALSE(parseDType("float32", unused));
  EXPECT_FALSE(parseDType("", unused));
}

TEST(TensorTypeTest, StrAndElementCount) {
  TensorType t{DType::F32, {4, 1}};
  EXPECT_EQ(t.str(), "f32[4,1]");
  EXPECT_EQ(t.numElements(), 4);
  EXPECT_EQ(t.byteSize(), 16u);
  TensorType scalar{DType::I64, {}};
  EXPECT_EQ(scalar.str(), "i64[]");
  EXPECT_EQ(scalar.numElements(), 1);
  TensorType empty{DType::F64, {3, 0, 2}};
  EXPECT_EQ(empty.str(), "f64[3,0,2]");
  EXPECT_EQ(empty.numElements(), 0);
  EXPECT_TRUE((TensorType{DType::F32, {2}} == TensorType{DType::F32, {2}}));
  EXPECT_FALSE((TensorType{DType::F32, {2}} == TensorType{DType::I32, {2}}));
  EXPECT_FALSE((TensorType{DType::F32, {2}} == TensorType{DType::F32, {2, 1}}));
}

TEST(HostTensorTest, StorageIsAlignedAndZeroed) {
  for (int64_t n : {0, 1, 3, 17, 1000}) {
    HostTensor t(TensorType{DType::F64, {n}});
    ASSERT_NE(t.data(), nullptr) << "even empty tensors get a buffer";
    EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data()) % 64, 0u);
    for (int64_t i = 0; i < n; ++i)
      ASSERT_EQ(t.as<double>()[i], 0.0);
  }
}

TEST(HostTensorTest, FromF32AtAndSet) {
  HostTensor t = HostTensor::fromF32({2, 2}, {1, 2, 3, 4.5f});
  EXPECT_EQ(t.type().str(), "f32[2,2]");
  EXPECT_EQ(t.at(3), 4.5);
  t.set(0, -1);
  EXPECT_EQ(t.as<float>()[0], -1.0f);
  EXPECT_THROW(t.at(4), std::out_of_range);
  EXPECT_THROW(HostTensor::fromF32({3}, {1, 2}), std::invalid_argument);

  HostTensor b(TensorType{DType::I1, {2}});
  b.set(1, 7);
  EXPECT_EQ(b.as<uint8_t>()[1], 1) << "i1 stores 0/1 only";
  EXPECT_EQ(b.at(1), 1.0);
  HostTensor i(TensorType{DType::I64, {1}});
  i.set(0, -42);
  EXPECT_EQ(i.at(0), -42.0);
}

TEST(HostTensorTest, CloneIsDeepAndMovesLeaveNoStorage) {
  HostTensor a = HostTensor::fromF32({3}, {1, 2, 3});
  HostTensor b = a.clone();
  b.set(0, 9);
  EXPECT_EQ(a.at(0), 1.0);
  EXPECT_EQ(b.type(), a.type());
  HostTensor c = std::move(a);
  EXPECT_TRUE(c.hasStorage());
  EXPECT_FALSE(a.hasStorage()); // NOLINT(bugprone-use-after-move)
}

TEST(HostTensorTest, RejectsImpossibleShapes) {
  EXPECT_THROW(HostTensor(TensorType{DType::F32, {-1}}), std::invalid_argument);
  EXPECT_THROW(HostTensor(TensorType{DType::F64, {INT64_MAX, INT64_MAX}}),
               std::length_error);
}

TEST(StatusTest, OkAndError) {
  Status ok = Status::ok();
  EXPECT_TRUE(ok.isOk());
  EXPECT_TRUE(bool(ok));
  Status e = Status::error("input 'x': bad");
  EXPECT_FALSE(e.isOk());
  EXPECT_EQ(e.message(), "input 'x': bad");
}
