//===- FileUtilTest.cpp - Atomic writes and file helpers -----------------===//
//
// writeFileAtomic's promise: on success no temporary is left; on failure the
// old file keeps its bytes and the temporary is removed.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/FileUtil.h"
#include "TestUtil.h"
#include "loom/rt/core/Io.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

using namespace loom::rt;
using loom::rt::test::readBytes;
using loom::rt::test::TempDir;
using loom::rt::test::writeBytes;

TEST(FileUtilTest, WriteFileAtomicReplacesAndLeavesNoTemp) {
  TempDir dir;
  std::string path = dir.file("ckpt.bin");
  ASSERT_TRUE(writeFileAtomic(path, "old"));
  ASSERT_TRUE(writeFileAtomic(path, std::string("new\0bytes", 9)));
  EXPECT_EQ(readBytes(path), std::string("new\0bytes", 9));
  EXPECT_EQ(dir.listing(), "ckpt.bin");
}

TEST(FileUtilTest, MissingDirectoryIsAnErrorAndLeavesNothing) {
  TempDir dir;
  std::string path = dir.file("no/such/dir/out.npy");
  Status s = writeFileAtomic(path, "x");
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("cannot write " + path), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("No such file or directory"), std::string::npos)
      << s.message();
  EXPECT_EQ(dir.listing(), "");
  EXPECT_FALSE(writeNpy(path, HostTensor::fromF32({1}, {1})));
}

/// The temporary name is taken by a directory, so creating it fails: the
/// existing file must keep its old contents.
TEST(FileUtilTest, FailedWriteLeavesTheOldFileIntact) {
  TempDir dir;
  std::string path = dir.file("weights.npy");
  HostTensor old = HostTensor::fromF32({2}, {1, 2});
  ASSERT_TRUE(writeNpy(path, old));
  std::string before = readBytes(path);
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  std::filesystem::create_directory(tmp);

  Status s = writeNpy(path, HostTensor::fromF32({3}, {7, 8, 9}));
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("cannot create " + tmp), std::string::npos)
      << s.message();
  EXPECT_EQ(readBytes(path), before);
}

/// Here the temporary file is written, but the rename fails (the target is
/// a non-empty directory): the temporary file must be cleaned up.
TEST(FileUtilTest, FailedRenameRemovesTheTemporaryFile) {
  TempDir dir;
  std::string path = dir.file("target");
  std::filesystem::create_directory(path);
  writeBytes(path + "/keep", "k");
  Status s = writeFileAtomic(path, "data");
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("rename failed"), std::string::npos)
      << s.message();
  EXPECT_EQ(dir.listing(), "target");
  EXPECT_EQ(readBytes(path + "/keep"), "k");
}

/// Root ignores permissions, so this case only runs as a normal user.
TEST(FileUtilTest, UnwritableDirectoryIsAnError) {
  if (::geteuid() == 0)
    GTEST_SKIP() << "running as root: directory permissions are ignored";
  TempDir dir;
  std::string path = dir.file("x.csv");
  writeBytes(path, "1\n");
  std::filesystem::permissions(dir.path(),
                               std::filesystem::perms::owner_read |
                                   std::filesystem::perms::owner_exec);
  Status s = writeCsv(path, HostTensor::fromF32({1}, {5}));
  std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all);
  EXPECT_FALSE(s);
  EXPECT_EQ(readBytes(path), "1\n");
  EXPECT_EQ(dir.listing(), "x.csv");
}

TEST(FileUtilTest, ReadFileAndExtensions) {
  TempDir dir;
  std::string data;
  Status s = readFile(dir.file("absent"), data);
  EXPECT_EQ(s.message(), "cannot open " + dir.file("absent") +
                             ": No such file or directory");
  writeBytes(dir.file("a"), "abc");
  ASSERT_TRUE(readFile(dir.file("a"), data));
  EXPECT_EQ(data, "abc");

  EXPECT_EQ(fileExtension("/x/y/data.NPY"), ".npy");
  EXPECT_EQ(fileExtension("a.tar.gz"), ".gz");
  EXPECT_EQ(fileExtension("/x.d/noext"), "");
  EXPECT_EQ(fileExtension(".hidden"), "");
}
