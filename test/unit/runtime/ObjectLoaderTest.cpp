//===- ObjectLoaderTest.cpp - The runtime's own ELF relocatable loader ----===//
//
// A real object (Inputs/loader_sample.c, compiled by the build with the
// large code model) loads, its functions run with their constants, data
// and imported libc/libm calls; malformed objects are errors with a message
// and never a crash (every single-byte corruption of the header and
// section table, and random multi-byte corruptions of the whole file; run
// it under AddressSanitizer to make "never a wild read" checkable).
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/FileUtil.h"
#include "loom/rt/cpu/ObjectLoader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

using namespace loom::rt;

namespace {

std::string sampleObject() {
  std::string bytes;
  Status s = readFile(LOOM_LOADER_SAMPLE_OBJECT, bytes);
  EXPECT_TRUE(s) << s.message();
  return bytes;
}

Status load(const std::string &bytes, std::unique_ptr<LoadedObject> &out) {
  return LoadedObject::load(reinterpret_cast<const uint8_t *>(bytes.data()),
                            bytes.size(), "sample.o", out);
}

TEST(ObjectLoaderTest, LoadsAndRuns) {
  std::string bytes = sampleObject();
  std::unique_ptr<LoadedObject> obj;
  Status s = load(bytes, obj);
  ASSERT_TRUE(s) << s.message();
  auto sum = reinterpret_cast<float (*)(const float *, int)>(
      obj->symbol("loader_sample_sum"));
  auto lg = reinterpret_cast<float (*)(float)>(obj->symbol("loader_sample_log"));
  auto copy = reinterpret_cast<void (*)(void *, const void *, unsigned long)>(
      obj->symbol("loader_sample_copy"));
  auto bump = reinterpret_cast<int (*)()>(obj->symbol("loader_sample_bump"));
  ASSERT_TRUE(sum && lg && copy && bump);
  float x[6] = {1, 1, 1, 1, 2, 2};
  EXPECT_EQ(sum(x, 6), 1 + 2 + 3 + 4 + 2 * 1 + 2 * 2); // the .rodata table
  EXPECT_EQ(lg(std::exp(2.0f)), std::log(std::exp(2.0f))); // libm import
  char out[6] = {0};
  copy(out, "loom!", 6);
  EXPECT_STREQ(out, "loom!");
  EXPECT_EQ(bump(), 1); // .bss starts at zero
  EXPECT_EQ(bump(), 2);
  EXPECT_EQ(obj->symbol("table"), nullptr) << "local symbols are not exported";
}

TEST(ObjectLoaderTest, RejectsWhatIsNotAnObject) {
  std::unique_ptr<LoadedObject> obj;
  Status s = load("", obj);
  EXPECT_EQ(s.message(), "sample.o: too short for an ELF object");
  s = load(std::string(100, 'x'), obj);
  EXPECT_EQ(s.message(), "sample.o: not an ELF object (bad magic)");
  std::string bytes = sampleObject();
  bytes[16] = 3; // ET_DYN
  s = load(bytes, obj);
  EXPECT_EQ(s.message(), "sample.o: not a relocatable object (ELF type 3)");
  bytes = sampleObject();
  s = load(bytes.substr(0, bytes.size() / 2), obj);
  EXPECT_FALSE(s);
  EXPECT_EQ(obj, nullptr);
}

TEST(ObjectLoaderTest, EveryHeaderByteCorruptedIsHandled) {
  std::string good = sampleObject();
  // The ELF header and the section header table: where the offsets and
  // sizes live.
  uint64_t shoff = 0;
  std::memcpy(&shoff, good.data() + 0x28, 8);
  std::vector<size_t> places;
  for (size_t i = 0; i < 64; ++i)
    places.push_back(i);
  for (size_t i = size_t(shoff); i < good.size(); ++i)
    places.push_back(i);
  int loaded = 0, refused = 0;
  for (size_t i : places)
    for (uint8_t v : {uint8_t(0x00), uint8_t(0xff), uint8_t(0x41)}) {
      std::string bad = good;
      bad[i] = char(v);
      std::unique_ptr<LoadedObject> obj;
      Status s = load(bad, obj);
      (s ? loaded : refused)++;
      if (!s)
        EXPECT_EQ(s.message().rfind("sample.o: ", 0), 0u) << s.message();
    }
  EXPECT_GT(refused, 0);
  EXPECT_GT(loaded, 0) << "some bytes (padding, names) do not matter";
}

TEST(ObjectLoaderTest, RandomCorruptionsAreHandled) {
  std::string good = sampleObject();
  std::mt19937_64 rng(7);
  for (int round = 0; round < 3000; ++round) {
    std::string bad = good;
    int flips = 1 + int(rng() % 8);
    for (int f = 0; f < flips; ++f)
      bad[rng() % bad.size()] = char(rng());
    std::unique_ptr<LoadedObject> obj;
    (void)load(bad, obj); // must return, whatever it says
  }
}

TEST(ObjectLoaderTest, ImportTableHasWhatGeneratedCodeCalls) {
  for (const char *name : {"loom_rt_gemm_f32", "loom_rt_gemm_f32_ep",
                           "loom_rt_conv2d_f32", "loom_rt_parallel_for",
                           "loom_rt_report_index_error", "memrefCopy", "memcpy",
                           "memset", "logf", "powf", "erff", "cosf", "exp2f"})
    EXPECT_NE(runtimeSymbol(name), nullptr) << name;
  EXPECT_EQ(runtimeSymbol("system"), nullptr);
}

} // namespace
