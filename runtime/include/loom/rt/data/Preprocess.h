//===- Preprocess.h - The fitted data pipeline that travels with a model --===//
//
// What training fitted on its training split and a trained model needs again
// wherever it runs: the feature columns in the order the model saw them, the
// per-feature standardization statistics and, for regression, the target's
// mean and standard deviation. It is stored as string metadata in every
// checkpoint training writes (safetensors' __metadata__, keys "loom.data.*"),
// so `loomc eval`, `loomc run` and an app that loads the checkpoint apply
// the training split's statistics instead of refitting them on whatever
// file they are given (which silently gives a different model).
//
// Floats are written with 9 significant digits (exact for f32) separated by
// spaces; names as a JSON array of strings. A checkpoint without these keys
// has no fitted preprocessing (trained on raw data, or written by a loomc
// older than this format). Thread-safe: plain values.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/data/Dataset.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace loom::rt {

struct FittedPreprocessing {
  /// The model inputs the data was bound to: features feed `featureInput`,
  /// labels `labelInput` (empty for a model that learns from features only).
  std::string featureInput, labelInput;
  /// CSV sources: the feature columns in the model's order, and the label
  /// column (so raw rows can be read back with the same layout).
  std::vector<std::string> featureColumns;
  std::string labelColumn;
  /// `standardize`: (x - mean) / stddev per feature position.
  std::optional<Standardizer> features;
  /// `standardize-target`: labels standardized the same way, and the model
  /// output `targetOutput` mapped back (y * stddev + mean) for predictions.
  std::optional<Standardizer> target;
  std::string targetOutput;

  /// True when there is nothing to apply (no standardization of either).
  bool identity() const { return !features && !target; }

  /// Adds the "loom.data.*" keys to `metadata` (replacing earlier ones).
  void toMetadata(std::map<std::string, std::string> &metadata) const;
  /// Reads the keys back; `source` (the checkpoint path) prefixes errors
  /// such as "ck.safetensors: metadata 'loom.data.mean' is not a list of
  /// numbers". Absent keys leave the corresponding member empty.
  static Status fromMetadata(const std::map<std::string, std::string> &metadata,
                             const std::string &source,
                             FittedPreprocessing &out);

  /// Standardizes features [N, ...] in place with the stored statistics;
  /// an error when the row width differs from the fitted one.
  Status applyToFeatures(HostTensor &features,
                         const std::string &source) const;
  /// Standardizes targets (labels) in place.
  Status applyToTargets(HostTensor &targets, const std::string &source) const;
  /// Maps standardized predictions back to the target's units in place.
  Status invertTargets(HostTensor &predictions,
                       const std::string &source) const;
  /// One line for a log: "standardized 30 features, target (mean 22.5,
  /// stddev 9.2)" or "none".
  std::string describe() const;
};

} // namespace loom::rt
