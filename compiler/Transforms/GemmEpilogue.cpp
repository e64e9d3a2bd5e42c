//===- GemmEpilogue.cpp - The op after a matrix product works on its C ----===//
//
// A layer's matrix product is mostly followed by one pointwise kernel (the
// fused bias add, activation, residual add) that reads the product C once
// and writes a new buffer O:
//
//   linalg.generic (contraction) outs(%C)
//   linalg.generic ins(%C, %bias) outs(%O)      %O = memref.alloc
//
// -loom-gemm-to-call can apply such a kernel inside the GEMM, to each C
// tile right after its last k block, but only if the kernel writes C
// itself. This pass makes it so: when the kernel E is C's next and last
// reader, reads C through the identity and writes O, a fresh allocation of
// C's type, through the identity without reading it, O is replaced by C
// everywhere (O's allocation goes, C's deallocation goes, O's deallocation
// now frees C). E then reads and writes each C element in the same
// iteration, which is correct as loops too: nothing depends on -loom-gemm-
// to-call fusing it afterwards.
//
// It runs before -loom-plan-buffers, which is what makes it free: C now
// simply lives on instead of O. (After planning, C's bytes may already be
// shared with a later temporary.)
//
// E with two such outputs (training's forward kernel writes the
// pre-activation z, kept for the backward pass, and relu(z)) gets C for the
// output whose value the other output is computed from (z), and the other
// output's allocation moves before the product: then it is live, and so
// gets its own bytes, while the GEMM runs, which it must if the GEMM is to
// write it too.
//
//===----------------------------------------------------------------------===//
#include "GemmMatch.h"
#include "Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace loom {
#define GEN_PASS_DEF_LOOMGEMMEPILOGUEINPLACE
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;

namespace {

/// `op`'s ancestor in `block` (or null).
Operation *inBlock(Operation *op, Block *block) {
  return block->findAncestorOpInBlock(*op);
}

/// The epilogue candidate: C's next and last reader after the product `g`,
/// if every other user of C is a linalg op or copy before `g`, or a
/// deallocation after the reader.
linalg::GenericOp lastReader(linalg::GenericOp g, Value c,
                             SmallVectorImpl<Operation *> &cDeallocs) {
  Block *block = g->getBlock();
  linalg::GenericOp reader;
  for (Operation *user : c.getUsers()) {
    if (user == g)
      continue;
    if (isa<memref::DeallocOp>(user)) {
      cDeallocs.push_back(user);
      continue;
    }
    if (user->getBlock() != block)
      return nullptr;
    if (user->isBeforeInBlock(g)) {
      if (!isa<linalg::LinalgOp, memref::CopyOp>(user))
        return nullptr;
      continue;
    }
    auto e = dyn_cast<linalg::GenericOp>(user);
    if (!e || reader)
      return nullptr;
    reader = e;
  }
  if (!reader)
    return nullptr;
  for (Operation *d : cDeallocs)
    if (d->getBlock() != block || d->isBeforeInBlock(reader))
      return nullptr;
  return reader;
}

/// Whether output `i` of `e` may become `c`: a fresh allocation of c's type,
/// written through the identity, not read by the body, first used by `e`,
/// otherwise used after it (deallocations included).
bool replaceable(linalg::GenericOp e, unsigned i, Value c) {
  OpOperand &init = e.getDpsInitsMutable()[i];
  Value o = init.get();
  auto alloc = o.getDefiningOp<memref::AllocOp>();
  if (!alloc || o.getType() != c.getType() ||
      !e.getMatchingIndexingMap(&init).isIdentity() ||
      !e.getMatchingBlockArgument(&init).use_empty())
    return false;
  Block *block = e->getBlock();
  for (OpOperand &use : o.getUses()) {
    if (use.getOwner() == e.getOperation()) {
      if (&use != &init)
        return false; // O also read, or written twice
      continue;
    }
    Operation *user = inBlock(use.getOwner(), block);
    if (!user || !e->isBeforeInBlock(user))
      return false;
  }
  return true;
}

/// Rewrites `e` (C's last reader after the product `g`) to write C, if it
/// qualifies.
void makeInPlace(linalg::GenericOp g) {
  Value c = g.getDpsInits()[0];
  if (!c.getDefiningOp<memref::AllocOp>())
    return;
  SmallVector<Operation *> cDeallocs;
  linalg::GenericOp e = lastReader(g, c, cDeallocs);
  if (!e || !e.hasPureBufferSemantics() ||
      e.getNumParallelLoops() != e.getNumLoops())
    return;
  // E reads C through the identity only, and does not write it already.
  for (OpOperand &use : c.getUses()) {
    if (use.getOwner() != e.getOperation())
      continue;
    if (e.isDpsInit(&use) || !e.getMatchingIndexingMap(&use).isIdentity())
      return;
  }
  SmallVector<unsigned> candidates;
  for (unsigned i = 0; i < e.getNumDpsInits(); ++i)
    if (replaceable(e, i, c))
      candidates.push_back(i);
  if (candidates.empty())
    return;
  // Of several, the output whose value feeds another yielded value.
  auto yield = cast<linalg::YieldOp>(e.getRegion().front().getTerminator());
  unsigned chosen = candidates.front();
  for (unsigned i : candidates) {
    Value v = yield.getOperand(i);
    bool feeds = llvm::any_of(yield.getOperands(), [&](Value w) {
      Operation *def = w.getDefiningOp();
      return w != v && def && llvm::is_contained(def->getOperands(), v);
    });
    if (feeds) {
      chosen = i;
      break;
    }
  }

  Value o = e.getDpsInits()[chosen];
  for (Operation *d : cDeallocs)
    d->erase();
  Operation *alloc = o.getDefiningOp();
  o.replaceAllUsesWith(c);
  alloc->erase();

  // The other fresh outputs: allocated before the product, so that they
  // are live (own bytes) while it runs.
  for (Value other : e.getDpsInits()) {
    auto a = other.getDefiningOp<memref::AllocOp>();
    if (a && other != c && a->getBlock() == g->getBlock() &&
        a->getNumOperands() == 0 && g->isBeforeInBlock(a))
      a->moveBefore(g);
  }
}

struct LoomGemmEpilogueInPlace
    : loom::impl::LoomGemmEpilogueInPlaceBase<LoomGemmEpilogueInPlace> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> products;
    getOperation().walk([&](linalg::GenericOp g) {
      if (loom::isBufferMatrixProduct(g))
        products.push_back(g);
    });
    for (linalg::GenericOp g : products)
      makeInPlace(g);
  }
};

} // namespace
