//===- DataSpec.h - What `--data` names, loaded and split -------------------===//
//
// `--data` is a comma-separated list: a source, then options. Each source
// accepts only its own options (any other is an error listing them):
//
//   csv=PATH,label=COLUMN[,features=A:B:C]   a table with a header row
//   fashion-mnist[=DIR]     Debian's dataset-fashion-mnist (train + t10k)
//   idx=IMAGES:LABELS       IDX files (gzip or plain)
//   npy=FEATURES:LABELS     two .npy files
//   text=PATH[,stride=S]    bytes of a file or a directory's files, in
//                           windows of the model's sequence length T; the
//                           label of each position is the next byte
//   ...,test=F ...,val=F    given test / validation files, in the source's
//                           own form (csv: PATH; idx, npy: A:B; text: PATH);
//                           fashion-mnist has its test set and takes val only
//   ...,standardize         per-feature (x - mean) / std (csv, idx, npy,
//                           fashion-mnist)
//   ...,standardize-target  the same for a regression target (csv, npy)
//   ...,classes=A:B[:C...]  only those classes, renumbered 0, 1, ... in order
//   ...,limit=N             only the first N examples of the training source
//
// A split without its own file is carved (seeded) from the training source:
// --val-fraction and --test-fraction default to 0.15 each, and to 0 for a
// split that has a file (naming a fraction for it then is an error). With
// both fractions 0 the whole source is the training split, in file order.
// Standardization statistics come from the training split only, and are
// returned (DataSplits::prep) to be stored with the trained weights; with
// DataOptions::fitted (eval, run) the stored statistics are applied
// instead and nothing is refitted.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/data/Dataset.h"
#include "loom/rt/data/Preprocess.h"

#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace loomc {

struct DataOptions {
  /// Set when the flag was given; otherwise 0.15, or 0 for a split that
  /// has its own file.
  std::optional<double> valFraction, testFraction;
  uint64_t seed = 0;
  /// For classifiers (>0): every label must be a class index below this;
  /// checked on the loaded files, before any split, so errors name file rows.
  int64_t numClasses = 0;
  /// For text= (a character model): the per-example shape of the model's
  /// feature input, which must be [T].
  std::vector<int64_t> featureShape;
  /// eval and run: the preprocessing fitted when the model was trained
  /// (read from `fittedFrom`, its checkpoint), applied instead of fitting.
  const loom::rt::FittedPreprocessing *fitted = nullptr;
  std::string fittedFrom;
  /// run on raw rows: a csv source may have no label column.
  bool labelOptional = false;
};

struct DataSplits {
  loom::rt::Dataset train, val, test;
  std::string source;      // the file (or data set) named in messages
  std::string description; // for the log: "breast_cancer.csv: 398/85/86"
  bool isText = false;      // text=: features are byte tokens
  /// Where each split came from: "70% of breast_cancer.csv", "test.csv".
  std::string trainFrom, valFrom, testFrom;
  /// What was applied: fitted on this training split, or DataOptions::fitted.
  loom::rt::FittedPreprocessing prep;
  bool standardizeTarget = false; // `standardize-target` was asked for
};

/// The splits' sizes and origins, one line: "train 398 (70% of a.csv),
/// validation 85 (15% of a.csv), test 86 (b.csv)".
std::string describeSplits(const DataSplits &d);

llvm::Expected<DataSplits> loadData(const std::string &spec,
                                    const DataOptions &options);

} // namespace loomc
