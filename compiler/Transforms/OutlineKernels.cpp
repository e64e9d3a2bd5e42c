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
//===----------------------------------------------------------------------===//
#include "Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
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
      for (linalg::LinalgOp op : ops)
        if (failed(outline(op, fn, symbols, next)))
          return signalPassFailure();
    }
  }

  LogicalResult outline(linalg::LinalgOp op, func::FuncOp entry,
                        SymbolTable &symbols, unsigned &next) {
    Operation *raw = op.getOperation();
    if (raw->getNumResults() != 0)
      return raw->emitOpError("still has tensor results after bufferization");
    // Arguments: the operands, then captured non-constant values.
    llvm::SetVector<Value> captured;
    getUsedValuesDefinedAbove(raw->getRegions(), captured);
    llvm::SetVector<Value> args(raw->operand_begin(), raw->operand_end());
    SmallVector<Operation *> constants;
    for (Value v : captured) {
      Operation *def = v.getDefiningOp();
      if (def && def->hasTrait<OpTrait::ConstantLike>())
        constants.push_back(def);
      else
        args.insert(v);
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
    kb.clone(*raw, map);
    func::ReturnOp::create(kb, loc);

    OpBuilder call(raw);
    func::CallOp::create(call, loc, kernel, args.getArrayRef());
    raw->erase();
    return success();
  }
};

} // namespace
