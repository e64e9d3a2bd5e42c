//===- JitCompilerTest.cpp - compileForCPU's contract with the runtime ----===//
//
// What the Executable says about a module (names, kinds, order of args,
// parameter table with initializers), the result cases bufferization can
// get wrong (an argument or a constant returned, one value returned twice),
// errors that must come back as Errors, and that repeated calls neither leak
// nor double-free.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "Target/CPU/JitCompiler.h"

#include <malloc.h>

using namespace loom;
using namespace loom::test;

namespace {

std::shared_ptr<rt::Executable> compileOrFail(const std::string &src) {
  auto module = parseModule(src);
  if (!module)
    return nullptr;
  auto exe = compileForCPU(*module, {.modelName = "m"});
  if (!exe) {
    ADD_FAILURE() << llvm::toString(exe.takeError());
    return nullptr;
  }
  return *exe;
}

std::string compileError(const std::string &src) {
  auto module = parseModule(src);
  if (!module)
    return "<parse failed>";
  auto exe = compileForCPU(*module);
  if (exe) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return llvm::toString(exe.takeError());
}

const char *kDense = R"mlir(
func.func @forward(%x: tensor<2x3xf32> {loom.input = "features"},
                   %w: tensor<3x2xf32> {loom.param = "fc.weight",
                       loom.init = {kind = "values",
                                    values = dense<[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]> : tensor<3x2xf32>}},
                   %b: tensor<2xf32> {loom.param = "fc.bias",
                       loom.init = {kind = "constant", a = 0.5 : f64},
                       loom.trainable = false})
    -> (tensor<2x2xf32> {loom.output = "price"}, tensor<2xf32>) {
  %0 = loom.matmul %x, %w : tensor<2x3xf32>, tensor<3x2xf32>
  %1 = loom.add %0, %b : tensor<2x2xf32>, tensor<2xf32>
  %2 = loom.reduce_sum %1 axes [0] : tensor<2x2xf32>
  return %1, %2 : tensor<2x2xf32>, tensor<2xf32>
}
func.func private @helper(%x: tensor<f32>) -> tensor<f32> {
  return %x : tensor<f32>
}
)mlir";

TEST(JitCompilerTest, SignatureFromAttributes) {
  auto exe = compileOrFail(kDense);
  ASSERT_TRUE(exe);
  EXPECT_EQ(exe->modelName, "m");
  ASSERT_EQ(exe->entries.size(), 1u); // the private helper is no entry
  const rt::EntryPoint &e = exe->entries[0];
  EXPECT_EQ(e.name, "forward");
  EXPECT_NE(e.fn, nullptr);
  // The caller-owned workspace of -loom-plan-buffers comes last.
  ASSERT_EQ(e.args.size(), 6u);
  EXPECT_EQ(e.args[5].kind, rt::ArgKind::Workspace);
  EXPECT_EQ(e.args[0].kind, rt::ArgKind::Input);
  EXPECT_EQ(e.args[0].name, "features");
  EXPECT_EQ(e.args[0].type.str(), "f32[2,3]");
  EXPECT_EQ(e.args[1].kind, rt::ArgKind::Param);
  EXPECT_EQ(e.args[1].name, "fc.weight");
  EXPECT_EQ(e.args[2].kind, rt::ArgKind::Param);
  EXPECT_EQ(e.args[3].kind, rt::ArgKind::Output);
  EXPECT_EQ(e.args[3].name, "price");
  EXPECT_EQ(e.args[4].kind, rt::ArgKind::Output);
  EXPECT_EQ(e.args[4].name, "out1");
  EXPECT_EQ(e.args[4].type.str(), "f32[2]");

  ASSERT_EQ(exe->params.size(), 2u);
  const rt::ParamInfo *w = exe->findParam("fc.weight");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->init.kind, rt::Initializer::Kind::Values);
  EXPECT_EQ(w->init.values,
            (std::vector<double>{1.0, 0.0, 0.0, 1.0, 1.0, 1.0}));
  EXPECT_TRUE(w->trainable);
  const rt::ParamInfo *b = exe->findParam("fc.bias");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->init.kind, rt::Initializer::Kind::Constant);
  EXPECT_EQ(b->init.a, 0.5);
  EXPECT_FALSE(b->trainable);
}

TEST(JitCompilerTest, RunsWithParameters) {
  auto exe = compileOrFail(kDense);
  ASSERT_TRUE(exe);
  std::unique_ptr<rt::Session> s;
  ASSERT_TRUE(rt::Session::create(exe, 7, s));
  std::map<std::string, rt::HostTensor> in, out;
  in.emplace("features",
             rt::HostTensor::fromF32({2, 3}, {1, 2, 3, 4, 5, 6}));
  rt::Status st = s->run("forward", in, out);
  ASSERT_TRUE(st) << st.message();
  // [[1,2,3],[4,5,6]] x [[1,0],[0,1],[1,1]] + 0.5 = [[4.5,5.5],[10.5,11.5]]
  const rt::HostTensor &price = out.at("price");
  EXPECT_EQ(price.at(0), 4.5);
  EXPECT_EQ(price.at(1), 5.5);
  EXPECT_EQ(price.at(2), 10.5);
  EXPECT_EQ(price.at(3), 11.5);
  EXPECT_EQ(out.at("out1").at(0), 15.0);
  EXPECT_EQ(out.at("out1").at(1), 17.0);
}

TEST(JitCompilerTest, ReturnsArgumentConstantAndDuplicates) {
  checkAgainstReference(R"mlir(
func.func @forward(%a: tensor<4x3xf32>, %s: tensor<f32>)
    -> (tensor<4x3xf32>, tensor<2xf32>, tensor<4x3xf32>, tensor<4x3xf32>,
        tensor<f32>, tensor<2x2xi1>) {
  %c = loom.constant dense<[1.5, -2.0]> : tensor<2xf32>
  %m = loom.constant dense<[[true, false], [false, true]]> : tensor<2x2xi1>
  %e = loom.exp %a : tensor<4x3xf32>
  return %a, %c, %e, %e, %s, %m
      : tensor<4x3xf32>, tensor<2xf32>, tensor<4x3xf32>, tensor<4x3xf32>,
        tensor<f32>, tensor<2x2xi1>
}
)mlir");
}

TEST(JitCompilerTest, SeveralEntries) {
  const char *src = R"mlir(
func.func @forward(%a: tensor<3xf32>) -> tensor<3xf32> {
  %0 = loom.neg %a : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @eval(%a: tensor<3xf32>) -> tensor<f32> {
  %0 = loom.reduce_sum %a axes [0] : tensor<3xf32>
  return %0 : tensor<f32>
}
)mlir";
  CheckOptions o;
  checkAgainstReference(src, o);
  o.entry = "eval";
  checkAgainstReference(src, o);
}

TEST(JitCompilerTest, NoLeaksOrDoubleFreesAcrossCalls) {
  // Temporaries of every kind (elementwise, reduction, matmul init,
  // concat, reshape views): the heap must be the same size after 200 calls.
  auto exe = compileOrFail(R"mlir(
func.func @forward(%a: tensor<16x8xf32>, %w: tensor<8x8xf32>)
    -> (tensor<16x8xf32>, tensor<16xf32>, tensor<32x8xf32>) {
  %0 = loom.matmul %a, %w : tensor<16x8xf32>, tensor<8x8xf32>
  %1 = loom.tanh %0 : tensor<16x8xf32>
  %2 = loom.softmax %1 axis 1 : tensor<16x8xf32>
  %3 = loom.reduce_max %2 axes [1] : tensor<16x8xf32>
  %4 = loom.concat %1, %a axis 0 : tensor<16x8xf32>, tensor<16x8xf32>
  %5 = loom.reshape %4 [8, 32] : tensor<32x8xf32>
  %6 = loom.reshape %5 [32, 8] : tensor<8x32xf32>
  return %2, %3, %6 : tensor<16x8xf32>, tensor<16xf32>, tensor<32x8xf32>
}
)mlir");
  ASSERT_TRUE(exe);
  std::unique_ptr<rt::Session> s;
  ASSERT_TRUE(rt::Session::create(exe, 1, s));
  std::map<std::string, rt::HostTensor> in, out;
  in.emplace("arg0", rt::HostTensor(rt::TensorType{rt::DType::F32, {16, 8}}));
  in.emplace("arg1", rt::HostTensor(rt::TensorType{rt::DType::F32, {8, 8}}));
  ASSERT_TRUE(s->run("forward", in, out));
  out.clear();
  size_t before = mallinfo2().uordblks;
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(s->run("forward", in, out));
    out.clear();
  }
  size_t after = mallinfo2().uordblks;
  // One leaked temporary per call would be >= 200 * 64 bytes.
  EXPECT_LT(after, before + 4096) << "heap grew by " << (after - before);
}

TEST(JitCompilerTest, ErrorNoEntryPoint) {
  std::string e = compileError(R"mlir(
func.func private @f(%a: tensor<f32>) -> tensor<f32> {
  return %a : tensor<f32>
}
)mlir");
  EXPECT_NE(e.find("no public function"), std::string::npos) << e;
}

TEST(JitCompilerTest, ErrorUnknownInitializer) {
  std::string e = compileError(R"mlir(
func.func @forward(%w: tensor<2xf32> {loom.param = "w",
                   loom.init = {kind = "glorot"}}) -> tensor<2xf32> {
  return %w : tensor<2xf32>
}
)mlir");
  EXPECT_NE(e.find("unknown kind 'glorot'"), std::string::npos) << e;
  EXPECT_NE(e.find("'w'"), std::string::npos) << e;
}

TEST(JitCompilerTest, ErrorNonTensorArgument) {
  std::string e = compileError(R"mlir(
func.func @forward(%a: f32) -> f32 {
  return %a : f32
}
)mlir");
  EXPECT_NE(e.find("argument 0 must be a statically shaped tensor"),
            std::string::npos)
      << e;
}

TEST(JitCompilerTest, ErrorParameterTypeDisagrees) {
  std::string e = compileError(R"mlir(
func.func @a(%w: tensor<2xf32> {loom.param = "w"}) -> tensor<2xf32> {
  return %w : tensor<2xf32>
}
func.func @b(%w: tensor<3xf32> {loom.param = "w"}) -> tensor<3xf32> {
  return %w : tensor<3xf32>
}
)mlir");
  EXPECT_NE(e.find("parameter 'w' is f32[3] here but f32[2]"),
            std::string::npos)
      << e;
}

TEST(JitCompilerTest, ErrorFromPipelineCarriesDiagnostic) {
  // A foreign op no pass lowers: the Error must carry the diagnostic and
  // where it happened, not just "failed".
  std::string e = compileError(R"mlir(
func.func @forward(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = tosa.abs %a : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
)mlir");
  EXPECT_NE(e.find("lowering to LLVM failed"), std::string::npos) << e;
  EXPECT_NE(e.find("op was not bufferized"), std::string::npos) << e;
}

TEST(JitCompilerTest, ErrorUnresolvedSymbol) {
  // Compiles, but the JIT cannot link @ext: an Error, not an abort.
  std::string e = compileError(R"mlir(
func.func private @ext(tensor<2xf32>) -> tensor<2xf32>
func.func @forward(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = func.call @ext(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
)mlir");
  EXPECT_NE(e.find("forward"), std::string::npos) << e;
}

} // namespace
