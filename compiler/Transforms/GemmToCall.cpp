//===- GemmToCall.cpp - Matrix products become calls of the runtime's GEMM -===//
//
// After bufferization every matmul (and every convolution, lowered as
// im2col plus a matrix product) is a linalg.generic on memrefs
//
//   C[p...] += A[...] * B[...]     one reduction loop k
//
// Lowered to loops, such a generic runs at a few GFLOP/s whatever the loop
// order. loom_rt_gemm_f32 (runtime/src/Gemm.cpp) packs panels and runs a
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
// Only f32, static shapes and static strides are rewritten (offsets may be
// dynamic: a slice at a loop index); anything else stays a generic and is
// lowered to loops, which is correct, only slower.
//
//===----------------------------------------------------------------------===//
#include "Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/SymbolTable.h"

#include <algorithm>

namespace loom {
#define GEN_PASS_DEF_LOOMGEMMTOCALL
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;

namespace {

constexpr const char *kGemmFn = "loom_rt_gemm_f32";

/// One loop of the product: its trip count and the element stride it
/// advances each operand by (0 where the operand does not depend on it).
struct Loop {
  int64_t size = 1;
  int64_t stride[3] = {0, 0, 0}; // A, B, C
  bool in[2] = {false, false};   // read by A, by B
};

/// `c + a * b` (in either operand order) yielded from the body.
bool isMultiplyAccumulate(linalg::GenericOp g) {
  Block &body = g.getRegion().front();
  if (body.getNumArguments() != 3 || body.getOperations().size() != 3)
    return false;
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  Value acc = body.getArgument(2);
  Value other = add.getLhs() == acc ? add.getRhs() : add.getLhs();
  if (add.getLhs() != acc && add.getRhs() != acc)
    return false;
  auto mul = other.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return false;
  Value a = body.getArgument(0), b = body.getArgument(1);
  return (mul.getLhs() == a && mul.getRhs() == b) ||
         (mul.getLhs() == b && mul.getRhs() == a);
}

/// The loops of `g` with their strides, or failure if it is not a product
/// this pass can hand to the runtime. `k` receives the reduction loop.
FailureOr<SmallVector<Loop>> analyse(linalg::GenericOp g, unsigned &k) {
  if (!g.hasPureBufferSemantics() || g.getNumDpsInputs() != 2 ||
      g.getNumDpsInits() != 1 || !isMultiplyAccumulate(g))
    return failure();
  unsigned numLoops = g.getNumLoops();
  SmallVector<utils::IteratorType> iterators = g.getIteratorTypesArray();
  if (llvm::count(iterators, utils::IteratorType::reduction) != 1)
    return failure();
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
        outer.stride[2] == inner.size * inner.stride[2]) {
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

void declareGemm(OpBuilder &b, ModuleOp module) {
  if (SymbolTable::lookupSymbolIn(module, kGemmFn))
    return;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  Type ptr = LLVM::LLVMPointerType::get(b.getContext());
  SmallVector<Type> args = {ptr, ptr, ptr};
  args.append(17, b.getI64Type());
  auto fn = func::FuncOp::create(b, module.getLoc(), kGemmFn,
                                 b.getFunctionType(args, {}));
  fn.setPrivate();
}

/// The address of `memref`'s first element, as an index (bytes).
Value firstElementAddress(OpBuilder &b, Location loc, Value memref) {
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, memref);
  Value four = arith::ConstantIndexOp::create(b, loc, 4);
  Value bytes = arith::MulIOp::create(b, loc, meta.getOffset(), four);
  return arith::AddIOp::create(b, loc, base, bytes);
}

void rewrite(linalg::GenericOp g, const Plan &p, ModuleOp module) {
  OpBuilder b(g);
  Location loc = g.getLoc();
  declareGemm(b, module);
  SmallVector<Value> addr;
  for (unsigned i = 0; i < 3; ++i)
    addr.push_back(firstElementAddress(b, loc, g->getOperand(i)));

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
    for (unsigned j = 0; j < 3; ++j) {
      if (l.stride[j] == 0)
        continue;
      Value step = arith::ConstantIndexOp::create(b, loc, 4 * l.stride[j]);
      Value off = arith::MulIOp::create(b, loc, iv, step);
      addr[j] = arith::AddIOp::create(b, loc, addr[j], off);
    }
  }

  SmallVector<Value> args;
  Type ptr = LLVM::LLVMPointerType::get(b.getContext());
  for (Value a : addr) {
    Value wide = arith::IndexCastOp::create(b, loc, b.getI64Type(), a);
    args.push_back(LLVM::IntToPtrOp::create(b, loc, ptr, wide));
  }
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
  func::CallOp::create(b, loc, kGemmFn, TypeRange{}, args);
  g.erase();
}

struct LoomGemmToCall : loom::impl::LoomGemmToCallBase<LoomGemmToCall> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::GenericOp> generics;
    module.walk([&](linalg::GenericOp g) { generics.push_back(g); });
    for (linalg::GenericOp g : generics) {
      unsigned k = 0;
      FailureOr<SmallVector<Loop>> loops = analyse(g, k);
      if (failed(loops))
        continue;
      rewrite(g, plan(*loops, k), module);
    }
  }
};

} // namespace
