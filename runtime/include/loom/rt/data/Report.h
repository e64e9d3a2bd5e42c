//===- Report.h - Evaluation reports for classifiers and regressors -------===//
//
// Turns a model's predictions on an evaluation set into the numbers people
// ask for: a confusion matrix with per-class precision, recall, F1 and
// support, accuracy and macro / weighted averages for a classifier; RMSE,
// MAE and R^2 for a regressor. Each report renders as a fixed-width text
// table (laid out like scikit-learn's classification_report) and as JSON
// for tools (`loomc eval --report FILE.json`). Everything is computed in
// double. The functions are pure and thread-safe.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Tensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace loom::rt {

//===--- Classification ---------------------------------------------------===//

/// How a predicted class was read from a row of predictions.
enum class PredictionRule : uint8_t {
  /// [N, C] scores: the index of the largest score, the first on ties.
  Argmax,
  /// [N] or [N, 1] with every value in [0, 1]: class 1 when p >= 0.5.
  Probability,
  /// [N] or [N, 1] with some value outside [0, 1]: class 1 when z >= 0.
  Logits,
};

const char *predictionRuleName(PredictionRule r); // "argmax", "probability"...

/// Precision, recall and F1 are 0 where their denominator is 0 (a class that
/// is never predicted, or never occurs), like scikit-learn's
/// zero_division=0.
struct ClassMetrics {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
  int64_t support = 0; // examples whose true class this is
};

struct ClassificationReport {
  int64_t examples = 0;
  int64_t numClasses = 0;
  PredictionRule rule = PredictionRule::Argmax;
  /// confusion[t][p]: examples of true class t predicted as class p.
  std::vector<std::vector<int64_t>> confusion;
  std::vector<ClassMetrics> classes; // one per class, by index
  double accuracy = 0;
  /// Unweighted mean over all numClasses classes, including classes that
  /// neither occur nor are predicted (scikit-learn with
  /// labels=range(numClasses)). support is `examples`.
  ClassMetrics macroAvg;
  /// Mean weighted by support. support is `examples`.
  ClassMetrics weightedAvg;
};

/// Scores a classifier. `predictions` is the model's first output, any
/// dtype: [N, numClasses] scores or probabilities, or [N] / [N, 1] from a
/// binary classifier (numClasses must then be 2; see PredictionRule).
/// `labels` is [N] or [N, 1] holding integral class indices. numClasses must
/// be at least 2. Errors name the argument, e.g.
///   "classificationReport: label 12 at row 37 is out of range for 10
///    classes"
///   "classificationReport: predictions f32[8,3] have 3 columns but there
///    are 10 classes"
///   "classificationReport: predictions row 5 holds NaN"
/// and also cover empty inputs, row count mismatches and ranks above 2.
Status classificationReport(const HostTensor &predictions,
                            const HostTensor &labels, int64_t numClasses,
                            ClassificationReport &out);

//===--- Regression -------------------------------------------------------===//

struct RegressionReport {
  int64_t examples = 0; // N
  int64_t outputs = 0;  // values per example (row)
  double rmse = 0;
  double mae = 0;
  /// 1 - SS_res / SS_tot over all N * outputs values, around the mean of
  /// all target values. NaN when SS_tot is 0 (every target equal): R^2 is
  /// undefined then. With one output this is scikit-learn's r2_score; with
  /// several it pools the values rather than averaging per-column R^2.
  double r2 = 0;
};

/// Scores a regressor. `predictions` and `targets` (any dtype, rank >= 1)
/// need the same N = shape[0] and the same number of values per row, so an
/// [N] prediction may be compared with [N, 1] targets. Predictions must
/// already be in target units (undo any target scaling first). Errors cover
/// empty inputs, mismatched rows or row widths, and a NaN or infinite value
/// (named with its row), which would make every metric meaningless.
Status regressionReport(const HostTensor &predictions,
                        const HostTensor &targets, RegressionReport &out);

//===--- Rendering --------------------------------------------------------===//

/// A text table for people: one row per class (precision, recall, f1-score,
/// support, 4 decimals), then accuracy, macro avg and weighted avg, then the
/// confusion matrix (rows true, columns predicted). classNames[i] labels
/// class i; a class beyond the end of classNames shows its index. Ends with
/// a newline.
std::string formatReport(const ClassificationReport &report,
                         const std::vector<std::string> &classNames = {});
/// "regression report: N examples, K outputs" and one line per metric.
std::string formatReport(const RegressionReport &report);

/// One JSON object, numbers with 17 significant digits (round-trip exact),
/// NaN and infinities as null:
///   {"kind":"classification","examples":N,"num_classes":C,
///    "rule":"argmax","accuracy":A,
///    "classes":[{"class":0,"name":"cat","precision":P,"recall":R,
///                "f1":F,"support":S},...],
///    "macro_avg":{"precision":P,"recall":R,"f1":F,"support":N},
///    "weighted_avg":{...},"confusion":[[...],...]}
/// "name" appears only for classes that classNames names.
std::string reportJson(const ClassificationReport &report,
                       const std::vector<std::string> &classNames = {});
///   {"kind":"regression","examples":N,"outputs":K,"rmse":E,"mae":M,"r2":R}
std::string reportJson(const RegressionReport &report);

} // namespace loom::rt
