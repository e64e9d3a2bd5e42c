//===- FillBorder.cpp - Fill only what the next write leaves untouched -----===//
//
// A padded convolution input is built as a fill of the whole padded buffer
// followed by a kernel that writes the interior (a subview): for ResNet's
// 32x16x34x34 activations that fill writes 2.3 MB of which 89% is
// overwritten right away, twelve times per training step.
//
// After bufferization and planning, a linalg.fill of a static buffer P is
// replaced by fills of the parts of P outside a subview S when the next op
// that touches P (through P or a view of it) is an all-parallel linalg op
// that writes every element of S (S is one of its outputs, indexed by the
// identity map, whose old value it does not read) and reads nothing else of
// P, or a memref.copy into S from another buffer. S must be a memref.subview of P with static offsets and sizes and unit
// strides. P \ S is cut into at most two slabs per dimension (before and
// after S along dimension i, spanning S along the dimensions before i and
// all of P along those after), each a subview filled with the same value.
//
//===----------------------------------------------------------------------===//
#include "Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace loom {
#define GEN_PASS_DEF_LOOMFILLBORDER
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;

namespace {

/// `interior` if its offsets and sizes are static, its strides 1 and its
/// rank the buffer's (no dropped dimensions), else null.
memref::SubViewOp checkedInterior(memref::SubViewOp interior, MemRefType type) {
  if (llvm::any_of(interior.getStaticStrides(),
                   [](int64_t s) { return s != 1; }) ||
      !interior.getType().hasStaticShape() ||
      ShapedType::isDynamicShape(interior.getStaticOffsets()) ||
      ShapedType::isDynamicShape(interior.getStaticSizes()) ||
      interior.getStaticSizes().size() != size_t(type.getRank()) ||
      interior.getType().getRank() != type.getRank())
    return nullptr;
  return interior;
}

/// The subview of `fill`'s buffer that the next op touching the buffer
/// writes completely (and reads nothing else of), or null.
memref::SubViewOp coveredInterior(linalg::FillOp fill) {
  Value buffer = fill.getOutputs()[0];
  auto type = dyn_cast<MemRefType>(buffer.getType());
  if (!type || !type.hasStaticShape())
    return nullptr;
  // The buffer and every view of it (wherever created), transitively.
  llvm::SmallPtrSet<Value, 8> aliases{buffer};
  SmallVector<Value> pending{buffer};
  while (!pending.empty()) {
    Value v = pending.pop_back_val();
    for (Operation *user : v.getUsers())
      if (auto view = dyn_cast<ViewLikeOpInterface>(user))
        if (view.getViewSource() == v)
          for (Value r : user->getResults())
            if (aliases.insert(r).second)
              pending.push_back(r);
  }
  auto isAlias = [&](Value v) { return aliases.contains(v); };
  for (Operation *op = fill->getNextNode(); op; op = op->getNextNode()) {
    if (isa<ViewLikeOpInterface>(op))
      continue; // no memory access
    if (llvm::none_of(op->getOperands(), isAlias)) {
      // Planned buffers live at once do not overlap, but an op with
      // regions (a loop) may use the buffer inside: give up there.
      bool inside = false;
      op->walk([&](Operation *nested) {
        inside |= llvm::any_of(nested->getOperands(), isAlias);
      });
      if (inside)
        return nullptr;
      continue;
    }
    memref::SubViewOp interior;
    if (auto copy = dyn_cast<memref::CopyOp>(op)) {
      // A copy into the interior (the padded image itself).
      interior = copy.getTarget().getDefiningOp<memref::SubViewOp>();
      if (!interior || interior.getSource() != buffer ||
          isAlias(copy.getSource()))
        return nullptr;
      return checkedInterior(interior, type);
    }
    auto writer = dyn_cast<linalg::LinalgOp>(op);
    if (!writer || !writer.hasPureBufferSemantics() ||
        writer.getNumParallelLoops() != writer.getNumLoops())
      return nullptr;
    for (OpOperand &operand : writer->getOpOperands()) {
      if (!isAlias(operand.get()))
        continue;
      auto sub = operand.get().getDefiningOp<memref::SubViewOp>();
      if (interior || !writer.isDpsInit(&operand) || !sub ||
          sub.getSource() != buffer ||
          !writer.getMatchingIndexingMap(&operand).isIdentity() ||
          writer.payloadUsesValueFromOperand(&operand))
        return nullptr;
      interior = sub;
    }
    return interior ? checkedInterior(interior, type) : nullptr;
  }
  return nullptr;
}

void fillBorder(linalg::FillOp fill, memref::SubViewOp interior) {
  Value buffer = fill.getOutputs()[0];
  ArrayRef<int64_t> full = cast<MemRefType>(buffer.getType()).getShape();
  ArrayRef<int64_t> offsets = interior.getStaticOffsets();
  ArrayRef<int64_t> sizes = interior.getStaticSizes();
  OpBuilder b(fill);
  Location loc = fill.getLoc();
  int64_t rank = full.size();
  auto slab = [&](int64_t dim, int64_t lo, int64_t len) {
    if (len <= 0)
      return;
    SmallVector<int64_t> o(rank, 0), s(full.begin(), full.end());
    for (int64_t j = 0; j < dim; ++j)
      o[j] = offsets[j], s[j] = sizes[j];
    o[dim] = lo, s[dim] = len;
    Value part = memref::SubViewOp::create(b, loc, buffer, o, s,
                                           SmallVector<int64_t>(rank, 1));
    linalg::FillOp::create(b, loc, fill.getInputs()[0], part);
  };
  for (int64_t i = 0; i < rank; ++i) {
    slab(i, 0, offsets[i]);
    slab(i, offsets[i] + sizes[i], full[i] - offsets[i] - sizes[i]);
  }
  fill->erase();
}

struct FillBorder : loom::impl::LoomFillBorderBase<FillBorder> {
  void runOnOperation() override {
    SmallVector<std::pair<linalg::FillOp, memref::SubViewOp>> work;
    getOperation()->walk([&](linalg::FillOp fill) {
      if (fill.hasPureBufferSemantics())
        if (memref::SubViewOp interior = coveredInterior(fill))
          work.emplace_back(fill, interior);
    });
    for (auto [fill, interior] : work)
      fillBorder(fill, interior);
  }
};

} // namespace
