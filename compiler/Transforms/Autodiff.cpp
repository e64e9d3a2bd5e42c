//===- Autodiff.cpp - Reverse-mode differentiation of loom graphs ---------===//
//
// buildGradients is one reverse sweep over a block: two cheap dataflow
// scans find the values that both depend on a `wrt` value and lead to the
// loss (the only ones worth a gradient), then the ops are visited in
// reverse order and each reached op's GradientOpInterface rule turns its
// results' gradients into its operands'. Fan-out is summed with loom.add.
// The engine knows no op by name: an op without a rule on the loss's path
// is a diagnostic at that op's location (the user's model line).
//
// -loom-autodiff wraps it: every function whose first result is marked
// `loom.loss` gets a sibling `@<name>_grad` returning the loss and the
// gradient of each trainable parameter.
//
//===----------------------------------------------------------------------===//
#include "Transforms/Autodiff.h"

#include "Loom/GradientUtils.h"
#include "Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"

namespace loom {
#define GEN_PASS_DEF_LOOMAUTODIFF
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;
using namespace loom;

//===----------------------------------------------------------------------===//
// The engine
//===----------------------------------------------------------------------===//

namespace {
/// Records the ops the sweep creates, so the unneeded ones can be erased;
/// forwards every notification to the caller's own listener, if any.
struct CreatedOps : OpBuilder::Listener {
  explicit CreatedOps(OpBuilder::Listener *next) : next(next) {}
  void notifyOperationInserted(Operation *op,
                               OpBuilder::InsertPoint previous) override {
    ops.push_back(op);
    if (next)
      next->notifyOperationInserted(op, previous);
  }
  void notifyBlockInserted(Block *block, Region *previous,
                           Region::iterator previousIt) override {
    if (next)
      next->notifyBlockInserted(block, previous, previousIt);
  }
  OpBuilder::Listener *next;
  SmallVector<Operation *> ops;
};
} // namespace

/// Erases the sweep's ops whose results nobody uses, newest first (so a
/// chain dies whole), keeping those that produce a returned gradient.
static void eraseUnused(ArrayRef<Operation *> created,
                        ArrayRef<Value> returned) {
  llvm::SmallPtrSet<Operation *, 8> keep;
  for (Value v : returned)
    if (Operation *def = v.getDefiningOp())
      keep.insert(def);
  for (Operation *op : llvm::reverse(created))
    if (!keep.contains(op) && isOpTriviallyDead(op))
      op->erase();
}

/// Seeds d(loss)/d(loss) = 1 and runs every reached op's rule, newest op
/// first, accumulating into `grads` the gradient of every active value.
static LogicalResult reverseSweep(OpBuilder &sweep, Location loc, Value loss,
                                  ArrayRef<Operation *> forward,
                                  function_ref<bool(Value)> active,
                                  DenseMap<Value, Value> &grads) {
  if (active(loss))
    grads[loss] = grad::scalarLike(sweep, loc, loss, 1.0);

  for (Operation *op : llvm::reverse(forward)) {
    bool reached =
        llvm::any_of(op->getResults(), [&](Value r) { return grads.count(r); });
    if (!reached || !llvm::any_of(op->getOperands(), active))
      continue;
    auto rule = dyn_cast<GradientOpInterface>(op);
    if (!rule)
      return op->emitError()
             << "'" << op->getName()
             << "' has no gradient rule (needed to differentiate the loss)";
    SmallVector<Value> resultGrads;
    for (Value r : op->getResults()) {
      Value g = grads.lookup(r);
      if (!g && grad::isDifferentiable(r))
        g = grad::zerosOf(sweep, op->getLoc(), grad::typeOf(r));
      resultGrads.push_back(g);
    }
    SmallVector<Value> operandGrads;
    if (failed(rule.buildVJP(sweep, resultGrads, operandGrads)))
      return failure();
    if (operandGrads.size() != op->getNumOperands())
      return op->emitError()
             << "gradient rule of '" << op->getName() << "' gave "
             << operandGrads.size() << " gradients for " << op->getNumOperands()
             << " operands";
    for (auto [i, operand] : llvm::enumerate(op->getOperands())) {
      Value g = operandGrads[i];
      if (!g || !active(operand))
        continue;
      if (g.getType() != operand.getType())
        return op->emitError() << "gradient rule of '" << op->getName()
                               << "' gave " << g.getType() << " for operand #"
                               << i << " of type " << operand.getType();
      auto [it, inserted] = grads.try_emplace(operand, g);
      if (!inserted)
        it->second = AddOp::create(sweep, op->getLoc(), it->second, g);
    }
  }
  return success();
}

FailureOr<SmallVector<Value>> loom::buildGradients(OpBuilder &b, Location loc,
                                                   Value loss,
                                                   ArrayRef<Value> wrt) {
  auto lossType = dyn_cast<RankedTensorType>(loss.getType());
  if (!lossType || lossType.getRank() != 0 ||
      !lossType.getElementType().isF32())
    return emitError(loc) << "the loss must be a rank-0 f32 tensor "
                             "(reduce it to a scalar first), got "
                          << loss.getType();
  Block *block = b.getInsertionBlock();
  if (!block)
    return emitError(loc) << "gradients need an insertion point in a block";
  for (Value w : wrt)
    if (!grad::isDifferentiable(w))
      return emitError(w.getLoc())
             << "cannot differentiate with respect to a value of type "
             << w.getType() << " (float tensors only)";

  // The forward ops: everything in the block before the insertion point.
  SmallVector<Operation *> forward;
  for (auto it = block->begin(); it != b.getInsertionPoint(); ++it)
    forward.push_back(&*it);
  Operation *lossDef = loss.getDefiningOp();
  bool lossInScope = lossDef ? llvm::is_contained(forward, lossDef)
                             : cast<BlockArgument>(loss).getOwner() == block;
  if (!lossInScope)
    return emitError(loc) << "the loss must be computed in the block where "
                             "its gradients are built, before them";

  // Values that depend on some wrt value, and values the loss depends on.
  llvm::DenseSet<Value> varies(wrt.begin(), wrt.end());
  for (Operation *op : forward)
    if (llvm::any_of(op->getOperands(),
                     [&](Value v) { return varies.contains(v); }))
      varies.insert(op->result_begin(), op->result_end());
  llvm::DenseSet<Value> useful = {loss};
  for (Operation *op : llvm::reverse(forward))
    if (llvm::any_of(op->getResults(),
                     [&](Value v) { return useful.contains(v); }))
      useful.insert(op->operand_begin(), op->operand_end());
  auto active = [&](Value v) {
    return varies.contains(v) && useful.contains(v) &&
           grad::isDifferentiable(v);
  };

  CreatedOps created(b.getListener());
  OpBuilder sweep(block, b.getInsertionPoint(), &created);
  DenseMap<Value, Value> grads;
  if (failed(reverseSweep(sweep, loc, loss, forward, active, grads))) {
    // The partial sweep's ops only use each other: drop them newest first.
    if (!b.getListener())
      for (Operation *op : llvm::reverse(created.ops))
        op->erase();
    return failure();
  }

  SmallVector<Value> result;
  for (Value w : wrt) {
    Value g = grads.lookup(w);
    result.push_back(g ? g : grad::zerosOf(sweep, loc, grad::typeOf(w)));
  }
  if (!b.getListener())
    eraseUnused(created.ops, result);
  return result;
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {

/// The signature convention (see compiler/Target/CPU/Signature.cpp) plus
/// the two attributes of differentiation.
constexpr const char *kLoss = "loom.loss";
constexpr const char *kGrad = "loom.grad";
constexpr const char *kParam = "loom.param";
constexpr const char *kTrainable = "loom.trainable";

struct LoomAutodiff : loom::impl::LoomAutodiffBase<LoomAutodiff> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> withLoss;
    for (auto fn : module.getOps<func::FuncOp>())
      if (!fn.isExternal() && fn.getNumResults() > 0 &&
          fn.getResultAttr(0, kLoss))
        withLoss.push_back(fn);
    for (func::FuncOp fn : withLoss)
      if (failed(buildGradFunction(fn, symbols)))
        return signalPassFailure();
  }

  /// The arguments to differentiate, with their gradients' names: the
  /// trainable f32 parameters, or every f32 argument of a function that
  /// declares no parameters.
  static void chooseArguments(func::FuncOp fn, SmallVectorImpl<unsigned> &args,
                              SmallVectorImpl<std::string> &names) {
    bool declaresParams = false;
    for (unsigned i = 0; i < fn.getNumArguments(); ++i)
      declaresParams |= bool(fn.getArgAttr(i, kParam));
    for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
      auto type = dyn_cast<RankedTensorType>(fn.getArgumentTypes()[i]);
      if (!type || !type.getElementType().isF32())
        continue; // an i1 mask has no gradient, parameter or not
      if (!declaresParams) {
        args.push_back(i);
        names.push_back("arg" + std::to_string(i));
        continue;
      }
      auto name = fn.getArgAttrOfType<StringAttr>(i, kParam);
      auto trainable = fn.getArgAttrOfType<BoolAttr>(i, kTrainable);
      if (!name || (trainable && !trainable.getValue()))
        continue;
      args.push_back(i);
      names.push_back(name.str());
    }
  }

  LogicalResult buildGradFunction(func::FuncOp fn, SymbolTable &symbols) {
    std::string name = (fn.getName() + "_grad").str();
    if (symbols.lookup(name))
      return fn.emitError() << "cannot create @" << name
                            << " for the loss's gradients: the name is taken";
    if (!fn.getBody().hasOneBlock())
      return fn.emitError() << "autodiff needs a single-block function";

    func::FuncOp gradFn = fn.clone();
    gradFn.setSymName(name);
    symbols.insert(gradFn, std::next(Block::iterator(fn)));
    Block &body = gradFn.getBody().front();
    auto ret = cast<func::ReturnOp>(body.getTerminator());
    Value loss = ret.getOperand(0);

    SmallVector<unsigned> args;
    SmallVector<std::string> names;
    chooseArguments(fn, args, names);
    SmallVector<Value> wrt;
    for (unsigned i : args)
      wrt.push_back(body.getArgument(i));

    OpBuilder b(ret);
    FailureOr<SmallVector<Value>> grads =
        buildGradients(b, loss.getLoc(), loss, wrt);
    if (failed(grads)) {
      gradFn.erase();
      return failure();
    }

    SmallVector<Value> results = {loss};
    results.append(grads->begin(), grads->end());
    func::ReturnOp::create(b, ret.getLoc(), results);
    ret.erase();

    MLIRContext *ctx = fn.getContext();
    SmallVector<Type> resultTypes;
    SmallVector<DictionaryAttr> resultAttrs = {fn.getResultAttrDict(0)};
    for (auto [g, gradName] : llvm::zip(*grads, names)) {
      resultTypes.push_back(g.getType());
      resultAttrs.push_back(DictionaryAttr::get(
          ctx, {NamedAttribute(StringAttr::get(ctx, kGrad),
                               StringAttr::get(ctx, gradName))}));
    }
    resultTypes.insert(resultTypes.begin(), loss.getType());
    gradFn.setFunctionType(
        FunctionType::get(ctx, fn.getArgumentTypes(), resultTypes));
    gradFn.setAllResultAttrs(resultAttrs);

    // The forward ops of the function's other results are dead here.
    for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
      if (isOpTriviallyDead(&op))
        op.erase();
    return success();
  }
};

} // namespace
