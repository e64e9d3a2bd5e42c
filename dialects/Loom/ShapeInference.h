//===- ShapeInference.h - The shape rules of loom ops -----------------------===//
//
// One function per shape rule. Each returns the result type or emits an
// error at `loc` (when given) naming the op and the offending shapes. The
// ops' InferTypeOpInterface implementations and the C++ model DSL both call
// these, so a rule is written once and a DSL shape error reads exactly like
// the verifier's.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/TypeRange.h"

#include <optional>

namespace loom {

using OptLoc = std::optional<mlir::Location>;

/// "[4, 3]" for a shaped type's shape.
std::string shapeString(llvm::ArrayRef<int64_t> shape);

/// NumPy broadcasting of static shapes; false if incompatible.
bool broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b,
                     llvm::SmallVectorImpl<int64_t> &out);

/// Elementwise ops: the broadcast shape of all operands, with `elementType`.
llvm::FailureOr<mlir::RankedTensorType>
inferBroadcast(OptLoc loc, llvm::StringRef opName, mlir::TypeRange operands,
               mlir::Type elementType);

llvm::FailureOr<mlir::RankedTensorType>
inferMatmul(OptLoc loc, mlir::Type lhs, mlir::Type rhs, bool transposeLhs,
            bool transposeRhs);

llvm::FailureOr<mlir::RankedTensorType>
inferReduce(OptLoc loc, llvm::StringRef opName, mlir::Type operand,
            llvm::ArrayRef<int64_t> axes, bool keepdims);

llvm::FailureOr<mlir::RankedTensorType>
inferReshape(OptLoc loc, mlir::Type operand, llvm::ArrayRef<int64_t> shape);

llvm::FailureOr<mlir::RankedTensorType>
inferTranspose(OptLoc loc, mlir::Type operand,
               llvm::ArrayRef<int64_t> permutation);

llvm::FailureOr<mlir::RankedTensorType>
inferBroadcastTo(OptLoc loc, mlir::Type operand,
                 llvm::ArrayRef<int64_t> shape);

llvm::FailureOr<mlir::RankedTensorType>
inferSlice(OptLoc loc, mlir::Type operand, llvm::ArrayRef<int64_t> start,
           llvm::ArrayRef<int64_t> limit, llvm::ArrayRef<int64_t> stride);

llvm::FailureOr<mlir::RankedTensorType>
inferPad(OptLoc loc, mlir::Type operand, llvm::ArrayRef<int64_t> low,
         llvm::ArrayRef<int64_t> high, llvm::ArrayRef<int64_t> interior);

llvm::FailureOr<mlir::RankedTensorType>
inferConcat(OptLoc loc, mlir::TypeRange inputs, int64_t axis);

/// Ops that keep their operand's type and name one axis (softmax family).
llvm::FailureOr<mlir::RankedTensorType>
inferAxisPreserving(OptLoc loc, llvm::StringRef opName, mlir::Type operand,
                    int64_t axis);

/// argmax: the operand's shape without `axis` (size 1 with keepdims); the
/// size along the axis must be at least 1. (cumsum keeps its operand's type:
/// inferAxisPreserving.)
llvm::FailureOr<mlir::RankedTensorType>
inferArgmax(OptLoc loc, mlir::Type operand, int64_t axis, bool keepdims);

/// Convolution family (ConvShapeInference.cpp). Attribute lists are [h, w].
llvm::FailureOr<mlir::RankedTensorType>
inferConv2d(OptLoc loc, mlir::Type input, mlir::Type weight,
            llvm::ArrayRef<int64_t> stride, llvm::ArrayRef<int64_t> padding,
            llvm::ArrayRef<int64_t> dilation, int64_t groups);

llvm::FailureOr<mlir::RankedTensorType>
inferConv2dTranspose(OptLoc loc, mlir::Type input, mlir::Type weight,
                     llvm::ArrayRef<int64_t> stride,
                     llvm::ArrayRef<int64_t> padding,
                     llvm::ArrayRef<int64_t> outputPadding,
                     llvm::ArrayRef<int64_t> dilation, int64_t groups);

/// max_pool2d and avg_pool2d.
llvm::FailureOr<mlir::RankedTensorType>
inferPool2d(OptLoc loc, llvm::StringRef opName, mlir::Type input,
            llvm::ArrayRef<int64_t> kernel, llvm::ArrayRef<int64_t> stride,
            llvm::ArrayRef<int64_t> padding);

/// Normalization and dropout (NormOps.cpp). layer_norm: gamma and beta
/// shaped like operand.shape[axis:]; batch_norm: operand [N, C, ...] and
/// [C] for the four per-channel operands (three result types: the result
/// and the two new running statistics).
llvm::FailureOr<mlir::RankedTensorType>
inferLayerNorm(OptLoc loc, mlir::Type operand, mlir::Type gamma,
               mlir::Type beta, int64_t axis, double epsilon);
llvm::LogicalResult inferBatchNorm(OptLoc loc, mlir::TypeRange operands,
                                   double epsilon, double momentum,
                                   llvm::SmallVectorImpl<mlir::Type> &types);
llvm::FailureOr<mlir::RankedTensorType>
inferDropout(OptLoc loc, mlir::Type operand, double rate);

/// Attention (AttentionOps.cpp): query [..., Lq, D], key [..., Lk, D],
/// value [..., Lk, Dv] -> [..., Lq, Dv].
llvm::FailureOr<mlir::RankedTensorType>
inferAttention(OptLoc loc, mlir::Type query, mlir::Type key, mlir::Type value,
               double scale, bool causal);

} // namespace loom
