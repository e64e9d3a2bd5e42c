//===- ConvOps.cpp - Convolution and pooling: types and reference ---------===//
//
// Type inference (through the shared rules in ConvShapeInference.cpp) and
// the reference evaluation of conv2d, conv2d_transpose, max_pool2d and
// avg_pool2d. The reference is the definition written as plain loops in
// double: conv2d gathers, conv2d_transpose scatters (deliberately the other
// formulation from the lowering's gather over a dilated input, so the two
// check each other), the pools visit only the in-range window positions.
//
//===----------------------------------------------------------------------===//
#include "Loom/LoomOps.h"
#include "Loom/OpUtils.h"
#include "Loom/ShapeInference.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace loom;

namespace {



/// Row-major NCHW addressing of a RefTensor.
struct Nchw {
  int64_t n, c, h, w;
  explicit Nchw(ArrayRef<int64_t> s) : n(s[0]), c(s[1]), h(s[2]), w(s[3]) {}
  int64_t at(int64_t i0, int64_t i1, int64_t i2, int64_t i3) const {
    return ((i0 * c + i1) * h + i2) * w + i3;
  }
};

} // namespace

//===----------------------------------------------------------------------===//
// Conv2dOp
//===----------------------------------------------------------------------===//

LogicalResult Conv2dOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return pushType(inferConv2d(loc, adaptor.getInput().getType(),
                              adaptor.getWeight().getType(),
                              adaptor.getStride(), adaptor.getPadding(),
                              adaptor.getDilation(), adaptor.getGroups()),
                  types);
}

LogicalResult Conv2dOp::evaluateReference(ArrayRef<RefTensor> in,
                                          SmallVectorImpl<RefTensor> &out) {
  const RefTensor &x = in[0], &w = in[1];
  RefTensor y(resultShape(*this));
  Nchw xs(x.shape), ws(w.shape), ys(y.shape);
  ArrayRef<int64_t> s = getStride(), p = getPadding(), d = getDilation();
  int64_t groups = getGroups();
  int64_t cg = xs.c / groups, fg = ys.c / groups;
  for (int64_t n = 0; n < ys.n; ++n)
    for (int64_t f = 0; f < ys.c; ++f)
      for (int64_t oh = 0; oh < ys.h; ++oh)
        for (int64_t ow = 0; ow < ys.w; ++ow) {
          double sum = 0.0;
          for (int64_t c = 0; c < cg; ++c)
            for (int64_t kh = 0; kh < ws.h; ++kh)
              for (int64_t kw = 0; kw < ws.w; ++kw) {
                int64_t ih = oh * s[0] - p[0] + kh * d[0];
                int64_t iw = ow * s[1] - p[1] + kw * d[1];
                if (ih < 0 || ih >= xs.h || iw < 0 || iw >= xs.w)
                  continue;
                sum += x.data[xs.at(n, (f / fg) * cg + c, ih, iw)] *
                       w.data[ws.at(f, c, kh, kw)];
              }
          y.data[ys.at(n, f, oh, ow)] = sum;
        }
  out.push_back(std::move(y));
  return success();
}

//===----------------------------------------------------------------------===//
// Conv2dTransposeOp
//===----------------------------------------------------------------------===//

LogicalResult
Conv2dTransposeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &types) {
  return pushType(
      inferConv2dTranspose(loc, adaptor.getInput().getType(),
                           adaptor.getWeight().getType(), adaptor.getStride(),
                           adaptor.getPadding(), adaptor.getOutputPadding(),
                           adaptor.getDilation(), adaptor.getGroups()),
      types);
}

LogicalResult
Conv2dTransposeOp::evaluateReference(ArrayRef<RefTensor> in,
                                     SmallVectorImpl<RefTensor> &out) {
  const RefTensor &x = in[0], &w = in[1];
  RefTensor y(resultShape(*this)); // zero-initialized
  Nchw xs(x.shape), ws(w.shape), ys(y.shape);
  ArrayRef<int64_t> s = getStride(), p = getPadding(), d = getDilation();
  int64_t cg = xs.c / getGroups(), fg = ws.c;
  for (int64_t n = 0; n < xs.n; ++n)
    for (int64_t c = 0; c < xs.c; ++c)
      for (int64_t ih = 0; ih < xs.h; ++ih)
        for (int64_t iw = 0; iw < xs.w; ++iw) {
          double v = x.data[xs.at(n, c, ih, iw)];
          for (int64_t f = 0; f < fg; ++f)
            for (int64_t kh = 0; kh < ws.h; ++kh)
              for (int64_t kw = 0; kw < ws.w; ++kw) {
                int64_t oh = ih * s[0] - p[0] + kh * d[0];
                int64_t ow = iw * s[1] - p[1] + kw * d[1];
                if (oh < 0 || oh >= ys.h || ow < 0 || ow >= ys.w)
                  continue;
                y.data[ys.at(n, (c / cg) * fg + f, oh, ow)] +=
                    v * w.data[ws.at(c, f, kh, kw)];
              }
        }
  out.push_back(std::move(y));
  return success();
}

//===----------------------------------------------------------------------===//
// Pools
//===----------------------------------------------------------------------===//

LogicalResult MaxPool2dOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return pushType(inferPool2d(loc, getOperationName(),
                              adaptor.getInput().getType(), adaptor.getKernel(),
                              adaptor.getStride(), adaptor.getPadding()),
                  types);
}

LogicalResult AvgPool2dOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return pushType(inferPool2d(loc, getOperationName(),
                              adaptor.getInput().getType(), adaptor.getKernel(),
                              adaptor.getStride(), adaptor.getPadding()),
                  types);
}

/// Max or average over every window; padding positions are -inf for max
/// (so skipping them is the same) and 0 for the average (which still
/// divides by KH * KW: count_include_pad).
static RefTensor pool(const RefTensor &x, ArrayRef<int64_t> shape,
                      ArrayRef<int64_t> k, ArrayRef<int64_t> s,
                      ArrayRef<int64_t> p, bool isMax) {
  RefTensor y(shape);
  Nchw xs(x.shape), ys(y.shape);
  for (int64_t n = 0; n < ys.n; ++n)
    for (int64_t c = 0; c < ys.c; ++c)
      for (int64_t oh = 0; oh < ys.h; ++oh)
        for (int64_t ow = 0; ow < ys.w; ++ow) {
          double acc = isMax ? -std::numeric_limits<double>::infinity() : 0.0;
          for (int64_t kh = 0; kh < k[0]; ++kh)
            for (int64_t kw = 0; kw < k[1]; ++kw) {
              int64_t ih = oh * s[0] - p[0] + kh, iw = ow * s[1] - p[1] + kw;
              if (ih < 0 || ih >= xs.h || iw < 0 || iw >= xs.w)
                continue;
              double v = x.data[xs.at(n, c, ih, iw)];
              if (!isMax)
                acc += v;
              else if (std::isnan(acc) || std::isnan(v))
                acc = NAN;
              else
                acc = std::max(acc, v);
            }
          y.data[ys.at(n, c, oh, ow)] = isMax ? acc : acc / double(k[0] * k[1]);
        }
  return y;
}

LogicalResult MaxPool2dOp::evaluateReference(ArrayRef<RefTensor> in,
                                             SmallVectorImpl<RefTensor> &out) {
  out.push_back(pool(in[0], resultShape(*this), getKernel(), getStride(),
                     getPadding(), /*isMax=*/true));
  return success();
}

LogicalResult AvgPool2dOp::evaluateReference(ArrayRef<RefTensor> in,
                                             SmallVectorImpl<RefTensor> &out) {
  out.push_back(pool(in[0], resultShape(*this), getKernel(), getStride(),
                     getPadding(), /*isMax=*/false));
  return success();
}
