//===- Preprocess.cpp - The fitted data pipeline as checkpoint metadata ---===//
//
// See Preprocess.h. The encoding is deliberately plain text (numbers with
// 9 significant digits, names as a JSON string array) so a user can read a
// checkpoint's preprocessing with any safetensors tool, and the decoder
// treats the metadata as untrusted: every list is checked for length and
// every number for being finite before anything is applied.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/data/Preprocess.h"

#include "Json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>

namespace loom::rt {

namespace {

constexpr const char *kFeatureInput = "loom.data.input";
constexpr const char *kLabelInput = "loom.data.label_input";
constexpr const char *kColumns = "loom.data.columns";
constexpr const char *kLabelColumn = "loom.data.label";
constexpr const char *kMean = "loom.data.mean";
constexpr const char *kStddev = "loom.data.stddev";
constexpr const char *kTargetMean = "loom.data.target_mean";
constexpr const char *kTargetStddev = "loom.data.target_stddev";
constexpr const char *kTargetOutput = "loom.data.target_output";

std::string numbers(const std::vector<float> &v) {
  std::string s;
  char buf[32];
  for (float x : v) {
    std::snprintf(buf, sizeof buf, "%.9g", double(x));
    s += (s.empty() ? "" : " ") + std::string(buf);
  }
  return s;
}

Status parseNumbers(const std::string &text, const std::string &key,
                    const std::string &source, std::vector<float> &out) {
  out.clear();
  const char *p = text.c_str();
  while (*p) {
    while (*p == ' ')
      ++p;
    if (!*p)
      break;
    char *end = nullptr;
    double v = std::strtod(p, &end);
    if (end == p || !std::isfinite(v) || (*end && *end != ' '))
      return Status::error(source + ": metadata '" + key +
                           "' is not a list of finite numbers");
    out.push_back(float(v));
    p = end;
  }
  return Status::ok();
}

std::string names(const std::vector<std::string> &v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i)
    s += (i ? ", " : "") + json::quote(v[i]);
  return s + "]";
}

Status parseNames(const std::string &text, const std::string &source,
                  std::vector<std::string> &out) {
  json::Value v;
  std::string err;
  auto bad = [&]() {
    return Status::error(source + ": metadata '" + kColumns +
                         "' is not a JSON array of strings");
  };
  if (!json::parse(text, v, err) || v.kind != json::Value::Kind::Array)
    return bad();
  out.clear();
  for (const json::Value &item : v.items) {
    if (item.kind != json::Value::Kind::String)
      return bad();
    out.push_back(item.str);
  }
  return Status::ok();
}

/// Reads a mean/stddev pair; both or neither must be present.
Status readPair(const std::map<std::string, std::string> &m, const char *meanKey,
                const char *stdKey, const std::string &source,
                std::optional<Standardizer> &out) {
  auto mean = m.find(meanKey), sd = m.find(stdKey);
  if (mean == m.end() && sd == m.end())
    return Status::ok();
  if (mean == m.end() || sd == m.end())
    return Status::error(source + ": metadata has '" +
                         (mean == m.end() ? stdKey : meanKey) +
                         "' without '" + (mean == m.end() ? meanKey : stdKey) +
                         "'");
  Standardizer s;
  if (Status st = parseNumbers(mean->second, meanKey, source, s.mean); !st)
    return st;
  if (Status st = parseNumbers(sd->second, stdKey, source, s.stddev); !st)
    return st;
  if (s.mean.size() != s.stddev.size() || s.mean.empty())
    return Status::error(source + ": metadata '" + meanKey + "' has " +
                         std::to_string(s.mean.size()) + " values but '" +
                         stdKey + "' has " + std::to_string(s.stddev.size()));
  for (float d : s.stddev)
    if (d < 0)
      return Status::error(source + ": metadata '" + stdKey +
                           "' holds a negative standard deviation");
  out = std::move(s);
  return Status::ok();
}

int64_t rowWidth(const HostTensor &t) {
  return t.shape().empty() || t.shape()[0] == 0
             ? 0
             : t.numElements() / t.shape()[0];
}

Status widthCheck(const HostTensor &t, const Standardizer &s,
                  const std::string &what, const std::string &source) {
  if (!t.hasStorage())
    return Status::ok();
  if (t.dtype() != DType::F32 || t.shape().empty())
    return Status::error(source + ": " + what + " must be f32 [N, ...] to be "
                         "standardized, not " + t.type().str());
  if (t.shape()[0] > 0 && rowWidth(t) != int64_t(s.mean.size()))
    return Status::error(source + ": " + std::to_string(rowWidth(t)) + " " +
                         what + " per example, but the model was trained on " +
                         std::to_string(s.mean.size()) +
                         " standardized ones");
  return Status::ok();
}

} // namespace

void FittedPreprocessing::toMetadata(
    std::map<std::string, std::string> &m) const {
  for (const char *k : {kFeatureInput, kLabelInput, kColumns, kLabelColumn,
                        kMean, kStddev, kTargetMean, kTargetStddev,
                        kTargetOutput})
    m.erase(k);
  if (!featureInput.empty())
    m[kFeatureInput] = featureInput;
  if (!labelInput.empty())
    m[kLabelInput] = labelInput;
  if (!featureColumns.empty())
    m[kColumns] = names(featureColumns);
  if (!labelColumn.empty())
    m[kLabelColumn] = labelColumn;
  if (features) {
    m[kMean] = numbers(features->mean);
    m[kStddev] = numbers(features->stddev);
  }
  if (target) {
    m[kTargetMean] = numbers(target->mean);
    m[kTargetStddev] = numbers(target->stddev);
    m[kTargetOutput] = targetOutput;
  }
}

Status FittedPreprocessing::fromMetadata(
    const std::map<std::string, std::string> &m, const std::string &source,
    FittedPreprocessing &out) {
  FittedPreprocessing p;
  auto get = [&](const char *k) {
    auto it = m.find(k);
    return it == m.end() ? std::string() : it->second;
  };
  p.featureInput = get(kFeatureInput);
  p.labelInput = get(kLabelInput);
  p.labelColumn = get(kLabelColumn);
  p.targetOutput = get(kTargetOutput);
  if (m.count(kColumns))
    if (Status s = parseNames(get(kColumns), source, p.featureColumns); !s)
      return s;
  if (Status s = readPair(m, kMean, kStddev, source, p.features); !s)
    return s;
  if (Status s = readPair(m, kTargetMean, kTargetStddev, source, p.target); !s)
    return s;
  if (p.features && !p.featureColumns.empty() &&
      p.features->mean.size() != p.featureColumns.size())
    return Status::error(source + ": metadata names " +
                         std::to_string(p.featureColumns.size()) +
                         " feature columns but standardizes " +
                         std::to_string(p.features->mean.size()));
  if (p.target && p.targetOutput.empty())
    return Status::error(source + ": metadata '" + kTargetMean +
                         "' without '" + kTargetOutput + "'");
  out = std::move(p);
  return Status::ok();
}

Status FittedPreprocessing::applyToFeatures(HostTensor &t,
                                            const std::string &source) const {
  if (!features)
    return Status::ok();
  if (Status s = widthCheck(t, *features, "features", source); !s)
    return s;
  features->apply(t);
  return Status::ok();
}

Status FittedPreprocessing::applyToTargets(HostTensor &t,
                                           const std::string &source) const {
  if (!target)
    return Status::ok();
  if (Status s = widthCheck(t, *target, "targets", source); !s)
    return s;
  target->apply(t);
  return Status::ok();
}

Status FittedPreprocessing::invertTargets(HostTensor &t,
                                          const std::string &source) const {
  if (!target)
    return Status::ok();
  if (Status s = widthCheck(t, *target, "predictions", source); !s)
    return s;
  if (!t.hasStorage())
    return Status::ok();
  int64_t width = int64_t(target->mean.size());
  float *x = t.as<float>();
  for (int64_t i = 0, n = t.numElements(); i < n; ++i) {
    size_t j = size_t(i % width);
    float sd = target->stddev[j] > 0 ? target->stddev[j] : 1.0f;
    x[i] = x[i] * sd + target->mean[j];
  }
  return Status::ok();
}

std::string FittedPreprocessing::describe() const {
  std::string s;
  if (features)
    s = "features standardized (" + std::to_string(features->mean.size()) +
        " means and standard deviations of the training split)";
  if (target) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "target standardized (mean %.6g, stddev "
                                   "%.6g)",
                  double(target->mean[0]), double(target->stddev[0]));
    s += (s.empty() ? "" : ", ") + std::string(buf);
  }
  return s.empty() ? "none" : s;
}

} // namespace loom::rt
