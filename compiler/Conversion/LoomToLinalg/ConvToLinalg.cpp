//===- ConvToLinalg.cpp - Lower convolution and pooling to linalg ---------===//
//
// Each op is lowered on static shapes:
//
//   conv2d  -> zero padding (insert_slice into zeros), the input and weight
//     expanded to expose the group dimension ([N, G, C/G, H, W] and
//     [G, F/G, C/G, KH, KW]), then im2col plus a matrix product (see
//     groupedConv): a gather generic builds the column matrix
//     [N, G, C/G*KH*KW, OH*OW] and a contraction generic multiplies the
//     weight [G, F/G, C/G*KH*KW] into it, which -loom-gemm-to-call turns
//     into the runtime's packed GEMM. The result is reshaped back to
//     [N, F, OH, OW]. groups = 1 is the same code with G = 1.
//     Or, for stride 1 and groups = 1 where it measures faster
//     (ConvAlgorithm.h): linalg.conv_2d_nchw_fchw on the padded input,
//     which -loom-conv-to-call makes a call of the runtime's direct
//     convolution (no column matrix).
//   conv2d_transpose -> a matrix product of the transposed weight and the
//     input (the column matrix of every output tap), then col2im: each
//     column entry added into its output pixel, out[h*s - p + kh*d] (see
//     Conv2dTransposeToGeneric). No copy of the input or the weight.
//     Or, for stride 1 and groups = 1 where it measures faster, the direct
//     convolution of the input padded by d*(K-1) - p with the weight
//     transposed and flipped.
//   max_pool2d / avg_pool2d -> -inf (max) or zero (avg) padding, one
//     generic over (n, c, oh, ow | kh, kw) whose kernel loops get their
//     extent from a [KH, KW] shape-only operand (as linalg's pooling ops
//     do); avg then divides by KH * KW (count_include_pad).
//
// The gradients of conv2d are conv2d_transpose (input) and conv2d with the
// roles of input and output swapped (weight), so all three are one GEMM
// each, plus im2col (conv2d) or col2im (conv2d_transpose). Pooling stays one generic per op: its windows are
// small and it has no multiply-accumulate to hand to a GEMM.
//
//===----------------------------------------------------------------------===//
#include "LinalgBuild.h"
#include "Conversion/LoomToLinalg/ConvToLinalg.h"
#include "Conversion/LoomToLinalg/ConvAlgorithm.h"
#include "Loom/LoomOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;
using namespace loom;

namespace {

using utils::IteratorType;
using linalg_build::filled;
using linalg_build::tensorTypeOf;

/// `x` [N, C, H, W] placed at offset (low[0], low[1]) of H and W, every
/// `stride`-th row and column, in a tensor of `hw` [H', W'] filled with
/// `value`.
Value placeInto(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> hw,
                ArrayRef<int64_t> low, ArrayRef<int64_t> stride, double value) {
  RankedTensorType t = tensorTypeOf(x);
  ArrayRef<int64_t> s = t.getShape();
  if (hw[0] == s[2] && hw[1] == s[3])
    return x;
  MLIRContext *ctx = b.getContext();
  Value dest =
      filled(b, loc, {s[0], s[1], hw[0], hw[1]}, t.getElementType(), value);
  SmallVector<int64_t> offsets = {0, 0, low[0], low[1]};
  SmallVector<int64_t> strides = {1, 1, stride[0], stride[1]};
  return tensor::InsertSliceOp::create(
      b, loc, x, dest, getAsIndexOpFoldResult(ctx, offsets),
      getAsIndexOpFoldResult(ctx, s), getAsIndexOpFoldResult(ctx, strides));
}

/// Splits dimension `dim` of `v` into (groups, size / groups).
Value splitDim(OpBuilder &b, Location loc, Value v, int64_t dim,
               int64_t groups) {
  RankedTensorType t = tensorTypeOf(v);
  SmallVector<int64_t> shape;
  SmallVector<ReassociationIndices> reassoc;
  for (int64_t d = 0; d < t.getRank(); ++d) {
    int64_t next = int64_t(shape.size());
    if (d == dim) {
      shape.append({groups, t.getDimSize(d) / groups});
      reassoc.push_back({next, next + 1});
    } else {
      shape.push_back(t.getDimSize(d));
      reassoc.push_back({next});
    }
  }
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, t.getElementType()), v, reassoc);
}

/// [N, G, F/G, OH, OW] -> [N, F, OH, OW].
Value mergeGroups(OpBuilder &b, Location loc, Value v, RankedTensorType to) {
  SmallVector<ReassociationIndices> reassoc = {{0}, {1, 2}, {3}, {4}};
  return tensor::CollapseShapeOp::create(b, loc, to, v, reassoc);
}

/// An all-parallel generic writing `shape` from `input` read through `map`
/// (a copy, transpose or gather).
Value copyThrough(OpBuilder &b, Location loc, Value input, AffineMap map,
                  ArrayRef<int64_t> shape) {
  Type et = tensorTypeOf(input).getElementType();
  Value init = tensor::EmptyOp::create(b, loc, shape, et);
  SmallVector<AffineMap> maps = {
      map, AffineMap::getMultiDimIdentityMap(shape.size(), b.getContext())};
  SmallVector<IteratorType> iterators(shape.size(), IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, ValueRange{input},
             ValueRange{init}, maps, iterators,
             [](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(nb, l, args[0]);
             })
      .getResult(0);
}

Value collapse(OpBuilder &b, Location loc, Value v,
               ArrayRef<ReassociationIndices> groups) {
  RankedTensorType t = tensorTypeOf(v);
  SmallVector<int64_t> shape;
  for (const ReassociationIndices &g : groups) {
    int64_t n = 1;
    for (int64_t d : g)
      n *= t.getDimSize(d);
    shape.push_back(n);
  }
  return tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get(shape, t.getElementType()), v, groups);
}

/// The body of a contraction generic: out + in0 * in1 (what
/// -loom-gemm-to-call and -loom-conv-to-call recognise, GemmMatch.h).
void multiplyAccumulate(OpBuilder &b, Location loc, ValueRange args) {
  auto flags = arith::FastMathFlags::contract;
  Value prod = arith::MulFOp::create(b, loc, args[0], args[1], flags);
  linalg::YieldOp::create(
      b, loc, arith::AddFOp::create(b, loc, args[2], prod, flags).getResult());
}

/// out[n, g, m, p] = sum_k lhs[lhsMap(g, m, k)] * rhs[n, g, k, p], into
/// zeros of `shape` [N, G, M, P]: the per-image, per-group matrix product
/// both convolution lowerings end in, over loops (n, g, m, p | k).
/// `lhsMap` maps (n, g, m, p, k) to the weight's indices.
Value groupedProduct(OpBuilder &b, Location loc, Value lhs, AffineMap lhsMap,
                     Value rhs, ArrayRef<int64_t> shape) {
  MLIRContext *ctx = b.getContext();
  auto e = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  Value init = filled(b, loc, shape, tensorTypeOf(rhs).getElementType(), 0.0);
  SmallVector<AffineMap> maps = {
      lhsMap, AffineMap::get(5, 0, {e(0), e(1), e(4), e(3)}, ctx),
      AffineMap::get(5, 0, {e(0), e(1), e(2), e(3)}, ctx)};
  SmallVector<IteratorType> iterators(4, IteratorType::parallel);
  iterators.push_back(IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, ValueRange{lhs, rhs},
             ValueRange{init}, maps, iterators,
             multiplyAccumulate)
      .getResult(0);
}

/// The grouped convolution shared by conv2d and conv2d_transpose, over the
/// loops (n, g, f, oh, ow | c, kh, kw): `x` [N, G, C/G, H', W'] read at
/// (`xRow`, `xCol`) (affine in the loops), `w` read through `wMap`,
/// accumulated into zeros [N, G, F/G, OH, OW]. As im2col plus a matrix
/// product:
///   col[n, g, (c, kh, kw), (oh, ow)] = x[n, g, c, xRow, xCol]
///   wt[g, f, (c, kh, kw)]            = w through wMap (no copy for conv2d,
///                                      whose weight is already so laid out)
///   y[n, g, f, (oh, ow)]            += wt[g, f, k] * col[n, g, k, (oh, ow)]
/// The product is a plain contraction generic that -loom-gemm-to-call hands
/// to the runtime's GEMM (per image and group: M = F/G, N = OH*OW,
/// K = C/G*KH*KW). A 1x1 stride-1 unpadded convolution needs no im2col: x
/// itself is the column matrix.
Value groupedConv(OpBuilder &b, Location loc, Value x, Value w,
                  ArrayRef<int64_t> outShape, AffineExpr xRow, AffineExpr xCol,
                  AffineMap wMap, ArrayRef<int64_t> kernel) {
  MLIRContext *ctx = b.getContext();
  auto e = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  auto c0 = getAffineConstantExpr(0, ctx);
  Type et = tensorTypeOf(x).getElementType();
  ArrayRef<int64_t> xs = tensorTypeOf(x).getShape();
  int64_t n = outShape[0], g = outShape[1], f = outShape[2], oh = outShape[3],
          ow = outShape[4], c = xs[2], kh = kernel[0], kw = kernel[1];

  // wt [G, F/G, C/G, KH, KW] over loops (g, f, c, kh, kw).
  AffineMap wtMap = wMap.replaceDimsAndSymbols(
      {c0, e(0), e(1), c0, c0, e(2), e(3), e(4)}, {}, 5, 0);
  Value wt = w;
  if (!wtMap.isIdentity())
    wt = copyThrough(b, loc, w, wtMap, {g, f, c, kh, kw});
  wt = collapse(b, loc, wt, {{0}, {1}, {2, 3, 4}});

  // col [N, G, C/G, KH, KW, OH, OW] over loops (n, g, c, kh, kw, oh, ow).
  // Conv loop d -> col loop: n, g, (f unused), oh, ow, c, kh, kw.
  SmallVector<AffineExpr> toCol = {e(0), e(1), c0,   e(5),
                                   e(6), e(2), e(3), e(4)};
  AffineExpr row = xRow.replaceDims(toCol), col = xCol.replaceDims(toCol);
  // With a 1x1 kernel the (kh, kw) loops are the constant 0.
  SmallVector<AffineExpr> toPixel = {c0, c0, c0, e(5), e(6), c0, c0, c0};
  bool direct = kh == 1 && kw == 1 && xs[3] == oh && xs[4] == ow &&
                xRow.replaceDims(toPixel) == e(5) &&
                xCol.replaceDims(toPixel) == e(6);
  Value cols;
  if (direct)
    cols = collapse(b, loc, x, {{0}, {1}, {2}, {3, 4}});
  else
    cols = collapse(
        b, loc,
        copyThrough(b, loc, x,
                    AffineMap::get(7, 0, {e(0), e(1), e(2), row, col}, ctx),
                    {n, g, c, kh, kw, oh, ow}),
        {{0}, {1}, {2, 3, 4}, {5, 6}});

  // y [N, G, F/G, OH*OW] over loops (n, g, f, p | k).
  Value y = groupedProduct(b, loc, wt, AffineMap::get(5, 0, {e(1), e(2), e(4)}, ctx),
                           cols, {n, g, f, oh * ow});
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get({n, g, f, oh, ow}, et), y,
      SmallVector<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
}

struct Conv2dToGeneric : OpConversionPattern<Conv2dOp> {
  Conv2dToGeneric(MLIRContext *ctx, ConvAlgorithm algorithm)
      : OpConversionPattern(ctx), algorithm(algorithm) {}
  ConvAlgorithm algorithm;

  /// A convolution's filter gradient as the VJP builds it (ConvGradients.cpp)
  ///   r = conv2d(transpose(X, [1,0,2,3]), transpose(G, [1,0,2,3]))
  /// with stride d and dilation s (the forward conv's exchanged), where the
  /// direct form measures faster: one contraction generic over loops
  /// (c, f, i, j | n, a, b) reading X and G as they are,
  ///   r[c, f, i, j] += Xpad[n, c, a*s + i*d, b*s + j*d] * G[n, f, a, b],
  /// marked `loom.conv_filter_gradient` for -loom-conv-to-call, which hands
  /// it to loom_rt_conv2d_filter_grad_f32 (no transposed copies, no column
  /// matrix). Unmatched, it is still a correct generic.
  LogicalResult lowerFilterGradient(Conv2dOp op,
                                    ConversionPatternRewriter &rewriter) const {
    auto tx = op.getInput().getDefiningOp<TransposeOp>();
    auto tg = op.getWeight().getDefiningOp<TransposeOp>();
    static constexpr int64_t kSwap[] = {1, 0, 2, 3};
    ArrayRef<int64_t> swap(kSwap);
    if (op.getGroups() != 1 || !tx || !tg || tx.getPermutation() != swap ||
        tg.getPermutation() != swap)
      return failure();
    Value x = rewriter.getRemappedValue(tx.getOperand());
    Value g = rewriter.getRemappedValue(tg.getOperand());
    if (!x || !g)
      return failure();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type et = resultType.getElementType();
    if (!et.isF32())
      return failure();
    ArrayRef<int64_t> xs = tensorTypeOf(x).getShape(),
                      gs = tensorTypeOf(g).getShape(),
                      rs = resultType.getShape();
    ArrayRef<int64_t> d = op.getStride(), s = op.getDilation(),
                      p = op.getPadding();
    // N images, C input channels, F filters, KH x KW taps, OH x OW pixels.
    int64_t n = xs[0], c = xs[1], f = gs[1], kh = rs[2], kw = rs[3],
            oh = gs[2], ow = gs[3];
    if (f <= 1 || kh * kw <= 1 ||
        !preferDirectFilterGrad(algorithm, n, c, f, kh, kw, oh, ow, s[0],
                                s[1], d[0], d[1]))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto e = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    Value xpad = placeInto(rewriter, loc, x,
                           {xs[2] + 2 * p[0], xs[3] + 2 * p[1]}, p, {1, 1},
                           0.0);
    Value init = filled(rewriter, loc, rs, et, 0.0);
    // Loops (c, f, i, j | n, a, b).
    SmallVector<AffineMap> maps = {
        AffineMap::get(7, 0,
                       {e(4), e(0), e(5) * s[0] + e(2) * d[0],
                        e(6) * s[1] + e(3) * d[1]},
                       ctx),
        AffineMap::get(7, 0, {e(4), e(1), e(5), e(6)}, ctx),
        AffineMap::get(7, 0, {e(0), e(1), e(2), e(3)}, ctx)};
    SmallVector<IteratorType> iterators(4, IteratorType::parallel);
    iterators.append(3, IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{xpad, g},
        ValueRange{init}, maps, iterators,
        multiplyAccumulate);
    generic->setAttr(
        "loom.conv_filter_gradient",
        rewriter.getDictionaryAttr(
            {rewriter.getNamedAttr("stride", rewriter.getDenseI64ArrayAttr(
                                                 {s[0], s[1]})),
             rewriter.getNamedAttr("dilation", rewriter.getDenseI64ArrayAttr(
                                                   {d[0], d[1]}))}));
    rewriter.replaceOp(op, generic->getResults());
    return success();
  }

  LogicalResult
  matchAndRewrite(Conv2dOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    auto resultType = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> xs = tensorTypeOf(adaptor.getInput()).getShape();
    ArrayRef<int64_t> ys = resultType.getShape();
    ArrayRef<int64_t> s = op.getStride(), p = op.getPadding(),
                      dil = op.getDilation();
    int64_t groups = op.getGroups();
    if (succeeded(lowerFilterGradient(op, rewriter)))
      return success();
    Value x = placeInto(rewriter, loc, adaptor.getInput(),
                        {xs[2] + 2 * p[0], xs[3] + 2 * p[1]}, p, {1, 1}, 0.0);
    ArrayRef<int64_t> ks =
        tensorTypeOf(adaptor.getWeight()).getShape().drop_front(2);
    if (groups == 1 && s[0] == 1 && s[1] == 1 &&
        resultType.getElementType().isF32() &&
        preferDirectConv(algorithm, ys[0], xs[1], ys[1], ks[0], ks[1], ys[2],
                         ys[3], dil[0], dil[1])) {
      // Direct: the padded input and the weight as they are; the runtime
      // reads the column matrix's rows out of the input (Conv.h).
      Value init = filled(rewriter, loc, ys, resultType.getElementType(), 0.0);
      auto conv = linalg::Conv2DNchwFchwOp::create(
          rewriter, loc, TypeRange{resultType},
          ValueRange{x, adaptor.getWeight()}, ValueRange{init},
          rewriter.getI64VectorAttr({1, 1}),
          rewriter.getI64VectorAttr({dil[0], dil[1]}));
      rewriter.replaceOp(op, conv->getResults());
      return success();
    }
    x = splitDim(rewriter, loc, x, 1, groups);
    Value w = splitDim(rewriter, loc, adaptor.getWeight(), 0, groups);
    AffineMap wMap = AffineMap::get(8, 0, {d(1), d(2), d(5), d(6), d(7)}, ctx);
    Value y = groupedConv(
        rewriter, loc, x, w, {ys[0], groups, ys[1] / groups, ys[2], ys[3]},
        d(3) * s[0] + d(6) * dil[0], d(4) * s[1] + d(7) * dil[1], wMap,
        ks);
    rewriter.replaceOp(op, mergeGroups(rewriter, loc, y, resultType));
    return success();
  }
};

/// conv2d_transpose as a matrix product and a col2im, per image and group:
///   col[n, g, (f, kh, kw), (h, w)] = sum_c w[g, c, (f, kh, kw)] * x[n, g, c, (h, w)]
///   ypad[n, g, f, h*s + kh*d, w*s + kw*d] += col[n, g, f, kh, kw, h, w]
///   y = ypad[..., p : p + OH, p : p + OW]
/// The product is a contraction generic for the runtime's GEMM (M =
/// F/G*KH*KW, N = H*W, K = C/G; the weight is read in place, transposed),
/// and the col2im a generic whose output map h*s + kh*d is not a
/// permutation: its (kh, kw, h, w) loops are reductions, since several of
/// them add into one output element. This does only the useful
/// multiply-adds (no zeros inserted between the input's pixels for a
/// stride > 1) and keeps a column buffer of the output's pixels times the
/// kernel's taps instead of the input's: the input gradient of LeNet's
/// second convolution went from a 20 MB gathered copy to 3.8 MB.
struct Conv2dTransposeToGeneric : OpConversionPattern<Conv2dTransposeOp> {
  Conv2dTransposeToGeneric(MLIRContext *ctx, ConvAlgorithm algorithm)
      : OpConversionPattern(ctx), algorithm(algorithm) {}
  ConvAlgorithm algorithm;

  LogicalResult
  matchAndRewrite(Conv2dTransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    auto resultType = cast<RankedTensorType>(op.getType());
    Type et = resultType.getElementType();
    ArrayRef<int64_t> xs = tensorTypeOf(adaptor.getInput()).getShape();
    ArrayRef<int64_t> ws = tensorTypeOf(adaptor.getWeight()).getShape();
    ArrayRef<int64_t> ys = resultType.getShape();
    ArrayRef<int64_t> s = op.getStride(), p = op.getPadding(),
                      dil = op.getDilation();
    int64_t groups = op.getGroups();
    int64_t n = xs[0], g = groups, h = xs[2], w = xs[3],
            f = ws[1], kh = ws[2], kw = ws[3];

    // Stride 1 (a stride-1 convolution's input gradient): the same as a
    // direct convolution of the input padded by d*(K-1) - p with the
    // weight transposed (F and C swapped) and flipped,
    //   y[n, f, o] = sum_{c, k'} xpad[n, c, o + k'*d] * w[c, f, K-1-k'],
    // so where that measures faster it is one, with no column buffer.
    int64_t qh = dil[0] * (kh - 1) - p[0], qw = dil[1] * (kw - 1) - p[1];
    if (groups == 1 && s[0] == 1 && s[1] == 1 && qh >= 0 && qw >= 0 &&
        et.isF32() && ys[2] == h + qh - p[0] && ys[3] == w + qw - p[1] &&
        preferDirectConv(algorithm, n, xs[1], f, kh, kw, ys[2], ys[3], dil[0],
                         dil[1])) {
      Value xpad = placeInto(rewriter, loc, adaptor.getInput(),
                             {h + 2 * qh, w + 2 * qw}, {qh, qw}, {1, 1}, 0.0);
      AffineExpr flipH = getAffineConstantExpr(kh - 1, ctx) - d(2),
                 flipW = getAffineConstantExpr(kw - 1, ctx) - d(3);
      Value wflip = copyThrough(
          rewriter, loc, adaptor.getWeight(),
          AffineMap::get(4, 0, {d(1), d(0), flipH, flipW}, ctx),
          {f, xs[1], kh, kw});
      Value init = filled(rewriter, loc, ys, et, 0.0);
      auto conv = linalg::Conv2DNchwFchwOp::create(
          rewriter, loc, TypeRange{resultType}, ValueRange{xpad, wflip},
          ValueRange{init}, rewriter.getI64VectorAttr({1, 1}),
          rewriter.getI64VectorAttr({dil[0], dil[1]}));
      rewriter.replaceOp(op, conv->getResults());
      return success();
    }

    // x [N, G, C/G, H*W]; w [G, C/G, F/G*KH*KW] (both without a copy).
    Value x = collapse(rewriter, loc,
                       splitDim(rewriter, loc, adaptor.getInput(), 1, groups),
                       {{0}, {1}, {2}, {3, 4}});
    Value wt = collapse(rewriter, loc,
                        splitDim(rewriter, loc, adaptor.getWeight(), 0, groups),
                        {{0}, {1}, {2, 3, 4}});

    // col [N, G, F/G*KH*KW, H*W] over loops (n, g, m, q | c).
    int64_t m = f * kh * kw;
    Value col = groupedProduct(rewriter, loc, wt,
                               AffineMap::get(5, 0, {d(1), d(4), d(2)}, ctx), x,
                               {n, g, m, h * w});
    col = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({n, g, f, kh, kw, h, w}, et), col,
        SmallVector<ReassociationIndices>{{0}, {1}, {2, 3, 4}, {5, 6}});

    // col2im over loops (n, g, f, kh, kw, h, w): the pixel loop innermost,
    // so the column buffer is read in order.
    int64_t oh = ys[2], ow = ys[3];
    int64_t hp = std::max((h - 1) * s[0] + dil[0] * (kh - 1) + 1, p[0] + oh);
    int64_t wp = std::max((w - 1) * s[1] + dil[1] * (kw - 1) + 1, p[1] + ow);
    Value pad = filled(rewriter, loc, {n, g, f, hp, wp}, et, 0.0);
    SmallVector<AffineMap> scatter = {
        AffineMap::getMultiDimIdentityMap(7, ctx),
        AffineMap::get(7, 0,
                       {d(0), d(1), d(2), d(5) * s[0] + d(3) * dil[0],
                        d(6) * s[1] + d(4) * dil[1]},
                       ctx)};
    SmallVector<IteratorType> scatterIters(3, IteratorType::parallel);
    scatterIters.append(4, IteratorType::reduction);
    Value ypad = linalg::GenericOp::create(
                     rewriter, loc, TypeRange{pad.getType()}, ValueRange{col},
                     ValueRange{pad}, scatter, scatterIters,
                     [](OpBuilder &nb, Location l, ValueRange args) {
                       linalg::YieldOp::create(
                           nb, l,
                           arith::AddFOp::create(nb, l, args[1], args[0])
                               .getResult());
                     })
                     .getResult(0);
    Value y = ypad;
    if (hp != oh || wp != ow) {
      SmallVector<int64_t> offsets = {0, 0, 0, p[0], p[1]};
      SmallVector<int64_t> sizes = {n, g, f, oh, ow};
      SmallVector<int64_t> ones(5, 1);
      y = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get(sizes, et), ypad,
          getAsIndexOpFoldResult(ctx, offsets),
          getAsIndexOpFoldResult(ctx, sizes), getAsIndexOpFoldResult(ctx, ones));
    }
    rewriter.replaceOp(op, mergeGroups(rewriter, loc, y, resultType));
    return success();
  }
};

template <typename PoolOp, bool IsMax>
struct Pool2dToGeneric : OpConversionPattern<PoolOp> {
  using OpConversionPattern<PoolOp>::OpConversionPattern;
  using OpAdaptor = typename PoolOp::Adaptor;

  LogicalResult
  matchAndRewrite(PoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    auto resultType = cast<RankedTensorType>(op.getType());
    Type et = resultType.getElementType();
    ArrayRef<int64_t> xs = tensorTypeOf(adaptor.getInput()).getShape();
    ArrayRef<int64_t> k = op.getKernel(), s = op.getStride(),
                      p = op.getPadding();
    double padValue = IsMax ? -std::numeric_limits<double>::infinity() : 0.0;
    Value x =
        placeInto(rewriter, loc, adaptor.getInput(),
                  {xs[2] + 2 * p[0], xs[3] + 2 * p[1]}, p, {1, 1}, padValue);
    Value window = tensor::EmptyOp::create(rewriter, loc, k, et);
    Value init = filled(rewriter, loc, resultType.getShape(), et, padValue);
    SmallVector<AffineMap> maps = {
        AffineMap::get(
            6, 0, {d(0), d(1), d(2) * s[0] + d(4), d(3) * s[1] + d(5)}, ctx),
        AffineMap::get(6, 0, {d(4), d(5)}, ctx),
        AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, ctx)};
    SmallVector<IteratorType> iterators(4, IteratorType::parallel);
    iterators.append(2, IteratorType::reduction);
    Value y = linalg::GenericOp::create(
                  rewriter, loc, TypeRange{resultType}, ValueRange{x, window},
                  ValueRange{init}, maps, iterators,
                  [](OpBuilder &b, Location l, ValueRange args) {
                    Value r;
                    if constexpr (IsMax)
                      r = arith::MaximumFOp::create(b, l, args[2], args[0]);
                    else
                      r = arith::AddFOp::create(b, l, args[2], args[0]);
                    linalg::YieldOp::create(b, l, r);
                  })
                  .getResult(0);
    if constexpr (!IsMax) {
      Value count = arith::ConstantOp::create(
          rewriter, loc, rewriter.getFloatAttr(et, double(k[0] * k[1])));
      AffineMap id = AffineMap::getMultiDimIdentityMap(4, ctx);
      y = linalg::GenericOp::create(
              rewriter, loc, TypeRange{resultType}, ValueRange{y},
              ValueRange{tensor::EmptyOp::create(rewriter, loc,
                                                 resultType.getShape(), et)},
              SmallVector<AffineMap>{id, id},
              SmallVector<IteratorType>(4, IteratorType::parallel),
              [&](OpBuilder &b, Location l, ValueRange args) {
                linalg::YieldOp::create(
                    b, l,
                    arith::DivFOp::create(b, l, args[0], count).getResult());
              })
              .getResult(0);
    }
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void loom::populateConvToLinalgPatterns(RewritePatternSet &patterns,
                                        ConvAlgorithm conv2d) {
  patterns.add<Conv2dToGeneric, Conv2dTransposeToGeneric>(
      patterns.getContext(), conv2d);
  patterns.add<
               Pool2dToGeneric<MaxPool2dOp, /*IsMax=*/true>,
               Pool2dToGeneric<AvgPool2dOp, /*IsMax=*/false>>(
      patterns.getContext());
}
