//===- PreprocessTest.cpp - The fitted pipeline as checkpoint metadata ----===//
//
// The stored statistics round-trip exactly (f32 through 9-digit text), are
// applied as fitted (not refitted on the data they meet), map predictions
// back to the target's units, and malformed metadata is an error naming
// the file and the key.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/Checkpoint.h"
#include "loom/rt/data/Preprocess.h"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace loom::rt;

namespace {

HostTensor rows(std::vector<std::vector<float>> v) {
  HostTensor t(TensorType{DType::F32, {int64_t(v.size()),
                                       int64_t(v.empty() ? 0 : v[0].size())}});
  for (size_t i = 0; i < v.size(); ++i)
    for (size_t j = 0; j < v[i].size(); ++j)
      t.set(int64_t(i * v[i].size() + j), v[i][j]);
  return t;
}

FittedPreprocessing fitted() {
  FittedPreprocessing p;
  p.featureInput = "x";
  p.labelInput = "y";
  p.featureColumns = {"area, m\u00b2", "rooms \"n\""}; // commas, quotes, UTF-8
  p.labelColumn = "price";
  // Values with no short decimal form, to test the 9-digit round trip.
  p.features = Standardizer{{0.1f, 1.0f / 3.0f}, {2.0f / 7.0f, 0.0f}};
  p.target = Standardizer{{22.53281f}, {9.188011f}};
  p.targetOutput = "pred";
  return p;
}

TEST(PreprocessTest, MetadataRoundTripsExactly) {
  std::map<std::string, std::string> m = {{"loom.model", "m"}};
  fitted().toMetadata(m);
  EXPECT_EQ(m.at("loom.model"), "m") << "other keys are kept";
  FittedPreprocessing back;
  ASSERT_TRUE(FittedPreprocessing::fromMetadata(m, "ck", back));
  FittedPreprocessing want = fitted();
  EXPECT_EQ(back.featureInput, "x");
  EXPECT_EQ(back.labelInput, "y");
  EXPECT_EQ(back.featureColumns, want.featureColumns);
  EXPECT_EQ(back.labelColumn, "price");
  ASSERT_TRUE(back.features && back.target);
  EXPECT_EQ(back.features->mean, want.features->mean); // bit-exact floats
  EXPECT_EQ(back.features->stddev, want.features->stddev);
  EXPECT_EQ(back.target->mean, want.target->mean);
  EXPECT_EQ(back.target->stddev, want.target->stddev);
  EXPECT_EQ(back.targetOutput, "pred");
}

TEST(PreprocessTest, SurvivesACheckpointFile) {
  std::string path = ::testing::TempDir() + "/prep.safetensors";
  std::map<std::string, std::string> m;
  fitted().toMetadata(m);
  HostTensor w = rows({{1.0f}});
  ASSERT_TRUE(saveCheckpoint(path, {{"w", &w}}, m));
  std::map<std::string, HostTensor> tensors;
  std::map<std::string, std::string> meta;
  ASSERT_TRUE(loadCheckpoint(path, tensors, &meta));
  FittedPreprocessing back;
  ASSERT_TRUE(FittedPreprocessing::fromMetadata(meta, path, back));
  EXPECT_EQ(back.features->mean, fitted().features->mean);
  EXPECT_EQ(back.featureColumns, fitted().featureColumns);
}

TEST(PreprocessTest, NoKeysMeansIdentity) {
  FittedPreprocessing p;
  ASSERT_TRUE(FittedPreprocessing::fromMetadata({{"loom.model", "m"}}, "ck", p));
  EXPECT_TRUE(p.identity());
  HostTensor x = rows({{5.0f, 6.0f}});
  ASSERT_TRUE(p.applyToFeatures(x, "data"));
  EXPECT_EQ(x.at(0), 5.0);
  EXPECT_EQ(p.describe(), "none");
}

TEST(PreprocessTest, AppliesTheStoredStatisticsNotNewOnes) {
  // Fitted on training rows with mean (1, 10) and stddev (1, 0); applied to
  // other rows, whose own statistics differ, it uses the stored ones.
  Standardizer s = Standardizer::fit(rows({{0, 10}, {2, 10}}));
  FittedPreprocessing p;
  p.features = s;
  HostTensor x = rows({{4, 13}, {6, 10}});
  ASSERT_TRUE(p.applyToFeatures(x, "test.csv"));
  EXPECT_FLOAT_EQ(float(x.at(0)), 3.0f);  // (4 - 1) / 1
  EXPECT_FLOAT_EQ(float(x.at(1)), 3.0f);  // constant column: 13 - 10
  EXPECT_FLOAT_EQ(float(x.at(2)), 5.0f);
  EXPECT_FLOAT_EQ(float(x.at(3)), 0.0f);
  HostTensor wide = rows({{1, 2, 3}});
  Status st = p.applyToFeatures(wide, "test.csv");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.message(), "test.csv: 3 features per example, but the model "
                          "was trained on 2 standardized ones");
}

TEST(PreprocessTest, TargetsMapBack) {
  FittedPreprocessing p = fitted();
  HostTensor y = rows({{22.53281f + 2 * 9.188011f}, {22.53281f}});
  HostTensor standardized = y.clone();
  ASSERT_TRUE(p.applyToTargets(standardized, "d"));
  EXPECT_NEAR(standardized.at(0), 2.0, 1e-6);
  EXPECT_NEAR(standardized.at(1), 0.0, 1e-6);
  ASSERT_TRUE(p.invertTargets(standardized, "d"));
  EXPECT_NEAR(standardized.at(0), y.at(0), 1e-5);
  EXPECT_NEAR(standardized.at(1), y.at(1), 1e-5);
}

TEST(PreprocessTest, MalformedMetadataIsAnError) {
  auto error = [](std::map<std::string, std::string> m) {
    FittedPreprocessing p;
    Status st = FittedPreprocessing::fromMetadata(m, "ck.safetensors", p);
    EXPECT_FALSE(st);
    return st.message();
  };
  EXPECT_EQ(error({{"loom.data.mean", "1 2"}}),
            "ck.safetensors: metadata has 'loom.data.mean' without "
            "'loom.data.stddev'");
  EXPECT_EQ(error({{"loom.data.mean", "1 x"}, {"loom.data.stddev", "1 1"}}),
            "ck.safetensors: metadata 'loom.data.mean' is not a list of "
            "finite numbers");
  EXPECT_EQ(error({{"loom.data.mean", "1 nan"}, {"loom.data.stddev", "1 1"}}),
            "ck.safetensors: metadata 'loom.data.mean' is not a list of "
            "finite numbers");
  EXPECT_EQ(error({{"loom.data.mean", "1 2"}, {"loom.data.stddev", "1"}}),
            "ck.safetensors: metadata 'loom.data.mean' has 2 values but "
            "'loom.data.stddev' has 1");
  EXPECT_EQ(error({{"loom.data.mean", "1"}, {"loom.data.stddev", "-1"}}),
            "ck.safetensors: metadata 'loom.data.stddev' holds a negative "
            "standard deviation");
  EXPECT_EQ(error({{"loom.data.columns", "[1, 2]"}}),
            "ck.safetensors: metadata 'loom.data.columns' is not a JSON "
            "array of strings");
  EXPECT_EQ(error({{"loom.data.columns", "[\"a\"]"},
                   {"loom.data.mean", "1 2"},
                   {"loom.data.stddev", "1 1"}}),
            "ck.safetensors: metadata names 1 feature columns but "
            "standardizes 2");
  EXPECT_EQ(error({{"loom.data.target_mean", "1"},
                   {"loom.data.target_stddev", "1"}}),
            "ck.safetensors: metadata 'loom.data.target_mean' without "
            "'loom.data.target_output'");
}

} // namespace
