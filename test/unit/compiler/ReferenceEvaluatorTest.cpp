//===- ReferenceEvaluatorTest.cpp - The oracle's own driver ---------------===//
//
// evaluateReference itself: values flow in program order, arguments can be
// returned as they are, and every misuse (an op without a reference rule,
// wrong argument count or shape) is a diagnostic, not a crash.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "Reference/Evaluator.h"

#include "mlir/IR/Diagnostics.h"

using namespace loom;
using namespace loom::test;

namespace {

RefTensor ref(std::vector<int64_t> shape, std::vector<double> data) {
  RefTensor t(shape);
  t.data = std::move(data);
  return t;
}

TEST(ReferenceEvaluatorTest, EvaluatesInOrder) {
  auto m = parseModule(R"mlir(
func.func @f(%a: tensor<2xf32>, %b: tensor<f32>) -> (tensor<2xf32>, tensor<f32>) {
  %0 = loom.mul %a, %b : tensor<2xf32>, tensor<f32>
  %1 = loom.reduce_sum %0 axes [0] : tensor<2xf32>
  return %0, %1 : tensor<2xf32>, tensor<f32>
}
)mlir");
  ASSERT_TRUE(m);
  auto r = evaluateReference(m->lookupSymbol<mlir::func::FuncOp>("f"),
                             {ref({2}, {1.5, -2}), ref({}, {2})});
  ASSERT_TRUE(mlir::succeeded(r));
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].data, (std::vector<double>{3, -4}));
  EXPECT_EQ((*r)[1].data, (std::vector<double>{-1}));
  EXPECT_TRUE((*r)[1].shape.empty());
}

TEST(ReferenceEvaluatorTest, ReturnsArgument) {
  auto m = parseModule(R"mlir(
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
)mlir");
  ASSERT_TRUE(m);
  auto r = evaluateReference(m->lookupSymbol<mlir::func::FuncOp>("f"),
                             {ref({2}, {1, 2})});
  ASSERT_TRUE(mlir::succeeded(r));
  EXPECT_EQ((*r)[0].data, (std::vector<double>{1, 2}));
}

/// Runs `fn` expecting failure and returns the diagnostics' text.
std::string failureText(mlir::func::FuncOp fn, std::vector<RefTensor> args) {
  std::string text;
  mlir::ScopedDiagnosticHandler h(fn.getContext(), [&](mlir::Diagnostic &d) {
    text += d.str() + "\n";
    return mlir::success();
  });
  EXPECT_TRUE(mlir::failed(evaluateReference(fn, args)));
  return text;
}

TEST(ReferenceEvaluatorTest, OpWithoutInterfaceIsNamed) {
  auto m = parseModule(R"mlir(
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = tensor.empty() : tensor<2xf32>
  return %0 : tensor<2xf32>
}
)mlir");
  ASSERT_TRUE(m);
  std::string t = failureText(m->lookupSymbol<mlir::func::FuncOp>("f"),
                              {ref({2}, {1, 2})});
  EXPECT_NE(t.find("'tensor.empty' has no reference evaluation"),
            std::string::npos)
      << t;
}

TEST(ReferenceEvaluatorTest, ArgumentMismatch) {
  auto m = parseModule(R"mlir(
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
)mlir");
  ASSERT_TRUE(m);
  auto fn = m->lookupSymbol<mlir::func::FuncOp>("f");
  EXPECT_NE(failureText(fn, {}).find("expected 1 arguments"),
            std::string::npos);
  EXPECT_NE(failureText(fn, {ref({3}, {1, 2, 3})}).find("has shape [3]"),
            std::string::npos);
}

} // namespace
