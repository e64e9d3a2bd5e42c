//===- OutlineKernels.cpp - One function per linalg op ----------------------===//
//
// After bufferization an entry function is a sequence of allocations, copies
// and linalg ops on memrefs. Each linalg op moves into a private function
// (a kernel) that the entry calls; the kernel takes the op's operands and the
// values its body captures from above (scalars such as dropout's stream
// key), except constants, which are cloned into the kernel so LLVM still
// sees them. Kernels are `noinline`: inlined back, the entry would again be
// one huge function whose thousand loop nests make LLVM's ScalarEvolution
// and dominator updates quadratic (measured on the Transformer example:
// 91% of a 54 s compile in LLVM, led by SCEV's guard walks).
//
// The optimizer's updates are the exception: a run of linalg ops that write
// only the entry's new parameters and optimizer states (arguments marked
// loom.param_update / loom.state_update), with nothing but memory-effect-
// free ops between them, becomes one kernel with one loop nest per
// parameter (each already one fused loop for weight, moments and state):
// one call for the whole parameter group.
//
//===----------------------------------------------------------------------===//
#include "Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

namespace loom {
#define GEN_PASS_DEF_LOOMOUTLINEKERNELS
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;

namespace {

struct LoomOutlineKernels
    : loom::impl::LoomOutlineKernelsBase<LoomOutlineKernels> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> entries;
    for (auto fn : module.getOps<func::FuncOp>())
      if (!fn.isExternal() && fn.isPublic())
        entries.push_back(fn);
    for (func::FuncOp fn : entries) {
      SmallVector<linalg::LinalgOp> ops;
      fn.walk([&](linalg::LinalgOp op) { ops.push_back(op); });
      unsigned next = 0;
      for (ArrayRef<Operation *> group : groups(ops, fn))
        if (failed(outline(group, fn, symbols, next)))
          return signalPassFailure();
    }
  }

  /// Whether every buffer `op` writes is (a view of) one of the entry's
  /// optimizer outputs: a new parameter or optimizer state.
  static bool updatesParameters(linalg::LinalgOp op, func::FuncOp entry) {
    if (op.getNumDpsInits() == 0)
      return false;
    for (Value v : op.getDpsInits()) {
      while (Operation *def = v.getDefiningOp()) {
        auto view = dyn_cast<ViewLikeOpInterface>(def);
        if (!view)
          return false;
        v = view.getViewSource();
      }
      auto arg = dyn_cast<BlockArgument>(v);
      if (!arg || arg.getOwner() != &entry.getBody().front() ||
          !(entry.getArgAttr(arg.getArgNumber(), "loom.param_update") ||
            entry.getArgAttr(arg.getArgNumber(), "loom.state_update")))
        return false;
    }
    return true;
  }

  /// The kernels of `ops`, each a list of linalg ops: one op each, except
  /// that a run of optimizer updates (each writing only new parameters or
  /// states, in one block, with nothing but memory-effect-free ops such as
  /// views between them) is one kernel: one call per parameter group.
  static SmallVector<SmallVector<Operation *>>
  groups(ArrayRef<linalg::LinalgOp> ops, func::FuncOp entry) {
    SmallVector<SmallVector<Operation *>> out;
    bool lastIsUpdate = false;
    for (linalg::LinalgOp op : ops) {
      Operation *raw = op.getOperation();
      bool update = updatesParameters(op, entry);
      if (update && lastIsUpdate &&
          out.back().back()->getBlock() == raw->getBlock()) {
        bool onlyPure = true;
        for (Operation *o = out.back().back()->getNextNode(); o && o != raw;
             o = o->getNextNode())
          onlyPure &= isMemoryEffectFree(o);
        if (onlyPure) {
          out.back().push_back(raw);
          continue;
        }
      }
      out.push_back({raw});
      lastIsUpdate = update;
    }
    return out;
  }

  /// Moves `ops` (in order) into one new kernel, called where the last of
  /// them was: everything between them is free of memory effects, so the
  /// earlier ones may run later.
  LogicalResult outline(ArrayRef<Operation *> ops, func::FuncOp entry,
                        SymbolTable &symbols, unsigned &next) {
    Operation *raw = ops.back();
    // Arguments: the operands, then captured non-constant values.
    llvm::SetVector<Value> args;
    SmallVector<Operation *> constants;
    for (Operation *op : ops) {
      if (op->getNumResults() != 0)
        return op->emitOpError("still has tensor results after bufferization");
      args.insert(op->operand_begin(), op->operand_end());
      llvm::SetVector<Value> captured;
      getUsedValuesDefinedAbove(op->getRegions(), captured);
      for (Value v : captured) {
        Operation *def = v.getDefiningOp();
        if (def && def->hasTrait<OpTrait::ConstantLike>()) {
          if (!llvm::is_contained(constants, def))
            constants.push_back(def);
        } else {
          args.insert(v);
        }
      }
    }

    OpBuilder b(entry);
    Location loc = raw->getLoc();
    SmallVector<Type> types;
    for (Value v : args)
      types.push_back(v.getType());
    std::string name;
    do
      name = (entry.getSymName() + "_k" + Twine(next++)).str();
    while (symbols.lookup(name));
    auto kernel =
        func::FuncOp::create(b, loc, name, b.getFunctionType(types, {}));
    kernel.setPrivate();
    kernel->setAttr("passthrough", b.getArrayAttr({b.getStringAttr("noinline")}));
    symbols.insert(kernel, Block::iterator(entry));

    Block *body = kernel.addEntryBlock();
    OpBuilder kb = OpBuilder::atBlockEnd(body);
    IRMapping map;
    map.map(args.getArrayRef(), body->getArguments());
    for (Operation *c : constants)
      kb.clone(*c, map);
    for (Operation *op : ops)
      kb.clone(*op, map);
    func::ReturnOp::create(kb, loc);

    OpBuilder call(raw);
    func::CallOp::create(call, loc, kernel, args.getArrayRef());
    for (Operation *op : ops)
      op->erase();
    return success();
  }
};

} // namespace
