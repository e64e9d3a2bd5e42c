//===- CsvTest.cpp - Reading and writing numeric CSV tables ---------------===//
//
// Header detection, quoting, CRLF/BOM, and the exact error messages a person
// sees for bad cells, ragged rows and empty or missing files.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "loom/rt/core/Io.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace loom::rt;
using loom::rt::test::readBytes;
using loom::rt::test::TempDir;
using loom::rt::test::writeBytes;

namespace {

struct CsvResult {
  Status status;
  HostTensor tensor;
  std::vector<std::string> header;
  std::string path;
};

CsvResult readText(const TempDir &dir, const std::string &text) {
  CsvResult r;
  r.path = dir.file("data.csv");
  writeBytes(r.path, text);
  r.status = readCsv(r.path, r.tensor, &r.header);
  return r;
}

} // namespace

TEST(CsvTest, ReadsATableWithoutHeader) {
  TempDir dir;
  CsvResult r = readText(dir, "1,2.5,-3\n4e2, +5 ,nan\n");
  ASSERT_TRUE(r.status) << r.status.message();
  EXPECT_EQ(r.tensor.type().str(), "f32[2,3]");
  EXPECT_EQ(r.tensor.at(1), 2.5);
  EXPECT_EQ(r.tensor.at(3), 400.0);
  EXPECT_EQ(r.tensor.at(4), 5.0);
  EXPECT_TRUE(std::isnan(r.tensor.at(5)));
  EXPECT_TRUE(r.header.empty());
}

TEST(CsvTest, DetectsAHeaderRow) {
  TempDir dir;
  // BOM, CRLF line ends, a quoted header cell holding a comma, blank lines.
  CsvResult r = readText(dir, "\xEF\xBB\xBF"
                              "x,\"y, in m\",label\r\n"
                              "1,2,0\r\n"
                              "\r\n"
                              "3,4,1\r\n");
  ASSERT_TRUE(r.status) << r.status.message();
  EXPECT_EQ(r.tensor.type().str(), "f32[2,3]");
  EXPECT_EQ(r.header, (std::vector<std::string>{"x", "y, in m", "label"}));
  EXPECT_EQ(r.tensor.at(5), 1.0);
}

TEST(CsvTest, NonNumericCellNamesLineAndColumn) {
  TempDir dir;
  CsvResult r = readText(dir, "a,b,name\n1,2,3\n4,5,abc\n");
  EXPECT_EQ(r.status.message(),
            r.path + ":3: non-numeric cell 'abc' in column 3 ('name')");
  r = readText(dir, "1,2\n3,x7\n");
  EXPECT_EQ(r.status.message(),
            r.path + ":2: non-numeric cell 'x7' in column 2");
  r = readText(dir, "1,,3\n");
  EXPECT_EQ(r.status.message(), r.path + ":1: empty cell in column 2")
      << "an empty cell does not make a header";
  r = readText(dir, "1,1e999\n");
  EXPECT_EQ(r.status.message(),
            r.path + ":1: value '1e999' in column 2 is out of range for f32");
}

TEST(CsvTest, RaggedRowsAreErrors) {
  TempDir dir;
  CsvResult r = readText(dir, "a,b,c\n1,2,3\n\n4,5\n");
  EXPECT_EQ(r.status.message(), r.path + ":4: expected 3 columns, found 2");
  r = readText(dir, "1,2\n3,4,5\n");
  EXPECT_EQ(r.status.message(), r.path + ":2: expected 2 columns, found 3");
}

TEST(CsvTest, EmptyAndMissingFiles) {
  TempDir dir;
  CsvResult r = readText(dir, "");
  EXPECT_EQ(r.status.message(), r.path + ": empty file");
  r = readText(dir, "\n  \n");
  EXPECT_EQ(r.status.message(), r.path + ": empty file");
  r = readText(dir, "a,b\n");
  EXPECT_EQ(r.status.message(), r.path + ": header but no data rows");
  r = readText(dir, "1,\"2\n");
  EXPECT_EQ(r.status.message(), r.path + ":1: unterminated quoted cell");

  HostTensor t;
  Status s = readCsv(dir.file("missing.csv"), t);
  EXPECT_EQ(s.message(), "cannot open " + dir.file("missing.csv") +
                             ": No such file or directory");
}

TEST(CsvTest, WritesRanksZeroToTwoAndReadsThemBack) {
  TempDir dir;
  std::string path = dir.file("out.csv");
  HostTensor m = HostTensor::fromF32({2, 3}, {0.1f, -2, 3e-8f, 4, 5, 1e20f});
  ASSERT_TRUE(writeCsv(path, m));
  EXPECT_EQ(readBytes(path), "0.1,-2,3e-08\n4,5,1e+20\n");
  HostTensor back;
  ASSERT_TRUE(readCsv(path, back));
  EXPECT_EQ(back.type(), m.type());
  for (int64_t i = 0; i < 6; ++i)
    EXPECT_EQ(back.at(i), m.at(i)) << "shortest text round-trips exactly";

  HostTensor v(TensorType{DType::I64, {3}});
  v.set(0, -7);
  ASSERT_TRUE(writeTensorFile(dir.file("v.csv"), v));
  EXPECT_EQ(readBytes(dir.file("v.csv")), "-7\n0\n0\n") << "a column";

  HostTensor s(TensorType{DType::F64, {}});
  s.set(0, 0.5);
  ASSERT_TRUE(writeCsv(path, s));
  EXPECT_EQ(readBytes(path), "0.5\n");

  HostTensor cube(TensorType{DType::F32, {1, 1, 1}});
  Status err = writeCsv(path, cube);
  EXPECT_NE(err.message().find("has rank > 2"), std::string::npos)
      << err.message();
  EXPECT_EQ(readBytes(path), "0.5\n") << "a failed write changes nothing";
}
