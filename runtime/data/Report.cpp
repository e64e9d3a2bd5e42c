//===- Report.cpp - Classification and regression metrics -----------------===//
//
// Validates prediction / label tensors, reads a predicted class from each
// row (argmax, or the probability / logit threshold of a one-column binary
// classifier), fills the confusion matrix and derives every metric from it.
// Regression metrics are sums over all values in double, with the target
// mean taken first so SS_tot does not lose precision to cancellation. The
// text and JSON renderings live in ReportFormat.cpp.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/data/Report.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace loom::rt {

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

/// Rank 1 or 2 (or, with `anyRank`, any rank >= 1), at least one row, at
/// least one value. `fn` and `what` name the call and the argument.
Status checkRows(const HostTensor &t, const char *fn, const char *what,
                 bool anyRank) {
  std::string at = std::string(fn) + ": " + what;
  if (!t.hasStorage())
    return Status::error(at + " tensor has no storage");
  size_t rank = t.shape().size();
  if (rank == 0 || (!anyRank && rank > 2))
    return Status::error(at + " " + t.type().str() + " must have rank " +
                         (anyRank ? "1 or more" : "1 or 2"));
  if (t.numElements() == 0)
    return Status::error(at + " " + t.type().str() + " are empty");
  return Status::ok();
}

/// [N] or [N, 1]: one value per example.
bool isColumn(const HostTensor &t) {
  return t.shape().size() == 1 || (t.shape().size() == 2 && t.shape()[1] == 1);
}

double ratio(double a, double b) { return b == 0 ? 0 : a / b; }

/// Reads each row's predicted class into `predicted`; fails on NaN.
Status predictClasses(const HostTensor &p, int64_t rows, int64_t cols,
                      PredictionRule &rule, std::vector<int64_t> &predicted) {
  const char *fn = "classificationReport";
  auto nanAt = [&](int64_t row) {
    return Status::error(std::string(fn) + ": predictions row " +
                         std::to_string(row) + " holds NaN");
  };
  predicted.assign(size_t(rows), 0);
  if (cols == 1) {
    bool probabilities = true;
    for (int64_t i = 0; i < rows; ++i) {
      double v = p.at(i);
      if (std::isnan(v))
        return nanAt(i);
      probabilities = probabilities && v >= 0 && v <= 1;
    }
    rule = probabilities ? PredictionRule::Probability : PredictionRule::Logits;
    double threshold = probabilities ? 0.5 : 0.0;
    for (int64_t i = 0; i < rows; ++i)
      predicted[size_t(i)] = p.at(i) >= threshold ? 1 : 0;
    return Status::ok();
  }
  rule = PredictionRule::Argmax;
  for (int64_t i = 0; i < rows; ++i) {
    int64_t best = 0;
    double bestValue = 0;
    for (int64_t j = 0; j < cols; ++j) {
      double v = p.at(i * cols + j);
      if (std::isnan(v))
        return nanAt(i);
      // Strictly greater keeps the first maximum, like numpy's argmax.
      if (j == 0 || v > bestValue) {
        best = j;
        bestValue = v;
      }
    }
    predicted[size_t(i)] = best;
  }
  return Status::ok();
}

} // namespace

const char *predictionRuleName(PredictionRule r) {
  switch (r) {
  case PredictionRule::Argmax:
    return "argmax";
  case PredictionRule::Probability:
    return "probability";
  case PredictionRule::Logits:
    return "logits";
  }
  return "unknown";
}

Status classificationReport(const HostTensor &predictions,
                            const HostTensor &labels, int64_t numClasses,
                            ClassificationReport &out) {
  const char *fn = "classificationReport";
  std::string prefix = std::string(fn) + ": ";
  if (numClasses < 2)
    return Status::error(prefix + "numClasses is " +
                         std::to_string(numClasses) +
                         "; a classifier needs at least 2 classes");
  if (Status s = checkRows(predictions, fn, "predictions", false); !s)
    return s;
  if (Status s = checkRows(labels, fn, "labels", false); !s)
    return s;
  const std::string predType = predictions.type().str();
  if (!isColumn(labels))
    return Status::error(prefix + "labels " + labels.type().str() +
                         " must be [N] or [N, 1] class indices");
  int64_t rows = predictions.shape()[0];
  if (labels.shape()[0] != rows)
    return Status::error(prefix + "predictions " + predType + " have " +
                         std::to_string(rows) + " rows but labels " +
                         labels.type().str() + " have " +
                         std::to_string(labels.shape()[0]));
  int64_t cols = isColumn(predictions) ? 1 : predictions.shape()[1];
  if (cols == 1 && numClasses != 2)
    return Status::error(prefix + "predictions " + predType +
                         " hold one score per example (a binary classifier)"
                         " but there are " +
                         std::to_string(numClasses) + " classes");
  if (cols != 1 && cols != numClasses)
    return Status::error(prefix + "predictions " + predType + " have " +
                         std::to_string(cols) + " columns but there are " +
                         std::to_string(numClasses) + " classes");

  std::vector<int64_t> truth(static_cast<size_t>(rows));
  for (int64_t i = 0; i < rows; ++i) {
    double v = labels.at(i);
    std::string at =
        prefix + "label " + num(v) + " at row " + std::to_string(i);
    if (!(v == std::floor(v)))
      return Status::error(at + " is not an integer class index");
    if (v < 0 || v >= double(numClasses))
      return Status::error(at + " is out of range for " +
                           std::to_string(numClasses) + " classes");
    truth[size_t(i)] = int64_t(v);
  }

  ClassificationReport r;
  std::vector<int64_t> predicted;
  if (Status s = predictClasses(predictions, rows, cols, r.rule, predicted); !s)
    return s;

  size_t c = size_t(numClasses);
  r.examples = rows;
  r.numClasses = numClasses;
  r.confusion.assign(c, std::vector<int64_t>(c, 0));
  for (int64_t i = 0; i < rows; ++i)
    ++r.confusion[size_t(truth[size_t(i)])][size_t(predicted[size_t(i)])];

  int64_t correct = 0;
  r.classes.resize(c);
  for (size_t k = 0; k < c; ++k) {
    int64_t tp = r.confusion[k][k], support = 0, predictedK = 0;
    for (size_t j = 0; j < c; ++j) {
      support += r.confusion[k][j];
      predictedK += r.confusion[j][k];
    }
    ClassMetrics &m = r.classes[k];
    m.precision = ratio(double(tp), double(predictedK));
    m.recall = ratio(double(tp), double(support));
    // 2PR / (P + R) written in counts: exact, and 0 when tp is 0.
    m.f1 = ratio(2.0 * double(tp), double(predictedK + support));
    m.support = support;
    correct += tp;

    double weight = double(support) / double(rows);
    r.macroAvg.precision += m.precision / double(c);
    r.macroAvg.recall += m.recall / double(c);
    r.macroAvg.f1 += m.f1 / double(c);
    r.weightedAvg.precision += m.precision * weight;
    r.weightedAvg.recall += m.recall * weight;
    r.weightedAvg.f1 += m.f1 * weight;
  }
  r.macroAvg.support = r.weightedAvg.support = rows;
  r.accuracy = double(correct) / double(rows);
  out = std::move(r);
  return Status::ok();
}

Status regressionReport(const HostTensor &predictions,
                        const HostTensor &targets, RegressionReport &out) {
  const char *fn = "regressionReport";
  std::string prefix = std::string(fn) + ": ";
  if (Status s = checkRows(predictions, fn, "predictions", true); !s)
    return s;
  if (Status s = checkRows(targets, fn, "targets", true); !s)
    return s;
  const std::string predType = predictions.type().str();
  const std::string targetType = targets.type().str();
  int64_t rows = predictions.shape()[0];
  if (targets.shape()[0] != rows)
    return Status::error(prefix + "predictions " + predType + " have " +
                         std::to_string(rows) + " rows but targets " +
                         targetType + " have " +
                         std::to_string(targets.shape()[0]));
  int64_t width = predictions.numElements() / rows;
  int64_t targetWidth = targets.numElements() / rows;
  if (width != targetWidth)
    return Status::error(prefix + "predictions " + predType + " have " +
                         std::to_string(width) +
                         " values per row but targets " + targetType +
                         " have " + std::to_string(targetWidth));

  int64_t n = predictions.numElements();
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    double p = predictions.at(i), y = targets.at(i);
    const char *what = !std::isfinite(p)   ? "predictions"
                       : !std::isfinite(y) ? "targets"
                                           : nullptr;
    if (what)
      return Status::error(prefix + what + " row " + std::to_string(i / width) +
                           " holds " + num(std::isfinite(p) ? y : p));
    sum += y;
  }
  double mean = sum / double(n);
  double ssRes = 0, ssTot = 0, absSum = 0;
  for (int64_t i = 0; i < n; ++i) {
    double y = targets.at(i), e = predictions.at(i) - y;
    ssRes += e * e;
    absSum += std::fabs(e);
    ssTot += (y - mean) * (y - mean);
  }

  RegressionReport r;
  r.examples = rows;
  r.outputs = width;
  r.rmse = std::sqrt(ssRes / double(n));
  r.mae = absSum / double(n);
  r.r2 = ssTot == 0 ? std::numeric_limits<double>::quiet_NaN()
                    : 1.0 - ssRes / ssTot;
  out = r;
  return Status::ok();
}

} // namespace loom::rt
