//===- DatasetTables.cpp - Data sets from CSV tables and NPY pairs --------===//
//
// A CSV data set is one readCsv table split into feature columns and a label
// column by header name, so the parsing and its line/column error messages
// are the CSV reader's. A misspelt column name is the common mistake, so
// that error lists the columns and suggests the closest one. NPY data sets
// are two readNpy files converted to f32.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/data/Dataset.h"

#include "loom/rt/core/Io.h"

#include <algorithm>
#include <exception>
#include <set>

namespace loom::rt {

namespace {

std::string quoted(const std::string &s) { return "'" + s + "'"; }

/// Levenshtein distance, for "did you mean".
size_t editDistance(const std::string &a, const std::string &b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min(
          {row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string unknownColumn(const std::string &path, const std::string &name,
                          const std::vector<std::string> &header) {
  std::string msg = path + " has no column " + quoted(name) + "; columns: ";
  for (size_t i = 0; i < header.size(); ++i)
    msg += (i ? ", " : "") + header[i];
  const std::string *best = nullptr;
  size_t bestDist = 0;
  for (const std::string &h : header) {
    size_t d = editDistance(name, h);
    if (!best || d < bestDist) {
      best = &h;
      bestDist = d;
    }
  }
  if (best && bestDist <= std::max<size_t>(2, name.size() / 3))
    msg += " (did you mean " + quoted(*best) + "?)";
  return msg;
}

/// A copy of `t` as f32 (exact for every NPY dtype but large i32/i64/f64).
HostTensor toF32(const HostTensor &t) {
  if (t.dtype() == DType::F32)
    return t.clone();
  HostTensor r(TensorType{DType::F32, t.shape()});
  float *out = r.as<float>();
  for (int64_t i = 0, n = t.numElements(); i < n; ++i)
    out[i] = float(t.at(i));
  return r;
}

} // namespace

Status checkDataset(const Dataset &d, const std::string &source) {
  auto check = [&](const HostTensor &t, const char *what) -> Status {
    if (!t.hasStorage())
      return Status::error(source + ": the " + what + " tensor is missing");
    if (t.dtype() != DType::F32 || t.shape().empty())
      return Status::error(source + ": " + what +
                           " must be f32 [N, ...], not " + t.type().str());
    return Status::ok();
  };
  if (Status s = check(d.features, "features"); !s)
    return s;
  if (Status s = check(d.labels, "labels"); !s)
    return s;
  if (d.features.shape()[0] != d.labels.shape()[0])
    return Status::error(source + ": " + std::to_string(d.features.shape()[0]) +
                         " feature rows but " +
                         std::to_string(d.labels.shape()[0]) + " label rows");
  if (!d.featureNames.empty() &&
      (d.features.shape().size() != 2 ||
       int64_t(d.featureNames.size()) != d.features.shape()[1]))
    return Status::error(source + ": " + std::to_string(d.featureNames.size()) +
                         " feature names for features " +
                         d.features.type().str());
  return Status::ok();
}

Status loadCsvDataset(const std::string &path, const CsvDatasetOptions &opts,
                      Dataset &out) {
  bool unlabelled = opts.labelColumn.empty() && opts.allowNoLabel;
  if (opts.labelColumn.empty() && !unlabelled)
    return Status::error("cannot load " + path +
                         ": CsvDatasetOptions.labelColumn is empty (name the "
                         "label column)");
  HostTensor table;
  std::vector<std::string> header;
  if (Status s = readCsv(path, table, &header); !s)
    return s;
  if (header.empty())
    return Status::error(path + ": no header row (the first line must name "
                                "the columns, e.g. 'x1,x2,label')");

  std::set<std::string> seen;
  for (const std::string &h : header)
    if (!seen.insert(h).second)
      return Status::error(path + ": the header names column " + quoted(h) +
                           " twice");
  auto columnOf = [&](const std::string &name, size_t &col) -> Status {
    auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end())
      return Status::error(unknownColumn(path, name, header));
    col = size_t(it - header.begin());
    return Status::ok();
  };

  size_t labelCol = header.size(); // none when unlabelled
  if (!unlabelled)
    if (Status s = columnOf(opts.labelColumn, labelCol); !s)
      return s;
  std::vector<size_t> featureCols;
  if (opts.featureColumns.empty()) {
    for (size_t c = 0; c < header.size(); ++c)
      if (c != labelCol)
        featureCols.push_back(c);
  } else {
    std::set<std::string> asked;
    for (const std::string &name : opts.featureColumns) {
      if (name == opts.labelColumn)
        return Status::error(path + ": column " + quoted(name) +
                             " is both the label and a feature");
      if (!asked.insert(name).second)
        return Status::error(path + ": feature column " + quoted(name) +
                             " is listed twice");
      size_t col = 0;
      if (Status s = columnOf(name, col); !s)
        return s;
      featureCols.push_back(col);
    }
  }

  if (featureCols.empty())
    return Status::error(path +
                         ": no feature columns (the table has only "
                         "the label column " +
                         quoted(opts.labelColumn) + ")");
  try {
    int64_t rows = table.shape()[0], cols = table.shape()[1];
    int64_t nf = int64_t(featureCols.size());
    Dataset d;
    d.features = HostTensor(TensorType{DType::F32, {rows, nf}});
    d.labels = HostTensor(TensorType{DType::F32, {rows, unlabelled ? 0 : 1}});
    const float *src = table.as<float>();
    float *f = d.features.as<float>(), *l = d.labels.as<float>();
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t j = 0; j < nf; ++j)
        f[r * nf + j] = src[r * cols + int64_t(featureCols[size_t(j)])];
      if (!unlabelled)
        l[r] = src[r * cols + int64_t(labelCol)];
    }
    for (size_t c : featureCols)
      d.featureNames.push_back(header[c]);
    out = std::move(d);
  } catch (const std::exception &e) {
    return Status::error(path + ": " + e.what());
  }
  return Status::ok();
}

Status loadNpyDataset(const std::string &featuresPath,
                      const std::string &labelsPath, Dataset &out) {
  HostTensor x, y;
  if (Status s = readNpy(featuresPath, x); !s)
    return s;
  if (Status s = readNpy(labelsPath, y); !s)
    return s;
  if (x.shape().empty())
    return Status::error(featuresPath +
                         ": features must have rank >= 1 ([N, "
                         "...]), not " +
                         x.type().str());
  if (y.shape().empty())
    return Status::error(labelsPath +
                         ": labels must have rank >= 1 ([N, "
                         "...]), not " +
                         y.type().str());
  if (x.shape()[0] != y.shape()[0])
    return Status::error(featuresPath + " has " + std::to_string(x.shape()[0]) +
                         " examples but " + labelsPath + " has " +
                         std::to_string(y.shape()[0]));
  try {
    Dataset d;
    d.features = toF32(x);
    d.labels = toF32(y);
    out = std::move(d);
  } catch (const std::exception &e) {
    return Status::error(featuresPath + ": " + e.what());
  }
  return Status::ok();
}

} // namespace loom::rt
