//===- DropoutToLinalg.cpp - Lower loom.dropout to one linalg.generic -----===//
//
// Inference mode is the identity. Training mode is one elementwise generic:
// the stream key is computed once from (seed, counter) before it, and each
// element hashes its row-major linear index (from linalg.index) with the
// key, keeping the element iff its 24 random bits reach the threshold. The
// integer arithmetic is Random.h's, op for op, so the compiled mask equals
// the reference evaluator's bit for bit.
//
//===----------------------------------------------------------------------===//
#include "Conversion/LoomToLinalg/DropoutToLinalg.h"
#include "Loom/LoomOps.h"
#include "Loom/Random.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace loom;

namespace {

Value i32Const(OpBuilder &b, Location loc, uint32_t v) {
  return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(int32_t(v)));
}

/// rng::mix32 on an i32 value.
Value mix32(OpBuilder &b, Location loc, Value x) {
  auto xorShift = [&](Value v, uint32_t s) {
    return arith::XOrIOp::create(
        b, loc, v, arith::ShRUIOp::create(b, loc, v, i32Const(b, loc, s)));
  };
  x = xorShift(x, 16);
  x = arith::MulIOp::create(b, loc, x, i32Const(b, loc, rng::kMul1));
  x = xorShift(x, 15);
  x = arith::MulIOp::create(b, loc, x, i32Const(b, loc, rng::kMul2));
  return xorShift(x, 16);
}

struct DropoutToGeneric : OpConversionPattern<DropoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DropoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!op.getTraining()) {
      rewriter.replaceOp(op, adaptor.getOperand());
      return success();
    }
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Type f32 = type.getElementType();
    int64_t rank = type.getRank();
    double rate = op.getRate().convertToDouble();

    // key = mix32(seed ^ mix32(counter + golden)), once per execution.
    Value counter = tensor::ExtractOp::create(rewriter, loc,
                                              adaptor.getCounter(), ValueRange{});
    Value c = arith::FPToUIOp::create(rewriter, loc, rewriter.getI32Type(),
                                      counter);
    Value mixedCounter = mix32(
        rewriter, loc,
        arith::AddIOp::create(rewriter, loc, c, i32Const(rewriter, loc, rng::kGolden)));
    Value key = mix32(
        rewriter, loc,
        arith::XOrIOp::create(rewriter, loc,
                              i32Const(rewriter, loc, uint32_t(op.getSeed())),
                              mixedCounter));

    SmallVector<int64_t> strides(rank, 1);
    for (int64_t d = rank - 2; d >= 0; --d)
      strides[d] = strides[d + 1] * type.getDimSize(d + 1);
    Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(), f32);
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getOperand()},
        ValueRange{empty}, ArrayRef<AffineMap>{id, id}, iters,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value linear = arith::ConstantIndexOp::create(b, l, 0);
          for (int64_t d = 0; d < rank; ++d) {
            Value i = linalg::IndexOp::create(b, l, d);
            Value term = arith::MulIOp::create(
                b, l, i, arith::ConstantIndexOp::create(b, l, strides[d]));
            linear = arith::AddIOp::create(b, l, linear, term);
          }
          Value index =
              arith::IndexCastOp::create(b, l, b.getI32Type(), linear);
          Value h = arith::XOrIOp::create(
              b, l,
              arith::MulIOp::create(b, l, index, i32Const(b, l, rng::kGolden)),
              key);
          Value bits = arith::ShRUIOp::create(b, l, mix32(b, l, h),
                                              i32Const(b, l, 8));
          Value keep = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::uge, bits,
              i32Const(b, l, rng::dropThreshold(rate)));
          Value scale = arith::ConstantOp::create(
              b, l, b.getFloatAttr(f32, 1.0 / (1.0 - rate)));
          Value scaled = arith::MulFOp::create(b, l, args[0], scale);
          Value zero = arith::ConstantOp::create(b, l, b.getFloatAttr(f32, 0.0));
          linalg::YieldOp::create(
              b, l, ValueRange{arith::SelectOp::create(b, l, keep, scaled, zero)});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void loom::populateDropoutToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<DropoutToGeneric>(patterns.getContext());
}
