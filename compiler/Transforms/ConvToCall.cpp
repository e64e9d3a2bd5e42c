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
// RuntimeCall.h, shared with -loom-gemm-to-call), the sizes and dilations, and each
// operand's element strides from its memref layout, and whether to
// accumulate into Y: a zero fill of Y right before the convolution (the
// lowering's init) is dropped and the call overwrites Y instead. X's and
// Y's last dimensions must be contiguous; anything else stays the named op.
//
// Likewise the filter-gradient generic ConvToLinalg.cpp marks
// `loom.conv_filter_gradient` (its stride and dilation) becomes a call of
// loom_rt_conv2d_filter_grad_f32, which packs the column matrix's slivers
// straight from the input.
//
//===----------------------------------------------------------------------===//
#include "GemmMatch.h"
#include "RuntimeCall.h"
#include "Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"

namespace loom {
#define GEN_PASS_DEF_LOOMCONVTOCALL
#include "Passes.h.inc"
} // namespace loom

using namespace mlir;

namespace {

constexpr const char *kConvFn = "loom_rt_conv2d_f32";
constexpr const char *kFilterGradFn = "loom_rt_conv2d_filter_grad_f32";

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

/// The call `name`(addresses of the three operands, `ints`...) before `op`,
/// which it replaces.
void replaceByCall(Operation *op, ModuleOp module, StringRef name,
                   ValueRange operands, ArrayRef<int64_t> ints) {
  OpBuilder b(op);
  Location loc = op->getLoc();
  SmallVector<Type> types(operands.size(),
                          LLVM::LLVMPointerType::get(b.getContext()));
  types.append(ints.size(), b.getI64Type());
  loom::declareRuntimeFunction(b, module, name, types);
  SmallVector<Value> args;
  for (Value v : operands)
    args.push_back(
        loom::addressToPointer(b, loc, loom::firstElementAddress(b, loc, v)));
  for (int64_t v : ints)
    args.push_back(arith::ConstantIntOp::create(b, loc, v, 64));
  func::CallOp::create(b, loc, name, TypeRange{}, args);
  op->erase();
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

  // A zero fill of Y just before (the lowering's init) is done by the call
  // instead, row by row while in cache: accumulate = 0.
  int64_t accumulate = 1;
  if (auto fill = dyn_cast_or_null<linalg::FillOp>(conv->getPrevNode());
      fill && fill.hasPureBufferSemantics() && fill.getOutputs()[0] == y &&
      matchPattern(fill.getInputs()[0], m_PosZeroFloat())) {
    fill->erase();
    accumulate = 0;
  }
  replaceByCall(conv, module, kConvFn, {x, w, y},
                {ys[0], xs[1], ys[1], ws[2], ws[3], ys[2], ys[3], dil[0],
                 dil[1], (*sx)[0], (*sx)[1], (*sx)[2], (*sw)[0], (*sw)[1],
                 (*sw)[2], (*sw)[3], (*sy)[0], (*sy)[1], (*sy)[2],
                 accumulate});
  return success();
}

/// The filter-gradient generic of ConvToLinalg.cpp (loops (c, f, i, j |
/// n, a, b), out[c, f, i, j] += x[n, c, a*s + i*d, b*s + j*d] * g[n, f, a,
/// b]), recognised by its `loom.conv_filter_gradient` mark and checked
/// again here: a multiply-accumulate of two f32 inputs into one output.
LogicalResult rewriteFilterGradient(linalg::GenericOp g, ModuleOp module) {
  auto mark = g->getAttrOfType<DictionaryAttr>("loom.conv_filter_gradient");
  if (!mark || !g.hasPureBufferSemantics() || g.getNumDpsInputs() != 2 ||
      g.getNumDpsInits() != 1 || !loom::isMultiplyAccumulate(g) ||
      g.getNumLoops() != 7)
    return failure();
  auto stride = dyn_cast_or_null<DenseI64ArrayAttr>(mark.get("stride"));
  auto dilation = dyn_cast_or_null<DenseI64ArrayAttr>(mark.get("dilation"));
  if (!stride || !dilation || stride.size() != 2 || dilation.size() != 2)
    return failure();
  Value x = g.getDpsInputs()[0], grad = g.getDpsInputs()[1],
        out = g.getDpsInits()[0];
  auto sx = staticStrides(x), sg = staticStrides(grad),
       so = staticStrides(out);
  if (failed(sx) || failed(sg) || failed(so))
    return failure();
  ArrayRef<int64_t> xs = cast<MemRefType>(x.getType()).getShape(),
                    gs = cast<MemRefType>(grad.getType()).getShape(),
                    os = cast<MemRefType>(out.getType()).getShape();
  if (xs.size() != 4 || gs.size() != 4 || os.size() != 4)
    return failure();
  // out [C, F, KH, KW]: DW's (f, c, kh, kw) strides are its (1, 0, 2, 3).
  replaceByCall(g, module, kFilterGradFn, {x, grad, out},
                {xs[0], xs[1], gs[1], os[2], os[3], gs[2], gs[3], stride[0],
                 stride[1], dilation[0], dilation[1], (*sx)[0], (*sx)[1],
                 (*sx)[2], (*sx)[3], (*sg)[0], (*sg)[1], (*sg)[2], (*sg)[3],
                 (*so)[1], (*so)[0], (*so)[2], (*so)[3]});
  return success();
}

struct LoomConvToCall : loom::impl::LoomConvToCallBase<LoomConvToCall> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    module.walk([&](linalg::Conv2DNchwFchwOp c) { convs.push_back(c); });
    for (linalg::Conv2DNchwFchwOp c : convs)
      (void)rewrite(c, module); // what does not fit stays loops
    SmallVector<linalg::GenericOp> grads;
    module.walk([&](linalg::GenericOp g) {
      if (g->hasAttr("loom.conv_filter_gradient"))
        grads.push_back(g);
    });
    for (linalg::GenericOp g : grads)
      (void)rewriteFilterGradient(g, module);
  }
};

} // namespace
