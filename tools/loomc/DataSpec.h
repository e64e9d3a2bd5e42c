//===- DataSpec.h - What `--data` names, loaded and split -------------------===//
//
// `--data` is a comma-separated list: a source, then options.
//
//   csv=PATH,label=COLUMN[,features=A:B:C][,standardize]
//   fashion-mnist           Debian's dataset-fashion-mnist (train + t10k)
//   idx=IMAGES:LABELS[,test=IMAGES:LABELS]
//   npy=FEATURES:LABELS[,test=FEATURES:LABELS]
//   text=PATH[,stride=S]    bytes of a file or a directory's files, in
//                           windows of the model's sequence length T; the
//                           label of each position is the next byte
//   ...,classes=A:B[:C...]  only those classes, renumbered 0, 1, ... in order
//   ...,limit=N             only the first N examples of the training source
//
// A source without its own test set is split (seeded) into train /
// validation / test; one with a test set gives validation from its training
// part. With both fractions 0 the whole source is the training split, in
// file order. Standardization statistics come from the training split only.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/Dataset.h"

#include "llvm/Support/Error.h"

#include <string>

namespace loomc {

struct DataOptions {
  double valFraction = 0.15;
  double testFraction = 0.15; // only for sources without a test set
  uint64_t seed = 0;
  /// For classifiers (>0): every label must be a class index below this;
  /// checked on the loaded files, before any split, so errors name file rows.
  int64_t numClasses = 0;
  /// For text= (a character model): the per-example shape of the model's
  /// feature input, which must be [T].
  std::vector<int64_t> featureShape;
};

struct DataSplits {
  loom::rt::Dataset train, val, test;
  std::string source;      // the file (or data set) named in messages
  std::string description; // for the log: "breast_cancer.csv: 398/85/86"
  bool isText = false;      // text=: features are byte tokens
};

llvm::Expected<DataSplits> loadData(const std::string &spec,
                                    const DataOptions &options);

} // namespace loomc
