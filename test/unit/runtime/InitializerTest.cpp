//===- InitializerTest.cpp - Parameter initializers
//------------------------===//
//
// Determinism (same seed and name give the same bits, a different name or
// seed different ones), the statistics of every random kind on a large
// tensor, the constant kinds, and the errors.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/Initializers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace loom::rt;
using Kind = Initializer::Kind;

namespace {

ParamInfo param(const std::string &name, std::vector<int64_t> shape, Kind kind,
                double a = 0, double b = 0, DType dtype = DType::F32) {
  ParamInfo p;
  p.name = name;
  p.type = TensorType{dtype, std::move(shape)};
  p.init.kind = kind;
  p.init.a = a;
  p.init.b = b;
  return p;
}

HostTensor init(const ParamInfo &p, uint64_t seed = 7) {
  HostTensor t;
  Status s = initializeParam(p, seed, t);
  EXPECT_TRUE(s) << s.message();
  return t;
}

bool sameBits(const HostTensor &a, const HostTensor &b) {
  return a.type() == b.type() &&
         std::memcmp(a.data(), b.data(), a.byteSize()) == 0;
}

struct Stats {
  double mean = 0, stddev = 0, min = INFINITY, max = -INFINITY;
};
Stats stats(const HostTensor &t) {
  Stats s;
  int64_t n = t.numElements();
  for (int64_t i = 0; i < n; ++i) {
    double v = t.at(i);
    s.mean += v;
    s.min = std::min(s.min, v);
    s.max = std::max(s.max, v);
  }
  s.mean /= double(n);
  for (int64_t i = 0; i < n; ++i)
    s.stddev += (t.at(i) - s.mean) * (t.at(i) - s.mean);
  s.stddev = std::sqrt(s.stddev / double(n));
  return s;
}

} // namespace

TEST(InitializerTest, KindNamesRoundTrip) {
  for (Kind k : {Kind::Zeros, Kind::Ones, Kind::Constant, Kind::Uniform,
                 Kind::Normal, Kind::XavierUniform, Kind::XavierNormal,
                 Kind::HeUniform, Kind::HeNormal, Kind::Values}) {
    Kind parsed = Kind::Zeros;
    ASSERT_TRUE(parseInitializerKind(initializerName(k), parsed))
        << initializerName(k);
    EXPECT_EQ(parsed, k);
  }
  EXPECT_STREQ(initializerName(Kind::XavierUniform), "xavier_uniform");
  Kind unused;
  EXPECT_FALSE(parseInitializerKind("glorot", unused));
}

TEST(InitializerTest, SameSeedAndNameGiveSameBits) {
  for (Kind k : {Kind::Uniform, Kind::Normal, Kind::XavierNormal}) {
    ParamInfo p = param("fc.weight", {16, 8}, k, -1, 1);
    EXPECT_TRUE(sameBits(init(p, 3), init(p, 3))) << initializerName(k);
  }
}

TEST(InitializerTest, NameAndSeedBothChangeTheStream) {
  ParamInfo a = param("fc1.weight", {16, 8}, Kind::Normal, 0, 1);
  ParamInfo b = param("fc2.weight", {16, 8}, Kind::Normal, 0, 1);
  EXPECT_FALSE(sameBits(init(a, 3), init(b, 3)));
  EXPECT_FALSE(sameBits(init(a, 3), init(a, 4)));
}

/// Pins the generator's output so a change to the algorithm (or a platform
/// that computes it differently) is caught. Uniform draws use only integer
/// arithmetic and one exact multiply, so these values are exact everywhere.
TEST(InitializerTest, UniformStreamIsPinned) {
  HostTensor t = init(param("w", {4}, Kind::Uniform, 0, 1, DType::F64), 42);
  double first[4];
  for (int i = 0; i < 4; ++i)
    first[i] = t.at(i);
  HostTensor again = init(param("w", {4}, Kind::Uniform, 0, 1, DType::F64), 42);
  for (int i = 0; i < 4; ++i) {
    EXPECT_GE(first[i], 0.0);
    EXPECT_LT(first[i], 1.0);
    EXPECT_EQ(first[i], again.at(i));
  }
  EXPECT_EQ(first[0], 0x1.7a887183355b8p-2);
  EXPECT_EQ(first[1], 0x1.890b5c837b621p-1);
}

// Statistics on 100,000 draws. The standard error of a sample mean is
// sd/sqrt(n) = 0.0032*sd and of a sample sd about sd/sqrt(2n) = 0.0022*sd,
// so the tolerances below (mean within 0.02*sd, sd within 2%) are about six
// standard errors: they catch a wrong formula (a factor of sqrt(2) or 3) yet
// never flake. The streams are deterministic anyway.
constexpr double kMeanTol = 0.02, kStdTol = 0.02;

TEST(InitializerTest, NormalStatistics) {
  Stats s = stats(init(param("n", {1000, 100}, Kind::Normal, 2.0, 0.5)));
  EXPECT_NEAR(s.mean, 2.0, kMeanTol * 0.5);
  EXPECT_NEAR(s.stddev, 0.5, kStdTol * 0.5);
}

TEST(InitializerTest, UniformStatistics) {
  Stats s = stats(init(param("u", {1000, 100}, Kind::Uniform, -1.0, 3.0)));
  double sd = 4.0 / std::sqrt(12.0); // U(a,b) has sd (b-a)/sqrt(12)
  EXPECT_GE(s.min, -1.0);
  EXPECT_LT(s.max, 3.0);
  EXPECT_NEAR(s.mean, 1.0, kMeanTol * sd);
  EXPECT_NEAR(s.stddev, sd, kStdTol * sd);
}

TEST(InitializerTest, XavierUniformUsesBothFansAndGain) {
  // [in=300, out=200]: bound = g*sqrt(6/500), sd = bound/sqrt(3).
  for (double gain : {0.0 /* means 1 */, 2.0}) {
    double g = gain == 0 ? 1 : gain;
    double bound = g * std::sqrt(6.0 / 500.0);
    Stats s = stats(init(param("x", {300, 200}, Kind::XavierUniform, gain)));
    EXPECT_GE(s.min, -bound);
    EXPECT_LE(s.max, bound);
    EXPECT_GT(s.max, 0.99 * bound) << "the full range is used";
    EXPECT_NEAR(s.mean, 0.0, kMeanTol * bound);
    EXPECT_NEAR(s.stddev, bound / std::sqrt(3.0), kStdTol * bound);
  }
}

TEST(InitializerTest, XavierNormalStatistics) {
  double sd = std::sqrt(2.0 / 500.0);
  Stats s = stats(init(param("xn", {300, 200}, Kind::XavierNormal)));
  EXPECT_NEAR(s.mean, 0.0, kMeanTol * sd);
  EXPECT_NEAR(s.stddev, sd, kStdTol * sd);
}

TEST(InitializerTest, HeUniformAndHeNormalUseFanIn) {
  double sd = std::sqrt(2.0 / 400.0); // both have variance 2/fan_in
  Stats u = stats(init(param("hu", {400, 250}, Kind::HeUniform)));
  EXPECT_LE(u.max, std::sqrt(6.0 / 400.0));
  EXPECT_NEAR(u.stddev, sd, kStdTol * sd);
  Stats n =
      stats(init(param("hn", {400, 250}, Kind::HeNormal, 0, 0, DType::F64)));
  EXPECT_NEAR(n.mean, 0.0, kMeanTol * sd);
  EXPECT_NEAR(n.stddev, sd, kStdTol * sd);
}

TEST(InitializerTest, FansFollowTheDocumentedLayout) {
  double in, out;
  computeFans({3, 5}, in, out);
  EXPECT_EQ(in, 3);
  EXPECT_EQ(out, 5);
  // A conv weight [out 3, in 4, 5, 5]: receptive field 25, PyTorch's
  // fan_in = 4 * 25 (torch.nn.init._calculate_fan_in_and_fan_out).
  computeFans({3, 4, 5, 5}, in, out);
  EXPECT_EQ(in, 100);
  EXPECT_EQ(out, 75);
  computeFans({16, 1, 3, 3}, in, out); // a first conv layer: fan_in 9
  EXPECT_EQ(in, 9);
  EXPECT_EQ(out, 144);
  computeFans({7}, in, out);
  EXPECT_EQ(in, 7);
  EXPECT_EQ(out, 7);
  computeFans({}, in, out);
  EXPECT_EQ(in, 1);
}

TEST(InitializerTest, ConstantKindsWorkForEveryDType) {
  HostTensor z = init(param("z", {3}, Kind::Zeros, 0, 0, DType::I64));
  EXPECT_EQ(z.at(2), 0.0);
  HostTensor o = init(param("o", {2, 2}, Kind::Ones, 0, 0, DType::I1));
  EXPECT_EQ(o.as<uint8_t>()[3], 1);
  HostTensor c = init(param("c", {}, Kind::Constant, -2.5, 0, DType::F64));
  EXPECT_EQ(c.at(0), -2.5);
  ParamInfo v = param("v", {2, 2}, Kind::Values, 0, 0, DType::I32);
  v.init.values = {1, -2, 3, 4};
  HostTensor vt = init(v);
  EXPECT_EQ(vt.as<int32_t>()[1], -2);
  EXPECT_EQ(vt.as<int32_t>()[3], 4);
}

TEST(InitializerTest, ValuesCountMismatchIsAnError) {
  ParamInfo p = param("fc.bias", {2, 3}, Kind::Values);
  p.init.values = {1, 2, 3, 4, 5};
  HostTensor t;
  Status s = initializeParam(p, 0, t);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("'fc.bias'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("has 5 values, the type needs 6"),
            std::string::npos)
      << s.message();
  EXPECT_FALSE(t.hasStorage()) << "out is untouched on error";
}

TEST(InitializerTest, BadArgumentsAreErrors) {
  HostTensor t;
  Status s =
      initializeParam(param("i", {4}, Kind::Normal, 0, 1, DType::I32), 0, t);
  EXPECT_NE(s.message().find("need an f32 or f64 tensor"), std::string::npos)
      << s.message();
  s = initializeParam(param("u", {4}, Kind::Uniform, 1, 0), 0, t);
  EXPECT_NE(s.message().find("needs b >= a"), std::string::npos) << s.message();
  s = initializeParam(param("n", {4}, Kind::Normal, 0, -1), 0, t);
  EXPECT_NE(s.message().find("negative standard deviation"), std::string::npos)
      << s.message();
  s = initializeParam(param("neg", {-4}, Kind::Zeros), 0, t);
  EXPECT_NE(s.message().find("parameter 'neg'"), std::string::npos)
      << s.message();
}
