//===- Dataset.h - Training data: loading, splitting, scaling, batching ---===//
//
// A Dataset is N examples as two f32 tensors, features [N, ...] and labels
// [N, ...], loaded from CSV tables, IDX files (MNIST, Fashion-MNIST) or NPY
// pairs. Around it: a seeded train/validation/test split, per-feature
// standardization fitted on the training split, a label range check for
// classifiers, and a BatchIterator that walks a Dataset in shuffled
// mini-batches.
//
// Everything random uses splitmix64 with Fisher-Yates written out (not
// std::shuffle, whose algorithm is implementation-defined), so a seed gives
// the same split and the same batches on every platform. Loaders treat files
// as untrusted: errors name the file and, where there is one, the line, the
// column or the row. Free functions are thread-safe on distinct outputs; a
// BatchIterator is thread-compatible (one thread at a time).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Tensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace loom::rt {

/// N examples. features: f32 [N, ...]; labels: f32 [N, ...] holding class
/// indices as integral floats ([N]) or regression/binary targets ([N, 1]).
/// featureNames names the feature columns when they have names (CSV).
struct Dataset {
  HostTensor features;
  HostTensor labels;
  std::vector<std::string> featureNames;

  /// N, the number of examples (0 for an empty Dataset).
  int64_t size() const {
    return features.shape().empty() ? 0 : features.shape()[0];
  }
};

/// Checks the invariants above: both tensors present, f32, rank >= 1, the
/// same N; featureNames empty or one per feature column of a [N, F] tensor.
/// `source` prefixes the error.
Status checkDataset(const Dataset &data, const std::string &source);

//===--- Loading ----------------------------------------------------------===//

struct CsvDatasetOptions {
  /// The header name of the label column. Required.
  std::string labelColumn;
  /// Header names of the feature columns, in the order wanted; empty means
  /// every column except the label, in file order.
  std::vector<std::string> featureColumns;
  /// With an empty labelColumn: load features only (labels f32 [N, 0]),
  /// for running a trained model on raw rows.
  bool allowNoLabel = false;
};

/// Reads a CSV table with a header row (see readCsv for the syntax).
/// Features are [N, F] and labels [N, 1] (the shape of a one-output model's
/// prediction). Errors: "cannot open PATH: ...", "PATH: empty file",
/// "PATH: no header row ...", "PATH:LINE: non-numeric cell 'x' in column 3
/// ('name')", "PATH has no column 'malignnt'; columns: a, b, ... (did you
/// mean 'malignant'?)", a column asked for twice or as both label and
/// feature, a header naming one column twice, no feature column left.
Status loadCsvDataset(const std::string &path, const CsvDatasetOptions &opts,
                      Dataset &out);

/// Reads features and labels from two .npy files of any dtype readNpy
/// supports (converted to f32), each of rank >= 1 with the same first
/// dimension; "X.npy has 100 examples but Y.npy has 99" otherwise.
Status loadNpyDataset(const std::string &featuresPath,
                      const std::string &labelsPath, Dataset &out);

/// Reads an IDX file (LeCun's MNIST format), gzipped (detected from the
/// gzip magic bytes, not the name) or plain: a magic 0x0000TTDD (TT the
/// type code, DD the number of dimensions), DD big-endian u32 dimensions,
/// then the big-endian data. There is no u8 dtype in the runtime, so values
/// come back as f32 for type codes 0x08 (u8), 0x09 (i8), 0x0B (i16) and
/// 0x0D (f32), all exact, i32 for 0x0C and f64 for 0x0E. Errors: corrupt
/// or truncated gzip, bad magic, a data size that does not match the
/// dimensions (truncated, or trailing bytes).
Status readIdx(const std::string &path, HostTensor &out);

struct IdxOptions {
  /// [N, rows*cols] when true (for MLPs), [N, 1, rows, cols] when false
  /// (NCHW, for convolutions).
  bool flatten = true;
};

/// Reads an IDX image file (u8, 3 dimensions: magic 0x00000803) and an IDX
/// label file (1 dimension: magic 0x00000801). Pixels are scaled to [0, 1]
/// (divided by 255); labels become f32 [N]. Error when the counts differ:
/// "IMAGES has 60000 images but LABELS has 59999 labels".
Status loadIdxDataset(const std::string &imagesPath,
                      const std::string &labelsPath, const IdxOptions &opts,
                      Dataset &out);

/// A character-level language-modelling data set (for `--data text=`).
struct TextDatasetOptions {
  /// T, the characters per example (required, > 0).
  int64_t seqLen = 0;
  /// Characters between the starts of consecutive windows; 0 means seqLen
  /// (windows that do not overlap, so a random split does not put the same
  /// text in two splits).
  int64_t stride = 0;
  /// Tokens are bytes; every byte must be below this (the model's
  /// vocabulary, e.g. 128 for ASCII text).
  int64_t vocab = 256;
};

/// Reads text as bytes from `path`: a file, or every regular file of a
/// directory (in name order; symbolic links are skipped, since they name
/// files already read, like /usr/share/common-licenses/GPL -> GPL-3), the
/// files joined as they are. Example i is the window of seqLen bytes
/// starting at i * stride: features [N, T] are the bytes, labels [N, T]
/// the bytes one position later (the next character at every position),
/// both as f32. Errors: "cannot open PATH: ...", "DIR has no regular
/// files", "PATH:LINE:COLUMN: byte 0xC3 is outside the model's vocabulary
/// of 128 tokens (bytes 0-127)", "PATH: 90 bytes of text are fewer than
/// one window of 101 (seqLen + 1)". `text`, when given, receives the bytes.
Status loadTextDataset(const std::string &path, const TextDatasetOptions &opts,
                       Dataset &out, std::string *text = nullptr);

//===--- Preparing --------------------------------------------------------===//

/// Shuffles the examples with `seed` (Fisher-Yates over splitmix64) and cuts
/// them into floor(N * trainFrac) training examples, floor(N * valFrac)
/// validation examples, and the rest for test. Fractions must be in [0, 1]
/// with a sum of at most 1. Any of the parts may be empty ([0, ...]).
/// `all` may be one of the outputs (`splitDataset(d, .8, .1, 7, d, v, t)`).
Status splitDataset(const Dataset &all, double trainFrac, double valFrac,
                    uint64_t seed, Dataset &train, Dataset &val, Dataset &test);

/// Per-feature standardization, (x - mean) / stddev, with statistics from
/// the training split only: fit on train, then apply to train, val and test
/// alike, so no information about held-out data leaks into training.
/// A "feature" is one position of a row: features [N, F] have F, images
/// [N, 1, 28, 28] have 784 (per pixel). stddev is the population standard
/// deviation (divide by N, like scikit-learn's StandardScaler). A constant
/// feature has stddev 0 and is only centered (becomes 0), never divided
/// by zero.
struct Standardizer {
  std::vector<float> mean, stddev;

  /// Statistics of f32 features [N, ...] (computed in double). For N = 0
  /// every mean and stddev is 0, so apply() leaves data unchanged.
  /// Throws std::invalid_argument for a tensor that is not f32 of rank >= 1.
  static Standardizer fit(const HostTensor &features);
  /// Standardizes f32 [M, ...] features in place; a tensor with no storage
  /// (a default-constructed Dataset's) is left alone. Throws
  /// std::invalid_argument when the row width differs from the fitted one.
  void apply(HostTensor &features) const;
};

/// Checks that every label is an integer in [0, numClasses). Errors:
///   "SOURCE: label 12 at row 37 is out of range for 10 classes"
///   "SOURCE: label 2.5 at row 3 is not an integer class index"
/// Rows count examples from 0.
Status checkClassLabels(const Dataset &data, int64_t numClasses,
                        const std::string &source);

//===--- Batching ---------------------------------------------------------===//

struct BatchOptions {
  int64_t batchSize = 32;
  /// Visit the examples in a new seeded order each epoch; in file order
  /// when false.
  bool shuffle = true;
  uint64_t seed = 0;
  /// Skip the last batch of an epoch when it is smaller than batchSize.
  /// When false (the default) it is returned with its real size.
  bool dropLast = false;
};

/// One mini-batch: features [size, ...] and labels [size, ...]. The tensors
/// belong to the iterator and stay valid until its next call to next(),
/// startEpoch(), or until it is moved or destroyed.
struct Batch {
  const HostTensor *features = nullptr;
  const HostTensor *labels = nullptr;
  int64_t size = 0;  // examples in this batch
  int64_t index = 0; // batch number within the epoch, from 0
};

/// Walks a Dataset in mini-batches. Epoch e with seed s always visits the
/// examples in the same order (a Fisher-Yates permutation seeded from
/// (s, e)), independent of the epochs before it, so training resumed from a
/// checkpoint at epoch e sees the batches it would have seen. The batch
/// tensors (full size, and the smaller last one) are allocated once by
/// create(): after that, next() and startEpoch() do not allocate.
///
///   BatchIterator it;
///   if (Status s = BatchIterator::create(train, {.batchSize = 64}, it); !s)
///     return s;
///   for (uint64_t epoch = 0; epoch < 10; ++epoch) {
///     it.startEpoch(epoch);
///     for (Batch b; it.next(b);)
///       train(*b.features, *b.labels);
///   }
class BatchIterator {
public:
  /// An iterator with no data: next() returns false.
  BatchIterator() = default;

  /// Binds `out` to `data`, which must outlive it and not change size while
  /// in use, and starts epoch 0. Errors: batchSize < 1, an invalid Dataset
  /// (checkDataset), and dropLast with fewer examples than one batch (an
  /// epoch with no batches would make training silently do nothing).
  static Status create(const Dataset &data, const BatchOptions &opts,
                       BatchIterator &out);

  /// Restarts at the first batch of epoch `epoch`.
  void startEpoch(uint64_t epoch);
  /// Fills `out` with the next batch of the epoch; false at the epoch's end.
  bool next(Batch &out);

  int64_t batchesPerEpoch() const;
  uint64_t epoch() const { return epoch_; }

private:
  void gather(HostTensor &dst, const HostTensor &src, int64_t first,
              int64_t count) const;

  const Dataset *data_ = nullptr;
  BatchOptions opts_;
  uint64_t epoch_ = 0;
  int64_t cursor_ = 0; // next example position in order_
  int64_t batchIndex_ = 0;
  std::vector<int64_t> order_;
  HostTensor fullFeatures_, fullLabels_, lastFeatures_, lastLabels_;
};

} // namespace loom::rt
