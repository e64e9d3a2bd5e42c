//===- PlanBuffers.cpp - Temporaries in one workspace, results in place ----===//
//
// After bufferization an entry point allocates every temporary with
// memref.alloc and frees it with memref.dealloc at the end, and copies each
// result into its out-parameter. A training step then calls malloc and free
// dozens of times per step, touches fresh pages, and copies every new
// parameter and optimizer state once more. This pass removes both:
//
//  1. Results in place. A temporary whose last use is the copy into an
//     out-parameter (the new weights, the new Adam moments, the loss) is
//     replaced by that out-parameter, so the computation writes straight
//     into the buffer the runtime handed in; the copy disappears. (The
//     runtime double-buffers parameters and states and swaps after a good
//     step, which is what lets it refuse a step whose loss is not finite.)
//
//  2. One workspace. Every remaining temporary with a static shape becomes
//     a memref.view at a fixed offset of one byte buffer, a new last
//     argument of the entry (`memref<?xi8>`, attribute `loom.workspace`).
//     Offsets come from liveness in the entry's top-level block: a
//     temporary lives from the top-level op holding its allocation to the
//     one holding its last use (uses through views count), and buffers
//     whose lifetimes do not overlap share bytes. A temporary allocated
//     inside a loop body (a recurrent layer's gates at one time step) and
//     used only there gets one slot for the whole loop: each iteration
//     reuses it, which is what a fresh allocation per iteration amounted
//     to, minus the malloc and free. Placement is greedy, largest
//     first, at the lowest 64-byte-aligned offset free for its lifetime.
//     The size is recorded as `loom.workspace_bytes` on the function; the
//     runtime allocates it once per session and entry, so a steady-state
//     call allocates nothing.
//
// Only buffers whose every use is understood are touched: linalg ops,
// copies, loads and stores, and views of them (expand/collapse_shape,
// subview, cast). A buffer passed into a loop's iter_args or returned from
// a region (a recurrent layer's state, yielded to the next time step)
// stays a heap allocation (the remaining count is what
// -loom-record-buffer-needs reports).
//
//===----------------------------------------------------------------------===//
#include "Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include <algorithm>

namespace loom {
#define GEN_PASS_DEF_LOOMPLANBUFFERS
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;

namespace {

constexpr int64_t kAlign = 64;

/// The users of `root` and of every view of it, or failure if one of them
/// is something this pass does not understand. Deallocations are returned
/// separately.
LogicalResult collectUses(Value root, SmallVectorImpl<Operation *> &users,
                          SmallVectorImpl<Operation *> &deallocs) {
  SmallVector<Value> work = {root};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      if (isa<memref::DeallocOp>(user)) {
        deallocs.push_back(user);
        continue;
      }
      if (isa<memref::ExpandShapeOp, memref::CollapseShapeOp,
              memref::SubViewOp, memref::CastOp>(user)) {
        users.push_back(user);
        work.push_back(user->getResult(0));
        continue;
      }
      if (isa<linalg::LinalgOp, memref::CopyOp, memref::LoadOp,
              memref::StoreOp>(user)) {
        users.push_back(user);
        continue;
      }
      return failure();
    }
  }
  return success();
}

/// Bytes of one element as the LLVM lowering stores it.
int64_t elementBytes(Type t) {
  if (t.isIndex())
    return 8;
  if (t.isIntOrFloat())
    return std::max<int64_t>(1, (t.getIntOrFloatBitWidth() + 7) / 8);
  return 0;
}

struct Buffer {
  memref::AllocOp alloc;
  SmallVector<Operation *> deallocs;
  int64_t start = 0, end = 0; // top-level op indices, inclusive
  int64_t bytes = 0, offset = 0;
};

struct LoomPlanBuffers : loom::impl::LoomPlanBuffersBase<LoomPlanBuffers> {
  void runOnOperation() override {
    for (auto fn : getOperation().getOps<func::FuncOp>())
      if (fn.isPublic() && !fn.isExternal() && fn.getBody().hasOneBlock())
        plan(fn);
  }

  void plan(func::FuncOp fn) {
    Block &body = fn.getBody().front();
    DenseMap<Operation *, int64_t> index;
    for (auto [i, op] : llvm::enumerate(body))
      index[&op] = int64_t(i);
    auto position = [&](Operation *op) {
      return index.lookup(body.findAncestorOpInBlock(*op));
    };

    forwardResults(fn, body, position);

    SmallVector<Buffer> buffers;
    SmallVector<memref::AllocOp> allocs;
    fn.walk([&](memref::AllocOp alloc) { allocs.push_back(alloc); });
    for (memref::AllocOp alloc : allocs) {
      MemRefType type = alloc.getType();
      int64_t eb = elementBytes(type.getElementType());
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() || !eb ||
          !alloc.getDynamicSizes().empty() || !alloc.getSymbolOperands().empty())
        continue;
      Buffer b;
      b.alloc = alloc;
      SmallVector<Operation *> users;
      if (failed(collectUses(alloc, users, b.deallocs)))
        continue;
      b.start = b.end = position(alloc);
      for (Operation *u : users)
        b.end = std::max(b.end, position(u));
      b.bytes = llvm::alignTo(type.getNumElements() * eb, kAlign);
      buffers.push_back(std::move(b));
    }

    // Largest first; each at the lowest offset that no buffer live at the
    // same time occupies.
    SmallVector<Buffer *> order;
    for (Buffer &b : buffers)
      order.push_back(&b);
    llvm::stable_sort(order, [](Buffer *a, Buffer *b) {
      return a->bytes > b->bytes;
    });
    SmallVector<Buffer *> placed;
    int64_t total = 0;
    for (Buffer *b : order) {
      SmallVector<std::pair<int64_t, int64_t>> taken;
      for (Buffer *p : placed)
        if (p->start <= b->end && b->start <= p->end)
          taken.push_back({p->offset, p->offset + p->bytes});
      llvm::sort(taken);
      int64_t offset = 0;
      for (auto [lo, hi] : taken) {
        if (offset + b->bytes <= lo)
          break;
        offset = std::max(offset, hi);
      }
      b->offset = offset;
      total = std::max(total, offset + b->bytes);
      placed.push_back(b);
    }

    // The workspace argument, always present so every entry has the same
    // shape of signature (the runtime passes an empty buffer for 0 bytes).
    MLIRContext *ctx = fn.getContext();
    auto wsType = MemRefType::get({ShapedType::kDynamic}, IntegerType::get(ctx, 8));
    unsigned wsIndex = fn.getNumArguments();
    if (failed(fn.insertArgument(
            wsIndex, wsType,
            DictionaryAttr::get(ctx, {NamedAttribute(
                                         StringAttr::get(ctx, "loom.workspace"),
                                         UnitAttr::get(ctx))}),
            fn.getLoc())))
      return signalPassFailure();
    Value ws = fn.getArgument(wsIndex);
    for (Buffer &b : buffers) {
      OpBuilder builder(b.alloc);
      Location loc = b.alloc.getLoc();
      Value offset = arith::ConstantIndexOp::create(builder, loc, b.offset);
      Value view = memref::ViewOp::create(builder, loc, b.alloc.getType(), ws,
                                          offset, ValueRange{});
      b.alloc.replaceAllUsesWith(view);
      for (Operation *d : b.deallocs)
        d->erase();
      b.alloc.erase();
    }
    fn->setAttr("loom.workspace_bytes",
                IntegerAttr::get(IntegerType::get(ctx, 64), total));
  }

  /// Step 1: a temporary copied into an out-parameter as its last use
  /// becomes that out-parameter.
  template <typename Position>
  void forwardResults(func::FuncOp fn, Block &body, Position position) {
    SmallVector<memref::CopyOp> copies;
    for (auto copy : body.getOps<memref::CopyOp>())
      copies.push_back(copy);
    for (memref::CopyOp copy : copies) {
      auto target = dyn_cast<BlockArgument>(copy.getTarget());
      auto alloc = copy.getSource().getDefiningOp<memref::AllocOp>();
      if (!target || target.getOwner() != &body || !target.hasOneUse() ||
          !alloc || alloc->getBlock() != &body ||
          alloc.getType() != target.getType() ||
          !alloc.getType().getLayout().isIdentity())
        continue;
      SmallVector<Operation *> users, deallocs;
      if (failed(collectUses(alloc, users, deallocs)))
        continue;
      int64_t at = position(copy);
      if (llvm::any_of(users, [&](Operation *u) {
            return u != copy && position(u) >= at;
          }))
        continue;
      copy.erase();
      for (Operation *d : deallocs)
        d->erase();
      alloc.replaceAllUsesWith(target);
      alloc.erase();
    }
  }
};

} // namespace
