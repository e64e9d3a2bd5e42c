//===- CApiArtifactTest.cpp - The C API's artifact and checkpoint calls ---===//
//
// Loading an artifact from memory and a file, introspection of entries,
// inputs, outputs and parameters, checkpoints saved and loaded through a
// session (round trip, another model's file, a missing tensor), and NULL
// or out-of-range arguments: a status with a message, never a crash.
//
//===----------------------------------------------------------------------===//

#include "loom/runtime.h"

#include "loom/rt/core/Artifact.h"
#include "loom/rt/core/Checkpoint.h"
#include "loom/rt/core/FileUtil.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

using namespace loom::rt;

namespace {

/// A small artifact: a parameter table and a `forward` description over
/// the loader's sample object (never run here; the end-to-end C example
/// runs real models).
std::string artifactBytes() {
  std::string object;
  EXPECT_TRUE(readFile(LOOM_LOADER_SAMPLE_OBJECT, object));
  Executable exe;
  exe.modelName = "sample";
  ParamInfo w{"fc.weight", {DType::F32, {2, 3}}, {}, true};
  w.init.kind = Initializer::Kind::Uniform;
  w.init.a = -1;
  w.init.b = 1;
  exe.params = {w, {"fc.bias", {DType::F32, {3}}, {}, true}};
  exe.states = {{"fc.weight.m", {DType::F32, {2, 3}}}};
  EntryPoint e;
  e.name = "forward";
  e.args = {{ArgKind::Input, "x", {DType::F32, {4, 2}}},
            {ArgKind::Param, "fc.weight", {DType::F32, {2, 3}}},
            {ArgKind::Output, "y", {DType::F32, {4, 3}}},
            {ArgKind::Workspace, "workspace", {DType::F32, {}}}};
  exe.entries = {e};
  ArtifactInfo info;
  info.cpu = "x86-64";
  info.batch = 4;
  return encodeArtifact(exe, info, {{"forward", "loader_sample_bump"}}, object);
}

std::string message(loom_status_t s) {
  std::string m = loom_status_message(s);
  loom_status_free(s);
  return m;
}

TEST(CApiArtifactTest, LoadsAndDescribes) {
  std::string bytes = artifactBytes();
  loom_executable_t *exe = nullptr;
  ASSERT_EQ(loom_executable_load_from_memory(bytes.data(), bytes.size(), &exe),
            nullptr);
  EXPECT_STREQ(loom_executable_model_name(exe), "sample");
  ASSERT_EQ(loom_executable_entry_count(exe), 1u);
  EXPECT_STREQ(loom_executable_entry_name(exe, 0), "forward");
  EXPECT_EQ(loom_executable_entry_name(exe, 1), nullptr);
  size_t n = 0;
  ASSERT_EQ(loom_executable_input_count(exe, "forward", &n), nullptr);
  EXPECT_EQ(n, 1u);
  loom_value_info_t info;
  ASSERT_EQ(loom_executable_input_info(exe, "forward", 0, &info), nullptr);
  EXPECT_STREQ(info.name, "x");
  EXPECT_EQ(info.dtype, uint32_t(LOOM_DTYPE_F32));
  ASSERT_EQ(info.rank, 2u);
  EXPECT_EQ(info.shape[0], 4);
  EXPECT_EQ(info.shape[1], 2);
  ASSERT_EQ(loom_executable_output_info(exe, "forward", 0, &info), nullptr);
  EXPECT_STREQ(info.name, "y");
  EXPECT_EQ(message(loom_executable_output_info(exe, "forward", 1, &info)),
            "loom_executable_output_info: index 1 is out of range (1)");
  EXPECT_EQ(message(loom_executable_input_count(exe, "train_step", &n)),
            "loom_executable_input_count: no entry 'train_step'");
  EXPECT_EQ(loom_executable_param_count(exe), 2u);
  ASSERT_EQ(loom_executable_param_info(exe, 1, &info), nullptr);
  EXPECT_STREQ(info.name, "fc.bias");
  EXPECT_EQ(message(loom_executable_param_info(exe, 2, &info)),
            "loom_executable_param_info: index 2 is out of range (2)");
  loom_executable_release(exe);
}

TEST(CApiArtifactTest, BadFilesAndArguments) {
  loom_executable_t *exe = reinterpret_cast<loom_executable_t *>(1);
  EXPECT_EQ(message(loom_executable_load_from_memory("nope", 4, &exe)),
            "(memory): not a Loom artifact (no LOOM\\0ART magic)");
  EXPECT_EQ(exe, nullptr) << "no handle on failure";
  EXPECT_EQ(message(loom_executable_load("/nonexistent/m.loom", &exe)).rfind(
                "cannot open /nonexistent/m.loom", 0),
            0u);
  EXPECT_EQ(message(loom_executable_load(nullptr, &exe)),
            "loom_executable_load: null argument");
  EXPECT_EQ(message(loom_executable_load_from_memory(nullptr, 0, &exe)),
            "loom_executable_load_from_memory: null argument");
  EXPECT_EQ(loom_executable_entry_count(nullptr), 0u);
  EXPECT_EQ(loom_executable_entry_name(nullptr, 0), nullptr);
  size_t n;
  EXPECT_EQ(message(loom_executable_input_count(nullptr, "forward", &n)),
            "loom_executable_input_count: null argument");
  EXPECT_EQ(message(loom_session_load_checkpoint(nullptr, "x")),
            "loom_session_load_checkpoint: null argument");
  double loss;
  EXPECT_EQ(message(loom_session_train_step(nullptr, 0, nullptr, nullptr, 0.1,
                                            &loss)),
            "loom_session_train_step: null argument");
  EXPECT_EQ(loom_session_step(nullptr), 0);
  // The getters on NULL handles (what a failed create leaves).
  EXPECT_EQ(loom_tensor_dtype(nullptr), uint32_t(LOOM_DTYPE_INVALID));
  EXPECT_STREQ(loom_dtype_name(loom_tensor_dtype(nullptr)), "?");
  EXPECT_EQ(loom_tensor_rank(nullptr), 0u);
  EXPECT_EQ(loom_tensor_shape(nullptr), nullptr);
  EXPECT_EQ(loom_tensor_element_count(nullptr), 0);
  EXPECT_EQ(loom_tensor_byte_size(nullptr), 0u);
  EXPECT_EQ(loom_tensor_data(nullptr), nullptr);
  EXPECT_STREQ(loom_executable_model_name(nullptr), "");
  loom_tensor_release(nullptr);
  loom_executable_release(nullptr);
  loom_session_release(nullptr);
}

TEST(CApiArtifactTest, CheckpointsRoundTrip) {
  std::string bytes = artifactBytes();
  loom_executable_t *exe = nullptr;
  ASSERT_EQ(loom_executable_load_from_memory(bytes.data(), bytes.size(), &exe),
            nullptr);
  loom_session_options_t options;
  loom_session_options_initialize(&options);
  options.seed = 3;
  loom_session_t *a = nullptr, *b = nullptr;
  ASSERT_EQ(loom_session_create(exe, &options, &a), nullptr);
  ASSERT_EQ(loom_session_create(exe, nullptr, &b), nullptr);
  std::string path = ::testing::TempDir() + "/capi.safetensors";
  // Optimizer state: the table's one state, zeros at the start.
  ASSERT_EQ(loom_session_state_count(a), 1u);
  EXPECT_STREQ(loom_session_state_name(a, 0), "fc.weight.m");
  EXPECT_EQ(loom_session_state_name(a, 1), nullptr);
  loom_tensor_t *state = nullptr;
  ASSERT_EQ(loom_session_get_state(a, "fc.weight.m", &state), nullptr);
  ASSERT_EQ(loom_tensor_element_count(state), 6);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(static_cast<const float *>(loom_tensor_data(state))[i], 0.0f);
  loom_tensor_release(state);
  EXPECT_EQ(message(loom_session_get_state(a, "fc.weight.v", &state)),
            "loom_session_get_state: unknown optimizer state 'fc.weight.v'");
  EXPECT_EQ(state, nullptr);
  ASSERT_EQ(loom_session_save_checkpoint(a, path.c_str()), nullptr);
  ASSERT_EQ(loom_session_load_checkpoint(b, path.c_str()), nullptr);
  loom_tensor_t *wa = nullptr, *wb = nullptr;
  ASSERT_EQ(loom_session_get_param(a, "fc.weight", &wa), nullptr);
  ASSERT_EQ(loom_session_get_param(b, "fc.weight", &wb), nullptr);
  ASSERT_EQ(loom_tensor_byte_size(wa), loom_tensor_byte_size(wb));
  EXPECT_EQ(std::memcmp(loom_tensor_data(wa), loom_tensor_data(wb),
                        loom_tensor_byte_size(wa)),
            0)
      << "seed 3's weights arrived in the seed-0 session";
  loom_tensor_release(wa);
  loom_tensor_release(wb);
  // A file without one of the parameters: named, and the session unchanged.
  HostTensor only(TensorType{DType::F32, {2, 3}});
  std::string partial = ::testing::TempDir() + "/partial.safetensors";
  ASSERT_TRUE(saveCheckpoint(partial, {{"fc.weight", &only}}, {}));
  std::string m = message(loom_session_load_checkpoint(b, partial.c_str()));
  EXPECT_NE(m.find("has no tensor 'fc.bias' (model 'sample' needs it)"),
            std::string::npos)
      << m;
  loom_session_release(a);
  loom_session_release(b);
  loom_executable_release(exe);
}

} // namespace
