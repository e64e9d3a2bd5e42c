//===- ConvToCall.cpp - Direct convolutions become runtime calls ----------===//
//
// After bufferization, a stride-1 linalg.conv_2d_nchw_fchw
//
//   Y[n, f, oh, ow] += X[n, c, oh + kh*dH, ow + kw*dW] * W[f, c, kh, kw]
//
// (emitted by ConvToLinalg.cpp where the direct algorithm measured faster,
// on an input padded already) is handed to loom_rt_conv2d_f32, which runs
// it through the GEMM micro-kernel with the column matrix read out of X in
// place. Arguments: the three base addresses (aligned pointer plus offset,
// as -loom-gemm-to-call computes them), the sizes and dilations, and each
// operand's element strides from its memref layout. X's and Y's last
// dimensions must be contiguous; anything else stays the named op.
//
//===----------------------------------------------------------------------===//
#include "Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"

namespace loom {
#define GEN_PASS_DEF_LOOMCONVTOCALL
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;

namespace {

constexpr const char *kConvFn = "loom_rt_conv2d_f32";

/// Static strides of a memref with a static shape, or failure.
FailureOr<SmallVector<int64_t>> staticStrides(Value v) {
  auto type = dyn_cast<MemRefType>(v.getType());
  if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
    return failure();
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      llvm::any_of(strides, ShapedType::isDynamic))
    return failure();
  return strides;
}

void declareConv(OpBuilder &b, ModuleOp module) {
  if (SymbolTable::lookupSymbolIn(module, kConvFn))
    return;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  Type ptr = LLVM::LLVMPointerType::get(b.getContext());
  SmallVector<Type> args = {ptr, ptr, ptr};
  args.append(19, b.getI64Type());
  auto fn = func::FuncOp::create(b, module.getLoc(), kConvFn,
                                 b.getFunctionType(args, {}));
  fn.setPrivate();
}

/// The address of `memref`'s first element as a pointer.
Value firstElement(OpBuilder &b, Location loc, Value memref) {
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, memref);
  Value four = arith::ConstantIndexOp::create(b, loc, 4);
  Value bytes = arith::MulIOp::create(b, loc, meta.getOffset(), four);
  Value address = arith::AddIOp::create(b, loc, base, bytes);
  Value wide = arith::IndexCastOp::create(b, loc, b.getI64Type(), address);
  return LLVM::IntToPtrOp::create(b, loc, LLVM::LLVMPointerType::get(b.getContext()),
                                  wide);
}

LogicalResult rewrite(linalg::Conv2DNchwFchwOp conv, ModuleOp module) {
  if (!conv.hasPureBufferSemantics() ||
      llvm::any_of(conv.getStrides().getValues<int64_t>(),
                   [](int64_t s) { return s != 1; }))
    return failure();
  Value x = conv.getInputs()[0], w = conv.getInputs()[1],
        y = conv.getOutputs()[0];
  auto sx = staticStrides(x), sw = staticStrides(w), sy = staticStrides(y);
  if (failed(sx) || failed(sw) || failed(sy) || (*sx)[3] != 1 ||
      (*sy)[3] != 1)
    return failure();
  ArrayRef<int64_t> xs = cast<MemRefType>(x.getType()).getShape(),
                    ws = cast<MemRefType>(w.getType()).getShape(),
                    ys = cast<MemRefType>(y.getType()).getShape();
  SmallVector<int64_t> dil(conv.getDilations().getValues<int64_t>());

  OpBuilder b(conv);
  Location loc = conv.getLoc();
  declareConv(b, module);
  SmallVector<Value> args = {firstElement(b, loc, x), firstElement(b, loc, w),
                             firstElement(b, loc, y)};
  for (int64_t v :
       {ys[0], xs[1], ys[1], ws[2], ws[3], ys[2], ys[3], dil[0], dil[1],
        (*sx)[0], (*sx)[1], (*sx)[2], (*sw)[0], (*sw)[1], (*sw)[2], (*sw)[3],
        (*sy)[0], (*sy)[1], (*sy)[2]})
    args.push_back(arith::ConstantIntOp::create(b, loc, v, 64));
  func::CallOp::create(b, loc, kConvFn, TypeRange{}, args);
  conv.erase();
  return success();
}

struct LoomConvToCall : loom::impl::LoomConvToCallBase<LoomConvToCall> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    module.walk([&](linalg::Conv2DNchwFchwOp c) { convs.push_back(c); });
    for (linalg::Conv2DNchwFchwOp c : convs)
      (void)rewrite(c, module); // what does not fit stays loops
  }
};

} // namespace
