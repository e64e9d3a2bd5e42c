//===- DataSpec.cpp - What `--data` names, loaded and split -----------------===//
//
// Parses the spec (see DataSpec.h) and calls the runtime's loaders and
// splitters; every error names the file or the spec item at fault.
//
//===----------------------------------------------------------------------===//
#include "DataSpec.h"
#include "NumberText.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <set>

using namespace llvm;
namespace rt = loom::rt;

namespace loomc {
namespace {

constexpr const char *kFashionDir = "/usr/share/datasets/fashion-mnist";

Error badSpec(const std::string &spec, const Twine &why) {
  return createStringError("bad --data '" + spec + "': " + why);
}

Error fromStatus(const rt::Status &s) {
  return createStringError(s.message());
}

/// A two-file source "A:B".
bool splitPair(StringRef v, std::string &a, std::string &b) {
  auto [x, y] = v.split(':');
  if (x.empty() || y.empty())
    return false;
  a = x.str();
  b = y.str();
  return true;
}

std::string counts(const DataSplits &d) {
  auto n = [](const rt::Dataset &ds) {
    return ds.features.shape().empty() ? int64_t(0) : ds.features.shape()[0];
  };
  return std::to_string(n(d.train)) + " train / " + std::to_string(n(d.val)) +
         " validation / " + std::to_string(n(d.test)) + " test";
}

/// Keeps the rows of `ds` (in order) for which keep(row) is true.
template <typename Keep> void keepRows(rt::Dataset &ds, Keep keep) {
  int64_t n = ds.size();
  auto rowShape = [](const rt::HostTensor &t, int64_t rows) {
    std::vector<int64_t> s = t.shape();
    s[0] = rows;
    return s;
  };
  std::vector<int64_t> rows;
  for (int64_t i = 0; i < n; ++i)
    if (keep(i))
      rows.push_back(i);
  auto take = [&](const rt::HostTensor &t) {
    int64_t per = n ? t.numElements() / n : 0;
    rt::HostTensor out(
        rt::TensorType{t.dtype(), rowShape(t, int64_t(rows.size()))});
    for (size_t r = 0; r < rows.size(); ++r)
      for (int64_t j = 0; j < per; ++j)
        out.set(int64_t(r) * per + j, t.at(rows[r] * per + j));
    return out;
  };
  ds.features = take(ds.features);
  ds.labels = take(ds.labels);
}

/// classes=A:B:...: keeps the examples of those classes and renumbers them
/// 0, 1, ... in the order listed (classes=5:7 makes sandals 0, sneakers 1).
void selectClasses(rt::Dataset &ds, const std::vector<int64_t> &classes) {
  keepRows(ds, [&](int64_t i) {
    return llvm::is_contained(classes, int64_t(ds.labels.at(i)));
  });
  for (int64_t i = 0; i < ds.labels.numElements(); ++i)
    ds.labels.set(i, double(llvm::find(classes, int64_t(ds.labels.at(i))) -
                            classes.begin()));
}

/// The options each source accepts (after its own `source=VALUE`).
const std::vector<std::pair<std::string, std::vector<std::string>>> kOptions =
    {{"csv",
      {"label", "features", "test", "val", "standardize", "standardize-target",
       "classes", "limit"}},
     {"idx", {"test", "val", "standardize", "classes", "limit"}},
     {"npy",
      {"test", "val", "standardize", "standardize-target", "classes", "limit"}},
     {"fashion-mnist", {"val", "standardize", "classes", "limit"}},
     {"text", {"test", "val", "stride", "limit"}}};

const std::vector<std::string> *optionsOf(StringRef source) {
  for (const auto &[name, options] : kOptions)
    if (name == source)
      return &options;
  return nullptr;
}

bool isFlag(StringRef key) {
  return key == "standardize" || key == "standardize-target";
}

std::string percent(double f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g%%", std::round(f * 1000.0) / 10.0);
  return buf;
}

} // namespace

std::string describeSplits(const DataSplits &d) {
  auto one = [](const char *what, const rt::Dataset &ds,
                const std::string &from) {
    return std::string(what) + " " + std::to_string(ds.size()) +
           (from.empty() ? std::string() : " (" + from + ")");
  };
  return one("train", d.train, d.trainFrom) + ", " +
         one("validation", d.val, d.valFrom) + ", " +
         one("test", d.test, d.testFrom);
}

Expected<DataSplits> loadData(const std::string &spec,
                              const DataOptions &options) {
  SmallVector<StringRef> items;
  StringRef(spec).split(items, ',');
  // The source first (wherever it is), so every other item is checked
  // against the options of that source.
  std::string source, sourceValue;
  for (StringRef item : items) {
    auto [key, value] = item.split('=');
    if (!optionsOf(key))
      continue;
    if (!source.empty())
      return badSpec(spec, "more than one data source");
    source = key.str();
    sourceValue = value.str();
  }
  if (source.empty())
    return badSpec(spec, "no source (csv=, idx=, npy=, text= or fashion-mnist)");
  const std::vector<std::string> &allowed = *optionsOf(source);

  std::string label, features, test, val;
  bool standardize = false, standardizeTarget = false;
  std::vector<int64_t> classes;
  int64_t limit = -1, stride = 0;
  std::set<std::string> seen;
  for (StringRef item : items) {
    auto [key, value] = item.split('=');
    if (optionsOf(key))
      continue;
    if (!llvm::is_contained(allowed, key)) {
      bool known = false;
      for (const auto &[name, opts] : kOptions)
        known |= llvm::is_contained(opts, key);
      if (!known)
        return badSpec(spec, "unknown item '" + item + "'");
      return badSpec(spec, "'" + key + "' is not an option of " + source +
                               " (its options: " + join(allowed, ", ") + ")");
    }
    if (!seen.insert(key.str()).second)
      return badSpec(spec, "'" + key + "' is given twice");
    if (isFlag(key) != value.empty() || (isFlag(key) && item.contains('=')))
      return badSpec(spec, isFlag(key)
                               ? "'" + key + "' takes no value"
                               : "'" + key + "' needs a value (" + key +
                                     "=...)");
    if (key == "label") {
      label = value.str();
    } else if (key == "features") {
      features = value.str();
    } else if (key == "test") {
      test = value.str();
    } else if (key == "val") {
      val = value.str();
    } else if (key == "standardize") {
      standardize = true;
    } else if (key == "standardize-target") {
      standardizeTarget = true;
    } else if (key == "classes") {
      for (StringRef c : split(value, ':')) {
        int64_t k;
        if (c.getAsInteger(10, k) || k < 0 || llvm::is_contained(classes, k))
          return badSpec(spec, "classes needs distinct class indices "
                               "separated by ':', got '" + value + "'");
        classes.push_back(k);
      }
      if (classes.size() < 2)
        return badSpec(spec, "classes needs at least two classes");
    } else if (key == "stride") {
      if (value.getAsInteger(10, stride) || stride <= 0)
        return badSpec(spec, "stride needs a positive number of characters, "
                             "got '" + value + "'");
    } else if (key == "limit") {
      if (value.getAsInteger(10, limit) || limit <= 0)
        return badSpec(spec, "limit needs a positive number of examples, got '" +
                                 value + "'");
    }
  }
  if (standardizeTarget && options.numClasses > 0)
    return badSpec(spec, "standardize-target is for regression targets, but "
                         "the model's loss is a classification over " +
                         std::to_string(options.numClasses) + " classes");
  const rt::FittedPreprocessing *fitted = options.fitted;
  std::string storedIn = options.fittedFrom;

  DataSplits out;
  out.standardizeTarget = standardizeTarget;
  // Loads one file (or pair) of this source into `ds`; `columns` (csv) are
  // the feature columns to take, in order.
  std::vector<std::string> columns;
  if (!features.empty())
    for (StringRef f : split(features, ':'))
      columns.push_back(f.str());
  if (fitted && !fitted->featureColumns.empty()) {
    if (!columns.empty() && columns != fitted->featureColumns)
      return createStringError(
          "bad --data '" + spec + "': features=" + features +
          " differ from the columns the model was trained on (" +
          join(fitted->featureColumns, ":") + ", stored in " + storedIn + ")");
    columns = fitted->featureColumns;
  }
  if (fitted && label.empty() && !fitted->labelColumn.empty() &&
      !options.labelOptional)
    label = fitted->labelColumn;
  std::string fashionDir = sourceValue.empty() ? kFashionDir : sourceValue;
  auto loadOne = [&](const std::string &what, const std::string &value,
                     rt::Dataset &ds) -> Error {
    rt::Status st;
    if (source == "text") {
      if (value.empty())
        return badSpec(spec, "text needs " + what + "=PATH (a file or a "
                                                    "directory)");
      if (options.featureShape.size() != 1 || options.numClasses < 1)
        return createStringError(
            "text data is for character models: an input of shape [batch, "
            "T] (byte tokens) and a softmax_cross_entropy loss over the "
            "vocabulary");
      rt::TextDatasetOptions o;
      o.seqLen = options.featureShape[0];
      o.stride = stride;
      o.vocab = options.numClasses;
      if (o.vocab > 256)
        return createStringError(
            "text data has byte tokens (at most 256), but the model's logits "
            "have " + std::to_string(o.vocab) + " classes");
      st = rt::loadTextDataset(value, o, ds);
    } else if (source == "csv") {
      if (value.empty() || (label.empty() && !options.labelOptional))
        return badSpec(spec, "csv needs csv=PATH,label=COLUMN");
      rt::CsvDatasetOptions o;
      o.labelColumn = label;
      o.featureColumns = columns;
      o.allowNoLabel = options.labelOptional;
      st = rt::loadCsvDataset(value, o, ds);
      if (st && columns.empty())
        columns = ds.featureNames; // later files: the same columns, in order
      if (st && options.numClasses > 0 && classes.empty() && !label.empty())
        st = rt::checkClassLabels(ds, options.numClasses, value);
    } else {
      std::string a, b;
      if (source == "fashion-mnist" && what == "fashion-mnist") {
        a = fashionDir + "/train-images-idx3-ubyte.gz";
        b = fashionDir + "/train-labels-idx1-ubyte.gz";
      } else if (source == "fashion-mnist" && what == "t10k") {
        a = fashionDir + "/t10k-images-idx3-ubyte.gz";
        b = fashionDir + "/t10k-labels-idx1-ubyte.gz";
      } else if (!splitPair(value, a, b)) {
        return badSpec(spec, what + " needs " + what + "=A:B");
      }
      if (source == "npy") {
        st = rt::loadNpyDataset(a, b, ds);
      } else {
        rt::IdxOptions o;
        o.flatten = true;
        st = rt::loadIdxDataset(a, b, o, ds);
      }
      if (st && options.numClasses > 0 && classes.empty())
        st = rt::checkClassLabels(ds, options.numClasses, b);
    }
    return st ? Error::success() : fromStatus(st);
  };

  rt::Dataset all, testSet, valSet;
  std::string trainName;
  if (source == "fashion-mnist") {
    if (Error e = loadOne("fashion-mnist", "", all))
      return std::move(e);
    if (Error e = loadOne("t10k", "", testSet))
      return std::move(e);
    trainName = "Fashion-MNIST";
    out.description = "Fashion-MNIST";
    out.testFrom = "Fashion-MNIST t10k";
  } else {
    if (Error e = loadOne(source, sourceValue, all))
      return std::move(e);
    trainName = source == "csv" || source == "text"
                    ? sourceValue
                    : StringRef(sourceValue).split(':').first.str();
    out.description = trainName;
    if (!test.empty()) {
      if (Error e = loadOne("test", test, testSet))
        return std::move(e);
      out.testFrom = StringRef(test).split(':').first.str();
    }
  }
  bool hasTest = source == "fashion-mnist" || !test.empty();
  bool hasVal = !val.empty();
  if (hasVal) {
    if (Error e = loadOne("val", val, valSet))
      return std::move(e);
    out.valFrom = StringRef(val).split(':').first.str();
  }
  out.isText = source == "text";

  if (!classes.empty()) {
    selectClasses(all, classes);
    if (hasTest)
      selectClasses(testSet, classes);
    if (hasVal)
      selectClasses(valSet, classes);
    if (all.size() == 0)
      return badSpec(spec, "no example has one of the classes listed");
    if (options.numClasses > 0 && int64_t(classes.size()) > options.numClasses)
      return badSpec(spec, "classes lists " + std::to_string(classes.size()) +
                               " classes but the model's logits have " +
                               std::to_string(options.numClasses));
  }
  if (limit > 0 && limit < all.size())
    keepRows(all, [&](int64_t i) { return i < limit; });

  // The fractions: a split with its own file is never carved.
  if (hasTest && options.testFraction.value_or(0) != 0)
    return createStringError(
        "--test-fraction and the test set " + out.testFrom +
        " both name the test split; drop --test-fraction");
  if (hasVal && options.valFraction.value_or(0) != 0)
    return createStringError("--val-fraction and val=" + val +
                             " both name the validation split; drop "
                             "--val-fraction");
  double testFrac = hasTest ? 0.0 : options.testFraction.value_or(0.15);
  double valFrac = hasVal ? 0.0 : options.valFraction.value_or(0.15);
  double trainFrac = 1.0 - valFrac - testFrac;
  if (testFrac < 0 || valFrac < 0 || testFrac > 1 || valFrac > 1)
    return createStringError("--val-fraction and --test-fraction must be "
                             "between 0 and 1");
  if (trainFrac <= 1e-12)
    return badSpec(spec, "the validation and test fractions leave no "
                         "training data");
  rt::Dataset carvedVal, carvedTest;
  if (valFrac == 0.0 && testFrac == 0.0) {
    out.train = std::move(all); // everything, in file order
    out.trainFrom = "all of " + trainName;
  } else {
    int64_t n = all.size();
    if (rt::Status s = rt::splitDataset(all, trainFrac, valFrac, options.seed,
                                        out.train, carvedVal, carvedTest);
        !s)
      return fromStatus(s);
    out.trainFrom = percent(trainFrac) + " of " + trainName;
    auto empty = [&](const char *what, const char *flag, double f) {
      return createStringError(
          "--" + std::string(flag) + " " + shortNumber(f) + " of " +
          std::to_string(n) + " examples of " + trainName + " leaves no " +
          what + " data (give a larger fraction, a file, or --" + flag +
          " 0)");
    };
    if (valFrac > 0 && carvedVal.size() == 0)
      return empty("validation", "val-fraction", valFrac);
    if (testFrac > 0 && carvedTest.size() == 0)
      return empty("test", "test-fraction", testFrac);
  }
  if (out.train.size() == 0)
    return badSpec(spec, "no training data is left");
  if (hasVal) {
    out.val = std::move(valSet);
  } else {
    out.val = std::move(carvedVal);
    if (valFrac > 0)
      out.valFrom = percent(valFrac) + " of " + trainName;
  }
  if (hasTest) {
    out.test = std::move(testSet);
  } else {
    out.test = std::move(carvedTest);
    if (testFrac > 0)
      out.testFrom = percent(testFrac) + " of " + trainName;
  }

  // Preprocessing: fitted on the training split here, or the stored one.
  rt::FittedPreprocessing &prep = out.prep;
  if (fitted) {
    prep = *fitted;
    if (standardize && !fitted->features)
      return createStringError(
          storedIn + " holds no standardization statistics (the model was "
                     "trained without 'standardize', or by an older loomc), "
                     "but --data asks for standardize; drop it, or retrain");
    if (standardizeTarget && !fitted->target)
      return createStringError(storedIn +
                               " holds no target statistics (the model was "
                               "trained without 'standardize-target'), but "
                               "--data asks for standardize-target");
  } else {
    if (source == "csv")
      prep.featureColumns = out.train.featureNames;
    prep.labelColumn = label;
    if (standardize)
      prep.features = rt::Standardizer::fit(out.train.features);
    if (standardizeTarget) {
      const rt::HostTensor &y = out.train.labels;
      bool binary = true;
      for (int64_t i = 0, n = y.numElements(); i < n && binary; ++i)
        binary = y.at(i) == 0.0 || y.at(i) == 1.0;
      if (binary)
        return badSpec(spec, "standardize-target is for regression targets, "
                             "and every label of " + trainName +
                             " is 0 or 1 (a binary classifier's, whose loss "
                             "needs them as they are)");
      prep.target = rt::Standardizer::fit(out.train.labels);
    }
  }
  for (rt::Dataset *d : {&out.train, &out.val, &out.test}) {
    if (rt::Status s = prep.applyToFeatures(d->features, trainName); !s)
      return fromStatus(s);
    if (d->labels.hasStorage() && d->labels.numElements() > 0)
      if (rt::Status s = prep.applyToTargets(d->labels, trainName); !s)
        return fromStatus(s);
  }
  out.source = out.description;
  out.description += ": " + counts(out);
  return out;
}

} // namespace loomc
