//===- RecordBufferNeeds.cpp - Note each entry's temporaries ----------------===//
//
// After bufferization and -loom-plan-buffers, every temporary left on the
// heap is an explicit memref.alloc (or alloca). This pass sums them per
// public function and records the result on the module
// (`loom.buffer_needs`: buffers, bytes, and the workspace size the plan
// chose), which survives lowering to the LLVM dialect; the CPU target
// copies it into rt::EntryPoint so the runtime allocates the workspace and
// `loomc run -v` can report what each call needs.
//
//===----------------------------------------------------------------------===//
#include "Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace loom {
#define GEN_PASS_DEF_LOOMRECORDBUFFERNEEDS
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;

namespace {
struct LoomRecordBufferNeeds
    : loom::impl::LoomRecordBufferNeedsBase<LoomRecordBufferNeeds> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    Builder b(&getContext());
    SmallVector<NamedAttribute> perEntry;
    for (auto fn : module.getOps<func::FuncOp>()) {
      if (fn.isPrivate() || fn.isExternal())
        continue;
      int64_t buffers = 0, bytes = 0;
      fn.walk([&](Operation *op) {
        if (!isa<memref::AllocOp, memref::AllocaOp>(op))
          return;
        auto type = cast<MemRefType>(op->getResult(0).getType());
        ++buffers;
        // Sizes of what Loom allocates (floats, i1, index); anything else
        // is counted as a buffer of unknown size.
        Type et = type.getElementType();
        int64_t bits = et.isIndex()        ? 64
                       : et.isIntOrFloat() ? et.getIntOrFloatBitWidth()
                                           : 0;
        if (type.hasStaticShape())
          bytes += type.getNumElements() * ((bits + 7) / 8);
      });
      int64_t workspace = 0;
      if (auto w = fn->getAttrOfType<IntegerAttr>("loom.workspace_bytes"))
        workspace = w.getInt();
      perEntry.push_back(b.getNamedAttr(
          fn.getSymName(),
          b.getDictionaryAttr(
              {b.getNamedAttr("buffers", b.getI64IntegerAttr(buffers)),
               b.getNamedAttr("bytes", b.getI64IntegerAttr(bytes)),
               b.getNamedAttr("workspace", b.getI64IntegerAttr(workspace))})));
    }
    module->setAttr("loom.buffer_needs", b.getDictionaryAttr(perEntry));
  }
};
} // namespace
