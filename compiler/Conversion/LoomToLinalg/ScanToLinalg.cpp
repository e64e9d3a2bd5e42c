//===- ScanToLinalg.cpp - Lower argmax and cumsum -------------------------===//
//
// The ops that walk one axis in order:
//
//   argmax -> one linalg.generic reducing along the axis into two results,
//             the running maximum and its position (as f32). The combining
//             rule does not depend on the order the reduction visits the
//             elements (an element wins if it is NaN and the maximum so far
//             is not, if it is larger, or if it ties, NaN or not, at a lower
//             position), so tiling or reordering the reduction later keeps
//             "the first NaN, else the first maximum".
//   cumsum -> an scf.for over the axis carrying the running sum of one
//             slice (the operand's shape with size 1 along the axis) and
//             the result: each step adds the operand's slice at the step's
//             position into the sum (an elementwise linalg.generic that
//             updates the carried sum in place) and inserts the sum into
//             the result, before the addition for `exclusive`; `reverse`
//             walks the positions from the end. O(size) work, and both
//             carried tensors bufferize in place (no allocation per step).
//             A linalg.generic cannot express the carried dependence, and
//             the masked all-pairs sum it could express is O(n^2).
//
//===----------------------------------------------------------------------===//
#include "LinalgBuild.h"
#include "Conversion/LoomToLinalg/ScanToLinalg.h"
#include "Loom/LoomOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;
using namespace loom;

namespace {

using utils::IteratorType;
using linalg_build::filled;
using linalg_build::tensorTypeOf;

/// Reassociation that re-inserts a unit dimension at `axis` into a tensor
/// of rank `rank - 1`: the unit joins the group of the dimension before it
/// (the one after it when it leads). A rank-0 source needs no groups.
SmallVector<ReassociationIndices> unitDimReassociation(int64_t rank,
                                                       int64_t axis) {
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d < rank; ++d) {
    if (d == axis && !groups.empty())
      groups.back().push_back(d);
    else if (d == axis + 1 && axis == 0)
      groups.push_back({0, d});
    else if (d != axis)
      groups.push_back({d});
  }
  return groups;
}

struct ArgmaxToGeneric : OpConversionPattern<ArgmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ArgmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value x = adaptor.getOperand();
    auto inType = tensorTypeOf(x);
    int64_t rank = inType.getRank(), axis = op.getAxis();
    Type et = inType.getElementType();

    SmallVector<int64_t> squeezed(inType.getShape());
    squeezed.erase(squeezed.begin() + axis);
    SmallVector<AffineExpr> outExprs;
    SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
    iterators[axis] = IteratorType::reduction;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        outExprs.push_back(getAffineDimExpr(d, ctx));
    AffineMap outMap = AffineMap::get(rank, 0, outExprs, ctx);
    SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(rank, ctx),
                                   outMap, outMap};
    Value maxInit = filled(rewriter, loc, squeezed, et,
                           -std::numeric_limits<double>::infinity());
    Value posInit = filled(rewriter, loc, squeezed, et, 0.0);
    auto squeezedType = RankedTensorType::get(squeezed, et);

    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{squeezedType, squeezedType}, ValueRange{x},
        ValueRange{maxInit, posInit}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value v = args[0], best = args[1], bestPos = args[2];
          Value index = linalg::IndexOp::create(b, l, axis);
          Value pos = arith::SIToFPOp::create(
              b, l, et,
              arith::IndexCastOp::create(b, l, b.getI64Type(), index));
          auto cmp = [&](arith::CmpFPredicate p, Value lhs, Value rhs) {
            return arith::CmpFOp::create(b, l, p, lhs, rhs).getResult();
          };
          using P = arith::CmpFPredicate;
          Value vNaN = cmp(P::UNO, v, v), bestNaN = cmp(P::UNO, best, best);
          Value earlier = cmp(P::OLT, pos, bestPos);
          // NaN over a number, a larger number, or a tie (two equal numbers
          // or two NaNs) at a lower position.
          Value nanOverNumber = arith::AndIOp::create(
              b, l, vNaN,
              arith::XOrIOp::create(b, l, bestNaN,
                                    arith::ConstantIntOp::create(b, l, 1, 1)));
          Value tie =
              arith::OrIOp::create(b, l, cmp(P::OEQ, v, best),
                                   arith::AndIOp::create(b, l, vNaN, bestNaN));
          Value take = arith::OrIOp::create(
              b, l,
              arith::OrIOp::create(b, l, nanOverNumber, cmp(P::OGT, v, best)),
              arith::AndIOp::create(b, l, tie, earlier));
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, take, v, best),
                         arith::SelectOp::create(b, l, take, pos, bestPos)});
        });
    Value result = generic.getResult(1);
    if (op.getKeepdims())
      result =
          tensor::ExpandShapeOp::create(rewriter, loc, op.getType(), result,
                                        unitDimReassociation(rank, axis));
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct CumsumToLoop : OpConversionPattern<CumsumOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(CumsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    Value x = adaptor.getOperand();
    auto type = tensorTypeOf(x);
    int64_t rank = type.getRank(), axis = op.getAxis();
    int64_t size = type.getDimSize(axis);
    Type et = type.getElementType();
    bool reverse = op.getReverse(), exclusive = op.getExclusive();

    SmallVector<int64_t> sliceShape(type.getShape());
    sliceShape[axis] = 1;
    auto sliceType = RankedTensorType::get(sliceShape, et);
    Value sum0 = filled(rewriter, loc, sliceShape, et, 0.0);
    Value result0 = tensor::EmptyOp::create(rewriter, loc, type.getShape(), et);
    Value lb = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value ub = arith::ConstantIndexOp::create(rewriter, loc, size);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value last = arith::ConstantIndexOp::create(rewriter, loc, size - 1);

    SmallVector<AffineMap> maps(2,
                                AffineMap::getMultiDimIdentityMap(rank, ctx));
    SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
    SmallVector<OpFoldResult> sizes = getAsIndexOpFoldResult(ctx, sliceShape);
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));

    auto loop = scf::ForOp::create(
        rewriter, loc, lb, ub, one, ValueRange{result0, sum0},
        [&](OpBuilder &b, Location l, Value k, ValueRange carried) {
          Value pos =
              reverse ? arith::SubIOp::create(b, l, last, k).getResult() : k;
          SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
          offsets[axis] = pos;
          Value result = carried[0], sum = carried[1];
          auto insert = [&](Value s) {
            return tensor::InsertSliceOp::create(b, l, s, result, offsets,
                                                 sizes, strides)
                .getResult();
          };
          if (exclusive)
            result = insert(sum);
          Value xs = tensor::ExtractSliceOp::create(b, l, sliceType, x, offsets,
                                                    sizes, strides);
          sum = linalg::GenericOp::create(
                    b, l, TypeRange{sliceType}, ValueRange{xs}, ValueRange{sum},
                    maps, iterators,
                    [](OpBuilder &nb, Location nl, ValueRange args) {
                      linalg::YieldOp::create(
                          nb, nl,
                          arith::AddFOp::create(nb, nl, args[1], args[0])
                              .getResult());
                    })
                    .getResult(0);
          if (!exclusive)
            result = insert(sum);
          scf::YieldOp::create(b, l, ValueRange{result, sum});
        });
    rewriter.replaceOp(op, loop.getResult(0));
    return success();
  }
};

} // namespace

void loom::populateScanToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ArgmaxToGeneric, CumsumToLoop>(patterns.getContext());
}
