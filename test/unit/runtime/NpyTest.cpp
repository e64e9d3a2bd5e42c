//===- NpyTest.cpp - Reading and writing .npy files -----------------------===//
//
// Round trips for every dtype and rank 0..3, files built byte by byte the way
// numpy writes them (versions 1, 2 and 3), and every kind of corrupt input.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "loom/rt/core/Io.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace loom::rt;
using loom::rt::test::readBytes;
using loom::rt::test::TempDir;
using loom::rt::test::writeBytes;

namespace {

/// An NPY file as numpy writes it: magic, version, little-endian header
/// length, the dict padded with spaces and '\n' to a 64-byte boundary, data.
std::string npyBytes(const std::string &dict, const std::string &data,
                     int major = 1) {
  size_t lenWidth = major == 1 ? 2 : 4;
  std::string header = dict;
  while ((8 + lenWidth + header.size() + 1) % 64 != 0)
    header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += char(major);
  out += char(0);
  for (size_t i = 0; i < lenWidth; ++i)
    out += char((header.size() >> (8 * i)) & 0xff);
  return out + header + data;
}

template <typename T> std::string raw(std::initializer_list<T> values) {
  std::string s;
  for (T v : values)
    s.append(reinterpret_cast<const char *>(&v), sizeof(T));
  return s;
}

Status readBack(const TempDir &dir, const std::string &bytes, HostTensor &out) {
  std::string path = dir.file("t.npy");
  writeBytes(path, bytes);
  return readNpy(path, out);
}

std::string errorOf(const std::string &bytes) {
  TempDir dir;
  HostTensor t;
  Status s = readBack(dir, bytes, t);
  EXPECT_FALSE(s) << "expected an error";
  return s.message();
}

} // namespace

TEST(NpyTest, RoundTripsEveryDTypeAndRank) {
  TempDir dir;
  std::vector<std::vector<int64_t>> shapes = {{}, {5}, {2, 3}, {2, 1, 3}};
  for (DType dt : {DType::F32, DType::F64, DType::I1, DType::I32, DType::I64}) {
    for (const auto &shape : shapes) {
      HostTensor t(TensorType{dt, shape});
      for (int64_t i = 0; i < t.numElements(); ++i)
        t.set(i, dt == DType::I1 ? double(i % 2) : double(i) * 1.5 - 3);
      std::string path = dir.file("rt.npy");
      ASSERT_TRUE(writeNpy(path, t)) << t.type().str();
      HostTensor back;
      Status s = readNpy(path, back);
      ASSERT_TRUE(s) << s.message();
      EXPECT_EQ(back.type(), t.type());
      EXPECT_EQ(std::memcmp(back.data(), t.data(), t.byteSize()), 0)
          << t.type().str();
    }
  }
}

TEST(NpyTest, WritesExactlyWhatNumpyWrites) {
  HostTensor t(TensorType{DType::F32, {2, 3}});
  std::string expected =
      npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
               std::string(24, '\0'));
  EXPECT_EQ(encodeNpy(t), expected);
  HostTensor v(TensorType{DType::I64, {4}});
  EXPECT_EQ(encodeNpy(v).substr(10, 60),
            "{'descr': '<i8', 'fortran_order': False, 'shape': (4,), }   ");
  HostTensor s(TensorType{DType::I1, {}});
  EXPECT_NE(encodeNpy(s).find("'descr': '|b1'"), std::string::npos);
  EXPECT_NE(encodeNpy(s).find("'shape': ()"), std::string::npos);
  EXPECT_EQ(encodeNpy(s).size() % 64, 1u) << "data starts at 64";
}

TEST(NpyTest, ReadsHandWrittenNumpyFiles) {
  TempDir dir;
  HostTensor t;
  Status s = readBack(
      dir,
      npyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }",
               raw<int32_t>({1, -2, 3, 4, 5, 600000})),
      t);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(t.type().str(), "i32[2,3]");
  EXPECT_EQ(t.as<int32_t>()[1], -2);
  EXPECT_EQ(t.as<int32_t>()[5], 600000);

  // Version 2 and 3 headers (4-byte length); keys in another order,
  // double quotes and an old-style "3L" dimension.
  for (int major : {2, 3}) {
    s = readBack(dir,
                 npyBytes("{\"shape\": (3L,), \"fortran_order\": False, "
                          "\"descr\": \"<f8\"}",
                          raw<double>({0.25, -1, 1e300}), major),
                 t);
    ASSERT_TRUE(s) << s.message();
    EXPECT_EQ(t.type().str(), "f64[3]");
    EXPECT_EQ(t.at(2), 1e300);
  }

  // numpy bools: any nonzero byte reads as true (stored as 1).
  s = readBack(dir,
               npyBytes("{'descr': '|b1', 'fortran_order': False, "
                        "'shape': (3,), }",
                        std::string("\x00\x01\x05", 3)),
               t);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(t.as<uint8_t>()[2], 1);
}

TEST(NpyTest, TruncatedFilesAreErrorsNamingTheFile) {
  std::string good =
      npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }",
               raw<float>({1, 2, 3, 4}));
  std::string msg = errorOf(good.substr(0, good.size() - 3));
  EXPECT_NE(msg.find("t.npy: truncated NPY data: f32[4] needs 16 bytes, the "
                     "file has 13"),
            std::string::npos)
      << msg;
  msg = errorOf(good.substr(0, 40)); // cut inside the header
  EXPECT_NE(msg.find("truncated NPY header"), std::string::npos) << msg;
  msg = errorOf(good.substr(0, 7));
  EXPECT_NE(msg.find("truncated NPY file"), std::string::npos) << msg;
  msg = errorOf(good + "xx");
  EXPECT_NE(msg.find("2 unexpected bytes"), std::string::npos) << msg;
  msg = errorOf("");
  EXPECT_NE(msg.find("empty file"), std::string::npos) << msg;
  // A header claiming 4 TB must be rejected before anything is allocated.
  msg = errorOf(npyBytes("{'descr': '<f4', 'fortran_order': False, "
                         "'shape': (1099511627776,), }",
                         "abcd"));
  EXPECT_NE(msg.find("truncated NPY data: f32[1099511627776]"),
            std::string::npos)
      << msg;
}

TEST(NpyTest, BadMagicIsAnError) {
  std::string msg = errorOf("PK\x03\x04 this is a zip file, not npy");
  EXPECT_NE(msg.find("t.npy: not an NPY file (bad magic)"), std::string::npos)
      << msg;
}

TEST(NpyTest, UnsupportedDTypesAndLayoutsAreErrors) {
  std::string msg = errorOf(npyBytes(
      "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", "abcd"));
  EXPECT_NE(msg.find("unsupported NPY dtype '>f4'"), std::string::npos) << msg;
  msg = errorOf(npyBytes(
      "{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", "a"));
  EXPECT_NE(msg.find("unsupported NPY dtype '|u1' (supported: <f4, <f8, "
                     "|b1, <i4, <i8)"),
            std::string::npos)
      << msg;
  msg = errorOf(npyBytes(
      "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", "abcd"));
  EXPECT_NE(msg.find("fortran_order"), std::string::npos) << msg;
}

TEST(NpyTest, CorruptHeadersAreErrors) {
  for (const char *dict :
       {"{'descr': '<f4', 'shape': (1,), }", // no fortran_order
        "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,2 }",
        "{'descr': '<f4, 'fortran_order': False}", "not a dict",
        "{'descr': '<f4', 'fortran_order': False, 'shape': "
        "(99999999999999999999,), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': "
        "(4294967296, 4294967296, 4294967296), }"}) {
    std::string msg = errorOf(npyBytes(dict, "abcd"));
    EXPECT_NE(msg.find("t.npy: "), std::string::npos) << dict << ": " << msg;
  }
  std::string bad = npyBytes("{}", "");
  bad[6] = 9; // version 9.0
  EXPECT_NE(errorOf(bad).find("unsupported NPY version 9.0"),
            std::string::npos);
}

TEST(NpyTest, MissingFileAndTensorFileDispatch) {
  TempDir dir;
  HostTensor t;
  Status s = readNpy(dir.file("nope.npy"), t);
  EXPECT_EQ(s.message(), "cannot open " + dir.file("nope.npy") +
                             ": No such file or "
                             "directory");
  HostTensor v = HostTensor::fromF32({2}, {1, 2});
  ASSERT_TRUE(writeTensorFile(dir.file("v.NPY"), v));
  ASSERT_TRUE(readTensorFile(dir.file("v.NPY"), t));
  EXPECT_EQ(t.at(1), 2.0);
  s = writeTensorFile(dir.file("v.bin"), v);
  EXPECT_EQ(s.message(), dir.file("v.bin") + ": unsupported tensor file "
                                             "extension '.bin' (supported: "
                                             ".npy, .csv)");
  EXPECT_FALSE(readTensorFile(dir.file("noext"), t));
  EXPECT_EQ(readBytes(dir.file("v.bin")), "") << "nothing written";
}
