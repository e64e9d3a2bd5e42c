//===- ArtifactTest.cpp - The .loom container and its metadata ------------===//
//
// An artifact's description round-trips exactly (names, types,
// initializers to the last bit, argument lists, buffer plans); the bytes
// are a function of the contents alone; malformed files of every kind are
// errors naming the file, never a crash (random corruptions of a real
// artifact, run under AddressSanitizer by `make sanitize`'s subset).
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/Artifact.h"
#include "loom/rt/core/FileUtil.h"

#include <gtest/gtest.h>

#include <random>

using namespace loom::rt;

namespace {

std::string sampleObject() {
  std::string bytes;
  EXPECT_TRUE(readFile(LOOM_LOADER_SAMPLE_OBJECT, bytes));
  return bytes;
}

Executable sampleExecutable() {
  Executable exe;
  exe.modelName = "sample";
  ParamInfo w{"fc.weight", {DType::F32, {2, 3}}, {}, true};
  w.init.kind = Initializer::Kind::Values;
  w.init.values = {0.1, -1.0 / 3.0, 1e-300, 2.5, 0, -0.0};
  ParamInfo b{"fc.bias", {DType::F32, {3}}, {}, false};
  b.init.kind = Initializer::Kind::Uniform;
  b.init.a = -0.57735026918962573;
  b.init.b = 0.57735026918962573;
  exe.params = {w, b};
  exe.states = {{"fc.weight.m", {DType::F32, {2, 3}}}};
  EntryPoint e;
  e.name = "forward";
  e.args = {{ArgKind::Input, "x", {DType::F32, {4, 2}}},
            {ArgKind::Param, "fc.weight", {DType::F32, {2, 3}}},
            {ArgKind::Output, "y", {DType::F32, {4, 3}}},
            {ArgKind::Workspace, "workspace", {DType::F32, {}}}};
  e.tempBuffers = 1;
  e.tempBytes = 48;
  e.workspaceBytes = 4096;
  exe.entries = {e};
  return exe;
}

ArtifactInfo sampleInfo() {
  ArtifactInfo info;
  info.cpu = "x86-64";
  info.cpuFeatures = {"sse", "sse2"};
  info.batch = 4;
  info.training = "sgd weight_decay=0";
  return info;
}

std::string sampleBytes() {
  return encodeArtifact(sampleExecutable(), sampleInfo(),
                        {{"forward", "loader_sample_bump"}}, sampleObject());
}

TEST(ArtifactTest, RoundTrips) {
  std::string bytes = sampleBytes();
  EXPECT_EQ(bytes, sampleBytes()) << "the same contents give the same bytes";
  std::shared_ptr<Executable> exe;
  ArtifactInfo info;
  Status s = loadArtifactFromMemory(reinterpret_cast<const uint8_t *>(bytes.data()),
                                    bytes.size(), "a.loom", exe, &info);
  ASSERT_TRUE(s) << s.message();
  Executable want = sampleExecutable();
  EXPECT_EQ(exe->modelName, "sample");
  ASSERT_EQ(exe->params.size(), 2u);
  EXPECT_EQ(exe->params[0].init.values, want.params[0].init.values); // exact
  EXPECT_EQ(exe->params[1].init.a, want.params[1].init.a);
  EXPECT_FALSE(exe->params[1].trainable);
  EXPECT_EQ(exe->params[0].type, want.params[0].type);
  ASSERT_EQ(exe->states.size(), 1u);
  EXPECT_EQ(exe->states[0].name, "fc.weight.m");
  ASSERT_EQ(exe->entries.size(), 1u);
  const EntryPoint &e = exe->entries[0];
  EXPECT_EQ(e.workspaceBytes, 4096);
  EXPECT_EQ(e.tempBytes, 48);
  ASSERT_EQ(e.args.size(), 4u);
  EXPECT_EQ(e.args[2].kind, ArgKind::Output);
  EXPECT_EQ(e.args[2].type, (TensorType{DType::F32, {4, 3}}));
  EXPECT_NE(e.fn, nullptr);
  EXPECT_EQ(info.batch, 4);
  EXPECT_EQ(info.training, "sgd weight_decay=0");
  EXPECT_EQ(info.sections, (std::vector<std::string>{"meta", "cpu.x86_64"}));
}

TEST(ArtifactTest, MissingSymbolAndFeatures) {
  std::string bytes = encodeArtifact(sampleExecutable(), sampleInfo(),
                                     {{"forward", "no_such_symbol"}},
                                     sampleObject());
  std::shared_ptr<Executable> exe;
  Status s = loadArtifactFromMemory(reinterpret_cast<const uint8_t *>(bytes.data()),
                                    bytes.size(), "a.loom", exe);
  EXPECT_EQ(s.message(), "a.loom: entry 'forward' (symbol 'no_such_symbol') is "
                         "not in the code");
  ArtifactInfo info = sampleInfo();
  info.cpuFeatures.push_back("not-an-isa");
  bytes = encodeArtifact(sampleExecutable(), info,
                         {{"forward", "loader_sample_bump"}}, sampleObject());
  s = loadArtifactFromMemory(reinterpret_cast<const uint8_t *>(bytes.data()),
                             bytes.size(), "a.loom", exe);
  EXPECT_NE(s.message().find("whose features this machine lacks: not-an-isa"),
            std::string::npos)
      << s.message();
  EXPECT_EQ(missingCpuFeatures({"sse2"}), std::vector<std::string>{})
      << "every x86-64 has SSE2";
}

TEST(ArtifactTest, InconsistentMetadataIsAnError) {
  Executable exe = sampleExecutable();
  exe.entries[0].args[1].name = "fc.kernel"; // not in the parameter table
  std::string bytes = encodeArtifact(exe, sampleInfo(),
                                     {{"forward", "loader_sample_bump"}},
                                     sampleObject());
  Executable out;
  ArtifactInfo info;
  Status s = readArtifactInfo(reinterpret_cast<const uint8_t *>(bytes.data()),
                              bytes.size(), "a.loom", out, info);
  EXPECT_EQ(s.message(), "a.loom: entry 0 ('forward') argument 1 names "
                         "parameter 'fc.kernel', which the table does not have");
  exe = sampleExecutable();
  exe.entries[0].args.pop_back(); // no workspace
  bytes = encodeArtifact(exe, sampleInfo(), {{"forward", "x"}}, sampleObject());
  s = readArtifactInfo(reinterpret_cast<const uint8_t *>(bytes.data()),
                       bytes.size(), "a.loom", out, info);
  EXPECT_EQ(s.message(), "a.loom: entry 0 ('forward') does not end with its "
                         "workspace argument");
}

TEST(ArtifactTest, RandomCorruptionsAreHandled) {
  std::string good = sampleBytes();
  std::mt19937_64 rng(11);
  int refused = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string bad = good;
    int flips = 1 + int(rng() % 6);
    for (int f = 0; f < flips; ++f) {
      // Half of the flips in the header and metadata, where parsing is.
      size_t at = rng() % 2 ? rng() % std::min<size_t>(bad.size(), 1500)
                            : rng() % bad.size();
      bad[at] = char(rng());
    }
    if (rng() % 10 == 0)
      bad.resize(rng() % bad.size());
    std::shared_ptr<Executable> exe;
    Status s = loadArtifactFromMemory(reinterpret_cast<const uint8_t *>(bad.data()),
                                      bad.size(), "a.loom", exe);
    if (!s) {
      ++refused;
      EXPECT_EQ(s.message().rfind("a.loom", 0), 0u) << s.message();
    }
  }
  EXPECT_GT(refused, 1000);
}

} // namespace
