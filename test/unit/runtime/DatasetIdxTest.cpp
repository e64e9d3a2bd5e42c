//===- DatasetIdxTest.cpp - IDX files, plain and gzipped ------------------===//
//
// Files built byte by byte (big-endian header, every type code), gzipped with
// zlib here, then: decoding, scaling to [0, 1], the image/label count check,
// wrong magic, every truncation of plain and gzipped files, corrupt gzip,
// trailing data; and the real Fashion-MNIST test set when it is installed.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "loom/rt/data/Dataset.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <zlib.h>

using namespace loom::rt;
using loom::rt::test::TempDir;
using loom::rt::test::writeBytes;

namespace {

std::string be32(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i)
    s[size_t(i)] = char((v >> (24 - 8 * i)) & 0xff);
  return s;
}

std::string idxBytes(unsigned type, const std::vector<uint32_t> &dims,
                     const std::string &data) {
  std::string s = be32((type << 8) | unsigned(dims.size()));
  for (uint32_t d : dims)
    s += be32(d);
  return s + data;
}

std::string gzip(const std::string &in) {
  z_stream z{};
  EXPECT_EQ(
      deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
      Z_OK);
  std::string out(deflateBound(&z, uLong(in.size())) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
  z.avail_in = uInt(in.size());
  z.next_out = reinterpret_cast<Bytef *>(out.data());
  z.avail_out = uInt(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

/// 2 images of 2x3 pixels and their labels.
const std::string kPixels = std::string("\x00\x33\x66\x99\xcc\xff"
                                        "\x01\x02\x03\x04\x05\x06",
                                        12);
std::string images() { return idxBytes(0x08, {2, 2, 3}, kPixels); }
std::string labels() { return idxBytes(0x08, {2}, std::string("\x07\x00", 2)); }

std::string readIdxError(const TempDir &dir, const std::string &bytes) {
  std::string path = dir.file("f.idx");
  writeBytes(path, bytes);
  HostTensor t;
  Status s = readIdx(path, t);
  EXPECT_FALSE(s) << bytes.size() << " bytes";
  EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
  return s.message();
}

} // namespace

TEST(DatasetIdxTest, ReadsPlainAndGzippedFiles) {
  TempDir dir;
  for (bool gz : {false, true}) {
    std::string path = dir.file(gz ? "img.gz" : "img");
    writeBytes(path, gz ? gzip(images()) : images());
    HostTensor t;
    Status s = readIdx(path, t);
    ASSERT_TRUE(s) << s.message();
    EXPECT_EQ(t.type().str(), "f32[2,2,3]");
    EXPECT_EQ(t.at(1), 0x33);
    EXPECT_EQ(t.at(5), 255);
    EXPECT_EQ(t.at(11), 6);
  }
}

TEST(DatasetIdxTest, DecodesEveryTypeCodeBigEndian) {
  TempDir dir;
  std::string path = dir.file("t.idx");
  HostTensor t;
  writeBytes(path, idxBytes(0x09, {2}, "\xff\x05"));
  ASSERT_TRUE(readIdx(path, t));
  EXPECT_EQ(t.type().str(), "f32[2]");
  EXPECT_EQ(t.at(0), -1);
  writeBytes(path, idxBytes(0x0B, {1}, std::string("\xfe\x00", 2)));
  ASSERT_TRUE(readIdx(path, t));
  EXPECT_EQ(t.at(0), -512);
  writeBytes(path, idxBytes(0x0C, {1}, be32(0x01020304)));
  ASSERT_TRUE(readIdx(path, t));
  EXPECT_EQ(t.type().str(), "i32[1]");
  EXPECT_EQ(t.at(0), 0x01020304);
  writeBytes(path, idxBytes(0x0D, {1}, be32(0x3fc00000))); // 1.5f
  ASSERT_TRUE(readIdx(path, t));
  EXPECT_EQ(t.at(0), 1.5);
  writeBytes(path, idxBytes(0x0E, {1}, be32(0xc0040000) + be32(0))); // -2.5
  ASSERT_TRUE(readIdx(path, t));
  EXPECT_EQ(t.type().str(), "f64[1]");
  EXPECT_EQ(t.at(0), -2.5);
}

TEST(DatasetIdxTest, LoadsAnImageDatasetScaledToUnitRange) {
  TempDir dir;
  writeBytes(dir.file("img.gz"), gzip(images()));
  writeBytes(dir.file("lab"), labels());
  Dataset d;
  Status s = loadIdxDataset(dir.file("img.gz"), dir.file("lab"), {}, d);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(d.features.type().str(), "f32[2,6]");
  EXPECT_EQ(d.labels.type().str(), "f32[2]");
  EXPECT_EQ(d.features.at(0), 0.0);
  EXPECT_FLOAT_EQ(float(d.features.at(1)), 0.2f);
  EXPECT_EQ(d.features.at(5), 1.0);
  EXPECT_EQ(d.labels.at(0), 7.0);
  EXPECT_TRUE(checkClassLabels(d, 10, "lab"));
  EXPECT_EQ(checkClassLabels(d, 5, "lab").message(),
            "lab: label 7 at row 0 is out of range for 5 classes");

  ASSERT_TRUE(loadIdxDataset(dir.file("img.gz"), dir.file("lab"),
                             {.flatten = false}, d));
  EXPECT_EQ(d.features.type().str(), "f32[2,1,2,3]");
}

TEST(DatasetIdxTest, CountAndKindMismatches) {
  TempDir dir;
  writeBytes(dir.file("img"), images());
  writeBytes(dir.file("lab3"), idxBytes(0x08, {3}, "\x01\x02\x03"));
  Dataset d;
  Status s = loadIdxDataset(dir.file("img"), dir.file("lab3"), {}, d);
  EXPECT_EQ(s.message(), dir.file("img") + " has 2 images but " +
                             dir.file("lab3") + " has 3 labels");
  s = loadIdxDataset(dir.file("lab3"), dir.file("img"), {}, d);
  EXPECT_EQ(s.message(), dir.file("lab3") +
                             ": expected an IDX image file (magic 0x00000803: "
                             "unsigned bytes, 3 dimensions), found magic "
                             "0x00000801");
  s = loadIdxDataset(dir.file("img"), dir.file("img"), {}, d);
  EXPECT_NE(s.message().find("expected an IDX label file"), std::string::npos);
  EXPECT_FALSE(d.features.hasStorage());
}

TEST(DatasetIdxTest, RejectsWrongMagic) {
  TempDir dir;
  EXPECT_NE(readIdxError(dir, "P5\n28 28\n255\n")
                .find("not an IDX file "
                      "(magic 0x50350a32"),
            std::string::npos);
  EXPECT_NE(readIdxError(dir, idxBytes(0x0A, {1}, "x")).find("not an IDX file"),
            std::string::npos);
  EXPECT_NE(readIdxError(dir, be32(0x00000800)).find("not an IDX file"),
            std::string::npos);
  EXPECT_NE(readIdxError(dir, "").find("file is 0 bytes, too short"),
            std::string::npos);
  EXPECT_NE(readIdxError(dir, gzip("ab")).find("decompressed data is 2 bytes"),
            std::string::npos);
}

TEST(DatasetIdxTest, EveryTruncationIsAnError) {
  TempDir dir;
  std::string plain = images(), gz = gzip(images());
  for (size_t len = 0; len < plain.size(); ++len)
    readIdxError(dir, plain.substr(0, len));
  for (size_t len = 0; len < gz.size(); ++len)
    readIdxError(dir, gz.substr(0, len));
  EXPECT_NE(readIdxError(dir, plain.substr(0, 20))
                .find("truncated IDX data: dimensions 2 x 2 x 3 need 12 "
                      "bytes, the file has 4"),
            std::string::npos);
  EXPECT_NE(readIdxError(dir, plain.substr(0, 10)).find("truncated IDX header"),
            std::string::npos);
  EXPECT_NE(readIdxError(dir, gz.substr(0, gz.size() - 4))
                .find("truncated gzip data"),
            std::string::npos);
}

TEST(DatasetIdxTest, AbsurdDimensionsDoNotAllocate) {
  TempDir dir;
  std::string msg =
      readIdxError(dir, idxBytes(0x08, {60000, 60000, 60000}, "abc"));
  EXPECT_NE(msg.find("truncated IDX data: dimensions 60000 x 60000 x 60000"),
            std::string::npos)
      << msg;
  msg = readIdxError(
      dir, gzip(idxBytes(0x0E, {0xffffffff, 0xffffffff, 0xffffffff}, "")));
  EXPECT_NE(msg.find("are too large"), std::string::npos) << msg;
}

TEST(DatasetIdxTest, RejectsCorruptGzipAndTrailingData) {
  TempDir dir;
  std::string gz = gzip(images());
  std::string bad = gz;
  bad[bad.size() - 6] ^= 0x55; // inside the CRC-32
  EXPECT_NE(readIdxError(dir, bad).find("corrupt gzip data: incorrect data "
                                        "check"),
            std::string::npos);
  bad = gz;
  bad[3] = char(0xe0); // reserved flag bits in the gzip header
  EXPECT_NE(readIdxError(dir, bad).find("corrupt gzip data"),
            std::string::npos);

  EXPECT_NE(readIdxError(dir, images() + "x")
                .find("trailing data after the 12 bytes that dimensions 2 x "
                      "2 x 3 describe"),
            std::string::npos);
  EXPECT_NE(readIdxError(dir, gzip(images() + "xyz")).find("trailing data"),
            std::string::npos);
  EXPECT_NE(readIdxError(dir, gz + "junk")
                .find("garbage after the end of "
                      "the compressed stream"),
            std::string::npos);

  /// Concatenated gzip members are one stream (gzip -c a b > ab.gz).
  std::string whole = images();
  std::string path = dir.file("multi.gz");
  writeBytes(path, gzip(whole.substr(0, 7)) + gzip(whole.substr(7)));
  HostTensor t;
  Status s = readIdx(path, t);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(t.type().str(), "f32[2,2,3]");
}

TEST(DatasetIdxTest, FashionMnistTestSet) {
  const std::string dir = "/usr/share/datasets/fashion-mnist/";
  std::string images = dir + "t10k-images-idx3-ubyte.gz";
  std::string labels = dir + "t10k-labels-idx1-ubyte.gz";
  if (!std::filesystem::exists(images) || !std::filesystem::exists(labels))
    GTEST_SKIP() << "Fashion-MNIST is not installed (apt-get install "
                    "dataset-fashion-mnist; make setup does it)";
  Dataset d;
  Status s = loadIdxDataset(images, labels, {.flatten = false}, d);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(d.features.type().str(), "f32[10000,1,28,28]");
  EXPECT_EQ(d.labels.type().str(), "f32[10000]");
  EXPECT_TRUE(checkClassLabels(d, 10, labels)) << "labels in 0..9";
  float lo = 1, hi = 0;
  const float *px = d.features.as<float>();
  for (int64_t i = 0; i < d.features.numElements(); ++i) {
    lo = std::min(lo, px[i]);
    hi = std::max(hi, px[i]);
  }
  EXPECT_EQ(lo, 0.0f);
  EXPECT_EQ(hi, 1.0f);
  /// The test set is balanced: 1,000 images of each of the 10 classes.
  std::vector<int> counts(10, 0);
  for (int64_t i = 0; i < 10000; ++i)
    ++counts[size_t(d.labels.at(i))];
  EXPECT_EQ(counts, std::vector<int>(10, 1000));
  /// The first test image is an ankle boot (class 9), as in every
  /// Fashion-MNIST tutorial.
  EXPECT_EQ(d.labels.at(0), 9.0);
}
