//===- ConvShapeInference.cpp - Shape rules of the convolution family -----===//
//
// conv2d, conv2d_transpose and the 2-D pools (declared in ShapeInference.h,
// like every other rule, so the verifiers and the DSL share them). Each
// message names the op, the attribute or operand at fault and the shapes,
// because the DSL shows it at the user's model line.
//
//===----------------------------------------------------------------------===//
#include "Loom/ShapeInference.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;

namespace loom {
namespace {

/// A rank-4 static-shape tensor type, or an error naming `what`.
FailureOr<RankedTensorType> rank4(OptLoc loc, StringRef opName, Type t,
                                  StringRef what) {
  auto rt = dyn_cast_or_null<RankedTensorType>(t);
  if (!rt || !rt.hasStaticShape())
    return emitOptionalError(loc, "'", opName,
                             "' expects ranked tensors with static shapes");
  if (rt.getRank() != 4)
    return emitOptionalError(loc, "'", opName, "' expects a rank-4 ", what,
                             ", got ", shapeString(rt.getShape()));
  return rt;
}

/// Checks a [h, w] attribute: two entries, each >= `min`.
LogicalResult checkPair(OptLoc loc, StringRef opName, StringRef name,
                        ArrayRef<int64_t> values, int64_t min) {
  if (values.size() != 2)
    return emitOptionalError(loc, "'", opName, "' ", name,
                             " needs 2 entries ([h, w]), got ",
                             shapeString(values));
  if (values[0] < min || values[1] < min)
    return emitOptionalError(loc, "'", opName, "' ", name, " must be >= ", min,
                             ", got ", shapeString(values));
  return success();
}

} // namespace

FailureOr<RankedTensorType> inferConv2d(OptLoc loc, Type inputT, Type weightT,
                                        ArrayRef<int64_t> stride,
                                        ArrayRef<int64_t> padding,
                                        ArrayRef<int64_t> dilation,
                                        int64_t groups) {
  StringRef op = "loom.conv2d";
  auto input = rank4(loc, op, inputT, "NCHW input [N, C, H, W]");
  if (failed(input))
    return failure();
  auto weight = rank4(loc, op, weightT, "weight [F, C/groups, KH, KW]");
  if (failed(weight))
    return failure();
  if (failed(checkPair(loc, op, "stride", stride, 1)) ||
      failed(checkPair(loc, op, "padding", padding, 0)) ||
      failed(checkPair(loc, op, "dilation", dilation, 1)))
    return failure();
  if (groups < 1)
    return emitOptionalError(loc, "'loom.conv2d' groups must be >= 1, got ",
                             groups);
  ArrayRef<int64_t> x = input->getShape(), w = weight->getShape();
  if (x[1] % groups != 0)
    return emitOptionalError(loc, "'loom.conv2d' input channels (", x[1],
                             ") of input ", shapeString(x),
                             " are not divisible by groups (", groups, ")");
  if (w[0] % groups != 0)
    return emitOptionalError(loc, "'loom.conv2d' output channels (", w[0],
                             ") of weight ", shapeString(w),
                             " are not divisible by groups (", groups, ")");
  if (w[1] != x[1] / groups)
    return emitOptionalError(
        loc, "'loom.conv2d' weight ", shapeString(w), " has ", w[1],
        " input channels per group, but input ", shapeString(x),
        " with groups ", groups, " has ", x[1] / groups, " (C / groups)");
  SmallVector<int64_t> shape = {x[0], w[0]};
  for (int i = 0; i < 2; ++i) {
    int64_t padded = x[2 + i] + 2 * padding[i];
    int64_t extent = dilation[i] * (w[2 + i] - 1) + 1;
    if (extent > padded)
      return emitOptionalError(
          loc, "'loom.conv2d' kernel ", shapeString(w.drop_front(2)),
          " with dilation ", shapeString(dilation), " spans ", extent,
          " in dimension ", i == 0 ? "H" : "W",
          ", more than the padded input's ", padded, " (input ", shapeString(x),
          ", padding ", shapeString(padding), ")");
    shape.push_back((padded - extent) / stride[i] + 1);
  }
  return RankedTensorType::get(shape, input->getElementType());
}

FailureOr<RankedTensorType>
inferConv2dTranspose(OptLoc loc, Type inputT, Type weightT,
                     ArrayRef<int64_t> stride, ArrayRef<int64_t> padding,
                     ArrayRef<int64_t> outputPadding,
                     ArrayRef<int64_t> dilation, int64_t groups) {
  StringRef op = "loom.conv2d_transpose";
  auto input = rank4(loc, op, inputT, "NCHW input [N, C, H, W]");
  if (failed(input))
    return failure();
  auto weight = rank4(loc, op, weightT, "weight [C, F/groups, KH, KW]");
  if (failed(weight))
    return failure();
  if (failed(checkPair(loc, op, "stride", stride, 1)) ||
      failed(checkPair(loc, op, "padding", padding, 0)) ||
      failed(checkPair(loc, op, "output_padding", outputPadding, 0)) ||
      failed(checkPair(loc, op, "dilation", dilation, 1)))
    return failure();
  if (groups < 1)
    return emitOptionalError(
        loc, "'loom.conv2d_transpose' groups must be >= 1, got ", groups);
  ArrayRef<int64_t> x = input->getShape(), w = weight->getShape();
  if (x[1] % groups != 0)
    return emitOptionalError(loc, "'loom.conv2d_transpose' input channels (",
                             x[1], ") of input ", shapeString(x),
                             " are not divisible by groups (", groups, ")");
  if (w[0] != x[1])
    return emitOptionalError(
        loc, "'loom.conv2d_transpose' weight ", shapeString(w), " has ", w[0],
        " input channels, but input ", shapeString(x), " has ", x[1]);
  SmallVector<int64_t> shape = {x[0], w[1] * groups};
  for (int i = 0; i < 2; ++i) {
    if (outputPadding[i] >= stride[i])
      return emitOptionalError(loc, "'loom.conv2d_transpose' output_padding ",
                               shapeString(outputPadding),
                               " must be smaller than stride ",
                               shapeString(stride));
    int64_t size = (x[2 + i] - 1) * stride[i] - 2 * padding[i] +
                   dilation[i] * (w[2 + i] - 1) + outputPadding[i] + 1;
    if (size < 1)
      return emitOptionalError(
          loc, "'loom.conv2d_transpose' padding ", shapeString(padding),
          " leaves no output in dimension ", i == 0 ? "H" : "W", " (input ",
          shapeString(x), ", weight ", shapeString(w), ")");
    shape.push_back(size);
  }
  return RankedTensorType::get(shape, input->getElementType());
}

FailureOr<RankedTensorType> inferPool2d(OptLoc loc, StringRef op, Type inputT,
                                        ArrayRef<int64_t> kernel,
                                        ArrayRef<int64_t> stride,
                                        ArrayRef<int64_t> padding) {
  auto input = rank4(loc, op, inputT, "NCHW input [N, C, H, W]");
  if (failed(input))
    return failure();
  if (failed(checkPair(loc, op, "kernel", kernel, 1)) ||
      failed(checkPair(loc, op, "stride", stride, 1)) ||
      failed(checkPair(loc, op, "padding", padding, 0)))
    return failure();
  ArrayRef<int64_t> x = input->getShape();
  SmallVector<int64_t> shape = {x[0], x[1]};
  for (int i = 0; i < 2; ++i) {
    if (2 * padding[i] > kernel[i])
      return emitOptionalError(loc, "'", op, "' padding ", shapeString(padding),
                               " must be at most half the kernel ",
                               shapeString(kernel));
    int64_t padded = x[2 + i] + 2 * padding[i];
    if (kernel[i] > padded)
      return emitOptionalError(loc, "'", op, "' kernel ", shapeString(kernel),
                               " is larger than the padded input in dimension ",
                               i == 0 ? "H" : "W", " (", padded, "; input ",
                               shapeString(x), ", padding ",
                               shapeString(padding), ")");
    shape.push_back((padded - kernel[i]) / stride[i] + 1);
  }
  return RankedTensorType::get(shape, input->getElementType());
}

} // namespace loom
