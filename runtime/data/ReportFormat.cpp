//===- ReportFormat.cpp - Text tables and JSON for evaluation reports -----===//
//
// The human rendering copies scikit-learn's classification_report layout
// (right-aligned name column as wide as the longest name, 9-character metric
// columns) so it reads familiarly, then appends the confusion matrix. The
// JSON rendering writes numbers with std::to_chars (17 significant digits,
// independent of the C locale) and maps NaN and infinities to null, which
// JSON has no spelling for.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/data/Report.h"

#include "Json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace loom::rt {

namespace {

std::string className(const std::vector<std::string> &names, size_t k) {
  return k < names.size() ? names[k] : std::to_string(k);
}

std::string padLeft(const std::string &s, size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

std::string fixed(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.4f", v);
  return buf;
}

/// One table row: name right-aligned in `width`, then 9-wide cells.
std::string row(const std::string &name, size_t width,
                const std::vector<std::string> &cells) {
  std::string line = padLeft(name, width) + " ";
  for (const std::string &cell : cells)
    line.append(" ").append(padLeft(cell, 9));
  return line + "\n";
}

std::string metricRow(const std::string &name, size_t width,
                      const ClassMetrics &m) {
  return row(name, width,
             {fixed(m.precision), fixed(m.recall), fixed(m.f1),
              std::to_string(m.support)});
}

std::string confusionTable(const ClassificationReport &r,
                           const std::vector<std::string> &names) {
  size_t c = r.confusion.size();
  const std::string corner = "true\\pred";
  size_t headWidth = corner.size();
  std::vector<size_t> widths(c);
  for (size_t k = 0; k < c; ++k) {
    headWidth = std::max(headWidth, className(names, k).size());
    widths[k] = className(names, k).size();
    for (size_t t = 0; t < c; ++t)
      widths[k] = std::max(widths[k], std::to_string(r.confusion[t][k]).size());
  }
  std::string out =
      "confusion matrix (rows: true class, columns: predicted class)\n";
  out += padLeft(corner, headWidth);
  for (size_t k = 0; k < c; ++k)
    out.append("  ").append(padLeft(className(names, k), widths[k]));
  out += "\n";
  for (size_t t = 0; t < c; ++t) {
    out += padLeft(className(names, t), headWidth);
    for (size_t k = 0; k < c; ++k)
      out.append("  ").append(
          padLeft(std::to_string(r.confusion[t][k]), widths[k]));
    out += "\n";
  }
  return out;
}

std::string jsonNumber(double v) {
  if (!std::isfinite(v))
    return "null";
  char buf[64];
  auto res =
      std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::general, 17);
  return std::string(buf, res.ptr);
}

std::string jsonMetrics(const ClassMetrics &m) {
  return "\"precision\":" + jsonNumber(m.precision) +
         ",\"recall\":" + jsonNumber(m.recall) + ",\"f1\":" + jsonNumber(m.f1) +
         ",\"support\":" + std::to_string(m.support);
}

} // namespace

std::string formatReport(const ClassificationReport &r,
                         const std::vector<std::string> &names) {
  size_t c = r.classes.size();
  std::string out = "classification report: " + std::to_string(r.examples) +
                    " examples, " + std::to_string(r.numClasses) +
                    " classes, predicted class = ";
  switch (r.rule) {
  case PredictionRule::Argmax:
    out += "argmax of the scores\n\n";
    break;
  case PredictionRule::Probability:
    out += "1 when probability >= 0.5\n\n";
    break;
  case PredictionRule::Logits:
    out += "1 when logit >= 0 (some value lies outside [0, 1])\n\n";
    break;
  }
  size_t width = std::string("weighted avg").size();
  for (size_t k = 0; k < c; ++k)
    width = std::max(width, className(names, k).size());
  out += row("", width, {"precision", "recall", "f1-score", "support"});
  out += "\n";
  bool zeroDivision = false;
  for (size_t k = 0; k < c; ++k) {
    out += metricRow(className(names, k), width, r.classes[k]);
    bool neverPredicted = true;
    for (size_t t = 0; t < r.confusion.size(); ++t)
      neverPredicted = neverPredicted && r.confusion[t][k] == 0;
    zeroDivision = zeroDivision || neverPredicted || r.classes[k].support == 0;
  }
  out += "\n";
  out += row("accuracy", width,
             {"", "", fixed(r.accuracy), std::to_string(r.examples)});
  out += metricRow("macro avg", width, r.macroAvg);
  out += metricRow("weighted avg", width, r.weightedAvg);
  if (zeroDivision)
    out += "\n(0/0, for a class never predicted or never present, is "
           "reported as 0)\n";
  out.append("\n").append(confusionTable(r, names));
  return out;
}

std::string formatReport(const RegressionReport &r) {
  char buf[160];
  std::snprintf(buf, sizeof(buf),
                "regression report: %lld examples, %lld output%s\n"
                "  rmse  %.6g\n  mae   %.6g\n",
                static_cast<long long>(r.examples),
                static_cast<long long>(r.outputs), r.outputs == 1 ? "" : "s",
                r.rmse, r.mae);
  std::string out = buf;
  if (std::isnan(r.r2))
    return out + "  r2    undefined (every target value is the same)\n";
  std::snprintf(buf, sizeof(buf), "  r2    %.6g\n", r.r2);
  return out + buf;
}

std::string reportJson(const ClassificationReport &r,
                       const std::vector<std::string> &names) {
  std::string out = "{\"kind\":\"classification\",\"examples\":" +
                    std::to_string(r.examples) +
                    ",\"num_classes\":" + std::to_string(r.numClasses) +
                    ",\"rule\":" + json::quote(predictionRuleName(r.rule)) +
                    ",\"accuracy\":" + jsonNumber(r.accuracy) +
                    ",\"classes\":[";
  for (size_t k = 0; k < r.classes.size(); ++k) {
    out.append(k ? ",{\"class\":" : "{\"class\":").append(std::to_string(k));
    if (k < names.size())
      out.append(",\"name\":").append(json::quote(names[k]));
    out.append(",").append(jsonMetrics(r.classes[k])).append("}");
  }
  out += "],\"macro_avg\":{" + jsonMetrics(r.macroAvg) +
         "},\"weighted_avg\":{" + jsonMetrics(r.weightedAvg) +
         "},\"confusion\":[";
  for (size_t t = 0; t < r.confusion.size(); ++t) {
    out += t ? ",[" : "[";
    for (size_t p = 0; p < r.confusion[t].size(); ++p)
      out.append(p ? "," : "").append(std::to_string(r.confusion[t][p]));
    out += "]";
  }
  return out + "]}";
}

std::string reportJson(const RegressionReport &r) {
  return "{\"kind\":\"regression\",\"examples\":" + std::to_string(r.examples) +
         ",\"outputs\":" + std::to_string(r.outputs) +
         ",\"rmse\":" + jsonNumber(r.rmse) + ",\"mae\":" + jsonNumber(r.mae) +
         ",\"r2\":" + jsonNumber(r.r2) + "}";
}

} // namespace loom::rt
