//===- TrainingSignatureTest.cpp - Training attributes in the Executable --===//
//
// describeEntryPoints on the attributes -loom-training-entries writes
// (loom.state, loom.hyper, loom.loss, loom.metric, loom.param_update,
// loom.state_update): the argument kinds and names the runtime sees, the
// optimizer state table, and the errors for inconsistent signatures.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "Target/CPU/JitCompiler.h"

using namespace loom;
using namespace loom::test;

namespace {

const char *kTrainStep = R"mlir(
func.func @train_step(%x: tensor<4x2xf32> {loom.input = "x"},
                      %w: tensor<2x1xf32> {loom.param = "fc.weight"},
                      %b: tensor<1xf32> {loom.param = "fc.bias", loom.trainable = false},
                      %m: tensor<2x1xf32> {loom.state = "fc.weight.m"},
                      %lr: tensor<f32> {loom.hyper = "lr"},
                      %t: tensor<f32> {loom.hyper = "step"})
    -> (tensor<f32> {loom.loss}, tensor<f32> {loom.metric = "mae"},
        tensor<2x1xf32> {loom.param_update = "fc.weight"},
        tensor<2x1xf32> {loom.state_update = "fc.weight.m"}) {
  %l = loom.reduce_sum %w axes [0, 1] : tensor<2x1xf32>
  return %l, %t, %w, %m : tensor<f32>, tensor<f32>, tensor<2x1xf32>, tensor<2x1xf32>
}
)mlir";

llvm::Expected<rt::Executable> describe(const std::string &src) {
  auto module = parseModule(src);
  rt::Executable exe;
  if (!module)
    return llvm::createStringError("parse failed");
  if (llvm::Error e = describeEntryPoints(*module, exe))
    return std::move(e);
  return std::move(exe);
}

std::string describeError(const std::string &src) {
  auto exe = describe(src);
  if (exe) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return llvm::toString(exe.takeError());
}

/// kTrainStep with `from` replaced by `to`.
std::string variant(const std::string &from, const std::string &to) {
  std::string s = kTrainStep;
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? s : s.replace(at, from.size(), to);
}

} // namespace

TEST(TrainingSignatureTest, KindsNamesAndStates) {
  auto exe = describe(kTrainStep);
  ASSERT_TRUE(bool(exe)) << llvm::toString(exe.takeError());
  ASSERT_EQ(exe->entries.size(), 1u);
  const rt::EntryPoint &e = exe->entries[0];
  struct Want {
    rt::ArgKind kind;
    const char *name;
    const char *type;
  };
  std::vector<Want> want = {
      {rt::ArgKind::Input, "x", "f32[4,2]"},
      {rt::ArgKind::Param, "fc.weight", "f32[2,1]"},
      {rt::ArgKind::Param, "fc.bias", "f32[1]"},
      {rt::ArgKind::State, "fc.weight.m", "f32[2,1]"},
      {rt::ArgKind::Hyper, "lr", "f32[]"},
      {rt::ArgKind::Hyper, "step", "f32[]"},
      {rt::ArgKind::Output, "loss", "f32[]"},
      {rt::ArgKind::Output, "mae", "f32[]"},
      {rt::ArgKind::ParamUpdate, "fc.weight", "f32[2,1]"},
      {rt::ArgKind::StateUpdate, "fc.weight.m", "f32[2,1]"},
      {rt::ArgKind::Workspace, "workspace", "f32[]"},
  };
  ASSERT_EQ(e.args.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(e.args[i].kind, want[i].kind) << i;
    EXPECT_EQ(e.args[i].name, want[i].name) << i;
    EXPECT_EQ(e.args[i].type.str(), want[i].type) << i;
  }
  ASSERT_EQ(exe->states.size(), 1u);
  EXPECT_EQ(exe->states[0].name, "fc.weight.m");
  EXPECT_EQ(exe->states[0].type.str(), "f32[2,1]");
  ASSERT_EQ(exe->params.size(), 2u);
  EXPECT_FALSE(exe->params[1].trainable);
}

TEST(TrainingSignatureTest, Errors) {
  EXPECT_EQ(
      describeError(variant(R"({loom.hyper = "step"})",
                            R"({loom.hyper = "step", loom.input = "t"})")),
      "function 'train_step': argument 5 has both loom.input and "
      "loom.hyper");
  EXPECT_EQ(describeError(variant(R"(%lr: tensor<f32> {loom.hyper = "lr"})",
                                  R"(%lr: tensor<1xf32> {loom.hyper = "lr"})")),
            "function 'train_step': hyperparameter 'lr' is f32[1], but "
            "hyperparameters are f32[]");
  EXPECT_EQ(describeError(variant(R"(loom.param_update = "fc.weight")",
                                  R"(loom.param_update = "fc.wieght")")),
            "function 'train_step': result 2 updates unknown parameter "
            "'fc.wieght'");
  EXPECT_EQ(describeError(variant(R"(loom.state_update = "fc.weight.m")",
                                  R"(loom.state_update = "fc.weight.v")")),
            "function 'train_step': result 3 updates unknown optimizer state "
            "'fc.weight.v'");
  EXPECT_EQ(
      describeError(variant(
          R"((tensor<f32> {loom.loss}, tensor<f32> {loom.metric = "mae"})",
          R"((tensor<f32> {loom.loss}, tensor<f32> {loom.metric = 3 : i64})")),
      "function 'train_step': result 1: loom.metric must be a string");
  EXPECT_EQ(describeError(
                variant(R"({loom.state = "fc.weight.m"})", R"({loom.state})")),
            "function 'train_step': argument 3: loom.state needs a name");
}

TEST(TrainingSignatureTest, NonScalarLossIsAnError) {
  const char *src = R"mlir(
func.func @eval(%x: tensor<4xf32> {loom.input = "x"})
    -> (tensor<4xf32> {loom.loss}) {
  return %x : tensor<4xf32>
}
)mlir";
  EXPECT_EQ(describeError(src), "function 'eval': result 0 is the loss but "
                                "is f32[4], not a scalar");
}

TEST(TrainingSignatureTest, StatesAgreeAcrossEntries) {
  const char *src = R"mlir(
func.func @a(%m: tensor<2xf32> {loom.state = "w.m"}) -> tensor<2xf32> {
  return %m : tensor<2xf32>
}
func.func @b(%m: tensor<3xf32> {loom.state = "w.m"}) -> tensor<3xf32> {
  return %m : tensor<3xf32>
}
)mlir";
  EXPECT_EQ(describeError(src), "function 'b': optimizer state 'w.m' is "
                                "f32[3] here but f32[2] in another entry");
}
