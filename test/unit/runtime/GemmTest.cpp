//===- GemmTest.cpp - loom_rt_gemm_f32 against a double reference ---------===//
//
// Every case fills A, B and C (C is accumulated into) with random values in
// buffers laid out by the case (row- or column-major, padded rows,
// broadcast batches, strided C), calls the kernel and checks each addressed
// C element against a double-precision reference:
//   |c - ref| <= tol * (|c0| + sum_k |a b|) + 1e-6,  tol = max(1e-5, K eps)
// (K eps, eps = 2^-24, is the worst-case bound of a K-term float sum and
// only matters for K > 168). Elements of the C buffer the case does not
// address must come back bit-for-bit unchanged. Results must be
// bit-identical for any thread count.
//
//===----------------------------------------------------------------------===//
#include "loom/rt/cpu/Gemm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

namespace {

struct Case {
  int64_t M, N, K;
  bool transA = false, transB = false;  ///< stored K x M / N x K
  int64_t padA = 0, padB = 0, padC = 0; ///< extra elements per stored row
  bool colMajorC = false;
  int64_t stepC = 1; ///< stride between neighbours in C's contiguous dim
  int64_t batch0 = 1, batch1 = 1;
  bool bcastA0 = false, bcastA1 = false, bcastB0 = false, bcastB1 = false;

  std::string str() const {
    std::ostringstream os;
    os << M << "x" << N << "x" << K << (transA ? " At" : "")
       << (transB ? " Bt" : "") << " pad=" << padA << "," << padB << "," << padC
       << (colMajorC ? " Ccol" : "") << " stepC=" << stepC
       << " batch=" << batch0 << "x" << batch1 << " bcast=" << bcastA0
       << bcastA1 << bcastB0 << bcastB1;
    return os.str();
  }
};

/// One operand's strides and buffer size.
struct Layout {
  int64_t sRow, sCol, sB0, sB1, size;
};

/// A rows x cols matrix per batch entry, stored row-major (or transposed)
/// with `pad` extra elements per stored row and `step` between neighbours.
Layout layout(int64_t rows, int64_t cols, bool transposed, int64_t pad,
              int64_t step, const Case &c, bool bcast0, bool bcast1) {
  Layout l;
  int64_t inner = transposed ? rows : cols, outer = transposed ? cols : rows;
  int64_t ld = inner * step + pad;
  l.sRow = transposed ? step : ld;
  l.sCol = transposed ? ld : step;
  int64_t matrix = std::max<int64_t>(1, outer * ld);
  l.sB1 = bcast1 ? 0 : matrix;
  l.sB0 = bcast0 ? 0 : matrix * (bcast1 ? 1 : c.batch1);
  l.size = matrix * (bcast1 ? 1 : c.batch1) * (bcast0 ? 1 : c.batch0);
  return l;
}

std::vector<float> randomVector(int64_t n, std::mt19937 &rng) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(size_t(std::max<int64_t>(n, 1)));
  for (float &x : v)
    x = dist(rng);
  return v;
}

/// C0 + sum_k A(m, k) B(k, n) of batch (b0, b1) in double, and the sum of
/// the magnitudes of its terms (the scale of its rounding error).
std::pair<double, double> referenceSum(const Case &c, const Layout &a,
                                       const Layout &b,
                                       const std::vector<float> &A,
                                       const std::vector<float> &B, float c0,
                                       int64_t b0, int64_t b1, int64_t m,
                                       int64_t n) {
  double ref = c0, mag = std::fabs(ref);
  for (int64_t k = 0; k < c.K; ++k) {
    double p =
        double(A[size_t(b0 * a.sB0 + b1 * a.sB1 + m * a.sRow + k * a.sCol)]) *
        double(B[size_t(b0 * b.sB0 + b1 * b.sB1 + k * b.sRow + n * b.sCol)]);
    ref += p;
    mag += std::fabs(p);
  }
  return {ref, mag};
}

/// Runs the case and checks it; returns C so callers can compare runs.
std::vector<float> runCase(const Case &c, unsigned seed = 1) {
  SCOPED_TRACE(c.str());
  Layout a = layout(c.M, c.K, c.transA, c.padA, 1, c, c.bcastA0, c.bcastA1);
  Layout b = layout(c.K, c.N, c.transB, c.padB, 1, c, c.bcastB0, c.bcastB1);
  Layout o = layout(c.M, c.N, c.colMajorC, c.padC, c.stepC, c, false, false);
  std::mt19937 rng(seed);
  std::vector<float> A = randomVector(a.size, rng),
                     B = randomVector(b.size, rng),
                     C0 = randomVector(o.size, rng);
  std::vector<float> C = C0;
  loom_rt_gemm_f32(A.data(), B.data(), C.data(), c.M, c.N, c.K, a.sRow, a.sCol,
                   b.sRow, b.sCol, o.sRow, o.sCol, c.batch0, a.sB0, b.sB0,
                   o.sB0, c.batch1, a.sB1, b.sB1, o.sB1);

  double tol = std::max(1e-5, double(c.K) * std::ldexp(1.0, -24));
  std::vector<bool> addressed(C.size(), false);
  int failures = 0;
  for (int64_t b0 = 0; b0 < c.batch0; ++b0)
    for (int64_t b1 = 0; b1 < c.batch1; ++b1)
      for (int64_t m = 0; m < c.M; ++m)
        for (int64_t n = 0; n < c.N; ++n) {
          int64_t ci = b0 * o.sB0 + b1 * o.sB1 + m * o.sRow + n * o.sCol;
          addressed[size_t(ci)] = true;
          auto [ref, mag] =
              referenceSum(c, a, b, A, B, C0[size_t(ci)], b0, b1, m, n);
          double err = std::fabs(double(C[size_t(ci)]) - ref);
          if (!(err <= tol * mag + 1e-6) && failures++ < 5)
            ADD_FAILURE() << "C[" << b0 << "," << b1 << "][" << m << "," << n
                          << "] = " << C[size_t(ci)] << ", expected " << ref
                          << " (error " << err << ", bound " << tol * mag + 1e-6
                          << ")";
        }
  for (size_t i = 0; i < C.size(); ++i)
    if (!addressed[i] && std::memcmp(&C[i], &C0[i], sizeof(float)) != 0 &&
        failures++ < 5)
      ADD_FAILURE() << "C buffer element " << i
                    << " is outside the matrix but was written";
  return C;
}

/// Runs each test with a known thread count and restores the default.
class GemmTest : public ::testing::Test {
protected:
  void SetUp() override { loom::rt::setNumThreads(2); }
  void TearDown() override {
    loom::rt::setNumThreads(0);
    loom::rt::setGemmForcePortable(false);
  }
};

TEST_F(GemmTest, SmallShapes) {
  const int64_t sizes[] = {1, 2, 5, 7, 15, 16, 17, 33};
  for (int64_t m : sizes)
    for (int64_t n : sizes)
      for (int64_t k : sizes)
        runCase({m, n, k});
}

TEST_F(GemmTest, LargerShapes) {
  runCase({100, 100, 100});
  runCase({257, 257, 257});
  runCase({257, 33, 100});
  runCase({100, 257, 17});
  runCase({6, 16, 1000});   // several k blocks, one full tile
  runCase({7, 3100, 20});   // more than one B panel (NC)
  runCase({300, 200, 513}); // threaded, uneven k blocks
  runCase({128, 128, 128});
  runCase({120, 120, 600}); // threads share panels over 3 k blocks
}

TEST_F(GemmTest, EmptyProblemsLeaveCUnchanged) {
  runCase({0, 5, 7});
  runCase({5, 0, 7});
  runCase({5, 7, 0});
  runCase({33, 17, 0});
  Case noBatch{4, 4, 4};
  noBatch.batch0 = 0;
  runCase(noBatch);
  noBatch.batch0 = 2;
  noBatch.batch1 = 0;
  runCase(noBatch);
}

TEST_F(GemmTest, TransposedAndPaddedOperands) {
  const int64_t shapes[][3] = {{33, 47, 29}, {100, 257, 65}, {5, 100, 300},
                               {2, 2, 2},    {17, 1, 40},    {1, 17, 40}};
  for (auto &s : shapes)
    for (int t = 0; t < 4; ++t)
      for (int64_t pad : {0, 3}) {
        Case c{s[0], s[1], s[2]};
        c.transA = t & 1;
        c.transB = t & 2;
        c.padA = pad;
        c.padB = 2 * pad;
        c.padC = pad + 1;
        runCase(c);
      }
}

TEST_F(GemmTest, StridedAndColumnMajorC) {
  for (int64_t stepC : {1, 2})
    for (bool colMajor : {false, true})
      for (int t = 0; t < 4; ++t) {
        Case c{37, 45, 23};
        c.transA = t & 1;
        c.transB = t & 2;
        c.colMajorC = colMajor;
        c.stepC = stepC;
        c.padC = 5;
        runCase(c);
        Case v{41, 1, 19};
        v.colMajorC = colMajor;
        v.stepC = stepC;
        runCase(v);
      }
}

/// One column or one row of C: the matrix-vector path, with the vector
/// contiguous or strided and the matrix either way round.
TEST_F(GemmTest, MatrixVector) {
  for (int t = 0; t < 4; ++t)
    for (int64_t k : {1, 7, 8, 9, 30, 100}) {
      Case c{569, 1, k};
      c.transA = t & 1;
      c.transB = t & 2;
      c.padA = t;
      c.padB = 1;
      runCase(c);
      Case r{1, 133, k};
      r.transA = t & 1;
      r.transB = t & 2;
      r.padB = t;
      runCase(r);
    }
  runCase({1, 1, 1000});
  runCase({70000, 1, 40}); // threaded
}

TEST_F(GemmTest, LongK) { runCase({32, 9, 50000}); }

TEST_F(GemmTest, Batches) {
  for (int bc = 0; bc < 5; ++bc) {
    Case c{17, 33, 20};
    c.batch0 = 3;
    c.batch1 = 4;
    c.bcastA0 = bc == 1;
    c.bcastA1 = bc == 2;
    c.bcastB0 = bc == 3;
    c.bcastB1 = bc == 4;
    c.padC = 1;
    runCase(c);
  }
  Case heads{128, 64, 128}; // attention: batch x heads
  heads.batch0 = 2;
  heads.batch1 = 4;
  heads.transB = true;
  runCase(heads);
  Case tiny{8, 8, 8};
  tiny.batch0 = 64;
  tiny.bcastB0 = true;
  runCase(tiny);
  Case odd{150, 140, 130}; // 3 GEMMs: split inside each one
  odd.batch1 = 3;
  odd.bcastA1 = true;
  runCase(odd);
  Case gemv{200, 1, 50};
  gemv.batch0 = 5;
  runCase(gemv);
}

/// Few rows of A (at most 18) and B with contiguous rows: full 16-wide
/// slivers of B are read where B is, only a ragged last sliver is packed.
std::vector<Case> inPlaceBCases() {
  std::vector<Case> cases;
  auto add = [&](Case c) {
    cases.push_back(c);
    return &cases.back();
  };
  // Full slivers only; then ragged last slivers of 4, 1 and 15 columns.
  for (int64_t m : {1, 3, 6, 7, 12, 16, 18})
    for (int64_t n : {16, 64, 100, 97, 111})
      add({m, n, 25});
  // The LeNet shapes (784 = 49 x 16 has no ragged sliver; K = 400 runs
  // as 2 k blocks), a GEMM whose threads share panels (3 k blocks), two B
  // panels (3072 + 28 columns), A read in place too (N <= 32).
  add({6, 784, 25})->batch0 = 8;
  add({16, 100, 150})->batch0 = 8;
  add({6, 196, 400})->transA = true;
  add({16, 100, 16})->transA = true;
  add({18, 90, 600});
  add({6, 3100, 20});
  add({6, 20, 30});
  add({17, 31, 9});
  // Padded rows everywhere; strided C (csC = 2); A transposed with B
  // padded; weights shared over a batch; B shared over batches.
  Case *c = add({16, 100, 150});
  c->padA = 3;
  c->padB = 5;
  c->padC = 7;
  c = add({12, 70, 40});
  c->stepC = 2;
  c->padC = 1;
  c = add({12, 70, 40});
  c->transA = true;
  c->padB = 1;
  c = add({6, 100, 25});
  c->batch0 = 64;
  c->bcastA0 = true;
  c = add({6, 100, 25});
  c->batch0 = 2;
  c->batch1 = 3;
  c->bcastB1 = true;
  return cases;
}

TEST_F(GemmTest, InPlaceB) {
  for (const Case &c : inPlaceBCases())
    runCase(c);
  // Column-major C is computed transposed: B^T is then A^T, read in place
  // when A is transposed and N is small.
  Case t{100, 12, 30};
  t.transA = true;
  t.colMajorC = true;
  runCase(t);
}

/// B read in place gives the same bits as B packed: the top rows of a
/// GEMM with many rows (B packed) against the same rows alone (B read in
/// place), on one thread and on two.
TEST_F(GemmTest, InPlaceBMatchesPackedB) {
  struct Shape {
    int64_t m, n, k;
    bool transA;
  };
  const Shape shapes[] = {{6, 784, 25, false},  {16, 100, 150, false},
                          {6, 196, 400, true},  {16, 100, 16, true},
                          {18, 90, 600, false}, {3, 33, 7, false},
                          {12, 3100, 20, false}};
  constexpr int64_t kBigM = 48; // B packed
  for (bool portable : {false, true})
    for (const Shape &s : shapes) {
      SCOPED_TRACE(::testing::Message()
                   << s.m << "x" << s.n << "x" << s.k << (s.transA ? " At" : "")
                   << (portable ? " portable" : ""));
      loom::rt::setGemmForcePortable(portable);
      std::mt19937 rng(3);
      int64_t ldb = s.n + 3, ldc = s.n + 1;
      std::vector<float> A = randomVector(kBigM * s.k, rng),
                         B = randomVector(s.k * ldb, rng),
                         C0 = randomVector(kBigM * ldc, rng);
      int64_t sAm = s.transA ? 1 : s.k, sAk = s.transA ? kBigM : 1;
      auto gemm = [&](int64_t m, std::vector<float> &C) {
        loom_rt_gemm_f32(A.data(), B.data(), C.data(), m, s.n, s.k, sAm, sAk,
                         ldb, 1, ldc, 1, 1, 0, 0, 0, 1, 0, 0, 0);
      };
      loom::rt::setNumThreads(1);
      std::vector<float> packed = C0;
      gemm(kBigM, packed);
      for (int threads : {1, 2}) {
        loom::rt::setNumThreads(threads);
        std::vector<float> inPlace = C0;
        gemm(s.m, inPlace);
        EXPECT_EQ(std::memcmp(packed.data(), inPlace.data(),
                              size_t(s.m * ldc) * sizeof(float)),
                  0)
            << threads << " threads";
        EXPECT_EQ(std::memcmp(C0.data() + s.m * ldc, inPlace.data() + s.m * ldc,
                              size_t((kBigM - s.m) * ldc) * sizeof(float)),
                  0)
            << "rows past M written";
      }
    }
}

TEST_F(GemmTest, PortableKernels) {
  loom::rt::setGemmForcePortable(true);
  EXPECT_STREQ(loom::rt::gemmKernelName(), "portable");
  runCase({33, 47, 29});
  runCase({100, 257, 65});
  Case t{37, 45, 300};
  t.transA = t.transB = true;
  t.padC = 2;
  runCase(t);
  runCase({569, 1, 30});
  runCase({7, 17, 5});
  for (const Case &c : inPlaceBCases())
    runCase(c);
}

/// The same bits for 1, 2 and 3 threads, on each path: one GEMM split over
/// threads (rows or columns), batches split over threads, matrix-vector.
TEST_F(GemmTest, BitIdenticalForAnyThreadCount) {
  std::vector<Case> cases = {{300, 200, 513}, {12, 2000, 300}, {32, 9, 50000},
                             {128, 128, 128}, {120, 120, 600}, {70000, 1, 40},
                             {1, 3000, 700}};
  Case batched{128, 64, 128};
  batched.batch0 = 4;
  batched.batch1 = 2;
  cases.push_back(batched);
  Case three{150, 140, 130};
  three.batch1 = 3;
  three.transA = true;
  cases.push_back(three);
  // B read in place: batches over threads, one GEMM cut into column
  // tiles, threads sharing a panel (only the ragged sliver packed).
  Case conv{16, 100, 150};
  conv.batch0 = 16;
  cases.push_back(conv);
  cases.push_back({16, 3100, 300});
  cases.push_back({18, 90, 600});
  for (const Case &c : cases) {
    loom::rt::setNumThreads(1);
    std::vector<float> one = runCase(c, 7);
    for (int threads : {2, 3}) {
      loom::rt::setNumThreads(threads);
      std::vector<float> many = runCase(c, 7);
      EXPECT_EQ(std::memcmp(one.data(), many.data(), one.size() * 4), 0)
          << c.str() << ": " << threads << " threads differ from 1";
    }
  }
}

/// Epilogues (loom_rt_gemm_f32_ep) against the double reference
///   v = alpha * (C0 + sum_k a b) + D,  C = act(v) (or C = v, O = act(v)).
enum class Bias { None, Row, Column, Full };
struct EpCase {
  Case c;
  Bias bias = Bias::None;
  float alpha = 1.0f;
  int64_t act = 0;
  bool second = false; ///< C = v, O = act(v)
};

/// Runs the case; returns C followed by O (if any) for comparisons.
std::vector<float> runEpCase(const EpCase &e, unsigned seed = 1) {
  const Case &c = e.c;
  SCOPED_TRACE(c.str() + " bias=" + std::to_string(int(e.bias)) + " alpha=" +
               std::to_string(e.alpha) + " act=" + std::to_string(e.act) +
               (e.second ? " second output" : ""));
  Layout a = layout(c.M, c.K, c.transA, c.padA, 1, c, c.bcastA0, c.bcastA1);
  Layout b = layout(c.K, c.N, c.transB, c.padB, 1, c, c.bcastB0, c.bcastB1);
  Layout o = layout(c.M, c.N, c.colMajorC, c.padC, c.stepC, c, false, false);
  Layout r = layout(c.M, c.N, false, 0, 1, c, false, false);
  std::mt19937 rng(seed);
  std::vector<float> A = randomVector(a.size, rng),
                     B = randomVector(b.size, rng),
                     C0 = randomVector(o.size, rng);
  // D: a bias along rows (one value per column n), along columns (one per
  // row m), or a full residual; shared by all batches except the residual.
  int64_t sDm = 0, sDn = 0, sDb0 = 0, sDb1 = 0;
  std::vector<float> D;
  switch (e.bias) {
  case Bias::None:
    break;
  case Bias::Row:
    D = randomVector(c.N, rng);
    sDn = 1;
    break;
  case Bias::Column:
    D = randomVector(c.M, rng);
    sDm = 1;
    break;
  case Bias::Full:
    D = randomVector(r.size, rng);
    sDm = r.sRow, sDn = r.sCol, sDb0 = r.sB0, sDb1 = r.sB1;
    break;
  }
  std::vector<float> O(e.second ? size_t(std::max<int64_t>(r.size, 1)) : 0,
                       -7.0f);
  std::vector<float> C = C0;
  loom_rt_gemm_f32_ep(A.data(), B.data(), C.data(), c.M, c.N, c.K, a.sRow,
                      a.sCol, b.sRow, b.sCol, o.sRow, o.sCol, c.batch0, a.sB0,
                      b.sB0, o.sB0, c.batch1, a.sB1, b.sB1, o.sB1,
                      D.empty() ? nullptr : D.data(), sDm, sDn, sDb0, sDb1,
                      e.second ? O.data() : nullptr, r.sRow, r.sCol, r.sB0,
                      r.sB1, e.alpha, e.act);

  double tol = std::max(1e-5, double(c.K) * std::ldexp(1.0, -24));
  auto act = [&](double v) { return e.act == 1 ? std::max(v, 0.0) : v; };
  std::vector<bool> addressed(C.size(), false);
  int failures = 0;
  auto check = [&](const char *what, float got, double ref, double bound) {
    double err = std::fabs(double(got) - ref);
    if (!(err <= bound) && failures++ < 5)
      ADD_FAILURE() << what << " = " << got << ", expected " << ref
                    << " (error " << err << ", bound " << bound << ")";
  };
  for (int64_t b0 = 0; b0 < c.batch0; ++b0)
    for (int64_t b1 = 0; b1 < c.batch1; ++b1)
      for (int64_t m = 0; m < c.M; ++m)
        for (int64_t n = 0; n < c.N; ++n) {
          int64_t ci = b0 * o.sB0 + b1 * o.sB1 + m * o.sRow + n * o.sCol;
          addressed[size_t(ci)] = true;
          auto [ref, mag] =
              referenceSum(c, a, b, A, B, C0[size_t(ci)], b0, b1, m, n);
          ref *= e.alpha;
          mag *= std::fabs(e.alpha);
          if (!D.empty()) {
            double d = D[size_t(b0 * sDb0 + b1 * sDb1 + m * sDm + n * sDn)];
            ref += d;
            mag += std::fabs(d);
          }
          double bound = tol * mag + 1e-6;
          if (e.second) {
            check("C", C[size_t(ci)], ref, bound);
            check("O",
                  O[size_t(b0 * r.sB0 + b1 * r.sB1 + m * r.sRow + n * r.sCol)],
                  act(ref), bound);
          } else {
            check("C", C[size_t(ci)], act(ref), bound);
          }
        }
  for (size_t i = 0; i < C.size(); ++i)
    if (!addressed[i] && std::memcmp(&C[i], &C0[i], sizeof(float)) != 0 &&
        failures++ < 5)
      ADD_FAILURE() << "C buffer element " << i
                    << " is outside the matrix but was written";
  C.insert(C.end(), O.begin(), O.end());
  return C;
}

/// Shapes that take each path: micro-kernel tiles with ragged edges, K over
/// several k blocks, matrix-vector (one column, one row), A read in place
/// (few columns), B read in place (few rows), shared panels (128^3 on
/// threads), batches (one broadcast), strided and column-major C.
std::vector<Case> epilogueShapes() {
  std::vector<Case> shapes = {{33, 47, 29},   {37, 45, 600}, {64, 1, 70},
                              {1, 70, 64},    {50, 20, 40},  {12, 100, 300},
                              {128, 128, 128}};
  Case batched{20, 30, 40};
  batched.batch0 = 3;
  batched.batch1 = 2;
  batched.bcastB1 = true;
  shapes.push_back(batched);
  Case strided{25, 19, 33};
  strided.padC = 3;
  strided.stepC = 2;
  shapes.push_back(strided);
  Case col{40, 35, 20};
  col.colMajorC = true;
  shapes.push_back(col);
  return shapes;
}

TEST_F(GemmTest, Epilogues) {
  for (const Case &c : epilogueShapes()) {
    runEpCase({c});
    runEpCase({c, Bias::Row});
    runEpCase({c, Bias::Column});
    runEpCase({c, Bias::Full});
    runEpCase({c, Bias::None, 1.0f, 1});
    runEpCase({c, Bias::Row, 1.0f, 1});
    runEpCase({c, Bias::Full, 0.125f, 1});
    runEpCase({c, Bias::None, -3.0f});
    runEpCase({c, Bias::Row, 1.0f, 1, true});
    runEpCase({c, Bias::Column, 0.5f, 0, true});
  }
}

TEST_F(GemmTest, EpilogueWithoutK) {
  Case c{5, 7, 0};
  runEpCase({c, Bias::Row, 2.0f, 1});
  runEpCase({c, Bias::Full, 1.0f, 1, true});
}

/// alpha = 1 and act = 0 without D leave C exactly as the plain GEMM does,
/// and relu(c + d) is exactly what a pointwise pass after the GEMM computes.
TEST_F(GemmTest, EpilogueMatchesSeparatePass) {
  Case c{37, 45, 600};
  std::vector<float> plain = runCase(c, 3);
  std::vector<float> ep = runEpCase({c}, 3);
  EXPECT_EQ(std::memcmp(plain.data(), ep.data(), plain.size() * 4), 0);
  std::mt19937 rng(3);
  std::vector<float> A = randomVector(c.M * c.K, rng),
                     B = randomVector(c.K * c.N, rng),
                     C = randomVector(c.M * c.N, rng),
                     D = randomVector(c.N, rng);
  std::vector<float> fused = C;
  loom_rt_gemm_f32(A.data(), B.data(), C.data(), c.M, c.N, c.K, c.K, 1, c.N, 1,
                   c.N, 1, 1, 0, 0, 0, 1, 0, 0, 0);
  for (int64_t m = 0; m < c.M; ++m)
    for (int64_t n = 0; n < c.N; ++n) {
      float v = C[size_t(m * c.N + n)] + D[size_t(n)];
      C[size_t(m * c.N + n)] = v > 0.0f ? v : 0.0f;
    }
  loom_rt_gemm_f32_ep(A.data(), B.data(), fused.data(), c.M, c.N, c.K, c.K, 1,
                      c.N, 1, c.N, 1, 1, 0, 0, 0, 1, 0, 0, 0, D.data(), 0, 1, 0,
                      0, nullptr, 0, 0, 0, 0, 1.0f, 1);
  EXPECT_EQ(std::memcmp(C.data(), fused.data(), C.size() * 4), 0);
}

/// The same bits for 1, 2 and 3 threads with an epilogue.
TEST_F(GemmTest, EpilogueBitIdenticalForAnyThreadCount) {
  std::vector<Case> cases = epilogueShapes();
  cases.push_back({300, 200, 513});
  cases.push_back({16, 3100, 300});
  for (const Case &c : cases) {
    EpCase e{c, Bias::Row, 0.75f, 1, true};
    loom::rt::setNumThreads(1);
    std::vector<float> one = runEpCase(e, 9);
    for (int threads : {2, 3}) {
      loom::rt::setNumThreads(threads);
      std::vector<float> many = runEpCase(e, 9);
      EXPECT_EQ(std::memcmp(one.data(), many.data(), one.size() * 4), 0)
          << c.str() << ": " << threads << " threads differ from 1";
    }
  }
}

/// Two threads calling at once: one gets the pool, the other runs alone;
/// both must be right.
TEST_F(GemmTest, ConcurrentCallers) {
  auto work = [](unsigned seed) {
    for (int i = 0; i < 5; ++i)
      runCase({200, 150, 300}, seed + i);
  };
  std::thread other(work, 100);
  work(200);
  other.join();
}

} // namespace
