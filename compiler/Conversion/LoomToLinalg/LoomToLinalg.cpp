//===- LoomToLinalg.cpp - Lower primitive loom ops to linalg/tensor --------===//
//
// One OpConversionPattern per op family, all on static-shape tensors:
//
//   elementwise (every ElementwiseOpInterface op) -> one linalg.generic whose
//     body is the op's own buildScalar rule; NumPy broadcasting is done by
//     the indexing maps (right-aligned, a broadcast size-1 dim reads index 0)
//   matmul        -> a contraction linalg.generic on a zero-filled init
//   reduce_sum/max -> linalg.generic with reduction iterators on a filled
//     init, then tensor.expand_shape for keepdims
//   reshape       -> tensor.collapse_shape to 1-D + tensor.expand_shape
//   transpose     -> linalg.transpose
//   broadcast_to  -> a copying linalg.generic with broadcasting maps
//   slice         -> tensor.extract_slice; concat -> insert_slice chain
//   pad           -> insert_slice (strided, for interior padding) into zeros
//   stop_gradient -> its operand (it only matters to autodiff)
//   constant      -> arith.constant
//   conv2d, conv2d_transpose, max/avg_pool2d -> ConvToLinalg.cpp
//   dropout, random_normal -> RandomToLinalg.cpp
//   gather, scatter_add, one_hot -> IndexingToLinalg.cpp
//   argmax, cumsum -> ScanToLinalg.cpp
//
// The loom dialect is illegal afterwards, so an op without a pattern (a
// composite that -loom-decompose did not remove) fails the pass with an
// error naming it.
//
//===----------------------------------------------------------------------===//
#include "Passes.h"
#include "Conversion/LoomToLinalg/ConvToLinalg.h"
#include "Conversion/LoomToLinalg/RandomToLinalg.h"
#include "Conversion/LoomToLinalg/IndexingToLinalg.h"
#include "Conversion/LoomToLinalg/ScanToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>
#include <numeric>

namespace loom {
#define GEN_PASS_DEF_CONVERTLOOMTOLINALG
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;
using namespace loom;

namespace {

using utils::IteratorType;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static RankedTensorType tensorTypeOf(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// The indexing map reading an operand of `operandShape` inside a loop nest
/// over `resultShape`, NumPy style: dimensions align from the right, missing
/// leading dimensions are dropped from the map, and an operand dimension of
/// size 1 facing a larger result dimension always reads index 0.
static AffineMap broadcastMap(ArrayRef<int64_t> operandShape,
                              ArrayRef<int64_t> resultShape,
                              MLIRContext *ctx) {
  int64_t offset = int64_t(resultShape.size()) - int64_t(operandShape.size());
  assert(offset >= 0 && "operand has higher rank than the broadcast result");
  SmallVector<AffineExpr> exprs;
  for (auto [d, size] : llvm::enumerate(operandShape)) {
    int64_t loop = offset + int64_t(d);
    if (size == 1 && resultShape[loop] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(loop, ctx));
  }
  return AffineMap::get(resultShape.size(), /*symbolCount=*/0, exprs, ctx);
}

static Value emptyLike(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType());
}

/// An init tensor of `type` filled with the scalar `value`.
static Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                          TypedAttr value) {
  Value scalar = arith::ConstantOp::create(b, loc, value);
  Value empty = emptyLike(b, loc, type);
  return linalg::FillOp::create(b, loc, ValueRange{scalar}, ValueRange{empty})
      .getResult(0);
}

/// A linalg.generic over the iteration space of `resultType` whose inputs
/// are NumPy-broadcast to it and whose body is `scalarRule` on their
/// elements. Shared by every elementwise op and by broadcast_to.
static Value buildBroadcastingGeneric(
    OpBuilder &b, Location loc, RankedTensorType resultType,
    ValueRange inputs,
    function_ref<Value(OpBuilder &, Location, ValueRange)> scalarRule) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> shape = resultType.getShape();
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(broadcastMap(tensorTypeOf(in).getShape(), shape, ctx));
  maps.push_back(AffineMap::getMultiDimIdentityMap(shape.size(), ctx));
  SmallVector<IteratorType> iterators(shape.size(), IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs,
      ValueRange{emptyLike(b, loc, resultType)}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value r = scalarRule(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, r);
      });
  return generic.getResult(0);
}

//===----------------------------------------------------------------------===//
// Elementwise: one pattern for every op with ElementwiseOpInterface
//===----------------------------------------------------------------------===//

struct ElementwiseToGeneric
    : OpInterfaceConversionPattern<ElementwiseOpInterface> {
  using OpInterfaceConversionPattern::OpInterfaceConversionPattern;

  LogicalResult
  matchAndRewrite(ElementwiseOpInterface op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    Operation *raw = op.getOperation();
    if (raw->getNumResults() != 1)
      return rewriter.notifyMatchFailure(raw, "expected one result");
    auto resultType = cast<RankedTensorType>(raw->getResult(0).getType());
    // The scalar rule reads only the op's attributes (e.g. compare's
    // predicate), so calling it on the op being replaced is safe.
    Value result = buildBroadcastingGeneric(
        rewriter, raw->getLoc(), resultType, operands,
        [&](OpBuilder &b, Location loc, ValueRange scalars) {
          return op.buildScalar(b, loc, scalars);
        });
    rewriter.replaceOp(raw, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Constants and matmul
//===----------------------------------------------------------------------===//

struct ConstantToArith : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value)
      return rewriter.notifyMatchFailure(op, "constant value is not typed");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

/// The loop order decides what LLVM can vectorize after
/// convert-linalg-to-loops, which nests loops in iteration-domain order:
///  - (batch..., m, k, n), the i-k-j order, when rhs is read row-wise: the
///    inner loop c[m, :] += a[m, k] * b[k, :] has unit stride everywhere
///    and no loop-carried dependence;
///  - (batch..., m, n, k) when only rhs is transposed (b stored [N, K], as
///    in the backward pass's g @ W^T): the inner loop is a dot product of
///    two unit-stride rows, which LLVM vectorizes as a reduction because
///    the body is marked `reassoc`.
/// The body is marked `contract` so multiply-add becomes FMA. Each
/// operand's batch dimensions broadcast against the result's like an
/// elementwise op; the transpose flags only swap the two matrix expressions
/// of that operand's map.
struct MatmulToGeneric : OpConversionPattern<MatmulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> resultShape = resultType.getShape();
    int64_t batchRank = int64_t(resultShape.size()) - 2;
    int64_t numLoops = batchRank + 3;
    bool dotProduct = op.getTransposeRhs() && !op.getTransposeLhs();
    int64_t kPos = dotProduct ? batchRank + 2 : batchRank + 1;
    AffineExpr m = getAffineDimExpr(batchRank, ctx);
    AffineExpr k = getAffineDimExpr(kPos, ctx);
    AffineExpr n = getAffineDimExpr(dotProduct ? batchRank + 1 : batchRank + 2,
                                    ctx);
    ArrayRef<int64_t> resultBatch = resultShape.drop_back(2);

    auto operandMap = [&](Value v, AffineExpr row, AffineExpr col,
                          bool transposed) {
      ArrayRef<int64_t> batch = tensorTypeOf(v).getShape().drop_back(2);
      AffineMap bmap = broadcastMap(batch, resultBatch, ctx);
      SmallVector<AffineExpr> exprs(bmap.getResults());
      exprs.push_back(transposed ? col : row);
      exprs.push_back(transposed ? row : col);
      return AffineMap::get(numLoops, 0, exprs, ctx);
    };
    SmallVector<AffineExpr> outExprs;
    for (int64_t d = 0; d < batchRank; ++d)
      outExprs.push_back(getAffineDimExpr(d, ctx));
    outExprs.append({m, n});
    SmallVector<AffineMap> maps = {
        operandMap(adaptor.getLhs(), m, k, op.getTransposeLhs()),
        operandMap(adaptor.getRhs(), k, n, op.getTransposeRhs()),
        AffineMap::get(numLoops, 0, outExprs, ctx)};
    SmallVector<IteratorType> iterators(numLoops, IteratorType::parallel);
    iterators[kPos] = IteratorType::reduction;

    Type et = resultType.getElementType();
    Value init = filledTensor(rewriter, loc, resultType,
                              rewriter.getFloatAttr(et, 0.0));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType},
        ValueRange{adaptor.getLhs(), adaptor.getRhs()}, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          auto flags = arith::FastMathFlags::contract;
          if (dotProduct)
            flags = flags | arith::FastMathFlags::reassoc;
          Value prod = arith::MulFOp::create(b, l, args[0], args[1], flags);
          linalg::YieldOp::create(
              b, l, arith::AddFOp::create(b, l, args[2], prod, flags).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// Reassociation from the squeezed reduction result to its keepdims shape:
/// every inserted size-1 dim joins the group of the kept dim before it (or
/// after it, for leading ones). A rank-0 source needs no groups at all.
static SmallVector<ReassociationIndices>
keepdimsReassociation(int64_t rank, ArrayRef<int64_t> axes) {
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices leading;
  for (int64_t d = 0; d < rank; ++d) {
    if (llvm::is_contained(axes, d)) {
      if (groups.empty())
        leading.push_back(d);
      else
        groups.back().push_back(d);
      continue;
    }
    ReassociationIndices group = leading;
    group.push_back(d);
    leading.clear();
    groups.push_back(group);
  }
  return groups;
}

/// reduce_sum and reduce_max: one template, the differences being the init
/// value and the combining op. Max uses arith.maximumf, which propagates
/// NaN like the reference evaluator.
template <typename SourceOp, bool IsMax>
struct ReduceToGeneric : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  using OpAdaptor = typename SourceOp::Adaptor;

  LogicalResult
  matchAndRewrite(SourceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value input = adaptor.getOperand();
    auto inType = tensorTypeOf(input);
    int64_t rank = inType.getRank();
    ArrayRef<int64_t> axes = op.getAxes();
    Type et = inType.getElementType();

    SmallVector<int64_t> squeezed;
    SmallVector<AffineExpr> outExprs;
    SmallVector<IteratorType> iterators;
    for (int64_t d = 0; d < rank; ++d) {
      if (llvm::is_contained(axes, d)) {
        iterators.push_back(IteratorType::reduction);
        continue;
      }
      iterators.push_back(IteratorType::parallel);
      squeezed.push_back(inType.getDimSize(d));
      outExprs.push_back(getAffineDimExpr(d, ctx));
    }
    auto squeezedType = RankedTensorType::get(squeezed, et);
    double initValue =
        IsMax ? -std::numeric_limits<double>::infinity() : 0.0;
    Value init = filledTensor(rewriter, loc, squeezedType,
                              rewriter.getFloatAttr(et, initValue));
    SmallVector<AffineMap> maps = {
        AffineMap::getMultiDimIdentityMap(rank, ctx),
        AffineMap::get(rank, 0, outExprs, ctx)};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{squeezedType}, ValueRange{input},
        ValueRange{init}, maps, iterators,
        [](OpBuilder &b, Location l, ValueRange args) {
          Value r;
          if constexpr (IsMax)
            r = arith::MaximumFOp::create(b, l, args[0], args[1]);
          else
            r = arith::AddFOp::create(b, l, args[0], args[1]);
          linalg::YieldOp::create(b, l, r);
        });
    Value result = generic.getResult(0);
    auto resultType = cast<RankedTensorType>(op.getType());
    if (resultType != squeezedType)
      result = tensor::ExpandShapeOp::create(
          rewriter, loc, resultType, result,
          keepdimsReassociation(rank, axes));
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

/// Any reshape as collapse-to-1-D then expand: both keep row-major order,
/// so this is correct for every pair of shapes, and the canonicalizer folds
/// the pair where a direct collapse or expand would do. Rank 0 on either
/// side is a collapse or expand with no reassociation groups.
struct ReshapeToTensor : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value v = adaptor.getOperand();
    auto inType = tensorTypeOf(v);
    auto outType = cast<RankedTensorType>(op.getType());
    if (inType == outType) {
      rewriter.replaceOp(op, v);
      return success();
    }
    auto all = [](int64_t rank) {
      ReassociationIndices g(rank);
      std::iota(g.begin(), g.end(), 0);
      return SmallVector<ReassociationIndices>{g};
    };
    if (inType.getRank() == 0 || outType.getRank() == 0) {
      // Every dimension of the other side is 1.
      if (inType.getRank() == 0)
        v = tensor::ExpandShapeOp::create(rewriter, loc, outType, v,
                                          ArrayRef<ReassociationIndices>{});
      else
        v = tensor::CollapseShapeOp::create(rewriter, loc, outType, v,
                                            ArrayRef<ReassociationIndices>{});
      rewriter.replaceOp(op, v);
      return success();
    }
    auto flatType = RankedTensorType::get({inType.getNumElements()},
                                          inType.getElementType());
    if (inType.getRank() > 1)
      v = tensor::CollapseShapeOp::create(rewriter, loc, flatType, v,
                                          all(inType.getRank()));
    if (outType.getRank() > 1)
      v = tensor::ExpandShapeOp::create(rewriter, loc, outType, v,
                                        all(outType.getRank()));
    rewriter.replaceOp(op, v);
    return success();
  }
};

struct TransposeToLinalg : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ArrayRef<int64_t> perm = op.getPermutation();
    bool identity = llvm::all_of(llvm::enumerate(perm), [](auto p) {
      return int64_t(p.index()) == p.value();
    });
    if (identity) {
      rewriter.replaceOp(op, adaptor.getOperand());
      return success();
    }
    auto resultType = cast<RankedTensorType>(op.getType());
    Value init = emptyLike(rewriter, op.getLoc(), resultType);
    auto t = linalg::TransposeOp::create(rewriter, op.getLoc(),
                                         adaptor.getOperand(), init, perm);
    rewriter.replaceOp(op, t.getResult());
    return success();
  }
};

struct BroadcastToGeneric : OpConversionPattern<BroadcastToOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BroadcastToOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    if (tensorTypeOf(adaptor.getOperand()) == resultType) {
      rewriter.replaceOp(op, adaptor.getOperand());
      return success();
    }
    Value r = buildBroadcastingGeneric(
        rewriter, op.getLoc(), resultType, ValueRange{adaptor.getOperand()},
        [](OpBuilder &, Location, ValueRange x) { return x[0]; });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct SliceToExtractSlice : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    if (resultType.getRank() == 0) {
      rewriter.replaceOp(op, adaptor.getOperand());
      return success();
    }
    MLIRContext *ctx = rewriter.getContext();
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, resultType, adaptor.getOperand(),
        getAsIndexOpFoldResult(ctx, op.getStart()),
        getAsIndexOpFoldResult(ctx, resultType.getShape()),
        getAsIndexOpFoldResult(ctx, op.getStride()));
    return success();
  }
};

/// A zero-filled tensor of the result type with the operand inserted at
/// offset `low`, stride `interior + 1`: insert_slice covers interior padding,
/// which tensor.pad cannot express.
struct PadToInsertSlice : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    Value in = adaptor.getOperand();
    if (tensorTypeOf(in) == resultType) {
      rewriter.replaceOp(op, in);
      return success();
    }
    MLIRContext *ctx = rewriter.getContext();
    Value zeros =
        filledTensor(rewriter, op.getLoc(), resultType,
                     rewriter.getZeroAttr(resultType.getElementType()));
    SmallVector<int64_t> strides;
    for (int64_t i : op.getInterior())
      strides.push_back(i + 1);
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(
        op, in, zeros, getAsIndexOpFoldResult(ctx, op.getLow()),
        getAsIndexOpFoldResult(ctx, tensorTypeOf(in).getShape()),
        getAsIndexOpFoldResult(ctx, strides));
    return success();
  }
};

/// stop_gradient only matters to autodiff, which runs on the loom graph.
struct EraseStopGradient : OpConversionPattern<StopGradientOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(StopGradientOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getOperand());
    return success();
  }
};

/// tensor.empty, then each input inserted at its running offset along the
/// axis. (tensor.concat would do the same after its own decomposition; the
/// explicit chain bufferizes in place with no extra pass.)
struct ConcatToInsertSlices : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t axis = op.getAxis();
    int64_t rank = resultType.getRank();
    Value acc = emptyLike(rewriter, loc, resultType);
    int64_t offset = 0;
    SmallVector<int64_t> unitStrides(rank, 1);
    for (Value in : adaptor.getInputs()) {
      auto inType = tensorTypeOf(in);
      SmallVector<int64_t> offsets(rank, 0);
      offsets[axis] = offset;
      acc = tensor::InsertSliceOp::create(
          rewriter, loc, in, acc, getAsIndexOpFoldResult(ctx, offsets),
          getAsIndexOpFoldResult(ctx, inType.getShape()),
          getAsIndexOpFoldResult(ctx, unitStrides));
      offset += inType.getDimSize(axis);
    }
    rewriter.replaceOp(op, acc);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct ConvertLoomToLinalg
    : loom::impl::ConvertLoomToLinalgBase<ConvertLoomToLinalg> {
  using ConvertLoomToLinalgBase::ConvertLoomToLinalgBase;
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addIllegalDialect<LoomDialect>();
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect,
                           arith::ArithDialect, math::MathDialect,
                           scf::SCFDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });

    RewritePatternSet patterns(ctx);
    patterns.add<ElementwiseToGeneric, ConstantToArith, MatmulToGeneric,
                 ReduceToGeneric<ReduceSumOp, /*IsMax=*/false>,
                 ReduceToGeneric<ReduceMaxOp, /*IsMax=*/true>,
                 ReshapeToTensor, TransposeToLinalg, BroadcastToGeneric,
                 SliceToExtractSlice, ConcatToInsertSlices, PadToInsertSlice,
                 EraseStopGradient>(ctx);
    std::optional<ConvAlgorithm> conv = parseConvAlgorithm(convAlgorithm);
    if (!conv) {
      getOperation()->emitError()
          << "unknown convolution algorithm '" << convAlgorithm
          << "' (conv-algorithm or LOOM_CONV_ALGORITHM: measure, im2col, "
             "direct or static)";
      return signalPassFailure();
    }
    populateConvToLinalgPatterns(patterns, *conv);
    populateRandomToLinalgPatterns(patterns);
    populateIndexingToLinalgPatterns(patterns);
    populateScanToLinalgPatterns(patterns);

    // Composites have no pattern on purpose; say what to do about them.
    // Any other loom op left unconverted fails applyFullConversion with
    // "failed to legalize operation 'loom.<name>'".
    WalkResult composite = getOperation()->walk([&](Operation *op) {
      if (!isa<SoftmaxOp, LogSoftmaxOp, ReduceMeanOp, LayerNormOp, BatchNormOp,
               AttentionOp, LstmOp, GruOp, LstmGradOp, GruGradOp>(op))
        return WalkResult::advance();
      op->emitOpError("is a composite with no lowering to linalg; run "
                      "-loom-decompose first");
      return WalkResult::interrupt();
    });
    if (composite.wasInterrupted())
      return signalPassFailure();

    if (failed(applyFullConversion(getOperation(), target,
                                   std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
