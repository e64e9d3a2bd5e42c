//===- RandomToLinalg.cpp - dropout and random_normal to linalg.generic ---===//
//
// The ops of the counter-based generator (Random.h), one elementwise
// generic each: the stream key is computed once from (seed, counter) before
// it, and each element hashes its row-major linear index (from
// linalg.index) with the key. The integer arithmetic is Random.h's, op for
// op, so the compiled bits equal the reference evaluator's.
//
// dropout: the identity in inference mode; in training mode an element is
// kept iff its 24 random bits reach the threshold.
// random_normal: Box-Muller on the bits of indices 2i and 2i+1, in f32
// (log, sqrt, cos from the math dialect), so it matches the reference's
// double formula to f32 rounding. Without a counter the counter is 0.
//
//===----------------------------------------------------------------------===//
#include "Conversion/LoomToLinalg/RandomToLinalg.h"
#include "Loom/LoomOps.h"
#include "Loom/Random.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
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

/// The stream key mix32(seed ^ mix32(counter + golden)) of a rank-0 f32
/// counter tensor, once per execution.
Value streamKey(OpBuilder &b, Location loc, Value counterTensor,
                uint32_t seed) {
  Value counter =
      tensor::ExtractOp::create(b, loc, counterTensor, ValueRange{});
  Value c = arith::FPToUIOp::create(b, loc, b.getI32Type(), counter);
  Value mixedCounter = mix32(
      b, loc, arith::AddIOp::create(b, loc, c, i32Const(b, loc, rng::kGolden)));
  return mix32(
      b, loc,
      arith::XOrIOp::create(b, loc, i32Const(b, loc, seed), mixedCounter));
}

/// The row-major linear index of the current element of a generic over
/// `type`, as i32.
Value linearIndex(OpBuilder &b, Location l, RankedTensorType type) {
  int64_t rank = type.getRank();
  SmallVector<int64_t> strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * type.getDimSize(d + 1);
  Value linear = arith::ConstantIndexOp::create(b, l, 0);
  for (int64_t d = 0; d < rank; ++d) {
    Value i = linalg::IndexOp::create(b, l, d);
    Value term = arith::MulIOp::create(
        b, l, i, arith::ConstantIndexOp::create(b, l, strides[d]));
    linear = arith::AddIOp::create(b, l, linear, term);
  }
  return arith::IndexCastOp::create(b, l, b.getI32Type(), linear);
}

/// rng::bits24(key, index).
Value bits24(OpBuilder &b, Location l, Value key, Value index) {
  Value h = arith::XOrIOp::create(
      b, l, arith::MulIOp::create(b, l, index, i32Const(b, l, rng::kGolden)),
      key);
  return arith::ShRUIOp::create(b, l, mix32(b, l, h), i32Const(b, l, 8));
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
    Value key =
        streamKey(rewriter, loc, adaptor.getCounter(), uint32_t(op.getSeed()));
    Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(), f32);
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getOperand()},
        ValueRange{empty}, ArrayRef<AffineMap>{id, id}, iters,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value bits = bits24(b, l, key, linearIndex(b, l, type));
          Value keep =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::uge, bits,
                                    i32Const(b, l, rng::dropThreshold(rate)));
          Value scale = arith::ConstantOp::create(
              b, l, b.getFloatAttr(f32, 1.0 / (1.0 - rate)));
          Value scaled = arith::MulFOp::create(b, l, args[0], scale);
          Value zero =
              arith::ConstantOp::create(b, l, b.getFloatAttr(f32, 0.0));
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, keep, scaled, zero)});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct RandomNormalToGeneric : OpConversionPattern<RandomNormalOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RandomNormalOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Type f32 = type.getElementType();
    int64_t rank = type.getRank();
    Value counter = adaptor.getCounter();
    if (!counter) // inference mode draws the counter-0 stream
      counter = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(RankedTensorType::get({}, f32),
                                 rewriter.getF32FloatAttr(0.0f)));
    // normalKey = mix32(streamKey ^ salt), once per execution.
    // (One op per statement where two would be built: C++ leaves the order
    // of evaluating call arguments open, and the IR must not depend on the
    // host compiler.)
    Value stream = streamKey(rewriter, loc, counter, uint32_t(op.getSeed()));
    Value salt = i32Const(rewriter, loc, rng::kNormalSalt);
    Value key = mix32(rewriter, loc,
                      arith::XOrIOp::create(rewriter, loc, stream, salt));
    Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(), f32);
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{}, ValueRange{empty},
        ArrayRef<AffineMap>{id}, iters,
        [&](OpBuilder &b, Location l, ValueRange) {
          auto fc = [&](double v) {
            return arith::ConstantOp::create(b, l, b.getFloatAttr(f32, v));
          };
          Value index = linearIndex(b, l, type);
          Value two = i32Const(b, l, 2);
          Value twice = arith::MulIOp::create(b, l, index, two);
          Value next = arith::AddIOp::create(b, l, twice, i32Const(b, l, 1));
          Value b1 =
              arith::UIToFPOp::create(b, l, f32, bits24(b, l, key, twice));
          Value b2 =
              arith::UIToFPOp::create(b, l, f32, bits24(b, l, key, next));
          // u1 = (b1 + 0.5) / 2^24 in (0, 1); u2 = b2 / 2^24 in [0, 1).
          Value half = fc(0.5);
          Value scale = fc(1.0 / 16777216.0);
          Value u1 = arith::MulFOp::create(
              b, l, arith::AddFOp::create(b, l, b1, half), scale);
          Value u2 = arith::MulFOp::create(b, l, b2, scale);
          // sqrt(-2 ln u1) * cos(2 pi u2)
          Value ln = math::LogOp::create(b, l, u1);
          Value radius = math::SqrtOp::create(
              b, l, arith::MulFOp::create(b, l, ln, fc(-2.0)));
          Value angle = arith::MulFOp::create(b, l, u2, fc(6.283185307179586));
          Value z = arith::MulFOp::create(b, l, radius,
                                          math::CosOp::create(b, l, angle));
          linalg::YieldOp::create(b, l, ValueRange{z});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void loom::populateRandomToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<DropoutToGeneric, RandomNormalToGeneric>(patterns.getContext());
}
