//===- CheckpointTest.cpp - safetensors checkpoints -----------------------===//
//
// Round trips for every dtype, metadata, files built byte by byte the way the
// Python safetensors library writes them, every kind of corrupt header and
// layout, every truncation of a valid file, atomic replacement, and the
// messages checkTensorsMatch gives when a checkpoint does not fit a model.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/Checkpoint.h"
#include "TestUtil.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace loom::rt;
using loom::rt::test::readBytes;
using loom::rt::test::TempDir;
using loom::rt::test::writeBytes;

namespace {

template <typename T> std::string raw(std::initializer_list<T> values) {
  std::string s;
  for (T v : values)
    s.append(reinterpret_cast<const char *>(&v), sizeof(T));
  return s;
}

/// A safetensors file: little-endian u64 length, the header padded with
/// spaces to a multiple of 8 (as the reference writer does), the data.
std::string stBytes(const std::string &json, const std::string &data,
                    bool pad = true) {
  std::string header = json;
  if (pad)
    header.append((8 - header.size() % 8) % 8, ' ');
  uint64_t n = header.size();
  return raw<uint64_t>({n}) + header + data;
}

HostTensor tensorOf(DType dtype, std::vector<int64_t> shape,
                    std::vector<double> values) {
  HostTensor t(TensorType{dtype, std::move(shape)});
  for (size_t i = 0; i < values.size(); ++i)
    t.set(int64_t(i), values[i]);
  return t;
}

/// Loads `bytes` from a file named checkpoint.safetensors and returns the
/// error, failing the test when the load succeeds.
std::string loadError(const std::string &bytes) {
  TempDir dir;
  std::string path = dir.file("checkpoint.safetensors");
  writeBytes(path, bytes);
  std::map<std::string, HostTensor> tensors;
  Status s = loadCheckpoint(path, tensors);
  EXPECT_FALSE(s) << "expected an error loading " << bytes.size() << " bytes";
  EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
  return s.message();
}

/// A valid two-tensor header for corruption tests to vary.
const char *kGoodJson =
    R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
    R"("b":{"dtype":"I32","shape":[1],"data_offsets":[8,12]}})";
std::string goodData() { return raw<float>({1.5f, -2}) + raw<int32_t>({7}); }

} // namespace

TEST(CheckpointTest, RoundTripsEveryDTypeAndRank) {
  TempDir dir;
  HostTensor f32 = tensorOf(DType::F32, {2, 3}, {1, -2.5, 3, 4e-20, 5, 6});
  HostTensor f64 = tensorOf(DType::F64, {3}, {1e300, -0.125, 3});
  HostTensor b = tensorOf(DType::I1, {2, 2}, {1, 0, 0, 1});
  HostTensor i32 = tensorOf(DType::I32, {1, 1, 2}, {-7, 2147483647});
  HostTensor i64 = tensorOf(DType::I64, {}, {0});
  i64.as<int64_t>()[0] = int64_t(1) << 62; // beyond double's precision
  HostTensor scalar = tensorOf(DType::F32, {}, {42});
  HostTensor empty(TensorType{DType::F32, {0, 3}});
  std::string path = dir.file("all.safetensors");
  ASSERT_TRUE(saveCheckpoint(path, {{"f32", &f32},
                                    {"f64", &f64},
                                    {"bool", &b},
                                    {"i32", &i32},
                                    {"i64", &i64},
                                    {"scalar", &scalar},
                                    {"empty", &empty}}));

  std::map<std::string, HostTensor> got;
  std::map<std::string, std::string> meta = {{"stale", "x"}};
  Status s = loadCheckpoint(path, got, &meta);
  ASSERT_TRUE(s) << s.message();
  EXPECT_TRUE(meta.empty());
  ASSERT_EQ(got.size(), 7u);
  for (auto [name, want] :
       std::initializer_list<std::pair<const char *, const HostTensor *>>{
           {"f32", &f32},
           {"f64", &f64},
           {"bool", &b},
           {"i32", &i32},
           {"i64", &i64},
           {"scalar", &scalar},
           {"empty", &empty}}) {
    const HostTensor &t = got.at(name);
    EXPECT_EQ(t.type(), want->type()) << name;
    EXPECT_EQ(std::memcmp(t.data(), want->data(), want->byteSize()), 0) << name;
  }
}

TEST(CheckpointTest, RoundTripsMetadataWithEscapes) {
  TempDir dir;
  HostTensor w = tensorOf(DType::F32, {1}, {3});
  std::map<std::string, std::string> meta = {
      {"format", "pt"},
      {"step", "1200"},
      {"note", "quote \" backslash \\ newline \n tab \t \x01 caf\xC3\xA9"}};
  std::string path = dir.file("m.safetensors");
  ASSERT_TRUE(saveCheckpoint(path, {{"we\"ird name\n", &w}}, meta));
  std::map<std::string, HostTensor> got;
  std::map<std::string, std::string> gotMeta;
  Status s = loadCheckpoint(path, got, &gotMeta);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(gotMeta, meta);
  ASSERT_EQ(got.count("we\"ird name\n"), 1u);
}

TEST(CheckpointTest, WritesTheReferenceLayout) {
  TempDir dir;
  HostTensor bias = tensorOf(DType::F32, {2}, {0.5, -1});
  HostTensor weight = tensorOf(DType::F32, {2, 2}, {1, 2, 3, 4});
  std::string path = dir.file("ref.safetensors");
  ASSERT_TRUE(saveCheckpoint(path, {{"bias", &bias}, {"weight", &weight}},
                             {{"format", "pt"}}));
  /// Exactly what safetensors.torch.save_file({"bias": ..., "weight": ...},
  /// metadata={"format": "pt"}) writes: compact JSON, metadata first.
  std::string json =
      R"({"__metadata__":{"format":"pt"},)"
      R"("bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
      R"("weight":{"dtype":"F32","shape":[2,2],"data_offsets":[8,24]}})";
  std::string want = stBytes(json, raw<float>({0.5f, -1, 1, 2, 3, 4}));
  EXPECT_EQ(readBytes(path), want);
  EXPECT_EQ(readBytes(path).size() % 8, 0u);
  uint64_t n;
  std::memcpy(&n, want.data(), 8);
  EXPECT_EQ(n % 8, 0u);
}

TEST(CheckpointTest, ReadsFilesWrittenByPythonSafetensors) {
  /// The reference writer orders tensors by dtype (largest first), then by
  /// name, so header order is not Loom's. This is the layout of
  /// `save_file({"b": torch.tensor([1, 2], dtype=torch.int64),
  /// "a": torch.tensor([[True], [False]]), "s": torch.tensor(2.5)})`.
  std::string json =
      R"({"b":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},)"
      R"("s":{"dtype":"F32","shape":[],"data_offsets":[16,20]},)"
      R"("a":{"dtype":"BOOL","shape":[2,1],"data_offsets":[20,22]}})";
  std::string data =
      raw<int64_t>({1, 2}) + raw<float>({2.5f}) + std::string("\x01\x00", 2);
  TempDir dir;
  std::string path = dir.file("py.safetensors");
  writeBytes(path, stBytes(json, data));
  std::map<std::string, HostTensor> got;
  std::map<std::string, std::string> meta;
  Status s = loadCheckpoint(path, got, &meta);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(got.at("b").type().str(), "i64[2]");
  EXPECT_EQ(got.at("b").as<int64_t>()[1], 2);
  EXPECT_EQ(got.at("s").type().str(), "f32[]");
  EXPECT_EQ(got.at("s").at(0), 2.5);
  EXPECT_EQ(got.at("a").type().str(), "i1[2,1]");
  EXPECT_EQ(got.at("a").at(0), 1.0);
  EXPECT_EQ(got.at("a").at(1), 0.0);

  /// Pretty-printed JSON, escapes in names, offsets listed out of order.
  std::string pretty = "{\n  \"__metadata__\" : { \"k\" : \"v\\u00e9\" },\n"
                       "  \"x\\/y\" : {\"shape\": [1], \"dtype\": \"F64\", "
                       "\"data_offsets\": [4, 12]},\n"
                       "  \"z\": {\"dtype\": \"I32\", \"shape\": [1], "
                       "\"data_offsets\": [0, 4]}\n}";
  writeBytes(path, stBytes(pretty, raw<int32_t>({9}) + raw<double>({0.25})));
  s = loadCheckpoint(path, got, &meta);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(meta.at("k"), "v\xC3\xA9");
  EXPECT_EQ(got.at("x/y").at(0), 0.25);
  EXPECT_EQ(got.at("z").at(0), 9.0);

  /// The Rust crate's own doc example (I32 [2,2], no padding).
  std::string rust =
      std::string("<\0\0\0\0\0\0\0", 8) +
      R"({"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}})" +
      std::string(16, '\0');
  writeBytes(path, rust);
  s = loadCheckpoint(path, got);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(got.at("test").type().str(), "i32[2,2]");
}

TEST(CheckpointTest, LoadsAnEmptyCheckpoint) {
  TempDir dir;
  std::string path = dir.file("empty.safetensors");
  ASSERT_TRUE(saveCheckpoint(path, {}, {}));
  EXPECT_EQ(readBytes(path), stBytes("{}", ""));
  std::map<std::string, HostTensor> got;
  EXPECT_TRUE(loadCheckpoint(path, got));
  EXPECT_TRUE(got.empty());
}

TEST(CheckpointTest, RejectsBadHeaderLengths) {
  EXPECT_NE(loadError("").find("too short for a safetensors header"),
            std::string::npos);
  EXPECT_NE(
      loadError(raw<uint64_t>({1000}) + "{}")
          .find("header length 1000 is larger than the rest of the file (2 "
                "bytes)"),
      std::string::npos);
  EXPECT_NE(loadError(raw<uint64_t>({~uint64_t(0)}) + "{}")
                .find("is larger than the rest of the file"),
            std::string::npos);
  /// The 100 MB header limit is checked too, but testing it would take a
  /// 100 MB file; "larger than the file" covers hostile lengths.
}

TEST(CheckpointTest, RejectsMalformedJson) {
  struct Case {
    const char *json, *want;
  } cases[] = {
      {"", "malformed JSON header: unexpected end of JSON at byte 0"},
      {"{", "malformed JSON header: expected a string key at byte 8"},
      {"[]", "header is an array, expected a JSON object"},
      {R"({"a" 1})", "expected ':' at byte 5"},
      {R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},})",
       "expected a string key"},
      {R"({"a":{}} x)", "unexpected text after the top-level value"},
      {R"({"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}})",
       "only integers are allowed"},
      {R"({"a":{"dtype":"F32","shape":[01],"data_offsets":[0,4]}})",
       "leading zeros"},
      {R"({"a":{"dtype":true}})", "true, false and null are not allowed"},
      {R"({"a\q":{}})", "unknown escape '\\q'"},
      {R"({"a\u12":{}})", "bad hex digit"},
      {R"({"\ud800":{}})", "unpaired high surrogate"},
      {R"({"\udc00":{}})", "unpaired low surrogate"},
      {"{\"a\tb\":{}}", "raw control character"},
      {R"({"abc)", "unterminated string"},
      {"{\"\xff\":{}}", "header is not valid UTF-8"},
      {"{\"\xc0\xaf\":{}}", "header is not valid UTF-8"}, // overlong '/'
  };
  for (const Case &c : cases)
    EXPECT_NE(loadError(stBytes(c.json, "")).find(c.want), std::string::npos)
        << c.json << " -> " << loadError(stBytes(c.json, ""));

  std::string deep(10000, '[');
  EXPECT_NE(loadError(stBytes(deep, "")).find("nesting deeper than 64"),
            std::string::npos);
}

TEST(CheckpointTest, RejectsBadEntries) {
  struct Case {
    const char *json;
    std::string data;
    const char *want;
  } cases[] = {
      {R"({"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}})",
       std::string(4, '\0'),
       "tensor 'w': unsupported dtype 'F16' (Loom reads F32, F64, BOOL, I32 "
       "and I64)"},
      {R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})",
       std::string(4, '\0'),
       "tensor 'w': shape must be an array of non-negative integers"},
      {R"({"w":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,4]}})",
       std::string(4, '\0'),
       "tensor 'w': shape must be an array of non-negative integers"},
      {R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}})",
       std::string(4, '\0'),
       "tensor 'w': shape f32[4294967296,4294967296] is "
       "too large"},
      {R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}})",
       std::string(4, '\0'), "tensor 'w': unknown field 'x'"},
      {R"({"w":{"dtype":"F32","shape":[1]}})", "",
       "tensor 'w': missing field 'data_offsets'"},
      {R"({"w":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
       std::string(4, '\0'), "tensor 'w': field 'dtype' appears twice"},
      {R"({"w":[1]})", "", "tensor 'w': is an array, expected an object"},
      {R"({"w":{"dtype":1,"shape":[1],"data_offsets":[0,4]}})",
       std::string(4, '\0'), "tensor 'w': dtype must be a string"},
      {R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}})",
       std::string(4, '\0'),
       "data_offsets must be an array of two non-negative integers"},
      {R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})",
       std::string(4, '\0'), "data_offsets [4, 0] end before they begin"},
      {R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
       std::string(4, '\0'),
       "tensor 'w': data_offsets [0, 8] go past the end of the data (4 "
       "bytes)"},
      {R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}})",
       std::string(12, '\0'),
       "tensor 'w': data_offsets [0, 12] hold 12 bytes, but f32[2,2] needs "
       "16"},
      {R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
       R"("w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
       std::string(8, '\0'), "duplicate tensor 'w'"},
      {R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
       R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
       std::string(8, '\0'),
       "tensor 'b' (data_offsets [4, 8]) overlaps tensor 'a' (data_offsets "
       "[0, 8])"},
      {R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
       R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
       std::string(12, '\0'),
       "data bytes [4, 8) belong to no tensor (a gap before tensor 'b')"},
      {R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
       std::string(7, '\0'), "3 bytes of trailing data after the last tensor"},
      {R"({"__metadata__":{"k":1}})", "",
       "__metadata__ value of 'k' is an integer, expected a string"},
      {R"({"__metadata__":[]})", "", "__metadata__ must be an object"},
      {R"({"__metadata__":{},"__metadata__":{}})", "",
       "__metadata__ appears twice"},
  };
  for (const Case &c : cases) {
    std::string msg = loadError(stBytes(c.json, c.data));
    EXPECT_NE(msg.find(c.want), std::string::npos) << c.json << " -> " << msg;
  }
}

TEST(CheckpointTest, EveryTruncationIsAnError) {
  std::string good = stBytes(kGoodJson, goodData());
  TempDir dir;
  std::string path = dir.file("t.safetensors");
  writeBytes(path, good);
  std::map<std::string, HostTensor> got;
  ASSERT_TRUE(loadCheckpoint(path, got));
  for (size_t len = 0; len < good.size(); ++len) {
    writeBytes(path, good.substr(0, len));
    std::map<std::string, HostTensor> t;
    Status s = loadCheckpoint(path, t);
    EXPECT_FALSE(s) << "length " << len;
    EXPECT_TRUE(t.empty());
  }
  /// And every single-byte corruption either loads or errors, never crashes.
  for (size_t i = 0; i < good.size(); ++i) {
    for (unsigned char v : {0x00, 0x22, 0x7b, 0x5d, 0xff}) {
      std::string bad = good;
      bad[i] = char(v);
      writeBytes(path, bad);
      std::map<std::string, HostTensor> t;
      (void)loadCheckpoint(path, t);
    }
  }
}

TEST(CheckpointTest, LoadFailureLeavesOutputsUntouched) {
  TempDir dir;
  std::string path = dir.file("bad.safetensors");
  writeBytes(path, stBytes(kGoodJson, goodData() + "x"));
  std::map<std::string, HostTensor> got;
  got.emplace("keep", HostTensor(TensorType{DType::F32, {1}}));
  std::map<std::string, std::string> meta = {{"keep", "1"}};
  EXPECT_FALSE(loadCheckpoint(path, got, &meta));
  EXPECT_EQ(got.count("keep"), 1u);
  EXPECT_EQ(meta.count("keep"), 1u);
  EXPECT_NE(loadError(stBytes(kGoodJson, goodData() + "x"))
                .find("1 bytes of trailing data"),
            std::string::npos);
}

TEST(CheckpointTest, MissingFile) {
  std::map<std::string, HostTensor> got;
  Status s = loadCheckpoint("/nonexistent/ck.safetensors", got);
  EXPECT_EQ(s.message(),
            "cannot open /nonexistent/ck.safetensors: No such file or "
            "directory");
}

TEST(CheckpointTest, SaveErrorsLeaveTheOldFileIntact) {
  TempDir dir;
  std::string path = dir.file("model.safetensors");
  HostTensor w = tensorOf(DType::F32, {2}, {1, 2});
  ASSERT_TRUE(saveCheckpoint(path, {{"w", &w}}, {{"step", "1"}}));
  std::string before = readBytes(path);

  HostTensor moved;
  Status s = saveCheckpoint(path, {{"w", &w}, {"b", &moved}});
  EXPECT_EQ(s.message(),
            "cannot save checkpoint " + path + ": tensor 'b' has no storage");
  s = saveCheckpoint(path, {{"w", &w}, {"w", &w}});
  EXPECT_NE(s.message().find("tensor 'w' is listed twice"), std::string::npos);
  s = saveCheckpoint(path, {{"", &w}});
  EXPECT_NE(s.message().find("empty name"), std::string::npos);
  s = saveCheckpoint(path, {{"__metadata__", &w}});
  EXPECT_NE(s.message().find("'__metadata__' is reserved"), std::string::npos);
  s = saveCheckpoint(path, {{"w", nullptr}});
  EXPECT_FALSE(s);
  EXPECT_EQ(readBytes(path), before);
  EXPECT_EQ(dir.listing(), "model.safetensors");

  /// An I/O failure: the target is a directory, so the rename fails after
  /// the temporary file was written; it must be cleaned up.
  std::string dirPath = dir.file("adir");
  std::filesystem::create_directory(dirPath);
  s = saveCheckpoint(dirPath, {{"w", &w}});
  EXPECT_FALSE(s);
  EXPECT_NE(s.message().find(dirPath), std::string::npos);
  EXPECT_EQ(dir.listing(), "adir model.safetensors");

  s = saveCheckpoint(dir.file("missing/model.safetensors"), {{"w", &w}});
  EXPECT_FALSE(s);
  EXPECT_NE(s.message().find("missing/model.safetensors"), std::string::npos);
  EXPECT_EQ(readBytes(path), before);

  /// A successful save replaces the file as a whole.
  HostTensor w2 = tensorOf(DType::F32, {3}, {4, 5, 6});
  ASSERT_TRUE(saveCheckpoint(path, {{"w", &w2}}, {{"step", "2"}}));
  std::map<std::string, HostTensor> got;
  std::map<std::string, std::string> meta;
  ASSERT_TRUE(loadCheckpoint(path, got, &meta));
  EXPECT_EQ(got.at("w").type().str(), "f32[3]");
  EXPECT_EQ(meta.at("step"), "2");
  EXPECT_EQ(dir.listing(), "adir model.safetensors");
}

TEST(CheckpointTest, CheckTensorsMatchNamesEveryProblem) {
  std::map<std::string, HostTensor> loaded;
  loaded.emplace("fc.weight", HostTensor(TensorType{DType::F32, {30, 2}}));
  loaded.emplace("step", HostTensor(TensorType{DType::I64, {}}));
  loaded.emplace("conv1.weight", HostTensor(TensorType{DType::F32, {1}}));
  std::vector<std::pair<std::string, TensorType>> expected = {
      {"fc.weight", {DType::F32, {30, 1}}},
      {"fc.bias", {DType::F32, {1}}},
      {"step", {DType::F32, {}}},
  };
  Status s = checkTensorsMatch("checkpoint.safetensors", loaded, expected,
                               /*allowExtra=*/false, "x");
  EXPECT_EQ(s.message(),
            "checkpoint.safetensors: tensor 'fc.weight' has shape f32[30,2], "
            "model 'x' expects f32[30,1]\n"
            "checkpoint.safetensors has no tensor 'fc.bias' (model 'x' needs "
            "it)\n"
            "checkpoint.safetensors: tensor 'step' has type i64[], model 'x' "
            "expects f32[]\n"
            "checkpoint.safetensors holds 'conv1.weight', which model 'x' "
            "does not have");

  s = checkTensorsMatch("checkpoint.safetensors", loaded,
                        {{"fc.weight", {DType::F32, {30, 1}}}}, true);
  EXPECT_EQ(s.message(),
            "checkpoint.safetensors: tensor 'fc.weight' has shape f32[30,2], "
            "the model expects f32[30,1]");
  s = checkTensorsMatch("c.safetensors", loaded, {{"fc.bias", {}}}, true);
  EXPECT_EQ(s.message(),
            "c.safetensors has no tensor 'fc.bias' (the model needs it)");

  EXPECT_TRUE(checkTensorsMatch(
      "c", loaded,
      {{"fc.weight", {DType::F32, {30, 2}}}, {"step", {DType::I64, {}}}},
      /*allowExtra=*/true));
  EXPECT_FALSE(checkTensorsMatch(
      "c", loaded,
      {{"fc.weight", {DType::F32, {30, 2}}}, {"step", {DType::I64, {}}}},
      /*allowExtra=*/false));
}
