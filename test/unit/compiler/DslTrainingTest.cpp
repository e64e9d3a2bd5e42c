//===- DslTrainingTest.cpp - label, loss, metric and the loss functions ---===//
//
// The DSL's training declarations: what they add to @forward and to the
// model's interface, the errors they report at the user's line, and every
// loss and metric composite evaluated by the reference evaluator against
// its formula written out in C++ on hand-picked values (including the
// edge cases: huber on both sides of delta, bce at large |logits|, an
// accuracy tie).
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "DSL/ModelBuilder.h"
#include "Reference/Evaluator.h"
#include "loom/loom.h"

#include "mlir/IR/Diagnostics.h"

#include <cmath>

using namespace loom::test;
using loom::RefTensor;

namespace {

//===----------------------------------------------------------------------===//
// Models
//===----------------------------------------------------------------------===//

void classifier() {
  loom::Tensor x = loom::input("x", {loom::batch, 3});
  loom::Tensor y = loom::label("y", {loom::batch});
  loom::Tensor logits = loom::dense(x, {.out = 4, .name = "fc"});
  loom::output("logits", logits);
  loom::loss(loom::softmax_cross_entropy(logits, y));
  loom::metric("accuracy", loom::accuracy(logits, y));
}

/// Every regression loss and metric of pred against target, as metrics.
void regressionLosses() {
  loom::Tensor p = loom::input("p", {4, 2});
  loom::Tensor t = loom::label("t", {4, 2});
  loom::output("out", p);
  loom::metric("mse", loom::mse(p, t));
  loom::metric("l1", loom::l1_loss(p, t));
  loom::metric("huber", loom::huber(p, t, {.delta = 1.5}));
  loom::metric("bce", loom::bce_with_logits(p, t));
  loom::metric("rmse", loom::rmse(p, t));
  loom::metric("mae", loom::mae(p, t));
  loom::metric("binary_accuracy", loom::binary_accuracy(p, t));
}

void classification() {
  loom::Tensor logits = loom::input("logits", {4, 3});
  loom::Tensor y = loom::label("y", {4});
  loom::output("out", logits);
  loom::metric("ce", loom::softmax_cross_entropy(logits, y));
  loom::metric("accuracy", loom::accuracy(logits, y));
}

int gLine = 0; // where the mistakes below start

void mistakes() {
  loom::Tensor x = loom::input("x", {4, 3});
  loom::Tensor y = loom::label("y", {4});
  loom::Tensor p = loom::dense(x, {.out = 1, .name = "fc"});
  loom::output("p", p);
  gLine = __LINE__;
  loom::Tensor bad = loom::mse(p, y);                       // +1
  loom::loss(p);                                            // +2
  loom::loss(loom::mse(p, loom::reshape(y, {4, 1})));       // +3: fine
  loom::loss(loom::l1_loss(p, p));                          // +4
  loom::metric("p", loom::mae(p, p));                       // +5
  loom::softmax_cross_entropy(x, loom::reshape(y, {2, 2})); // +6
  loom::metric("m", bad);                                   // +7: no new error
  loom::huber(p, p, {.delta = 0});                          // +8
}

loom::dsl::ModelEntry entry(const char *name, loom::dsl::ModelFn fn) {
  return {name, fn, __FILE__, 1};
}

std::map<std::string, double> evaluate(mlir::func::FuncOp fn,
                                       const std::vector<RefTensor> &args) {
  auto results = loom::evaluateReference(fn, args);
  EXPECT_TRUE(mlir::succeeded(results));
  std::map<std::string, double> named;
  if (mlir::failed(results))
    return named;
  for (unsigned i = 0; i < fn.getNumResults(); ++i)
    if (auto m = fn.getResultAttrOfType<mlir::StringAttr>(i, "loom.metric"))
      named[m.str()] = (*results)[i].data[0];
  return named;
}

RefTensor ref(llvm::ArrayRef<int64_t> shape, std::vector<double> values) {
  RefTensor t(shape);
  t.data = std::move(values);
  return t;
}

} // namespace

TEST(DslTrainingTest, ForwardAndInterface) {
  loom::dsl::ModelInterface iface;
  auto module = loom::dsl::buildModel(
      testContext(), entry("classifier", &classifier), 8, &iface);
  ASSERT_TRUE(module);
  auto fn = module->lookupSymbol<mlir::func::FuncOp>("forward");
  ASSERT_EQ(fn.getNumResults(), 3u);
  EXPECT_TRUE(fn.getResultAttr(0, "loom.output"));
  EXPECT_TRUE(fn.getResultAttr(1, "loom.loss"));
  EXPECT_EQ(fn.getResultAttrOfType<mlir::StringAttr>(2, "loom.metric").str(),
            "accuracy");
  EXPECT_EQ(fn.getArgAttrOfType<mlir::StringAttr>(1, "loom.input").str(), "y");

  ASSERT_EQ(iface.inputs.size(), 2u);
  EXPECT_FALSE(iface.inputs[0].isLabel);
  EXPECT_TRUE(iface.inputs[1].isLabel);
  EXPECT_EQ(iface.inputs[1].shape, std::vector<int64_t>{-1});
  EXPECT_TRUE(iface.hasLoss);
  EXPECT_EQ(iface.metrics, std::vector<std::string>{"accuracy"});
  EXPECT_EQ(iface.numClasses, 4);
}

TEST(DslTrainingTest, ErrorsAtTheUsersLine) {
  mlir::MLIRContext &ctx = testContext();
  std::vector<std::pair<int, std::string>> errors;
  mlir::ScopedDiagnosticHandler handler(&ctx, [&](mlir::Diagnostic &d) {
    auto loc = mlir::dyn_cast<mlir::FileLineColLoc>(d.getLocation());
    errors.push_back({loc ? int(loc.getLine()) - gLine : -1, d.str()});
    return mlir::success();
  });
  EXPECT_FALSE(loom::dsl::buildModel(ctx, entry("mistakes", &mistakes), 4));
  std::vector<std::pair<int, std::string>> want = {
      {1, "mse needs a prediction and a target of the same shape, got [4, 1] "
          "and [4] (reshape one of them)"},
      {2, "the loss must be a scalar (rank 0), got shape [4, 1]; reduce it "
          "first, e.g. reduce_mean(x)"},
      {4, "the model already declared a loss; add the terms into one "
          "scalar, or give each loss a name and its parameters (loss(l, "
          "{.name = \"gen\", .params = {\"gen.\"}}))"},
      {5, "the name 'p' is already used by another input, parameter, output "
          "or metric of this model"},
      {6, "softmax_cross_entropy needs logits [batch, classes] and labels "
          "[batch] (class indices), got [4, 3] and [2, 2]"},
      {8, "huber needs delta > 0, got 0"},
  };
  EXPECT_EQ(errors, want);
}

TEST(DslTrainingTest, RegressionLossesMatchTheirFormulas) {
  auto module = loom::dsl::buildModel(
      testContext(), entry("regression", &regressionLosses), 4);
  ASSERT_TRUE(module);
  // Differences on both sides of huber's delta (1.5), and logits large
  // enough that a naive log(1 + exp(x)) would overflow in f32.
  std::vector<double> p = {0.5, -2.0, 3.0, 0.0, -120.0, 95.0, 1.0, -0.25};
  std::vector<double> t = {1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0};
  auto fn = module->lookupSymbol<mlir::func::FuncOp>("forward");
  auto got = evaluate(fn, {ref({4, 2}, p), ref({4, 2}, t)});

  double mse = 0, l1 = 0, huber = 0, bce = 0, hits = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    double d = std::fabs(p[i] - t[i]);
    mse += d * d;
    l1 += d;
    huber += d <= 1.5 ? 0.5 * d * d : 1.5 * (d - 0.75);
    // -[t log s(x) + (1 - t) log(1 - s(x))], written with log1p/exp in
    // double, where it is accurate for these values.
    double x = p[i];
    double softplus =
        x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
    bce += softplus - x * t[i];
    hits += (x > 0) == (t[i] > 0.5);
  }
  double n = double(p.size());
  EXPECT_NEAR(got["mse"], mse / n, 1e-12);
  EXPECT_NEAR(got["l1"], l1 / n, 1e-12);
  EXPECT_NEAR(got["huber"], huber / n, 1e-12);
  EXPECT_NEAR(got["bce"], bce / n, 1e-12);
  EXPECT_NEAR(got["rmse"], std::sqrt(mse / n), 1e-12);
  EXPECT_NEAR(got["mae"], l1 / n, 1e-12);
  EXPECT_NEAR(got["binary_accuracy"], hits / n, 1e-12);
}

TEST(DslTrainingTest, ClassificationLossAndAccuracy) {
  auto module = loom::dsl::buildModel(
      testContext(), entry("classification", &classification), 4);
  ASSERT_TRUE(module);
  std::vector<double> logits = {
      2.0,   1.0, 0.1,  // label 0: right
      0.5,   2.5, 1.0,  // label 2: wrong
      100.0, 0.0, -100, // label 1: wrong, and large (stability)
      1.0,   3.0, 3.0,  // label 2: ties the maximum, counts as right
  };
  std::vector<double> labels = {0, 2, 1, 2};
  auto fn = module->lookupSymbol<mlir::func::FuncOp>("forward");
  auto got = evaluate(fn, {ref({4, 3}, logits), ref({4}, labels)});

  double ce = 0;
  for (int b = 0; b < 4; ++b) {
    const double *row = &logits[3 * b];
    double mx = std::max({row[0], row[1], row[2]});
    double lse = mx + std::log(std::exp(row[0] - mx) + std::exp(row[1] - mx) +
                               std::exp(row[2] - mx));
    ce += lse - row[int(labels[b])];
  }
  EXPECT_NEAR(got["ce"], ce / 4, 1e-9);
  EXPECT_DOUBLE_EQ(got["accuracy"], 0.5);
}
