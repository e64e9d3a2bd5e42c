//===- GemmToCall.cpp - Matrix products become calls of the runtime's GEMM -===//
//
// After bufferization every matmul (and every convolution, lowered as
// im2col plus a matrix product) is a linalg.generic on memrefs
//
//   C[p...] += A[...] * B[...]     one reduction loop k
//
// Lowered to loops, such a generic runs at a few GFLOP/s whatever the loop
// order. loom_rt_gemm_f32 (runtime/cpu/Gemm.cpp) packs panels and runs a
// register-blocked FMA micro-kernel on every core, so this pass hands it
// the whole product: base pointers plus one element stride per operand and
// loop. Which loop is what follows from where it appears:
//
//   in A only      a row loop (M)       in both A and B   a batch loop
//   in B only      a column loop (N)    in neither        a batch loop
//
// (A and B being the generic's first and second inputs). Of several row
// loops the one with the smallest stride in C is M; an outer row loop whose
// strides continue M's in A and C (A[b, m, k] with A's b stride = M * A's
// m stride) folds into M, so [B, T, D] x [D, E] is one (B*T) x E x D
// product rather than B small ones; columns likewise. Remaining batch loops:
// the innermost two go to the call, the others become scf.for loops around
// it. Size-1 loops are dropped. The call accumulates into C, as the generic
// did (C is the zero-filled init, or a running sum).
//
// Epilogue: when the next op to touch C after the product is a pointwise
// generic E running in place on C (-loom-gemm-epilogue-in-place arranges
// that) whose body is act(alpha * c + d) -- each part optional: `mulf c,
// constant` (alpha), `addf` with E's other input D read through a projected
// permutation (a bias along rows or columns, a residual: strides, 0 for a
// broadcast), `maximumf x, 0.0` (relu) -- the call is loom_rt_gemm_f32_ep,
// which applies it to each C tile right after the tile's last k block,
// while it is in cache, and E is erased: one pass over C less. E may also
// have a second output O (training keeps the pre-activation):
//   C = alpha * c + d,  O = relu(C)  (or O = C).
// Ops between the product and E must be free of memory effects, so D is
// read as E would have read it; D must not overlap C or O, and O not A, B
// or C (checked through -loom-plan-buffers' workspace views: O is written
// while A and B are still read). Anything else leaves E alone.
//
// Only f32, static shapes and static strides are rewritten (offsets may be
// dynamic: a slice at a loop index); anything else stays a generic and is
// lowered to loops, which is correct, only slower.
//
//===----------------------------------------------------------------------===//
#include "GemmMatch.h"
#include "RuntimeCall.h"
#include "Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <algorithm>
#include <optional>

namespace loom {
#define GEN_PASS_DEF_LOOMGEMMTOCALL
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;

namespace {

constexpr const char *kGemmFn = "loom_rt_gemm_f32";
constexpr const char *kGemmEpFn = "loom_rt_gemm_f32_ep";

/// One loop of the product: its trip count and the element stride it
/// advances each operand by (0 where the operand does not depend on it).
struct Loop {
  int64_t size = 1;
  int64_t stride[5] = {0, 0, 0, 0, 0}; // A, B, C, epilogue's D and O
  bool in[2] = {false, false};         // read by A, by B
};

/// The loops of `g` with their strides, or failure if it is not a product
/// this pass can hand to the runtime. `k` receives the reduction loop.
FailureOr<SmallVector<Loop>> analyse(linalg::GenericOp g, unsigned &k) {
  if (!loom::isBufferMatrixProduct(g))
    return failure();
  unsigned numLoops = g.getNumLoops();
  SmallVector<utils::IteratorType> iterators = g.getIteratorTypesArray();
  k = unsigned(llvm::find(iterators, utils::IteratorType::reduction) -
               iterators.begin());
  SmallVector<Loop> loops(numLoops);
  SmallVector<int64_t> ranges = g.getStaticLoopRanges();
  for (unsigned d = 0; d < numLoops; ++d) {
    if (ShapedType::isDynamic(ranges[d]))
      return failure();
    loops[d].size = ranges[d];
  }
  SmallVector<AffineMap> maps = g.getIndexingMapsArray();
  for (unsigned i = 0; i < 3; ++i) {
    auto type = dyn_cast<MemRefType>(g->getOperand(i).getType());
    if (!type || !type.getElementType().isF32() || !type.hasStaticShape())
      return failure();
    auto [strides, offset] = type.getStridesAndOffset();
    (void)offset;
    if (llvm::any_of(strides, ShapedType::isDynamic))
      return failure();
    llvm::SmallBitVector seen(numLoops);
    for (auto [pos, expr] : llvm::enumerate(maps[i].getResults())) {
      if (auto c = dyn_cast<AffineConstantExpr>(expr)) {
        if (c.getValue() != 0)
          return failure();
        continue;
      }
      auto dim = dyn_cast<AffineDimExpr>(expr);
      if (!dim || seen.test(dim.getPosition()))
        return failure();
      seen.set(dim.getPosition());
      loops[dim.getPosition()].stride[i] = strides[pos];
      if (i < 2)
        loops[dim.getPosition()].in[i] = true;
    }
    // The output is written once per parallel point: it must name every
    // parallel loop and not the reduction.
    if (i == 2)
      for (unsigned d = 0; d < numLoops; ++d)
        if (seen.test(d) == (d == k))
          return failure();
  }
  return loops;
}

/// The call's arguments after the three pointers: M, N, K, the six matrix
/// strides, then (size, A, B, C strides) for two batch loops.
struct Plan {
  Loop m, n, k;
  SmallVector<Loop> batch; // outermost first
};

/// Picks M (or N) among `cands` (the loops only operand `which` reads):
/// the one with the smallest C stride, then folds outer candidates whose
/// strides continue it. The rest go to `batch`.
Loop pickAndFold(SmallVector<Loop> cands, unsigned which,
                 SmallVector<Loop> &batch) {
  Loop none;
  if (cands.empty())
    return none;
  llvm::sort(cands, [](const Loop &a, const Loop &b) {
    return a.stride[2] < b.stride[2];
  });
  Loop inner = cands.front();
  for (size_t i = 1; i < cands.size(); ++i) {
    const Loop &outer = cands[i];
    if (outer.stride[which] == inner.size * inner.stride[which] &&
        outer.stride[2] == inner.size * inner.stride[2] &&
        outer.stride[3] == inner.size * inner.stride[3] &&
        outer.stride[4] == inner.size * inner.stride[4]) {
      inner.size *= outer.size;
      continue;
    }
    batch.push_back(outer);
  }
  return inner;
}

Plan plan(ArrayRef<Loop> loops, unsigned k) {
  Plan p;
  p.k = loops[k];
  SmallVector<Loop> rows, cols;
  for (auto [d, loop] : llvm::enumerate(loops)) {
    if (d == k || loop.size == 1)
      continue;
    if (loop.in[0] && !loop.in[1])
      rows.push_back(loop);
    else if (loop.in[1] && !loop.in[0])
      cols.push_back(loop);
    else
      p.batch.push_back(loop);
  }
  p.m = pickAndFold(rows, 0, p.batch);
  p.n = pickAndFold(cols, 1, p.batch);
  llvm::stable_sort(p.batch, [](const Loop &a, const Loop &b) {
    return a.stride[2] > b.stride[2];
  });
  return p;
}

//===----------------------------------------------------------------------===//
// Epilogue
//===----------------------------------------------------------------------===//

/// The pointwise generic folded into the call (see the file comment).
struct Epilogue {
  linalg::GenericOp op;
  Value d; ///< null: none
  AffineMap dMap;
  Value o; ///< the second output; null: none
  float alpha = 1.0f;
  int64_t act = 0; ///< 0 none, 1 relu
};

/// The buffer `v` views: through subviews, reshapes and casts, stopping at
/// memref.view (a workspace slot of -loom-plan-buffers is its own buffer).
Value rootBuffer(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    auto view = dyn_cast<ViewLikeOpInterface>(def);
    if (!view || isa<memref::ViewOp>(def))
      break;
    v = view.getViewSource();
  }
  return v;
}

/// Whether `x` and `y` may share bytes. Distinct allocations and arguments
/// do not; two workspace slots do not if their constant byte ranges are
/// disjoint.
bool mayOverlap(Value x, Value y) {
  Value rx = rootBuffer(x), ry = rootBuffer(y);
  if (rx == ry)
    return true;
  auto vx = rx.getDefiningOp<memref::ViewOp>();
  auto vy = ry.getDefiningOp<memref::ViewOp>();
  Value sx = vx ? rootBuffer(vx.getSource()) : rx;
  Value sy = vy ? rootBuffer(vy.getSource()) : ry;
  if (sx != sy)
    return false;
  if (!vx || !vy)
    return true; // a slot and its whole workspace
  auto range =
      [](memref::ViewOp v) -> std::optional<std::pair<int64_t, int64_t>> {
    APInt shift;
    auto type = v.getType();
    if (!matchPattern(v.getByteShift(), m_ConstantInt(&shift)) ||
        !type.hasStaticShape() || !type.getElementType().isIntOrFloat())
      return std::nullopt;
    int64_t begin = shift.getSExtValue();
    int64_t bytes =
        type.getNumElements() * int64_t(type.getElementTypeBitWidth() / 8);
    return std::make_pair(begin, begin + bytes);
  };
  auto a = range(vx), b = range(vy);
  if (!a || !b)
    return true;
  return !(a->second <= b->first || b->second <= a->first);
}

/// f32, static strides.
bool simpleF32(Value v) {
  auto type = dyn_cast<MemRefType>(v.getType());
  if (!type || !type.getElementType().isF32() || !type.hasStaticShape())
    return false;
  auto [strides, offset] = type.getStridesAndOffset();
  (void)offset;
  return !llvm::any_of(strides, ShapedType::isDynamic);
}

/// The generic after the product `g` that the call can apply as its
/// epilogue, if there is one.
std::optional<Epilogue> matchEpilogue(linalg::GenericOp g) {
  Value c = g.getDpsInits()[0];
  Operation *next = g->getNextNode();
  while (next && !isa<linalg::GenericOp>(next)) {
    if (!isMemoryEffectFree(next))
      return std::nullopt;
    next = next->getNextNode();
  }
  auto e = dyn_cast_or_null<linalg::GenericOp>(next);
  if (!e || !e.hasPureBufferSemantics() ||
      e.getNumParallelLoops() != e.getNumLoops() || e.getNumDpsInputs() < 1 ||
      e.getNumDpsInputs() > 2 || e.getNumDpsInits() < 1 ||
      e.getNumDpsInits() > 2)
    return std::nullopt;
  Block &body = e.getRegion().front();

  // C: read and written through the identity, once each.
  OpOperand *cIn = nullptr, *cOut = nullptr, *dIn = nullptr, *oOut = nullptr;
  for (OpOperand *in : e.getDpsInputOperands()) {
    if (in->get() != c) {
      dIn = in;
      continue;
    }
    if (cIn || !e.getMatchingIndexingMap(in).isIdentity())
      return std::nullopt;
    cIn = in;
  }
  for (OpOperand &out : e.getDpsInitsMutable()) {
    if (!e.getMatchingBlockArgument(&out).use_empty() ||
        !e.getMatchingIndexingMap(&out).isIdentity())
      return std::nullopt;
    if (out.get() != c) {
      oOut = &out;
      continue;
    }
    if (cOut)
      return std::nullopt;
    cOut = &out;
  }
  if (!cIn || !cOut)
    return std::nullopt;

  Epilogue ep;
  ep.op = e;
  Value cArg = e.getMatchingBlockArgument(cIn);
  Value dArg = dIn ? e.getMatchingBlockArgument(dIn) : Value();
  auto constant = [](Value v, APFloat &f) {
    return matchPattern(v, m_ConstantFloat(&f));
  };
  // c, or c * alpha.
  auto scaled = [&](Value v, float &alpha) {
    alpha = 1.0f;
    if (v == cArg)
      return true;
    auto mul = v.getDefiningOp<arith::MulFOp>();
    if (!mul)
      return false;
    APFloat k(0.0f);
    for (auto [x, y] : {std::pair(mul.getLhs(), mul.getRhs()),
                        std::pair(mul.getRhs(), mul.getLhs())})
      if (x == cArg && constant(y, k)) {
        alpha = k.convertToFloat();
        return true;
      }
    return false;
  };
  // scaled, or scaled + d.
  auto pre = [&](Value v, float &alpha, bool &hasD) {
    hasD = false;
    if (scaled(v, alpha))
      return true;
    auto add = v.getDefiningOp<arith::AddFOp>();
    if (!add || !dArg)
      return false;
    for (auto [x, y] : {std::pair(add.getLhs(), add.getRhs()),
                        std::pair(add.getRhs(), add.getLhs())})
      if (y == dArg && scaled(x, alpha)) {
        hasD = true;
        return true;
      }
    return false;
  };
  // x if v = maximumf(x, +0.0).
  auto reluOf = [&](Value v) -> Value {
    auto max = v.getDefiningOp<arith::MaximumFOp>();
    if (!max)
      return {};
    APFloat z(1.0f);
    for (auto [x, y] : {std::pair(max.getLhs(), max.getRhs()),
                        std::pair(max.getRhs(), max.getLhs())})
      if (constant(y, z) && z.isPosZero())
        return x;
    return {};
  };

  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto yielded = [&](OpOperand *out) {
    return yield.getOperand(out->getOperandNumber() - e.getNumDpsInputs());
  };
  bool hasD = false;
  Value v = yielded(cOut);
  if (!oOut) {
    if (Value x = reluOf(v)) {
      ep.act = 1;
      v = x;
    }
  } else {
    Value w = yielded(oOut);
    if (w != v && reluOf(w) != v)
      return std::nullopt;
    ep.act = w == v ? 0 : 1;
    ep.o = oOut->get();
  }
  if (!pre(v, ep.alpha, hasD))
    return std::nullopt;
  if (hasD) {
    ep.d = dIn->get();
    ep.dMap = e.getMatchingIndexingMap(dIn);
    if (!simpleF32(ep.d) || !ep.dMap.isProjectedPermutation(true))
      return std::nullopt;
  }
  if (ep.o && !simpleF32(ep.o))
    return std::nullopt;

  // What the GEMM writes must not overlap what it still reads: O is
  // written tile by tile while A, B and D are read for the other tiles.
  Value a = g.getDpsInputs()[0], b = g.getDpsInputs()[1];
  if (ep.d && mayOverlap(ep.d, c))
    return std::nullopt;
  if (ep.o && (mayOverlap(ep.o, a) || mayOverlap(ep.o, b) ||
               mayOverlap(ep.o, c) || (ep.d && mayOverlap(ep.o, ep.d))))
    return std::nullopt;
  return ep;
}

/// Records D's and O's strides (indices 3 and 4) on the product's loops.
/// E's loops are C's dimensions; C's dimension j is the product's loop
/// named by result j of its output map.
void addEpilogueStrides(linalg::GenericOp g, Epilogue ep,
                        MutableArrayRef<Loop> loops) {
  unsigned rank = ep.op.getNumLoops();
  SmallVector<int64_t> dStride(rank, 0), oStride(rank, 0);
  if (ep.d) {
    auto [strides, offset] =
        cast<MemRefType>(ep.d.getType()).getStridesAndOffset();
    (void)offset;
    for (auto [pos, expr] : llvm::enumerate(ep.dMap.getResults()))
      if (auto dim = dyn_cast<AffineDimExpr>(expr))
        dStride[dim.getPosition()] = strides[pos];
  }
  if (ep.o) {
    auto [strides, offset] =
        cast<MemRefType>(ep.o.getType()).getStridesAndOffset();
    (void)offset;
    for (unsigned j = 0; j < rank; ++j)
      oStride[j] = strides[j];
  }
  AffineMap cMap = g.getIndexingMapsArray()[2];
  for (auto [j, expr] : llvm::enumerate(cMap.getResults()))
    if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
      loops[dim.getPosition()].stride[3] = dStride[j];
      loops[dim.getPosition()].stride[4] = oStride[j];
    }
}

//===----------------------------------------------------------------------===//
// The call
//===----------------------------------------------------------------------===//

void declareGemm(OpBuilder &b, ModuleOp module, bool epilogue) {
  Type ptr = LLVM::LLVMPointerType::get(b.getContext());
  SmallVector<Type> args = {ptr, ptr, ptr};
  args.append(17, b.getI64Type());
  if (epilogue) {
    // D, its 4 strides, O, its 4 strides, alpha, act.
    args.push_back(ptr);
    args.append(4, b.getI64Type());
    args.push_back(ptr);
    args.append(4, b.getI64Type());
    args.push_back(b.getF32Type());
    args.push_back(b.getI64Type());
  }
  loom::declareRuntimeFunction(b, module, epilogue ? kGemmEpFn : kGemmFn,
                               args);
}

/// Replaces `g` (and `ep`'s generic, if any) by the call. With an
/// epilogue the call goes where the epilogue was: only memory-effect-free
/// ops lie between, and D and O are defined there.
void rewrite(linalg::GenericOp g, const Plan &p, ModuleOp module,
             std::optional<Epilogue> ep) {
  OpBuilder b(ep ? ep->op.getOperation() : g.getOperation());
  Location loc = g.getLoc();
  declareGemm(b, module, ep.has_value());
  SmallVector<Value> addr;
  for (unsigned i = 0; i < 3; ++i)
    addr.push_back(loom::firstElementAddress(b, loc, g->getOperand(i)));
  if (ep) {
    addr.push_back(ep->d ? loom::firstElementAddress(b, loc, ep->d) : Value());
    addr.push_back(ep->o ? loom::firstElementAddress(b, loc, ep->o) : Value());
  }

  // Batch loops beyond the two the runtime takes: scf.for around the call.
  size_t outer = p.batch.size() > 2 ? p.batch.size() - 2 : 0;
  for (size_t i = 0; i < outer; ++i) {
    const Loop &l = p.batch[i];
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value ub = arith::ConstantIndexOp::create(b, loc, l.size);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    auto loop = scf::ForOp::create(b, loc, zero, ub, one);
    b.setInsertionPoint(loop.getBody()->getTerminator());
    Value iv = loop.getInductionVar();
    for (unsigned j = 0; j < addr.size(); ++j) {
      if (l.stride[j] == 0 || !addr[j])
        continue;
      Value step = arith::ConstantIndexOp::create(b, loc, 4 * l.stride[j]);
      Value off = arith::MulIOp::create(b, loc, iv, step);
      addr[j] = arith::AddIOp::create(b, loc, addr[j], off);
    }
  }

  auto pointer = [&](Value a) { return loom::addressToPointer(b, loc, a); };
  SmallVector<Value> args;
  for (unsigned i = 0; i < 3; ++i)
    args.push_back(pointer(addr[i]));
  auto i64 = [&](int64_t v) -> Value {
    return arith::ConstantIntOp::create(b, loc, v, 64);
  };
  for (int64_t v : {p.m.size, p.n.size, p.k.size, p.m.stride[0],
                    p.k.stride[0], p.k.stride[1], p.n.stride[1],
                    p.m.stride[2], p.n.stride[2]})
    args.push_back(i64(v));
  Loop unit;
  for (size_t i = outer; i < outer + 2; ++i) {
    const Loop &l = i < p.batch.size() ? p.batch[i] : unit;
    for (int64_t v : {l.size, l.stride[0], l.stride[1], l.stride[2]})
      args.push_back(i64(v));
  }
  if (ep) {
    // D then O: pointer, M and N strides, the two batch loops' strides.
    for (unsigned j : {3u, 4u}) {
      args.push_back(pointer(addr[j]));
      args.push_back(i64(p.m.stride[j]));
      args.push_back(i64(p.n.stride[j]));
      for (size_t i = outer; i < outer + 2; ++i)
        args.push_back(i64(i < p.batch.size() ? p.batch[i].stride[j] : 0));
    }
    args.push_back(
        arith::ConstantOp::create(b, loc, b.getF32FloatAttr(ep->alpha)));
    args.push_back(i64(ep->act));
  }
  func::CallOp::create(b, loc, ep ? kGemmEpFn : kGemmFn, TypeRange{}, args);
  if (ep)
    ep->op.erase();
  g.erase();
}

struct LoomGemmToCall : loom::impl::LoomGemmToCallBase<LoomGemmToCall> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::GenericOp> generics;
    module.walk([&](linalg::GenericOp g) { generics.push_back(g); });
    llvm::SmallPtrSet<Operation *, 8> erased; // epilogues folded into calls
    for (linalg::GenericOp g : generics) {
      if (erased.contains(g.getOperation()))
        continue;
      unsigned k = 0;
      FailureOr<SmallVector<Loop>> loops = analyse(g, k);
      if (failed(loops))
        continue;
      std::optional<Epilogue> ep = matchEpilogue(g);
      if (ep) {
        addEpilogueStrides(g, *ep, *loops);
        erased.insert(ep->op.getOperation());
      }
      rewrite(g, plan(*loops, k), module, ep);
    }
  }
};

} // namespace
