//===- Gemm.cpp - loom_rt_gemm_f32: blocked, packed, threaded SGEMM -------===//
//
// The GotoBLAS/BLIS loop nest around a 6x16 micro-kernel:
//
//   for jc in N by NC:        a panel of B, KC x NC, packed into 16-wide
//     for pc in K by KC:        column slivers (lives in L3)
//       pack B panel
//       for ic in M by MC:    a block of A, MC x KC, packed into 6-tall row
//         pack A block          slivers (lives in L2)
//         for jr in NC by 16:   one B sliver, KC x 16 (lives in L1)
//           for ir in MC by 6:  micro-kernel: C tile 6x16 += A sliver * B
//
// Packing turns any strides (transposed, padded, broadcast operands) into
// the unit-stride slivers the micro-kernel streams, so layout costs only the
// packing. Small problems avoid that cost where it would dominate: a GEMM
// with one column or one row is a matrix-vector product with its own
// kernel, with few columns of B the A block is read in place, and with few
// rows of A the rows of B are (full 16-wide slivers straight from B, only a
// ragged last sliver packed).
//
// Threads: work is cut into units that depend only on the problem's shape,
// and threads claim units as they come (ThreadPool.h), so each C element is
// summed by one thread in the same order for any thread count (results are
// bit-identical) and a thread that does not get a core on a busy machine
// holds nothing up. Mostly C is cut into tiles that are whole GEMMs, one
// thread each, cut where that packs the least again; where tiles would
// pack too much again (GEMMs of middling size such as 128^3), threads
// share each packed B panel BLIS-style and take blocks of C rows against
// it. Work under kParallelFlops stays on the caller.
//
//===----------------------------------------------------------------------===//
#include "loom/rt/cpu/Gemm.h"

#include "GemmKernels.h"
#include "ThreadPool.h"

#include <algorithm>
#include <atomic>
#include <new>
#include <utility>

namespace loom::rt::detail {
namespace {

// Blocking for AMD Zen 3 (this project's build machine: 32 KiB L1d and
// 512 KiB L2 per core, 32 MiB shared L3) that also suits Haswell-class
// Intel cores (32 KiB L1d, 256 KiB-1 MiB L2):
//  - KC = 256: a B sliver (256 x 16 floats = 16 KiB) stays in L1 next to the
//    A sliver it meets (6 x 256 floats = 6 KiB) while the kernel sweeps the
//    A block.
//  - MC = 144: the packed A block (144 x 256 floats = 144 KiB) stays in L2
//    with room for the B slivers streaming through; a multiple of kMR.
//  - NC = 3072: the packed B panel (256 x 3072 floats = 3 MiB) stays in
//    L3; a multiple of kNR.
constexpr int64_t kKC = 256;
constexpr int64_t kMC = 144;
constexpr int64_t kNC = 3072;

/// A is read in place (not packed) when B has at most this many columns:
/// the packed block would then serve at most this many / kNR slivers, too
/// few to repay the copy. Only for A with a unit stride.
constexpr int64_t kInPlaceAMaxN = 2 * kNR;

/// B is read in place (not packed) when its rows are contiguous (sBn = 1)
/// and A has at most this many rows (3 slivers): each element of a packed
/// B sliver would serve at most 3 micro-kernel calls, too few to repay the
/// copy, while a sliver read in place stays in L1 for the calls after the
/// first (the kernel prefetches its rows). Both ways sum the same products
/// in the same order, so this choice changes speed, never results.
/// Measured on Zen 3 (one thread, B read in place against packed): 1.5-2x
/// faster for 6 rows, 1.15-1.6x for 12-18 rows (16 x 100 x 150 batch 64:
/// 1.18x, 18 x 3000 x 256: 1.31x), except 16-18 x 512 x 256 (even); from
/// 24 rows packing wins for K = 256 (24 x 512 x 256: 0.90x, 36: 0.81x).
constexpr int64_t kInPlaceBMaxM = 3 * kMR;

std::atomic<bool> forcePortable{false};

const GemmKernels &kernels() {
  static const GemmKernels *best = []() -> const GemmKernels * {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
      if (const GemmKernels *k = avx2GemmKernels())
        return k;
#endif
    return &genericGemmKernels();
  }();
  return forcePortable.load(std::memory_order_relaxed) ? genericGemmKernels()
                                                       : *best;
}

//===----------------------------------------------------------------------===//
// Workspace
//===----------------------------------------------------------------------===//

/// A 64-byte aligned float buffer that only grows.
class AlignedBuffer {
public:
  AlignedBuffer() = default;
  AlignedBuffer(const AlignedBuffer &) = delete;
  AlignedBuffer &operator=(const AlignedBuffer &) = delete;
  ~AlignedBuffer() { release(); }

  float *get(size_t floats) {
    if (floats > capacity_) {
      release();
      data_ = static_cast<float *>(
          ::operator new(floats * sizeof(float), std::align_val_t(64)));
      capacity_ = floats;
    }
    return data_;
  }

private:
  void release() {
    if (data_)
      ::operator delete(data_, std::align_val_t(64));
    data_ = nullptr;
    capacity_ = 0;
  }
  float *data_ = nullptr;
  size_t capacity_ = 0;
};

/// Each thread's packing buffers. The B panel of a threaded GEMM is the
/// calling thread's, shared with the workers for that call.
struct Workspace {
  AlignedBuffer a, b, x;
  AlignedBuffer extra[4]; ///< threadScratch's, for other drivers
};
thread_local Workspace workspace;

//===----------------------------------------------------------------------===//
// One GEMM on one thread
//===----------------------------------------------------------------------===//

/// What loom_rt_gemm_f32_ep does to each C element after its last k block
/// (see Gemm.h); `on` false for plain loom_rt_gemm_f32.
struct Epilogue {
  bool on = false;
  const float *D = nullptr;
  int64_t sDm = 0, sDn = 0;
  float *O = nullptr;
  int64_t sOm = 0, sOn = 0;
  float alpha = 1.0f;
  int64_t act = 0;

  /// The same epilogue for the sub-matrix whose (0, 0) is (m, n).
  Epilogue at(int64_t m, int64_t n) const {
    Epilogue e = *this;
    if (D)
      e.D += m * sDm + n * sDn;
    if (O)
      e.O += m * sOm + n * sOn;
    return e;
  }
};

struct Gemm {
  const float *A, *B;
  float *C;
  int64_t M, N, K;
  int64_t sAm, sAk, sBk, sBn, sCm, sCn;
  Epilogue ep;
};

/// arith.maximumf(v, 0): NaN stays NaN, -0 becomes +0. Branch-free (`|`,
/// not `||`): the sign of a pre-activation is a coin toss, and a branch on
/// it mispredicts half the time (it made the epilogue a quarter of an MLP's
/// forward pass); this way the loops below vectorize.
inline float activate(float v, int64_t act) {
  if (act != 1)
    return v;
  bool keep = (v > 0.0f) | (v != v);
  return keep ? v : 0.0f;
}

/// How a row of D is read: absent, contiguous, one value (a bias along
/// columns: sDn = 0), strided.
enum DMode { kNoD, kContiguousD, kBroadcastD, kStridedD };

/// One row of the epilogue for contiguous C (and O): n elements.
template <bool Scale, int Mode, int64_t Act, bool Second>
void epilogueRow(float *__restrict c, const float *__restrict d, int64_t sDn,
                 float *__restrict o, int64_t n, float alpha) {
  for (int64_t j = 0; j < n; ++j) {
    float v = c[j];
    if constexpr (Scale)
      v = v * alpha;
    if constexpr (Mode == kContiguousD)
      v = v + d[j];
    else if constexpr (Mode == kBroadcastD)
      v = v + d[0];
    else if constexpr (Mode == kStridedD)
      v = v + d[j * sDn];
    float r = activate(v, Act);
    if constexpr (Second) {
      c[j] = v;
      o[j] = r;
    } else {
      c[j] = r;
    }
  }
}

using EpilogueRowFn = void (*)(float *, const float *, int64_t, float *,
                               int64_t, float);

template <bool Scale, int Mode>
EpilogueRowFn pickRow(int64_t act, bool second) {
  if (act == 1)
    return second ? &epilogueRow<Scale, Mode, 1, true>
                  : &epilogueRow<Scale, Mode, 1, false>;
  return second ? &epilogueRow<Scale, Mode, 0, true>
                : &epilogueRow<Scale, Mode, 0, false>;
}

template <bool Scale>
EpilogueRowFn pickRow(int mode, int64_t act, bool second) {
  switch (mode) {
  case kNoD:
    return pickRow<Scale, kNoD>(act, second);
  case kContiguousD:
    return pickRow<Scale, kContiguousD>(act, second);
  case kBroadcastD:
    return pickRow<Scale, kBroadcastD>(act, second);
  default:
    return pickRow<Scale, kStridedD>(act, second);
  }
}

/// Applies g's epilogue to C[m0:m0+rows, n0:n0+cols] (C holds the full
/// sums). Separate statements: no multiply-add is contracted, so this
/// rounds like the pointwise kernel it replaces.
void applyEpilogue(const Gemm &g, int64_t m0, int64_t n0, int64_t rows,
                   int64_t cols) {
  const Epilogue &e = g.ep;
  const bool scale = e.alpha != 1.0f;
  if (g.sCn == 1 && (!e.O || e.sOn == 1)) {
    int mode = !e.D         ? kNoD
               : e.sDn == 1 ? kContiguousD
               : e.sDn == 0 ? kBroadcastD
                            : kStridedD;
    EpilogueRowFn row = scale ? pickRow<true>(mode, e.act, e.O != nullptr)
                              : pickRow<false>(mode, e.act, e.O != nullptr);
    for (int64_t i = m0; i < m0 + rows; ++i)
      row(g.C + i * g.sCm + n0, e.D ? e.D + i * e.sDm + n0 * e.sDn : nullptr,
          e.sDn, e.O ? e.O + i * e.sOm + n0 : nullptr, cols, e.alpha);
    return;
  }
  for (int64_t i = m0; i < m0 + rows; ++i) {
    float *c = g.C + i * g.sCm + n0 * g.sCn;
    const float *d = e.D ? e.D + i * e.sDm + n0 * e.sDn : nullptr;
    float *o = e.O ? e.O + i * e.sOm + n0 * e.sOn : nullptr;
    for (int64_t j = 0; j < cols; ++j) {
      float v = c[j * g.sCn];
      if (scale)
        v = v * e.alpha;
      if (d)
        v = v + d[j * e.sDn];
      if (o) {
        c[j * g.sCn] = v;
        o[j * e.sOn] = activate(v, e.act);
      } else {
        c[j * g.sCn] = activate(v, e.act);
      }
    }
  }
}

/// Splits `len` into equal blocks of at most `max`, rounded up to a
/// multiple of `unit`: fewer ragged edge blocks than fixed-size blocking.
int64_t balancedBlock(int64_t len, int64_t max, int64_t unit) {
  int64_t blocks = ceilDiv(len, max);
  return std::min(max, ceilDiv(ceilDiv(len, blocks), unit) * unit);
}

/// Block sizes of one GEMM; they depend on its shape only, never on the
/// thread count, so every thread count sums the same k blocks.
struct Plan {
  int64_t kc; ///< k block: equal blocks, K = 300 runs as 150 + 150
  int64_t nc; ///< columns per B panel
  bool packA;
  /// Full kNR-wide slivers of B are read where B is (sBn = 1), only a
  /// ragged last sliver is packed.
  bool bInPlace;
  int64_t panelFloats; ///< one packed B panel
  int64_t kSteps, panels;
};

Plan makePlan(const Gemm &g) {
  Plan p;
  p.kc = ceilDiv(g.K, ceilDiv(g.K, kKC));
  p.nc = std::min(kNC, g.N);
  p.packA = !(g.N <= kInPlaceAMaxN && (g.sAk == 1 || g.sAm == 1));
  p.bInPlace = g.sBn == 1 && g.M <= kInPlaceBMaxM && g.N >= kNR;
  // Read in place, the panel holds just the ragged last sliver.
  p.panelFloats = p.kc * (p.bInPlace ? kNR : ceilDiv(p.nc, kNR) * kNR);
  p.kSteps = ceilDiv(g.K, p.kc);
  p.panels = ceilDiv(g.N, p.nc);
  return p;
}

float *aBuffer() { return workspace.a.get(size_t(kMC * kKC + kPackSlack)); }

/// Packs slivers [j0, j1) of the B panel at (pc, jc) (kc x nc) into their
/// places in `panel`. With B read in place only a ragged last sliver is
/// packed, at the start of `panel`.
void packPanel(const GemmKernels &ks, const Gemm &g, const Plan &p, int64_t j0,
               int64_t j1, int64_t jc, int64_t nc, int64_t pc, int64_t kc,
               float *panel) {
  int64_t n0 = j0 * kNR, n1 = std::min(nc, j1 * kNR);
  float *dst = panel + n0 * kc;
  if (p.bInPlace) {
    n0 = std::max(n0, nc / kNR * kNR);
    dst = panel;
  }
  if (n1 > n0)
    ks.packB(kc, n1 - n0, g.B + pc * g.sBk + (jc + n0) * g.sBn, g.sBk, g.sBn,
             dst);
}

/// C[m0:m1, slivers j0:j1 of the panel at jc] += A[m0:m1, pc:pc+kc] * the
/// panel (kc x nc; packed by packPanel): A in blocks of at most kMC rows,
/// packed into `aBuf` or read in place, each block swept over the B
/// slivers.
void computeBlock(const GemmKernels &ks, const Gemm &g, const Plan &p,
                  int64_t m0, int64_t m1, int64_t j0, int64_t j1, int64_t jc,
                  int64_t nc, int64_t pc, int64_t kc, const float *panel,
                  float *aBuf) {
  if (m1 <= m0)
    return;
  int64_t mcStep = balancedBlock(m1 - m0, kMC, kMR);
  const bool lastK = g.ep.on && pc + kc == g.K;
  for (int64_t ic = m0; ic < m1; ic += mcStep) {
    int64_t mc = std::min(mcStep, m1 - ic);
    const float *aBlock = g.A + ic * g.sAm + pc * g.sAk;
    if (p.packA)
      ks.packA(mc, kc, aBlock, g.sAm, g.sAk, aBuf);
    for (int64_t jr = j0; jr < j1; ++jr) {
      int nr = int(std::min<int64_t>(kNR, nc - jr * kNR));
      const float *bSliver = panel + jr * kc * kNR;
      int64_t ldb = kNR;
      if (p.bInPlace) {
        bSliver = nr == kNR ? g.B + pc * g.sBk + jc + jr * kNR : panel;
        ldb = nr == kNR ? g.sBk : kNR;
      }
      float *cBlock = g.C + ic * g.sCm + (jc + jr * kNR) * g.sCn;
      for (int64_t ir = 0; ir < mc; ir += kMR) {
        int mr = int(std::min<int64_t>(kMR, mc - ir));
        float *cTile = cBlock + ir * g.sCm;
        if (p.packA)
          ks.packedA(kc, aBuf + ir * kc, 1, kMR, bSliver, ldb, cTile, g.sCm,
                     g.sCn, mr, nr);
        else
          ks.stridedA(kc, aBlock + ir * g.sAm, g.sAm, g.sAk, bSliver, ldb,
                      cTile, g.sCm, g.sCn, mr, nr);
        // The tile's last k block: finish it while it is in L1.
        if (lastK)
          applyEpilogue(g, ic + ir, jc + jr * kNR, mr, nr);
      }
    }
  }
}

bool isGemv(const Gemm &g) { return g.N == 1 || g.M == 1; }

/// A GEMM with one column (or one row) of C, as a matrix-vector product.
void runGemv(const GemmKernels &ks, const Gemm &g) {
  const float *v = g.N == 1 ? g.B : g.A;
  int64_t stride = g.N == 1 ? g.sBk : g.sAk;
  if (stride != 1) {
    float *x = workspace.x.get(size_t(g.K));
    for (int64_t k = 0; k < g.K; ++k)
      x[k] = v[k * stride];
    v = x;
  }
  if (g.N == 1)
    ks.gemv(g.M, g.K, g.A, g.sAm, g.sAk, v, g.C, g.sCm);
  else // M == 1: C row = A row * B, i.e. C^T = B^T A^T
    ks.gemv(g.N, g.K, g.B, g.sBn, g.sBk, v, g.C, g.sCn);
  if (g.ep.on)
    applyEpilogue(g, 0, 0, g.M, g.N);
}

/// The whole GEMM on the calling thread, with its own packing buffers.
void runSerial(const GemmKernels &ks, const Gemm &g) {
  if (isGemv(g))
    return runGemv(ks, g);
  Plan p = makePlan(g);
  float *panel = workspace.b.get(size_t(p.panelFloats));
  float *aBuf = p.packA ? aBuffer() : nullptr;
  for (int64_t jc = 0; jc < g.N; jc += p.nc) {
    int64_t nc = std::min(p.nc, g.N - jc);
    for (int64_t pc = 0; pc < g.K; pc += p.kc) {
      int64_t kc = std::min(p.kc, g.K - pc);
      int64_t slivers = ceilDiv(nc, kNR);
      packPanel(ks, g, p, 0, slivers, jc, nc, pc, kc, panel);
      computeBlock(ks, g, p, 0, g.M, 0, slivers, jc, nc, pc, kc, panel, aBuf);
    }
  }
}

//===----------------------------------------------------------------------===//
// Threads
//===----------------------------------------------------------------------===//

/// Even cuts of `slivers` (of `unit` elements, `len` in all) into `parts`:
/// the element range of part i.
std::pair<int64_t, int64_t> cut(int64_t len, int64_t unit, int64_t parts,
                                int64_t i) {
  int64_t slivers = ceilDiv(len, unit);
  return {std::min(len, unit * (slivers * i / parts)),
          std::min(len, unit * (slivers * (i + 1) / parts))};
}

/// C cut into independent tiles, each a whole GEMM (all of K) for one
/// thread: no panel is shared, so no thread waits for another, but each
/// row cut packs B again and each column cut packs A again.
struct Tiles {
  int64_t mParts = 1, nParts = 1;
  int64_t count() const { return mParts * nParts; }

  /// Of the cuts into `wanted` tiles (or as many as there are slivers),
  /// the one that packs the least again.
  Tiles(const Gemm &g, int64_t wanted) {
    int64_t mMax = ceilDiv(g.M, kMR), nMax = ceilDiv(g.N, kNR);
    int64_t target = std::min(wanted, mMax * nMax);
    double best = -1;
    for (int64_t m = 1; m <= std::min(mMax, wanted); ++m) {
      int64_t n = std::min(nMax, ceilDiv(wanted, m));
      double repack = double(m - 1) * double(g.N) + double(n - 1) * double(g.M);
      if (m * n >= target && (best < 0 || repack < best)) {
        best = repack;
        mParts = m;
        nParts = n;
      }
    }
  }
  /// The time spent packing again relative to the multiply-adds, roughly
  /// (a packed element costs ~0.3 cycles, a core does 16 FMAs a cycle).
  double repackCost(const Gemm &g) const {
    double repack =
        double(mParts - 1) * double(g.N) + double(nParts - 1) * double(g.M);
    return 0.3 * repack / (double(g.M) * double(g.N) / 16.0);
  }
  Gemm tile(const Gemm &g, int64_t i) const {
    auto [m0, m1] = cut(g.M, kMR, mParts, i / nParts);
    auto [n0, n1] = cut(g.N, kNR, nParts, i % nParts);
    Gemm t = g;
    t.A += m0 * g.sAm;
    t.B += n0 * g.sBn;
    t.C += m0 * g.sCm + n0 * g.sCn;
    t.ep = g.ep.at(m0, n0);
    t.M = m1 - m0;
    t.N = n1 - n0;
    return t;
  }
};

/// One large GEMM on several threads, the BLIS way: per step (one B panel
/// by one k block) the threads first pack the panel together, then compute
/// C blocks against it. A step's units wait for the previous step's (the
/// panel buffer is reused, and C blocks must add k blocks in order), but
/// only for units actually claimed: a thread that never gets a core holds
/// nothing up.
void runSharedPanels(const GemmKernels &ks, const Gemm &g, int threads) {
  Plan p = makePlan(g);
  // About four units per thread and phase, so whoever is running can take
  // up the slack; C blocks at most kMC rows, columns cut only when rows
  // run out (each column cut packs the same rows of A again).
  int64_t wanted = 4 * threads;
  int64_t panelSlivers = ceilDiv(p.nc, kNR);
  // With B read in place one unit packs the ragged last sliver, if any.
  int64_t packUnits = p.bInPlace ? 1 : std::min(panelSlivers, wanted);
  int64_t mParts =
      std::min(ceilDiv(g.M, kMR), std::max(ceilDiv(g.M, kMC), wanted));
  int64_t nParts =
      std::min(std::max<int64_t>(1, panelSlivers / 4), ceilDiv(wanted, mParts));
  int64_t perStep = packUnits + mParts * nParts;
  WorkQueue queue(perStep * p.kSteps * p.panels);
  float *panel = workspace.b.get(size_t(p.panelFloats)); // the caller's

  auto work = [&](int) {
    float *aBuf = p.packA ? aBuffer() : nullptr; // this thread's
    for (int64_t i; (i = queue.claim()) >= 0; queue.finish()) {
      int64_t step = i / perStep, unit = i % perStep;
      int64_t jc = (step / p.kSteps) * p.nc, pc = (step % p.kSteps) * p.kc;
      int64_t nc = std::min(p.nc, g.N - jc), kc = std::min(p.kc, g.K - pc);
      int64_t slivers = ceilDiv(nc, kNR);
      if (unit < packUnits) {
        queue.waitFinished(step * perStep);
        int64_t j0 = slivers * unit / packUnits,
                j1 = slivers * (unit + 1) / packUnits;
        packPanel(ks, g, p, j0, j1, jc, nc, pc, kc, panel);
        continue;
      }
      queue.waitFinished(step * perStep + packUnits);
      int64_t c = unit - packUnits;
      auto [m0, m1] = cut(g.M, kMR, mParts, c / nParts);
      int64_t s0 = slivers * (c % nParts) / nParts,
              s1 = slivers * (c % nParts + 1) / nParts;
      computeBlock(ks, g, p, m0, m1, s0, s1, jc, nc, pc, kc, panel, aBuf);
    }
  };
  ThreadPool::instance().run(threads, work);
}

/// Threads take tiles unless that packs more than this much again (see
/// Tiles::repackCost); then they share packed panels (runSharedPanels),
/// where a k block holds at least kSharedPanelFmas multiply-adds (less
/// does not repay the synchronization). Measured on 2 Zen 3 cores, tiles
/// were as fast or faster (no waiting, no reading what the other core
/// packed) from 256^3 up and for few rows (4 x 1000 x 512, +9%); shared
/// panels win at 128^3, where 2 x 2 tiles would pack 7.5% again.
constexpr double kMaxRepackCost = 0.05;
constexpr double kSharedPanelFmas = double(1 << 18);

double stepFmas(const Gemm &g) {
  return double(g.M) * double(std::min(g.N, kNC)) * double(std::min(g.K, kKC));
}

} // namespace

} // namespace loom::rt::detail

using namespace loom::rt::detail;

namespace {

/// Batch strides of the epilogue's D and O (the rest is in Epilogue).
struct EpilogueBatch {
  int64_t sDb0 = 0, sDb1 = 0, sOb0 = 0, sOb1 = 0;
};

void gemm(const float *A, const float *B, float *C, int64_t M, int64_t N,
          int64_t K, int64_t sAm, int64_t sAk, int64_t sBk, int64_t sBn,
          int64_t sCm, int64_t sCn, int64_t batch0, int64_t sAb0, int64_t sBb0,
          int64_t sCb0, int64_t batch1, int64_t sAb1, int64_t sBb1,
          int64_t sCb1, Epilogue ep, EpilogueBatch eb) {
  if (M <= 0 || N <= 0 || batch0 <= 0 || batch1 <= 0)
    return;
  if (K <= 0) {
    // Nothing to add, but the epilogue still applies.
    if (ep.on)
      for (int64_t b0 = 0; b0 < batch0; ++b0)
        for (int64_t b1 = 0; b1 < batch1; ++b1) {
          Gemm g{A,   B,   C + b0 * sCb0 + b1 * sCb1,
                 M,   N,   K,
                 sAm, sAk, sBk,
                 sBn, sCm, sCn,
                 ep};
          if (ep.D)
            g.ep.D += b0 * eb.sDb0 + b1 * eb.sDb1;
          if (ep.O)
            g.ep.O += b0 * eb.sOb0 + b1 * eb.sOb1;
          applyEpilogue(g, 0, 0, M, N);
        }
    return;
  }
  // The kernels write rows of C with vector stores; a column-major C is
  // the transposed product C^T = B^T A^T with row-major C^T. Each element
  // sums the same products in the same order, so nothing changes but speed.
  if (sCn != 1 && sCm == 1) {
    std::swap(A, B);
    std::swap(M, N);
    std::swap(sAb0, sBb0);
    std::swap(sAb1, sBb1);
    std::swap(sCm, sCn);
    std::swap(ep.sDm, ep.sDn);
    std::swap(ep.sOm, ep.sOn);
    int64_t oldSAm = sAm, oldSAk = sAk;
    sAm = sBn;
    sAk = sBk;
    sBk = oldSAk;
    sBn = oldSAm;
  }
  const GemmKernels &ks = kernels();
  int64_t batches = batch0 * batch1;
  auto gemmAt = [&](int64_t t) {
    int64_t b0 = t / batch1, b1 = t % batch1;
    Epilogue e = ep;
    if (e.D)
      e.D += b0 * eb.sDb0 + b1 * eb.sDb1;
    if (e.O)
      e.O += b0 * eb.sOb0 + b1 * eb.sOb1;
    return Gemm{A + b0 * sAb0 + b1 * sAb1,
                B + b0 * sBb0 + b1 * sBb1,
                C + b0 * sCb0 + b1 * sCb1,
                M,
                N,
                K,
                sAm,
                sAk,
                sBk,
                sBn,
                sCm,
                sCn,
                e};
  };

  double flopsEach = 2.0 * double(M) * double(N) * double(K);
  int threads = ThreadPool::instance().numThreads();
  if (flopsEach * double(batches) < kParallelFlops)
    threads = 1;
  if (threads == 1) {
    for (int64_t t = 0; t < batches; ++t)
      runSerial(ks, gemmAt(t));
    return;
  }
  // Threads take whole tiles of C, each GEMM cut into enough tiles for
  // about two per thread, unless that packs much again (a few GEMMs of
  // middling size): then they share packed panels within each GEMM.
  Gemm first = gemmAt(0);
  Tiles tiles(first, ceilDiv(2 * threads, batches));
  if (batches < 2 * threads && !isGemv(first) &&
      tiles.repackCost(first) > kMaxRepackCost &&
      stepFmas(first) >= kSharedPanelFmas) {
    for (int64_t t = 0; t < batches; ++t)
      runSharedPanels(ks, gemmAt(t), threads);
    return;
  }
  parallelFor(threads, batches * tiles.count(), [&](int64_t i) {
    runSerial(ks, tiles.tile(gemmAt(i / tiles.count()), i % tiles.count()));
  });
}

} // namespace

extern "C" void loom_rt_gemm_f32(const float *A, const float *B, float *C,
                                 int64_t M, int64_t N, int64_t K, int64_t sAm,
                                 int64_t sAk, int64_t sBk, int64_t sBn,
                                 int64_t sCm, int64_t sCn, int64_t batch0,
                                 int64_t sAb0, int64_t sBb0, int64_t sCb0,
                                 int64_t batch1, int64_t sAb1, int64_t sBb1,
                                 int64_t sCb1) {
  gemm(A, B, C, M, N, K, sAm, sAk, sBk, sBn, sCm, sCn, batch0, sAb0, sBb0, sCb0,
       batch1, sAb1, sBb1, sCb1, Epilogue{}, EpilogueBatch{});
}

extern "C" void loom_rt_gemm_f32_ep(
    const float *A, const float *B, float *C, int64_t M, int64_t N, int64_t K,
    int64_t sAm, int64_t sAk, int64_t sBk, int64_t sBn, int64_t sCm,
    int64_t sCn, int64_t batch0, int64_t sAb0, int64_t sBb0, int64_t sCb0,
    int64_t batch1, int64_t sAb1, int64_t sBb1, int64_t sCb1, const float *D,
    int64_t sDm, int64_t sDn, int64_t sDb0, int64_t sDb1, float *O, int64_t sOm,
    int64_t sOn, int64_t sOb0, int64_t sOb1, float alpha, int64_t act) {
  Epilogue ep;
  ep.on = true;
  ep.D = D;
  ep.sDm = sDm;
  ep.sDn = sDn;
  ep.O = O;
  ep.sOm = sOm;
  ep.sOn = sOn;
  ep.alpha = alpha;
  ep.act = act;
  gemm(A, B, C, M, N, K, sAm, sAk, sBk, sBn, sCm, sCn, batch0, sAb0, sBb0, sCb0,
       batch1, sAb1, sBb1, sCb1, ep, EpilogueBatch{sDb0, sDb1, sOb0, sOb1});
}

namespace loom::rt::detail {

const GemmKernels &activeGemmKernels() { return kernels(); }

int64_t gemmKBlock(int64_t K) {
  return K <= 0 ? 1 : ceilDiv(K, ceilDiv(K, kKC));
}

float *threadScratch(int which, size_t floats) {
  return workspace.extra[which].get(floats);
}

} // namespace loom::rt::detail

namespace loom::rt {

void setNumThreads(int n) { ThreadPool::instance().setNumThreads(n); }

int numThreads() { return ThreadPool::instance().numThreads(); }

const char *gemmKernelName() { return kernels().name; }

void setGemmForcePortable(bool force) { forcePortable.store(force); }

} // namespace loom::rt
