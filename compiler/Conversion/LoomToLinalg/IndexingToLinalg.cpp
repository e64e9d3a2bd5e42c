//===- IndexingToLinalg.cpp - Lower gather, scatter_add, one_hot ----------===//
//
// Every op of the family first turns its f32 indices into a tensor of
// `index` values with one small linalg.generic, the *index check*:
//
//   ok   = 0 <= f < size && floor(f) == f     (false for NaN)
//   scf.if !ok: call loom_rt_report_index_error(f, size, where, what, range)
//   yield ok ? fptosi(f) : fallback
//
// The fallback is 0 for gather (a clamped, in-range read: generated code
// never touches memory outside the table) and -1 for scatter_add and
// one_hot (matches no row: the update is dropped, the row stays zero).
// Converting only checked values also keeps fptosi away from NaN and
// out-of-range floats, which would be poison. The reporting function lives
// in the runtime (runtime/include/loom/rt/RunErrors.h): it records the
// first error of the call on the calling thread, and rt::Session turns it
// into an error Status after the call. `where` (the op's file:line:col),
// `what` (the op's name, or the NameLoc a DSL layer gave it, e.g.
// "embedding") and `range` ("a table of 50 rows") are constant strings in
// LLVM globals, so the message names the user's line.
//
// Then, on the checked indices:
//   gather      -> a generic over the result's space whose body extracts
//                  table[p..., idx[i...], q...] (tensor.extract)
//   scatter_add -> a generic over (result space | index positions) that
//                  adds updates[p..., i..., q...] where idx[i...] equals the
//                  result row: O(rows * indices) but race-free,
//                  deterministic and vectorizable; correct first, fast later
//   one_hot     -> a generic over (index positions, class): idx == class
//
//===----------------------------------------------------------------------===//
#include "LinalgBuild.h"
#include "Conversion/LoomToLinalg/IndexingToLinalg.h"
#include "Loom/LoomOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace loom;

namespace {

using utils::IteratorType;
using linalg_build::filled;
using linalg_build::tensorTypeOf;

/// The runtime's reporting function (runtime/include/loom/rt/RunErrors.h).
constexpr const char *kReportFn = "loom_rt_report_index_error";
constexpr const char *kTextPrefix = "loom_index_text_";

/// Declares the reporting function in `module` once:
///   void (double index, int64_t size, const char *where, const char *what,
///         const char *range)
void declareReportFn(OpBuilder &b, ModuleOp module) {
  if (SymbolTable::lookupSymbolIn(module, kReportFn))
    return;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  Type ptr = LLVM::LLVMPointerType::get(b.getContext());
  auto type =
      b.getFunctionType({b.getF64Type(), b.getI64Type(), ptr, ptr, ptr}, {});
  auto fn = func::FuncOp::create(b, module.getLoc(), kReportFn, type);
  fn.setPrivate();
}

/// The address of a NUL-terminated constant holding `text`, one global per
/// distinct text in the module.
Value stringAddress(OpBuilder &b, Location loc, ModuleOp module,
                    StringRef text) {
  std::string bytes = text.str();
  bytes.push_back('\0');
  std::string name;
  int count = 0;
  for (auto global : module.getOps<LLVM::GlobalOp>()) {
    if (!global.getSymName().starts_with(kTextPrefix))
      continue;
    ++count;
    auto value = dyn_cast_or_null<StringAttr>(global.getValueOrNull());
    if (value && value.getValue() == bytes)
      name = global.getSymName().str();
  }
  if (name.empty()) {
    name = kTextPrefix + std::to_string(count);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    auto type = LLVM::LLVMArrayType::get(b.getI8Type(), bytes.size());
    LLVM::GlobalOp::create(b, loc, type, /*isConstant=*/true,
                           LLVM::Linkage::Internal, name,
                           b.getStringAttr(bytes));
  }
  return LLVM::AddressOfOp::create(
      b, loc, LLVM::LLVMPointerType::get(b.getContext()), name);
}

/// "file:line:col" of the op, as the user wrote it in the model file.
std::string whereOf(Operation *op) {
  if (auto flc = op->getLoc()->findInstanceOf<FileLineColLoc>())
    return (flc.getFilename().str() + ":" + std::to_string(flc.getLine()) +
            ":" + std::to_string(flc.getColumn()));
  return "(unknown location)";
}

/// The name a DSL layer gave the op (a NameLoc such as "embedding"), or the
/// op's own name without the dialect prefix.
std::string whatOf(Operation *op) {
  if (auto name = op->getLoc()->findInstanceOf<NameLoc>())
    return name.getName().str();
  return op->getName().stripDialect().str();
}

/// The index check of the file comment: `indices` (f32) -> tensor of index.
Value checkedIndices(OpBuilder &b, Operation *op, Value indices, int64_t size,
                     int64_t fallback, StringRef range) {
  Location loc = op->getLoc();
  MLIRContext *ctx = b.getContext();
  auto module = op->getParentOfType<ModuleOp>();
  declareReportFn(b, module);
  std::string where = whereOf(op), what = whatOf(op);
  ArrayRef<int64_t> shape = tensorTypeOf(indices).getShape();
  int64_t rank = shape.size();
  Value init = tensor::EmptyOp::create(b, loc, shape, b.getIndexType());
  SmallVector<AffineMap> maps(2, AffineMap::getMultiDimIdentityMap(rank, ctx));
  SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{indices}, ValueRange{init},
      maps, iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value f = args[0];
        Value zero = arith::ConstantOp::create(nb, nloc, nb.getF32FloatAttr(0));
        Value limit = arith::ConstantOp::create(
            nb, nloc, nb.getF32FloatAttr(float(size)));
        Value ge =
            arith::CmpFOp::create(nb, nloc, arith::CmpFPredicate::OGE, f, zero);
        Value lt = arith::CmpFOp::create(nb, nloc, arith::CmpFPredicate::OLT, f,
                                         limit);
        Value floor = math::FloorOp::create(nb, nloc, f);
        Value integral = arith::CmpFOp::create(
            nb, nloc, arith::CmpFPredicate::OEQ, floor, f);
        Value ok = arith::AndIOp::create(
            nb, nloc, arith::AndIOp::create(nb, nloc, ge, lt), integral);
        Value yes = arith::ConstantOp::create(nb, nloc, nb.getBoolAttr(true));
        Value bad = arith::XOrIOp::create(nb, nloc, ok, yes);
        scf::IfOp::create(nb, nloc, bad, [&](OpBuilder &tb, Location tloc) {
          Value index = arith::ExtFOp::create(tb, tloc, tb.getF64Type(), f);
          Value sizeValue =
              arith::ConstantOp::create(tb, tloc, tb.getI64IntegerAttr(size));
          Value texts[] = {stringAddress(tb, tloc, module, where),
                           stringAddress(tb, tloc, module, what),
                           stringAddress(tb, tloc, module, range)};
          func::CallOp::create(
              tb, tloc, kReportFn, TypeRange{},
              ValueRange{index, sizeValue, texts[0], texts[1], texts[2]});
          scf::YieldOp::create(tb, tloc);
        });
        Value safe = arith::SelectOp::create(nb, nloc, ok, f, zero);
        Value wide = arith::FPToSIOp::create(nb, nloc, nb.getI64Type(), safe);
        Value index =
            arith::IndexCastOp::create(nb, nloc, nb.getIndexType(), wide);
        if (fallback != 0)
          index = arith::SelectOp::create(
              nb, nloc, ok, index,
              arith::ConstantIndexOp::create(nb, nloc, fallback));
        linalg::YieldOp::create(nb, nloc, index);
      });
  return generic.getResult(0);
}

/// Dimension expressions d[first], ..., d[first + count - 1].
SmallVector<AffineExpr> dims(int64_t first, int64_t count, MLIRContext *ctx) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = first; d < first + count; ++d)
    exprs.push_back(getAffineDimExpr(d, ctx));
  return exprs;
}

struct GatherToGeneric : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value table = adaptor.getTable();
    ArrayRef<int64_t> tableShape = tensorTypeOf(table).getShape();
    int64_t axis = op.getAxis(), size = tableShape[axis];
    std::string range = axis == 0
                            ? "a table of " + std::to_string(size) + " rows"
                            : "axis " + std::to_string(axis) + " of size " +
                                  std::to_string(size);
    Value idx = checkedIndices(rewriter, op, adaptor.getIndices(), size,
                               /*fallback=*/0, range);
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    int64_t indexRank = tensorTypeOf(idx).getRank();
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, dims(axis, indexRank, ctx), ctx),
        AffineMap::getMultiDimIdentityMap(rank, ctx)};
    SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
    Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         resultType.getElementType());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{idx}, ValueRange{init},
        maps, iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> at;
          for (int64_t d = 0; d < axis; ++d)
            at.push_back(linalg::IndexOp::create(b, l, d));
          at.push_back(args[0]);
          for (int64_t d = axis + indexRank; d < rank; ++d)
            at.push_back(linalg::IndexOp::create(b, l, d));
          Value v = tensor::ExtractOp::create(b, l, table, at);
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct ScatterAddToGeneric : OpConversionPattern<ScatterAddOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ScatterAddOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    int64_t axis = op.getAxis(), size = op.getDimSize();
    std::string range = axis == 0 ? std::to_string(size) + " result rows"
                                  : "axis " + std::to_string(axis) +
                                        " of size " + std::to_string(size);
    Value idx = checkedIndices(rewriter, op, adaptor.getIndices(), size,
                               /*fallback=*/-1, range);
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    int64_t indexRank = tensorTypeOf(idx).getRank();
    int64_t loops = rank + indexRank;
    // Loops: the result's dimensions (parallel), then the index positions
    // (reduction). updates[p..., i..., q...] with p = d[0, axis),
    // i = d[rank, loops), q = d(axis, rank).
    SmallVector<AffineExpr> updateDims = dims(0, axis, ctx);
    llvm::append_range(updateDims, dims(rank, indexRank, ctx));
    llvm::append_range(updateDims, dims(axis + 1, rank - axis - 1, ctx));
    SmallVector<AffineMap> maps = {
        AffineMap::get(loops, 0, updateDims, ctx),
        AffineMap::get(loops, 0, dims(rank, indexRank, ctx), ctx),
        AffineMap::get(loops, 0, dims(0, rank, ctx), ctx)};
    SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
    iterators.append(indexRank, IteratorType::reduction);
    Type et = resultType.getElementType();
    Value zero = arith::ConstantOp::create(rewriter, loc,
                                           rewriter.getFloatAttr(et, 0.0));
    Value init =
        linalg::FillOp::create(rewriter, loc, ValueRange{zero},
                               ValueRange{tensor::EmptyOp::create(
                                   rewriter, loc, resultType.getShape(), et)})
            .getResult(0);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType},
        ValueRange{adaptor.getUpdates(), idx}, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value row = linalg::IndexOp::create(b, l, axis);
          Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                            args[1], row);
          Value z = arith::ConstantOp::create(b, l, b.getFloatAttr(et, 0.0));
          Value v = arith::SelectOp::create(b, l, hit, args[0], z);
          linalg::YieldOp::create(
              b, l, arith::AddFOp::create(b, l, args[2], v).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct OneHotToGeneric : OpConversionPattern<OneHotOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OneHotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    int64_t classes = op.getNumClasses();
    Value idx =
        checkedIndices(rewriter, op, adaptor.getIndices(), classes,
                       /*fallback=*/-1, std::to_string(classes) + " classes");
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, dims(0, rank - 1, ctx), ctx),
        AffineMap::getMultiDimIdentityMap(rank, ctx)};
    SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
    Type et = resultType.getElementType();
    Value init =
        tensor::EmptyOp::create(rewriter, loc, resultType.getShape(), et);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{idx}, ValueRange{init},
        maps, iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value c = linalg::IndexOp::create(b, l, rank - 1);
          Value hit =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, args[0], c);
          Value one = arith::ConstantOp::create(b, l, b.getFloatAttr(et, 1.0));
          Value z = arith::ConstantOp::create(b, l, b.getFloatAttr(et, 0.0));
          linalg::YieldOp::create(
              b, l, arith::SelectOp::create(b, l, hit, one, z).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void loom::populateIndexingToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<GatherToGeneric, ScatterAddToGeneric, OneHotToGeneric>(
      patterns.getContext());
}
