//===- IndexingTest.cpp - gather, scatter_add, one_hot: JIT vs reference --===//
//
// The indexing family compiled for the CPU and compared with the reference
// evaluator on seeded random data whose indices are random integers in
// range (repeats and unused positions included), over every axis position
// and index rank. Then the run-time index check: an index that is too
// large, negative, fractional or NaN makes the session call fail with a
// message naming the index, the size and the op's file:line:col (or the
// layer's name), the reference evaluator refuses it too, and the next good
// call on the same session succeeds.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "Reference/Evaluator.h"
#include "Target/CPU/JitCompiler.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"

#include <cmath>
#include <ostream>
#include <random>

using namespace mlir;
using namespace loom;
using namespace loom::test;
using Shape = std::vector<int64_t>;

namespace {

struct IndexCase {
  const char *name;
  std::string source; // @forward(%a: data, %i: indices)
  int64_t bound;      // indices drawn from [0, bound)
};

std::ostream &operator<<(std::ostream &os, const IndexCase &c) {
  return os << c.name;
}

std::string fn(const Shape &a, const Shape &i, const Shape &out,
               const std::string &op) {
  std::string ta = tensorType(a), ti = tensorType(i), to = tensorType(out);
  return "func.func @forward(%a: " + ta + ", %i: " + ti + ") -> " + to +
         " {\n  %y = " + op + " : " + ta + ", " + ti + "\n  return %y : " + to +
         "\n}\n";
}

const IndexCase kCases[] = {
    {"GatherRows", fn({9, 4}, {6}, {6, 4}, "loom.gather %a, %i axis 0"), 9},
    {"GatherMatrixOfIndices",
     fn({7, 3}, {4, 5}, {4, 5, 3}, "loom.gather %a, %i axis 0"), 7},
    {"GatherMiddleAxis",
     fn({2, 6, 3}, {4}, {2, 4, 3}, "loom.gather %a, %i axis 1"), 6},
    {"GatherLastAxis2dIndices",
     fn({3, 5}, {2, 2}, {3, 2, 2}, "loom.gather %a, %i axis 1"), 5},
    {"GatherScalarIndex", fn({3, 5}, {}, {5}, "loom.gather %a, %i axis 0"), 3},
    {"ScatterAddRows",
     fn({12, 4}, {12}, {5, 4}, "loom.scatter_add %a, %i axis 0 dim_size 5"), 5},
    {"ScatterAddMatrixOfIndices",
     fn({3, 4, 2}, {3, 4}, {6, 2}, "loom.scatter_add %a, %i axis 0 dim_size 6"),
     6},
    {"ScatterAddInnerAxis",
     fn({2, 7, 3}, {7}, {2, 4, 3}, "loom.scatter_add %a, %i axis 1 dim_size 4"),
     4},
};

/// f32 data in [-2, 2) for %a and integers in [0, bound) for %i, both
/// sides seeing the same values.
Inputs drawInputs(ModuleOp module, int64_t bound, uint32_t seed) {
  CheckOptions options;
  options.seed = seed;
  Inputs in = makeInputs(module, options);
  std::mt19937 rng(seed + 1);
  std::uniform_int_distribution<int64_t> index(0, bound - 1);
  rt::HostTensor &host = in.host.at("arg1");
  for (int64_t k = 0; k < host.numElements(); ++k) {
    host.set(k, double(index(rng)));
    in.ref[1].data[k] = host.at(k);
  }
  return in;
}

class IndexingTest : public ::testing::TestWithParam<IndexCase> {};

TEST_P(IndexingTest, AgainstReference) {
  const IndexCase &c = GetParam();
  SCOPED_TRACE(c.source);
  OwningOpRef<ModuleOp> module = parseModule(c.source);
  ASSERT_TRUE(module);
  Inputs in = drawInputs(*module, c.bound, 99);
  auto fwd = module->lookupSymbol<func::FuncOp>("forward");
  FailureOr<SmallVector<RefTensor>> ref = evaluateReference(fwd, in.ref);
  ASSERT_TRUE(succeeded(ref));
  auto exe = compileForCPU(*module);
  ASSERT_TRUE(bool(exe)) << llvm::toString(exe.takeError());
  std::unique_ptr<rt::Session> session;
  ASSERT_TRUE(rt::Session::create(*exe, 1, session));
  std::map<std::string, rt::HostTensor> out;
  rt::Status st = session->run("forward", in.host, out);
  ASSERT_TRUE(st) << st.message();
  // gather copies exactly; scatter_add sums a few f32 values.
  CheckOptions tolerance;
  tolerance.rtol = 1e-6;
  tolerance.atol = 1e-6;
  expectClose(out.begin()->second, (*ref)[0], tolerance, "result");
}

INSTANTIATE_TEST_SUITE_P(Cases, IndexingTest, ::testing::ValuesIn(kCases),
                         [](const auto &info) { return info.param.name; });

TEST(OneHot, AgainstReference) {
  for (const Shape &shape : {Shape{8}, Shape{3, 4}, Shape{}}) {
    Shape out = shape;
    out.push_back(5);
    std::string ti = tensorType(shape), to = tensorType(out);
    std::string source = "func.func @forward(%a: tensor<2xf32>, %i: " + ti +
                         ") -> " + to +
                         " {\n  %y = loom.one_hot %i "
                         "num_classes 5 : " +
                         ti + "\n  return %y : " + to + "\n}\n";
    SCOPED_TRACE(source);
    OwningOpRef<ModuleOp> module = parseModule(source);
    ASSERT_TRUE(module);
    Inputs in = drawInputs(*module, 5, 3);
    auto fwd = module->lookupSymbol<func::FuncOp>("forward");
    FailureOr<SmallVector<RefTensor>> ref = evaluateReference(fwd, in.ref);
    ASSERT_TRUE(succeeded(ref));
    auto exe = compileForCPU(*module);
    ASSERT_TRUE(bool(exe)) << llvm::toString(exe.takeError());
    std::unique_ptr<rt::Session> session;
    ASSERT_TRUE(rt::Session::create(*exe, 1, session));
    std::map<std::string, rt::HostTensor> outputs;
    rt::Status st = session->run("forward", in.host, outputs);
    ASSERT_TRUE(st) << st.message();
    CheckOptions exact;
    exact.rtol = exact.atol = 0;
    expectClose(outputs.begin()->second, (*ref)[0], exact, "one_hot");
  }
}

//===----------------------------------------------------------------------===//
// Run-time index errors
//===----------------------------------------------------------------------===//

/// Compiles `source` and runs it with %a = zeros and %i = `indices`.
/// `keep`, when given, receives the session (owned by the test, so that it
/// and its JIT are gone before LLVM's static state is torn down at exit).
rt::Status runWithIndices(const std::string &source,
                          const std::vector<double> &indices,
                          std::map<std::string, rt::HostTensor> &out,
                          std::unique_ptr<rt::Session> *keep = nullptr) {
  OwningOpRef<ModuleOp> module = parseModule(source);
  if (!module)
    return rt::Status::error("parse failed");
  auto exe = compileForCPU(*module);
  if (!exe)
    return rt::Status::error(llvm::toString(exe.takeError()));
  std::unique_ptr<rt::Session> session;
  if (rt::Status st = rt::Session::create(*exe, 1, session); !st)
    return st;
  Inputs in = makeInputs(*module, {});
  rt::HostTensor &host = in.host.at("arg1");
  for (int64_t k = 0; k < host.numElements(); ++k)
    host.set(k, indices[k]);
  rt::Status st = session->run("forward", in.host, out);
  if (keep)
    *keep = std::move(session);
  return st;
}

const char *kGatherAt = R"(
func.func @forward(%a: tensor<50x4xf32>, %i: tensor<3xf32>) -> tensor<3x4xf32> {
  %y = loom.gather %a, %i axis 0 : tensor<50x4xf32>, tensor<3xf32> loc("model.cpp":12:9)
  return %y : tensor<3x4xf32>
}
)";

TEST(IndexError, GatherIndexTooLarge) {
  std::map<std::string, rt::HostTensor> out;
  std::unique_ptr<rt::Session> session;
  rt::Status st = runWithIndices(kGatherAt, {1, 57, 2}, out, &session);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.message(), "model.cpp:12:9: gather index 57 is out of range "
                          "for a table of 50 rows (valid indices are 0 to "
                          "49)");
  EXPECT_TRUE(out.empty());
  // The record is per call: the same session runs fine afterwards.
  ASSERT_TRUE(session);
  std::map<std::string, rt::HostTensor> in;
  rt::TensorType ta{rt::DType::F32, {50, 4}}, ti{rt::DType::F32, {3}};
  in.emplace("arg0", rt::HostTensor(ta));
  rt::HostTensor good(ti);
  good.set(0, 49);
  in.emplace("arg1", std::move(good));
  st = session->run("forward", in, out);
  EXPECT_TRUE(st) << st.message();
}

TEST(IndexError, NegativeFractionalAndNaN) {
  std::map<std::string, rt::HostTensor> out;
  rt::Status st = runWithIndices(kGatherAt, {0, 0, -1}, out);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.message(), "model.cpp:12:9: gather index -1 is out of range "
                          "for a table of 50 rows (valid indices are 0 to "
                          "49)");
  st = runWithIndices(kGatherAt, {2.5, 0, 0}, out);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.message(), "model.cpp:12:9: gather index 2.5 is not an "
                          "integer (indices are f32 values holding integers "
                          "in [0, 50))");
  st = runWithIndices(kGatherAt, {0, NAN, 0}, out);
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("gather index nan is out of range"),
            std::string::npos)
      << st.message();
}

TEST(IndexError, FirstErrorWins) {
  std::map<std::string, rt::HostTensor> out;
  rt::Status st = runWithIndices(kGatherAt, {0, 60, 70}, out);
  ASSERT_FALSE(st);
  EXPECT_NE(st.message().find("index 60 "), std::string::npos) << st.message();
}

TEST(IndexError, ScatterAddAndOneHot) {
  std::map<std::string, rt::HostTensor> out;
  rt::Status st = runWithIndices(R"(
func.func @forward(%a: tensor<3x2xf32>, %i: tensor<3xf32>) -> tensor<4x2xf32> {
  %y = loom.scatter_add %a, %i axis 0 dim_size 4 : tensor<3x2xf32>, tensor<3xf32> loc("gnn.cpp":7:3)
  return %y : tensor<4x2xf32>
}
)",
                                 {0, 4, 1}, out);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.message(), "gnn.cpp:7:3: scatter_add index 4 is out of range "
                          "for 4 result rows (valid indices are 0 to 3)");
  st = runWithIndices(R"(
func.func @forward(%a: tensor<2xf32>, %i: tensor<2xf32>) -> tensor<2x3xf32> {
  %y = loom.one_hot %i num_classes 3 : tensor<2xf32> loc("labels.cpp":2:1)
  return %y : tensor<2x3xf32>
}
)",
                      {3, 0}, out);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.message(), "labels.cpp:2:1: one_hot index 3 is out of range "
                          "for 3 classes (valid indices are 0 to 2)");
}

/// A DSL layer names the op with a NameLoc; the message uses the name.
TEST(IndexError, LayerNameFromNameLoc) {
  std::map<std::string, rt::HostTensor> out;
  rt::Status st = runWithIndices(R"(
func.func @forward(%a: tensor<50x4xf32>, %i: tensor<1xf32>) -> tensor<1x4xf32> {
  %y = loom.gather %a, %i axis 0 : tensor<50x4xf32>, tensor<1xf32> loc("embedding"("m.cpp":3:5))
  return %y : tensor<1x4xf32>
}
)",
                                 {50}, out);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.message(), "m.cpp:3:5: embedding index 50 is out of range for "
                          "a table of 50 rows (valid indices are 0 to 49)");
}

TEST(IndexError, ReferenceRefusesToo) {
  OwningOpRef<ModuleOp> module = parseModule(kGatherAt);
  ASSERT_TRUE(module);
  Inputs in = makeInputs(*module, {});
  in.ref[1].data = {0, 50, 0};
  std::string message;
  ScopedDiagnosticHandler handler(&testContext(), [&](Diagnostic &d) {
    message = d.str();
    return success();
  });
  auto fwd = module->lookupSymbol<func::FuncOp>("forward");
  EXPECT_TRUE(failed(evaluateReference(fwd, in.ref)));
  EXPECT_EQ(message, "'loom.gather' op index 50 (element 1 of the indices) "
                     "is out of range for axis 0 (size 50)");
}

} // namespace
