//===- DatasetTextTest.cpp - Character windows of text files --------------===//
//
// Windows and next-character labels checked byte by byte against the text,
// directories read in name order without their symbolic links, the real
// license texts every Debian machine has, and the messages for a byte
// outside the vocabulary (with line and column), text shorter than a
// window, a missing path and an empty directory.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "loom/rt/data/Dataset.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace loom::rt;
using loom::rt::test::TempDir;
using loom::rt::test::writeBytes;

namespace {

std::string row(const HostTensor &t, int64_t r) {
  int64_t T = t.shape()[1];
  std::string s;
  for (int64_t i = 0; i < T; ++i)
    s += char(int(t.at(r * T + i)));
  return s;
}

} // namespace

TEST(DatasetTextTest, WindowsAndNextCharacterLabels) {
  TempDir dir;
  std::string p = dir.file("a.txt");
  writeBytes(p, "hello world\n"); // 12 bytes
  Dataset d;
  std::string text;
  Status s = loadTextDataset(p, {.seqLen = 4}, d, &text);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(text, "hello world\n");
  EXPECT_TRUE(checkDataset(d, "text"));
  // (12 - 5) / 4 + 1 = 2 windows: "hell" -> "ello", "o wo" -> " wor".
  EXPECT_EQ(d.features.type().str(), "f32[2,4]");
  EXPECT_EQ(d.labels.type().str(), "f32[2,4]");
  EXPECT_EQ(row(d.features, 0), "hell");
  EXPECT_EQ(row(d.labels, 0), "ello");
  EXPECT_EQ(row(d.features, 1), "o wo");
  EXPECT_EQ(row(d.labels, 1), " wor");
  EXPECT_FLOAT_EQ(d.features.at(0), float('h'));
}

TEST(DatasetTextTest, StrideOverlapsWindows) {
  TempDir dir;
  std::string p = dir.file("a.txt");
  writeBytes(p, "abcdefgh");
  Dataset d;
  ASSERT_TRUE(loadTextDataset(p, {.seqLen = 3, .stride = 2}, d));
  // Starts 0, 2, 4 (a window needs 4 bytes: the last start is 4).
  ASSERT_EQ(d.size(), 3);
  EXPECT_EQ(row(d.features, 2), "efg");
  EXPECT_EQ(row(d.labels, 2), "fgh");
}

TEST(DatasetTextTest, DirectoryInNameOrderWithoutSymlinks) {
  TempDir dir;
  writeBytes(dir.file("b"), "BB");
  writeBytes(dir.file("a"), "AA");
  std::filesystem::create_symlink(dir.file("a"), dir.file("c"));
  std::filesystem::create_directory(dir.file("sub"));
  Dataset d;
  std::string text;
  Status s = loadTextDataset(dir.path().string(), {.seqLen = 3}, d, &text);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(text, "AABB");
  ASSERT_EQ(d.size(), 1);
  EXPECT_EQ(row(d.features, 0), "AAB");
  EXPECT_EQ(row(d.labels, 0), "ABB");
}

TEST(DatasetTextTest, DebianLicenseTextsAreAscii) {
  const std::string licenses = "/usr/share/common-licenses";
  if (!std::filesystem::exists(licenses + "/GPL-3"))
    GTEST_SKIP() << "no " << licenses << "/GPL-3 on this machine";
  Dataset d;
  std::string text;
  Status s = loadTextDataset(licenses, {.seqLen = 64, .vocab = 128}, d, &text);
  ASSERT_TRUE(s) << s.message();
  // GPL -> GPL-3 etc. are skipped: the GPL-3 text appears once.
  std::string marker = "GNU GENERAL PUBLIC LICENSE\n                       "
                       "Version 3, 29 June 2007";
  size_t first = text.find(marker);
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(text.find(marker, first + 1), std::string::npos);
  EXPECT_GT(text.size(), 200000u);
  EXPECT_EQ(d.size(), int64_t((text.size() - 65) / 64 + 1));
  for (int64_t i = 0; i < d.features.numElements(); ++i)
    ASSERT_LT(d.features.at(i), 128.0);
}

TEST(DatasetTextTest, ByteOutsideVocabularyNamesLineAndColumn) {
  TempDir dir;
  std::string p = dir.file("t.txt");
  writeBytes(p, "line one\ncaf\xC3\xA9 au lait\n");
  Dataset d;
  Status s = loadTextDataset(p, {.seqLen = 4, .vocab = 128}, d);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), p + ":2:4: byte 0xC3 is outside the model's "
                             "vocabulary of 128 tokens (bytes 0-127)");
  // The whole byte range is fine with vocab 256.
  EXPECT_TRUE(loadTextDataset(p, {.seqLen = 4, .vocab = 256}, d));
}

TEST(DatasetTextTest, Errors) {
  TempDir dir;
  std::string p = dir.file("short.txt");
  writeBytes(p, "abc");
  Dataset d;
  Status s = loadTextDataset(p, {.seqLen = 3}, d);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), p + ": 3 bytes of text are fewer than one window of "
                             "4 (the window length + 1)");
  s = loadTextDataset(dir.file("missing.txt"), {.seqLen = 3}, d);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(),
            "cannot open " + dir.file("missing.txt") +
                ": no such file or directory");
  std::filesystem::create_directory(dir.file("empty"));
  s = loadTextDataset(dir.file("empty"), {.seqLen = 3}, d);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), dir.file("empty") + " has no regular files");
  s = loadTextDataset(p, {.seqLen = 0}, d);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("window length must be positive"),
            std::string::npos);
}
