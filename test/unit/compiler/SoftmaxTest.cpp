//===- SoftmaxTest.cpp - softmax and log_softmax, composed and not --------===//
//
// The JIT sees softmax only after -loom-decompose; the oracle evaluates the
// composite op directly. A second check runs the oracle on the decomposed
// function, so a wrong decomposition is caught even without a JIT.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "Passes.h"
#include "Reference/Evaluator.h"

#include "mlir/Pass/PassManager.h"

using namespace loom::test;

namespace {

std::string softmaxFn(const std::string &op, int64_t axis) {
  std::string t = tensorType({3, 4, 5});
  return "func.func @forward(%a: " + t + ") -> " + t + " {\n  %0 = loom." +
         op + " %a axis " + std::to_string(axis) + " : " + t +
         "\n  return %0 : " + t + "\n}\n";
}

class SoftmaxTest
    : public ::testing::TestWithParam<std::tuple<const char *, int64_t>> {};

TEST_P(SoftmaxTest, JitAgainstReference) {
  auto [op, axis] = GetParam();
  CheckOptions o;
  o.lo = -6.0, o.hi = 6.0;
  o.atol = 1e-5;
  checkAgainstReference(softmaxFn(op, axis), o);
}

TEST_P(SoftmaxTest, DecomposedReferenceMatchesComposite) {
  auto [op, axis] = GetParam();
  auto module = parseModule(softmaxFn(op, axis));
  ASSERT_TRUE(module);
  auto decomposed = module->clone();
  mlir::PassManager pm(&testContext());
  pm.addPass(loom::createLoomDecompose());
  ASSERT_TRUE(mlir::succeeded(pm.run(decomposed)));
  bool anyComposite = false;
  decomposed.walk([&](mlir::Operation *o) {
    anyComposite |= mlir::isa<loom::SoftmaxOp, loom::LogSoftmaxOp>(o);
  });
  EXPECT_FALSE(anyComposite);

  CheckOptions opts;
  Inputs in = makeInputs(*module, opts);
  auto whole = loom::evaluateReference(
      module->lookupSymbol<mlir::func::FuncOp>("forward"), in.ref);
  auto parts = loom::evaluateReference(
      decomposed.lookupSymbol<mlir::func::FuncOp>("forward"), in.ref);
  decomposed->erase();
  ASSERT_TRUE(mlir::succeeded(whole) && mlir::succeeded(parts));
  ASSERT_EQ(whole->size(), 1u);
  const loom::RefTensor &a = (*whole)[0], &b = (*parts)[0];
  ASSERT_EQ(a.data.size(), b.data.size());
  for (size_t i = 0; i < a.data.size(); ++i)
    EXPECT_NEAR(a.data[i], b.data[i], 1e-12) << "element " << i;
}

INSTANTIATE_TEST_SUITE_P(
    EveryAxis, SoftmaxTest,
    ::testing::Combine(::testing::Values("softmax", "log_softmax"),
                       ::testing::Values(0, 1, 2)),
    [](const auto &info) {
      return std::string(std::get<0>(info.param)) + "_axis" +
             std::to_string(std::get<1>(info.param));
    });

TEST(SoftmaxTest, LargeLogitsStayFinite) {
  // exp(90) overflows f32: only the max-subtracted form survives this.
  CheckOptions o;
  o.lo = 80.0, o.hi = 100.0;
  o.atol = 1e-5;
  checkAgainstReference(softmaxFn("softmax", 2), o);
  checkAgainstReference(softmaxFn("log_softmax", 1), o);
}

} // namespace
