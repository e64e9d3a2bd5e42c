//===- DataSpec.cpp - What `--data` names, loaded and split -----------------===//
//
// Parses the spec (see DataSpec.h) and calls the runtime's loaders and
// splitters; every error names the file or the spec item at fault.
//
//===----------------------------------------------------------------------===//
#include "DataSpec.h"

#include "llvm/ADT/StringExtras.h"

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

} // namespace

Expected<DataSplits> loadData(const std::string &spec,
                              const DataOptions &options) {
  SmallVector<StringRef> items;
  StringRef(spec).split(items, ',');
  std::string source, sourceValue, label, features, test;
  bool standardize = false;
  std::vector<int64_t> classes;
  int64_t limit = -1, stride = 0;
  for (StringRef item : items) {
    auto [key, value] = item.split('=');
    if (key == "csv" || key == "idx" || key == "npy" || key == "text" ||
        key == "fashion-mnist") {
      if (!source.empty())
        return badSpec(spec, "more than one data source");
      source = key.str();
      sourceValue = value.str();
    } else if (key == "label") {
      label = value.str();
    } else if (key == "features") {
      features = value.str();
    } else if (key == "test") {
      test = value.str();
    } else if (key == "standardize" && value.empty()) {
      standardize = true;
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
    } else {
      return badSpec(spec, "unknown item '" + item + "'");
    }
  }
  if (source.empty())
    return badSpec(spec, "no source (csv=, idx=, npy=, text= or fashion-mnist)");
  if (stride && source != "text")
    return badSpec(spec, "stride is for text= sources");
  if (source == "text" && !classes.empty())
    return badSpec(spec, "classes is not for text= sources");

  DataSplits out;
  rt::Dataset all, testSet;
  bool hasTest = false;
  if (source == "text") {
    if (sourceValue.empty())
      return badSpec(spec, "text needs text=PATH (a file or a directory)");
    if (options.featureShape.size() != 1 || options.numClasses < 1)
      return createStringError(
          "text data is for character models: an input of shape [batch, T] "
          "(byte tokens) and a softmax_cross_entropy loss over the "
          "vocabulary");
    rt::TextDatasetOptions o;
    o.seqLen = options.featureShape[0];
    o.stride = stride;
    o.vocab = options.numClasses;
    if (o.vocab > 256)
      return createStringError(
          "text data has byte tokens (at most 256), but the model's logits "
          "have " + std::to_string(o.vocab) + " classes");
    if (rt::Status s = rt::loadTextDataset(sourceValue, o, all); !s)
      return fromStatus(s);
    out.description = sourceValue;
    out.isText = true;
  } else if (source == "csv") {
    if (sourceValue.empty() || label.empty())
      return badSpec(spec, "csv needs csv=PATH,label=COLUMN");
    rt::CsvDatasetOptions o;
    o.labelColumn = label;
    if (!features.empty())
      for (StringRef f : split(features, ':'))
        o.featureColumns.push_back(f.str());
    if (rt::Status s = rt::loadCsvDataset(sourceValue, o, all); !s)
      return fromStatus(s);
    if (options.numClasses > 0 && classes.empty())
      if (rt::Status s =
              rt::checkClassLabels(all, options.numClasses, sourceValue);
          !s)
        return fromStatus(s);
    out.description = sourceValue;
  } else {
    std::string trainA, trainB, testA, testB;
    if (source == "fashion-mnist") {
      std::string dir = sourceValue.empty() ? kFashionDir : sourceValue;
      trainA = dir + "/train-images-idx3-ubyte.gz";
      trainB = dir + "/train-labels-idx1-ubyte.gz";
      testA = dir + "/t10k-images-idx3-ubyte.gz";
      testB = dir + "/t10k-labels-idx1-ubyte.gz";
    } else {
      if (!splitPair(sourceValue, trainA, trainB))
        return badSpec(spec, source + " needs " + source + "=A:B");
      if (!test.empty() && !splitPair(test, testA, testB))
        return badSpec(spec, "test needs test=A:B");
    }
    auto load = [&](const std::string &a, const std::string &b,
                    rt::Dataset &ds) -> rt::Status {
      if (source == "npy")
        return rt::loadNpyDataset(a, b, ds);
      rt::IdxOptions o;
      o.flatten = true;
      return rt::loadIdxDataset(a, b, o, ds);
    };
    auto checked = [&](const std::string &a, const std::string &b,
                       rt::Dataset &ds) -> rt::Status {
      if (rt::Status s = load(a, b, ds); !s)
        return s;
      if (options.numClasses > 0 && classes.empty())
        return rt::checkClassLabels(ds, options.numClasses, b);
      return rt::Status::ok();
    };
    if (rt::Status s = checked(trainA, trainB, all); !s)
      return fromStatus(s);
    if (!testA.empty()) {
      if (rt::Status s = checked(testA, testB, testSet); !s)
        return fromStatus(s);
      hasTest = true;
    }
    out.description = source == "fashion-mnist" ? "Fashion-MNIST" : trainA;
  }

  if (!classes.empty()) {
    selectClasses(all, classes);
    if (hasTest)
      selectClasses(testSet, classes);
    if (all.size() == 0)
      return badSpec(spec, "no example has one of the classes listed");
    if (options.numClasses > 0 && int64_t(classes.size()) > options.numClasses)
      return badSpec(spec, "classes lists " + std::to_string(classes.size()) +
                               " classes but the model's logits have " +
                               std::to_string(options.numClasses));
  }
  if (limit > 0 && limit < all.size())
    keepRows(all, [&](int64_t i) { return i < limit; });

  double testFrac = hasTest ? 0.0 : options.testFraction;
  double trainFrac = 1.0 - options.valFraction - testFrac;
  if (trainFrac <= 0.0)
    return badSpec(spec, "the validation and test fractions leave no "
                         "training data");
  rt::Dataset unusedTest;
  if (options.valFraction == 0.0 && testFrac == 0.0) {
    out.train = std::move(all); // everything, in file order
  } else if (rt::Status s = rt::splitDataset(
                 all, trainFrac, options.valFraction, options.seed, out.train,
                 out.val, hasTest ? unusedTest : out.test);
             !s) {
    return fromStatus(s);
  }
  if (hasTest)
    out.test = std::move(testSet);
  if (standardize) {
    rt::Standardizer st = rt::Standardizer::fit(out.train.features);
    st.apply(out.train.features);
    st.apply(out.val.features);
    st.apply(out.test.features);
  }
  out.source = out.description;
  out.description += ": " + counts(out);
  return out;
}

} // namespace loomc
