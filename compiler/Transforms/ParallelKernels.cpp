//===- ParallelKernels.cpp - Large kernel loops split over the thread pool --===//
//
// The GEMM and the convolutions run on both cores; before this pass every
// generated kernel (batch norm's statistics and normalization, pointwise
// chains, pooling, fills) ran on one, and in the ResNet training step those
// kernels were about half of the time.
//
// For a linalg op on buffers with enough work (iterations times body ops,
// at least `min-work`), the pass picks the first parallel loop dimension d
// that every operand indexes through a plain `d` result or not at all (and
// every output does), and outlines the op into
//
//   func.func private @K_par0(%ctx: !llvm.ptr, %lo: i64, %hi: i64)
//
// which loads what the op uses from the context struct at %ctx, takes the
// [lo, hi) slice of dimension d of each operand that is indexed by it (a
// memref.subview) and runs a clone of the op on the slices (linalg.index d
// shifted by lo). The op itself becomes
//
//   %ctx = llvm.alloca 1 x !llvm.struct<(captured values)>
//   llvm.store ... (memrefs as their LLVM descriptor structs)
//   call @loom_rt_parallel_for(@K_par0, %ctx, n_d, grain)
//
// The memref <-> descriptor conversions are unrealized_conversion_casts to
// the type finalize-memref-to-llvm gives the memref, which
// reconcile-unrealized-casts removes once both sides are lowered.
//
// Only parallel dimensions are split, so each element is computed by the
// same instructions whichever thread runs it: results do not depend on the
// thread count. `grain` makes every range worth at least half of min-work,
// and a multiple of 16 iterations when d is the innermost loop (whole
// vectors).
//
// Runs on the CPU path only (after -loom-outline-kernels and before
// -loom-reduction-loops, which then lowers the cloned op).
//
//===----------------------------------------------------------------------===//
#include "Passes.h"
#include "RuntimeCall.h"

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

namespace loom {
#define GEN_PASS_DEF_LOOMPARALLELKERNELS
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kParallelFor = "loom_rt_parallel_for";

/// The loop dimension to split `op` along, or -1.
int64_t splitDimension(linalg::LinalgOp op) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (int64_t d = 0, e = iterators.size(); d < e; ++d) {
    if (iterators[d] != utils::IteratorType::parallel)
      continue;
    bool ok = true;
    for (OpOperand &operand : op->getOpOperands()) {
      AffineMap map = op.getMatchingIndexingMap(&operand);
      int uses = 0;
      for (AffineExpr expr : map.getResults()) {
        if (!expr.isFunctionOfDim(d))
          continue;
        ++uses;
        ok &= isa<AffineDimExpr>(expr);
      }
      ok &= uses <= 1;
      if (op.isDpsInit(&operand))
        ok &= uses == 1;
      if (uses)
        ok &= isa<MemRefType>(operand.get().getType());
    }
    if (ok)
      return d;
  }
  return -1;
}

/// Operations per iteration point, roughly: the body's ops and one load or
/// store per operand.
int64_t costPerPoint(linalg::LinalgOp op) {
  int64_t cost = op->getNumOperands();
  if (op->getNumRegions() == 1 && !op->getRegion(0).empty())
    cost += std::distance(op->getRegion(0).front().begin(),
                          op->getRegion(0).front().end()) -
            1;
  return std::max<int64_t>(cost, 1);
}

struct ParallelKernels
    : loom::impl::LoomParallelKernelsBase<ParallelKernels> {
  using LoomParallelKernelsBase::LoomParallelKernelsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::LinalgOp> candidates;
    module.walk([&](linalg::LinalgOp op) {
      if (op.hasPureBufferSemantics() && op->getParentOfType<func::FuncOp>())
        candidates.push_back(op);
    });
    LLVMTypeConverter converter(&getContext());
    SymbolTable symbols(module);
    for (linalg::LinalgOp op : candidates)
      if (failed(parallelize(op, converter, symbols)))
        return signalPassFailure();
  }

  LogicalResult parallelize(linalg::LinalgOp op, LLVMTypeConverter &converter,
                            SymbolTable &symbols);
};

LogicalResult ParallelKernels::parallelize(linalg::LinalgOp op,
                                           LLVMTypeConverter &converter,
                                           SymbolTable &symbols) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (ranges.empty() || llvm::any_of(ranges, ShapedType::isDynamic))
    return success();
  int64_t points = 1;
  for (int64_t r : ranges)
    points *= r;
  int64_t work = points * costPerPoint(op);
  if (work < minWork)
    return success();
  int64_t d = splitDimension(op);
  if (d < 0 || ranges[d] < 2)
    return success();
  // A buffer read and written through different maps (an in-place
  // transpose) makes iterations depend on each other's writes: leave it
  // sequential. The same map (an in-place pointwise op) is fine.
  for (OpOperand &in : op->getOpOperands())
    for (OpOperand &out : op.getDpsInitsMutable())
      if (&in != &out && in.get() == out.get() &&
          op.getMatchingIndexingMap(&in) != op.getMatchingIndexingMap(&out))
        return success();

  // What the clone needs from the kernel: the operands and the values its
  // region uses from above. Constants are cloned instead.
  SetVector<Value> used;
  for (Value operand : op->getOperands())
    used.insert(operand);
  getUsedValuesDefinedAbove(op->getRegions(), used);
  SetVector<Value> captured;
  SmallVector<Operation *> constants;
  for (Value value : used) {
    Operation *def = value.getDefiningOp();
    if (def && def->hasTrait<OpTrait::ConstantLike>())
      constants.push_back(def);
    else
      captured.insert(value);
  }
  MLIRContext *ctx = &getContext();
  Type ptr = LLVM::LLVMPointerType::get(ctx);
  Type i64 = IntegerType::get(ctx, 64);
  SmallVector<Type> fields;
  for (Value value : captured) {
    Type type = value.getType();
    if (isa<MemRefType>(type)) {
      Type descriptor = converter.convertType(type);
      if (!descriptor)
        return success(); // not lowerable as a descriptor: leave it
      fields.push_back(descriptor);
    } else if (type.isIndex()) {
      fields.push_back(i64);
    } else if (type.isIntOrFloat()) {
      fields.push_back(type);
    } else {
      return success();
    }
  }
  auto structType = LLVM::LLVMStructType::getLiteral(ctx, fields);
  Location loc = op.getLoc();
  auto kernel = op->getParentOfType<func::FuncOp>();
  auto module = kernel->getParentOfType<ModuleOp>();

  // The body: fn(ctx, lo, hi).
  OpBuilder b(kernel);
  auto bodyType = b.getFunctionType({ptr, i64, i64}, {});
  auto body =
      func::FuncOp::create(loc, (kernel.getName() + "_par").str(), bodyType);
  body.setPrivate();
  // Renamed (_par_0, ...) if the name is taken.
  symbols.insert(body, std::next(Block::iterator(kernel)));
  Block *entry = body.addEntryBlock();
  b.setInsertionPointToStart(entry);
  Value ctxArg = entry->getArgument(0);
  Value lo = arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                        entry->getArgument(1));
  Value hi = arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                        entry->getArgument(2));
  Value size = arith::SubIOp::create(b, loc, hi, lo);
  IRMapping mapping;
  for (Operation *c : constants)
    b.clone(*c, mapping);
  for (auto [i, value] : llvm::enumerate(captured)) {
    Value field = LLVM::GEPOp::create(
        b, loc, ptr, structType, ctxArg,
        ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(i)});
    Value loaded = LLVM::LoadOp::create(b, loc, fields[i], field);
    Type type = value.getType();
    if (isa<MemRefType>(type))
      loaded = UnrealizedConversionCastOp::create(b, loc, type, loaded)
                   .getResult(0);
    else if (type.isIndex())
      loaded = arith::IndexCastOp::create(b, loc, type, loaded);
    mapping.map(value, loaded);
  }
  // The [lo, hi) slice of each operand indexed by d.
  // One slice per buffer and position, so that an op reading and writing
  // one buffer still sees one value (-loom-reduction-loops checks that).
  SmallVector<Value> operands;
  llvm::DenseMap<std::pair<Value, unsigned>, Value> slices;
  for (OpOperand &operand : op->getOpOperands()) {
    Value value = mapping.lookup(operand.get());
    AffineMap map = op.getMatchingIndexingMap(&operand);
    std::optional<unsigned> pos = map.getResultPosition(b.getAffineDimExpr(d));
    if (!pos) {
      operands.push_back(value);
      continue;
    }
    if (Value slice = slices.lookup({value, *pos})) {
      operands.push_back(slice);
      continue;
    }
    auto type = cast<MemRefType>(value.getType());
    SmallVector<OpFoldResult> offsets, sizes, strides;
    for (int64_t k = 0, e = type.getRank(); k < e; ++k) {
      offsets.push_back(k == *pos ? OpFoldResult(lo) : b.getIndexAttr(0));
      sizes.push_back(k == *pos ? OpFoldResult(size)
                                : memref::getMixedSize(b, loc, value, k));
      strides.push_back(b.getIndexAttr(1));
    }
    operands.push_back(
        memref::SubViewOp::create(b, loc, value, offsets, sizes, strides));
    slices[{value, *pos}] = operands.back();
  }
  Operation *clone = b.clone(*op, mapping);
  clone->setOperands(operands);
  clone->walk([&](linalg::IndexOp index) {
    if (index.getDim() != d)
      return;
    OpBuilder ib(index);
    ib.setInsertionPointAfter(index);
    auto shifted = arith::AddIOp::create(ib, loc, index, lo);
    index.getResult().replaceAllUsesExcept(shifted, shifted);
  });
  func::ReturnOp::create(b, loc);

  // The call in the kernel. The context lives in the kernel's frame.
  b.setInsertionPointToStart(&kernel.getBody().front());
  Value one = LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(1));
  Value ctxPtr = LLVM::AllocaOp::create(b, loc, ptr, structType, one);
  b.setInsertionPoint(op);
  for (auto [i, value] : llvm::enumerate(captured)) {
    Value field = LLVM::GEPOp::create(
        b, loc, ptr, structType, ctxPtr,
        ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(i)});
    Value stored = value;
    if (isa<MemRefType>(value.getType()))
      stored = UnrealizedConversionCastOp::create(b, loc, fields[i], value)
                   .getResult(0);
    else if (value.getType().isIndex())
      stored = arith::IndexCastOp::create(b, loc, i64, value);
    LLVM::StoreOp::create(b, loc, stored, field);
  }
  int64_t perIteration = std::max<int64_t>(work / ranges[d], 1);
  int64_t grain = std::max<int64_t>(
      (minWork / 2 + perIteration - 1) / perIteration, 1);
  if (d == static_cast<int64_t>(ranges.size()) - 1)
    grain = (grain + 15) / 16 * 16;
  loom::declareRuntimeFunction(b, module, kParallelFor,
                               {bodyType, ptr, i64, i64});
  Value fn = func::ConstantOp::create(
      b, loc, bodyType, FlatSymbolRefAttr::get(ctx, body.getName()));
  Value n = arith::ConstantIntOp::create(b, loc, i64, ranges[d]);
  Value g = arith::ConstantIntOp::create(b, loc, i64, grain);
  func::CallOp::create(b, loc, kParallelFor, TypeRange{},
                       ValueRange{fn, ctxPtr, n, g});
  op->erase();
  return success();
}

} // namespace
