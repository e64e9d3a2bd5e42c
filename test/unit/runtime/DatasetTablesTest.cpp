//===- DatasetTablesTest.cpp - Data sets from CSV tables and NPY files ----===//
//
// The real breast-cancer and Boston-housing tables from examples/data, column
// selection by name, and the messages for a misspelt column, a bad cell, a
// missing header, an empty or missing file, and NPY pairs that disagree.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"
#include "loom/rt/data/Dataset.h"
#include "loom/rt/core/Io.h"

#include <gtest/gtest.h>

using namespace loom::rt;
using loom::rt::test::TempDir;
using loom::rt::test::writeBytes;

namespace {

const std::string kData = LOOM_EXAMPLES_DATA_DIR;

Status loadText(const TempDir &dir, const std::string &text,
                const CsvDatasetOptions &opts, Dataset &out,
                std::string *path = nullptr) {
  std::string p = dir.file("table.csv");
  writeBytes(p, text);
  if (path)
    *path = p;
  return loadCsvDataset(p, opts, out);
}

} // namespace

TEST(DatasetTablesTest, LoadsBreastCancer) {
  Dataset d;
  Status s = loadCsvDataset(kData + "/breast_cancer.csv",
                            {.labelColumn = "malignant"}, d);
  ASSERT_TRUE(s) << s.message();
  EXPECT_TRUE(checkDataset(d, "bc"));
  EXPECT_EQ(d.features.type().str(), "f32[569,30]");
  EXPECT_EQ(d.labels.type().str(), "f32[569,1]");
  ASSERT_EQ(d.featureNames.size(), 30u);
  EXPECT_EQ(d.featureNames.front(), "radius_mean");
  EXPECT_EQ(d.featureNames.back(), "fractal_dimension_worst");
  int ones = 0;
  for (int64_t i = 0; i < 569; ++i) {
    double v = d.labels.at(i);
    ASSERT_TRUE(v == 0 || v == 1) << "row " << i;
    ones += v == 1;
  }
  EXPECT_EQ(ones, 212);
  EXPECT_FLOAT_EQ(d.features.as<float>()[0], 17.99f); // radius_mean, row 0
  EXPECT_TRUE(checkClassLabels(d, 2, "breast_cancer.csv"));
}

TEST(DatasetTablesTest, LoadsBostonHousingWithChosenColumns) {
  Dataset d;
  Status s = loadCsvDataset(
      kData + "/boston_housing.csv",
      {.labelColumn = "medv", .featureColumns = {"rm", "lstat", "crim"}}, d);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(d.features.type().str(), "f32[506,3]");
  EXPECT_EQ(d.labels.type().str(), "f32[506,1]");
  EXPECT_EQ(d.featureNames, (std::vector<std::string>{"rm", "lstat", "crim"}));
  /// First row: crim 0.00632, rm 6.575, lstat 4.98, medv 24.
  EXPECT_FLOAT_EQ(d.features.as<float>()[0], 6.575f);
  EXPECT_FLOAT_EQ(d.features.as<float>()[1], 4.98f);
  EXPECT_FLOAT_EQ(d.features.as<float>()[2], 0.00632f);
  EXPECT_FLOAT_EQ(d.labels.as<float>()[0], 24.0f);
}

TEST(DatasetTablesTest, LoadsKarateClubNodes) {
  Dataset d;
  ASSERT_TRUE(loadCsvDataset(kData + "/karate_club_nodes.csv",
                             {.labelColumn = "club"}, d));
  EXPECT_EQ(d.features.type().str(), "f32[34,1]");
  EXPECT_TRUE(checkClassLabels(d, 2, "karate"));
}

TEST(DatasetTablesTest, UnknownColumnListsColumnsAndSuggests) {
  Dataset d;
  std::string path = kData + "/breast_cancer.csv";
  Status s = loadCsvDataset(path, {.labelColumn = "malignnt"}, d);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message().rfind(path + " has no column 'malignnt'; columns: "
                                     "radius_mean, texture_mean, ",
                              0),
            0u)
      << s.message();
  EXPECT_NE(s.message().find("fractal_dimension_worst, malignant (did you "
                             "mean 'malignant'?)"),
            std::string::npos)
      << s.message();

  TempDir dir;
  s = loadText(dir, "a,b,y\n1,2,3\n",
               {.labelColumn = "y", .featureColumns = {"a", "zzzzzz"}}, d);
  EXPECT_NE(s.message().find("has no column 'zzzzzz'; columns: a, b, y"),
            std::string::npos);
  EXPECT_EQ(s.message().find("did you mean"), std::string::npos);
}

TEST(DatasetTablesTest, ColumnSelectionErrors) {
  TempDir dir;
  Dataset d;
  Status s = loadText(dir, "a,b,y\n1,2,3\n", {}, d);
  EXPECT_NE(s.message().find("labelColumn is empty"), std::string::npos);
  s = loadText(dir, "a,b,y\n1,2,3\n",
               {.labelColumn = "y", .featureColumns = {"a", "y"}}, d);
  EXPECT_NE(s.message().find("column 'y' is both the label and a feature"),
            std::string::npos);
  s = loadText(dir, "a,b,y\n1,2,3\n",
               {.labelColumn = "y", .featureColumns = {"a", "a"}}, d);
  EXPECT_NE(s.message().find("feature column 'a' is listed twice"),
            std::string::npos);
  s = loadText(dir, "y\n1\n", {.labelColumn = "y"}, d);
  EXPECT_NE(s.message().find("no feature columns (the table has only the "
                             "label column 'y')"),
            std::string::npos);
  s = loadText(dir, "a,a,y\n1,2,3\n", {.labelColumn = "y"}, d);
  EXPECT_NE(s.message().find("the header names column 'a' twice"),
            std::string::npos);
}

TEST(DatasetTablesTest, FileErrors) {
  TempDir dir;
  Dataset d;
  std::string path;
  Status s =
      loadText(dir, "x,y\n1,2\n3,oops\n", {.labelColumn = "y"}, d, &path);
  EXPECT_EQ(s.message(),
            path + ":3: non-numeric cell 'oops' in column 2 ('y')");
  s = loadText(dir, "", {.labelColumn = "y"}, d, &path);
  EXPECT_EQ(s.message(), path + ": empty file");
  s = loadText(dir, "1,2\n3,4\n", {.labelColumn = "y"}, d, &path);
  EXPECT_EQ(s.message(), path + ": no header row (the first line must name "
                                "the columns, e.g. 'x1,x2,label')");
  s = loadText(dir, "x,y\n", {.labelColumn = "y"}, d, &path);
  EXPECT_EQ(s.message(), path + ": header but no data rows");
  s = loadCsvDataset(dir.file("nope.csv"), {.labelColumn = "y"}, d);
  EXPECT_EQ(s.message(), "cannot open " + dir.file("nope.csv") +
                             ": No such file or directory");
  EXPECT_FALSE(d.features.hasStorage()); // untouched on failure
}

TEST(DatasetTablesTest, LoadsNpyPairs) {
  TempDir dir;
  HostTensor x = HostTensor::fromF32({3, 2}, {1, 2, 3, 4, 5, 6});
  HostTensor y(TensorType{DType::I64, {3}});
  y.set(0, 2);
  y.set(1, 0);
  y.set(2, 1);
  ASSERT_TRUE(writeNpy(dir.file("x.npy"), x));
  ASSERT_TRUE(writeNpy(dir.file("y.npy"), y));
  Dataset d;
  Status s = loadNpyDataset(dir.file("x.npy"), dir.file("y.npy"), d);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(d.features.type().str(), "f32[3,2]");
  EXPECT_EQ(d.labels.type().str(), "f32[3]");
  EXPECT_EQ(d.labels.at(0), 2.0);
  EXPECT_TRUE(checkClassLabels(d, 3, "y.npy"));

  HostTensor y2 = HostTensor::fromF32({2}, {0, 1});
  ASSERT_TRUE(writeNpy(dir.file("y2.npy"), y2));
  s = loadNpyDataset(dir.file("x.npy"), dir.file("y2.npy"), d);
  EXPECT_EQ(s.message(), dir.file("x.npy") + " has 3 examples but " +
                             dir.file("y2.npy") + " has 2");
  HostTensor scalar = HostTensor::fromF32({}, {1});
  ASSERT_TRUE(writeNpy(dir.file("s.npy"), scalar));
  s = loadNpyDataset(dir.file("s.npy"), dir.file("y.npy"), d);
  EXPECT_NE(s.message().find("features must have rank >= 1"),
            std::string::npos);
  s = loadNpyDataset(dir.file("x.npy"), dir.file("missing.npy"), d);
  EXPECT_NE(s.message().find("cannot open"), std::string::npos);
}

TEST(DatasetTablesTest, CheckDatasetCatchesInconsistentData) {
  Dataset d;
  EXPECT_EQ(checkDataset(d, "d").message(),
            "d: the features tensor is missing");
  d.features = HostTensor::fromF32({3, 2}, {1, 2, 3, 4, 5, 6});
  d.labels = HostTensor::fromF32({2}, {0, 1});
  EXPECT_EQ(checkDataset(d, "d").message(),
            "d: 3 feature rows but 2 label rows");
  d.labels = HostTensor(TensorType{DType::I32, {3}});
  EXPECT_EQ(checkDataset(d, "d").message(),
            "d: labels must be f32 [N, ...], not i32[3]");
  d.labels = HostTensor::fromF32({3}, {0, 1, 0});
  d.featureNames = {"a"};
  EXPECT_EQ(checkDataset(d, "d").message(),
            "d: 1 feature names for features f32[3,2]");
  d.featureNames = {"a", "b"};
  EXPECT_TRUE(checkDataset(d, "d"));
}
