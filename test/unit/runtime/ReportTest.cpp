//===- ReportTest.cpp - Classification and regression evaluation reports --===//
//
// Every expected number here is worked out by hand from a small confusion
// matrix or a four-value regression, and was re-derived independently with
// numpy (scikit-learn is not installed on the build machines). Metrics are
// ratios of small integers, so they are compared within 1e-12; the text and
// JSON renderings are compared literally.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/data/Report.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace loom::rt;

namespace {

constexpr double kTol = 1e-12;

::testing::AssertionResult contains(const std::string &text,
                                    const std::string &part) {
  if (text.find(part) != std::string::npos)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << part << "' not found in:\n"
                                       << text;
}

HostTensor f32(std::vector<int64_t> shape, const std::vector<float> &v) {
  return HostTensor::fromF32(std::move(shape), v);
}

/// Ten examples, three classes, chosen so the confusion matrix is
///   true 0: [2, 1, 0]    true 1: [1, 2, 1]    true 2: [0, 0, 3]
/// Rows 1 and 4 tie (0 vs 1, 1 vs 2): the first maximum must win, or the
/// matrix changes. Rows 8 and 9 are all-negative logits.
HostTensor threeClassScores() {
  return f32({10, 3}, {0.9f, 0.05f, 0.05f, //
                       0.4f, 0.4f,  0.2f,  // tie -> 0
                       0.1f, 0.8f,  0.1f,  //
                       0.2f, 0.7f,  0.1f,  //
                       0.1f, 0.45f, 0.45f, // tie -> 1
                       0.1f, 0.2f,  0.7f,  //
                       0.6f, 0.3f,  0.1f,  //
                       0.0f, 0.0f,  1.0f,  //
                       -1,   -2,    3,     //
                       -5,   -4,    -3});
}
HostTensor threeClassLabels() {
  return f32({10}, {0, 0, 0, 1, 1, 1, 1, 2, 2, 2});
}

void expectMetrics(const ClassMetrics &m, double p, double r, double f1,
                   int64_t support) {
  EXPECT_NEAR(m.precision, p, kTol);
  EXPECT_NEAR(m.recall, r, kTol);
  EXPECT_NEAR(m.f1, f1, kTol);
  EXPECT_EQ(m.support, support);
}

} // namespace

TEST(ReportTest, ThreeClassKnownValues) {
  ClassificationReport r;
  ASSERT_TRUE(classificationReport(threeClassScores(), threeClassLabels(), 3, r)
                  .isOk());
  EXPECT_EQ(r.examples, 10);
  EXPECT_EQ(r.numClasses, 3);
  EXPECT_EQ(r.rule, PredictionRule::Argmax);
  EXPECT_EQ(r.confusion, (std::vector<std::vector<int64_t>>{
                             {2, 1, 0}, {1, 2, 1}, {0, 0, 3}}));
  // Columns sum to 3, 3, 4 predictions; rows to 3, 4, 3 true examples.
  // F1 = 2 tp / (predicted + support).
  ASSERT_EQ(r.classes.size(), 3u);
  expectMetrics(r.classes[0], 2.0 / 3, 2.0 / 3, 2.0 / 3, 3);
  expectMetrics(r.classes[1], 2.0 / 3, 2.0 / 4, 4.0 / 7, 4);
  expectMetrics(r.classes[2], 3.0 / 4, 1.0, 6.0 / 7, 3);
  EXPECT_NEAR(r.accuracy, 0.7, kTol);
  // Macro: (2/3 + 2/3 + 3/4) / 3 = 25/36, (2/3 + 1/2 + 1) / 3 = 13/18,
  // (2/3 + 4/7 + 6/7) / 3 = 44/63.
  expectMetrics(r.macroAvg, 25.0 / 36, 13.0 / 18, 44.0 / 63, 10);
  // Weighted by 3, 4, 3 over 10: precision 83/120, recall = accuracy,
  // F1 (2 + 16/7 + 18/7) / 10 = 24/35.
  expectMetrics(r.weightedAvg, 83.0 / 120, 0.7, 24.0 / 35, 10);
}

TEST(ReportTest, AnyDTypeAndColumnLabels) {
  // The same data as f64 scores and i64 [N, 1] labels gives the same matrix.
  HostTensor scores32 = threeClassScores();
  HostTensor scores(TensorType{DType::F64, {10, 3}});
  for (int64_t i = 0; i < 30; ++i)
    scores.set(i, scores32.at(i));
  HostTensor labels(TensorType{DType::I64, {10, 1}});
  for (int64_t i = 0; i < 10; ++i)
    labels.set(i, threeClassLabels().at(i));
  ClassificationReport r;
  ASSERT_TRUE(classificationReport(scores, labels, 3, r).isOk());
  EXPECT_EQ(r.confusion, (std::vector<std::vector<int64_t>>{
                             {2, 1, 0}, {1, 2, 1}, {0, 0, 3}}));
}

TEST(ReportTest, ArgmaxTiesPickTheFirstMaximum) {
  // Row 0: all equal -> 0. Row 1: 1 and 2 tie above 0 -> 1. Row 2: all
  // negative, the largest is last -> 2.
  HostTensor p = f32({3, 3}, {1, 1, 1, 0, 5, 5, -3, -2, -1});
  ClassificationReport r;
  ASSERT_TRUE(classificationReport(p, f32({3}, {0, 1, 2}), 3, r).isOk());
  EXPECT_EQ(r.confusion, (std::vector<std::vector<int64_t>>{
                             {1, 0, 0}, {0, 1, 0}, {0, 0, 1}}));
  EXPECT_DOUBLE_EQ(r.accuracy, 1.0);
}

TEST(ReportTest, BinaryProbabilitiesThresholdAtOneHalf) {
  // Every value in [0, 1]: probabilities; 0.5 itself is class 1.
  // Predicted 0, 1, 0, 1 against labels 0, 1, 1, 0.
  ClassificationReport r;
  ASSERT_TRUE(classificationReport(f32({4}, {0.2f, 0.5f, 0.3f, 0.6f}),
                                   f32({4}, {0, 1, 1, 0}), 2, r)
                  .isOk());
  EXPECT_EQ(r.rule, PredictionRule::Probability);
  EXPECT_EQ(r.confusion, (std::vector<std::vector<int64_t>>{{1, 1}, {1, 1}}));
  EXPECT_DOUBLE_EQ(r.accuracy, 0.5);
}

TEST(ReportTest, BinaryOutsideUnitIntervalIsLogits) {
  // 1.5 > 1 makes the column logits: class 1 when z >= 0, so 0.3 (class 0
  // as a probability) is class 1 here. Predicted 0, 1, 1, 1 against
  // labels 0, 1, 1, 0: confusion [[1, 1], [0, 2]].
  ClassificationReport r;
  ASSERT_TRUE(classificationReport(f32({4, 1}, {-2, 0, 0.3f, 1.5f}),
                                   f32({4}, {0, 1, 1, 0}), 2, r)
                  .isOk());
  EXPECT_EQ(r.rule, PredictionRule::Logits);
  EXPECT_EQ(r.confusion, (std::vector<std::vector<int64_t>>{{1, 1}, {0, 2}}));
  expectMetrics(r.classes[0], 1.0, 0.5, 2.0 / 3, 2);
  expectMetrics(r.classes[1], 2.0 / 3, 1.0, 0.8, 2);
  EXPECT_TRUE(contains(formatReport(r), "1 when logit >= 0"));
  EXPECT_TRUE(contains(reportJson(r), "\"rule\":\"logits\""));
}

TEST(ReportTest, ZeroDivisionIsZero) {
  // Both examples are predicted class 0. Class 1 occurs but is never
  // predicted (precision 0/0 -> 0); class 2 neither occurs nor is predicted
  // (precision and recall 0/0 -> 0).
  ClassificationReport r;
  ASSERT_TRUE(classificationReport(f32({2, 3}, {1, 0, 0, 1, 0, 0}),
                                   f32({2}, {0, 1}), 3, r)
                  .isOk());
  EXPECT_EQ(r.confusion, (std::vector<std::vector<int64_t>>{
                             {1, 0, 0}, {1, 0, 0}, {0, 0, 0}}));
  expectMetrics(r.classes[0], 0.5, 1.0, 2.0 / 3, 1);
  expectMetrics(r.classes[1], 0.0, 0.0, 0.0, 1);
  expectMetrics(r.classes[2], 0.0, 0.0, 0.0, 0);
  // Macro counts the absent class: (0.5 + 0 + 0) / 3 and so on; weighted
  // uses supports 1, 1, 0 over 2.
  expectMetrics(r.macroAvg, 0.5 / 3, 1.0 / 3, (2.0 / 3) / 3, 2);
  expectMetrics(r.weightedAvg, 0.25, 0.5, 1.0 / 3, 2);
  EXPECT_TRUE(contains(formatReport(r), "reported as 0"));
}

/// The message of a failing classificationReport call.
static std::string classError(const HostTensor &p, const HostTensor &l,
                              int64_t classes) {
  ClassificationReport r;
  Status s = classificationReport(p, l, classes, r);
  EXPECT_FALSE(s.isOk());
  return s.message();
}

TEST(ReportTest, ClassificationErrorsNameTheProblem) {
  HostTensor p = f32({2, 3}, {1, 0, 0, 0, 1, 0});
  EXPECT_EQ(classError(p, f32({3}, {0, 1, 2}), 3),
            "classificationReport: predictions f32[2,3] have 2 rows but "
            "labels f32[3] have 3");
  EXPECT_EQ(classError(p, f32({2}, {0, 3}), 3),
            "classificationReport: label 3 at row 1 is out of range for 3 "
            "classes");
  EXPECT_EQ(classError(p, f32({2}, {-1, 0}), 3),
            "classificationReport: label -1 at row 0 is out of range for 3 "
            "classes");
  EXPECT_EQ(classError(p, f32({2}, {0, 1.5f}), 3),
            "classificationReport: label 1.5 at row 1 is not an integer class "
            "index");
  EXPECT_EQ(classError(p, f32({2}, {0, 1}), 10),
            "classificationReport: predictions f32[2,3] have 3 columns but "
            "there are 10 classes");
  EXPECT_EQ(classError(f32({2, 1}, {0, 1}), f32({2}, {0, 1}), 3),
            "classificationReport: predictions f32[2,1] hold one score per "
            "example (a binary classifier) but there are 3 classes");
  EXPECT_EQ(classError(p, f32({2}, {0, 1}), 1),
            "classificationReport: numClasses is 1; a classifier needs at "
            "least 2 classes");
  EXPECT_EQ(classError(f32({0, 3}, {}), f32({0}, {}), 3),
            "classificationReport: predictions f32[0,3] are empty");
  EXPECT_EQ(classError(p, f32({2, 2}, {0, 1, 1, 0}), 3),
            "classificationReport: labels f32[2,2] must be [N] or [N, 1] "
            "class indices");
  EXPECT_EQ(classError(f32({1, 1, 3}, {1, 0, 0}), f32({1}, {0}), 3),
            "classificationReport: predictions f32[1,1,3] must have rank 1 "
            "or 2");
  EXPECT_EQ(classError(f32({2, 3}, {1, 0, 0, 0, NAN, 0}), f32({2}, {0, 1}), 3),
            "classificationReport: predictions row 1 holds NaN");
  EXPECT_EQ(classError(f32({2}, {0.5f, NAN}), f32({2}, {0, 1}), 2),
            "classificationReport: predictions row 1 holds NaN");
  EXPECT_EQ(classError(HostTensor(), f32({2}, {0, 1}), 2),
            "classificationReport: predictions tensor has no storage");
}

//===--- Regression -------------------------------------------------------===//

TEST(ReportTest, RegressionKnownValues) {
  // Errors 0, -1, 1, -2: SS_res = 6, MSE 1.5, MAE 4/4 = 1. Target mean 3,
  // SS_tot = 4 + 0 + 1 + 9 = 14, so R^2 = 1 - 6/14 = 4/7.
  RegressionReport r;
  ASSERT_TRUE(
      regressionReport(f32({4}, {1, 2, 3, 4}), f32({4, 1}, {1, 3, 2, 6}), r)
          .isOk());
  EXPECT_EQ(r.examples, 4);
  EXPECT_EQ(r.outputs, 1);
  EXPECT_NEAR(r.rmse, std::sqrt(1.5), kTol);
  EXPECT_NEAR(r.mae, 1.0, kTol);
  EXPECT_NEAR(r.r2, 4.0 / 7, kTol);
}

TEST(ReportTest, RegressionPerfectFitAndMeanPrediction) {
  HostTensor y = f32({4, 1}, {1, 3, 2, 6});
  RegressionReport perfect;
  ASSERT_TRUE(regressionReport(y, y, perfect).isOk());
  EXPECT_EQ(perfect.rmse, 0.0);
  EXPECT_EQ(perfect.mae, 0.0);
  EXPECT_EQ(perfect.r2, 1.0);
  // Predicting the mean (3) everywhere makes SS_res == SS_tot: R^2 = 0, and
  // MAE is (2 + 0 + 1 + 3) / 4.
  RegressionReport mean;
  ASSERT_TRUE(regressionReport(f32({4, 1}, {3, 3, 3, 3}), y, mean).isOk());
  EXPECT_NEAR(mean.r2, 0.0, kTol);
  EXPECT_NEAR(mean.mae, 1.5, kTol);
  EXPECT_NEAR(mean.rmse, std::sqrt(14.0 / 4), kTol);
}

TEST(ReportTest, RegressionPoolsAllOutputs) {
  // Two outputs per row; R^2 pools all four values (mean 2.5, SS_tot 5):
  // errors 1, 0, 0, -1 give SS_res 2, so R^2 = 1 - 2/5 = 0.6, RMSE
  // sqrt(2/4), MAE 2/4.
  RegressionReport r;
  ASSERT_TRUE(
      regressionReport(f32({2, 2}, {2, 2, 3, 3}), f32({2, 2}, {1, 2, 3, 4}), r)
          .isOk());
  EXPECT_EQ(r.examples, 2);
  EXPECT_EQ(r.outputs, 2);
  EXPECT_NEAR(r.r2, 0.6, kTol);
  EXPECT_NEAR(r.rmse, std::sqrt(0.5), kTol);
  EXPECT_NEAR(r.mae, 0.5, kTol);
}

TEST(ReportTest, RegressionConstantTargetsHaveNoR2) {
  RegressionReport r;
  ASSERT_TRUE(
      regressionReport(f32({3}, {1, 2, 3}), f32({3}, {2, 2, 2}), r).isOk());
  EXPECT_TRUE(std::isnan(r.r2));
  EXPECT_NEAR(r.mae, 2.0 / 3, kTol);
  EXPECT_TRUE(contains(reportJson(r), "\"r2\":null}"));
  EXPECT_TRUE(contains(formatReport(r), "r2    undefined"));
}

TEST(ReportTest, RegressionErrorsNameTheProblem) {
  auto error = [](const HostTensor &p, const HostTensor &t) {
    RegressionReport r;
    Status s = regressionReport(p, t, r);
    EXPECT_FALSE(s.isOk());
    return s.message();
  };
  EXPECT_EQ(error(f32({3}, {1, 2, 3}), f32({2}, {1, 2})),
            "regressionReport: predictions f32[3] have 3 rows but targets "
            "f32[2] have 2");
  EXPECT_EQ(error(f32({2, 2}, {1, 2, 3, 4}), f32({2}, {1, 2})),
            "regressionReport: predictions f32[2,2] have 2 values per row but "
            "targets f32[2] have 1");
  EXPECT_EQ(error(f32({0}, {}), f32({0}, {})),
            "regressionReport: predictions f32[0] are empty");
  EXPECT_EQ(error(f32({}, {1}), f32({1}, {1})),
            "regressionReport: predictions f32[] must have rank 1 or more");
  EXPECT_EQ(error(f32({2}, {1, INFINITY}), f32({2}, {1, 2})),
            "regressionReport: predictions row 1 holds inf");
  EXPECT_EQ(error(f32({2, 2}, {1, 2, 3, 4}), f32({2, 2}, {1, 2, NAN, 4})),
            "regressionReport: targets row 1 holds nan");
}

//===--- Rendering --------------------------------------------------------===//

TEST(ReportTest, ClassificationJsonIsExact) {
  ClassificationReport r;
  ASSERT_TRUE(classificationReport(f32({4, 1}, {-2, 0, 0.3f, 1.5f}),
                                   f32({4}, {0, 1, 1, 0}), 2, r)
                  .isOk());
  // Class 0: P 1, R 1/2, F1 2/3; class 1: P 2/3, R 1, F1 4/5. 2/3 prints
  // with 17 significant digits so it reads back as the same double.
  EXPECT_EQ(
      reportJson(r, {"no \"spam\""}),
      "{\"kind\":\"classification\",\"examples\":4,\"num_classes\":2,"
      "\"rule\":\"logits\",\"accuracy\":0.75,\"classes\":["
      "{\"class\":0,\"name\":\"no \\\"spam\\\"\",\"precision\":1,"
      "\"recall\":0.5,\"f1\":0.66666666666666663,\"support\":2},"
      "{\"class\":1,\"precision\":0.66666666666666663,\"recall\":1,"
      "\"f1\":0.80000000000000004,\"support\":2}],"
      "\"macro_avg\":{\"precision\":0.83333333333333326,\"recall\":0.75,"
      "\"f1\":0.73333333333333339,\"support\":4},"
      "\"weighted_avg\":{\"precision\":0.83333333333333326,\"recall\":0.75,"
      "\"f1\":0.73333333333333339,\"support\":4},"
      "\"confusion\":[[1,1],[0,2]]}");
}

TEST(ReportTest, ClassificationTableIsExact) {
  // The ZeroDivisionIsZero data with names: the name column is as wide as
  // the longest name, each confusion column as wide as its header.
  ClassificationReport r;
  ASSERT_TRUE(classificationReport(f32({2, 3}, {1, 0, 0, 1, 0, 0}),
                                   f32({2}, {0, 1}), 3, r)
                  .isOk());
  EXPECT_EQ(formatReport(r, {"cat", "dog", "hippopotamus"}),
            "classification report: 2 examples, 3 classes, predicted class "
            "= argmax of the scores\n"
            "\n"
            "              precision    recall  f1-score   support\n"
            "\n"
            "         cat     0.5000    1.0000    0.6667         1\n"
            "         dog     0.0000    0.0000    0.0000         1\n"
            "hippopotamus     0.0000    0.0000    0.0000         0\n"
            "\n"
            "    accuracy                         0.5000         2\n"
            "   macro avg     0.1667    0.3333    0.2222         2\n"
            "weighted avg     0.2500    0.5000    0.3333         2\n"
            "\n"
            "(0/0, for a class never predicted or never present, is reported "
            "as 0)\n"
            "\n"
            "confusion matrix (rows: true class, columns: predicted class)\n"
            "   true\\pred  cat  dog  hippopotamus\n"
            "         cat    1    0             0\n"
            "         dog    1    0             0\n"
            "hippopotamus    0    0             0\n");
  // Without names the indices label rows and columns; with no 0/0 term
  // there is no note.
  ClassificationReport full;
  ASSERT_TRUE(
      classificationReport(threeClassScores(), threeClassLabels(), 3, full)
          .isOk());
  std::string text = formatReport(full);
  EXPECT_TRUE(contains(text, "           1     0.6667    0.5000    0.5714"
                             "         4\n"));
  EXPECT_TRUE(contains(text, "true\\pred  0  1  2\n"
                             "        0  2  1  0\n"
                             "        1  1  2  1\n"
                             "        2  0  0  3\n"));
  EXPECT_FALSE(contains(text, "reported as 0"));
}

TEST(ReportTest, RegressionJsonIsExact) {
  RegressionReport r;
  ASSERT_TRUE(
      regressionReport(f32({4}, {1, 2, 3, 4}), f32({4}, {1, 3, 2, 6}), r)
          .isOk());
  EXPECT_EQ(reportJson(r), "{\"kind\":\"regression\",\"examples\":4,"
                           "\"outputs\":1,\"rmse\":1.2247448713915889,"
                           "\"mae\":1,\"r2\":0.5714285714285714}");
  EXPECT_EQ(formatReport(r), "regression report: 4 examples, 1 output\n"
                             "  rmse  1.22474\n"
                             "  mae   1\n"
                             "  r2    0.571429\n");
}
