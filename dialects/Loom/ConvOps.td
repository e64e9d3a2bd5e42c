//===- ConvOps.td - Convolution and pooling ops ------------*- tablegen -*-===//
//
// The convolution family on NCHW tensors: conv2d, conv2d_transpose (its
// adjoint w.r.t. the input, used for generators and for conv2d's input
// gradient), max_pool2d and avg_pool2d. Included by LoomOps.td. Shape rules
// live in ConvShapeInference.cpp, reference evaluation in ConvOps.cpp, the
// VJPs in ConvGradients.cpp and the lowering in
// compiler/Conversion/LoomToLinalg/ConvToLinalg.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef LOOM_CONV_OPS_TD
#define LOOM_CONV_OPS_TD

def Loom_Conv2dOp : Loom_Op<"conv2d", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "2-D convolution (cross-correlation), NCHW, grouped";
  let description = [{
    Correlates `input` [N, C, H, W] with `weight` [F, C / groups, KH, KW]
    (PyTorch's layout) into [N, F, OH, OW]:

    ```
    out[n, f, oh, ow] = sum over c, kh, kw of
        input[n, g * C/groups + c, oh*sh - ph + kh*dh, ow*sw - pw + kw*dw]
        * weight[f, c, kh, kw]          (g = f / (F / groups))
    OH = (H + 2 ph - dh (KH - 1) - 1) / sh + 1   (rounded down; OW alike)
    ```

    `stride` [sh, sw] >= 1, `padding` [ph, pw] >= 0 (symmetric zero padding),
    `dilation` [dh, dw] >= 1, `groups` >= 1 dividing both C and F
    (`groups = C = F` is a depthwise convolution). The dilated kernel must
    fit in the padded input. A bias is a separate `loom.add`.

    ```mlir
    %y = loom.conv2d %x, %w stride [1, 1] padding [2, 2] dilation [1, 1] groups 1
        : tensor<8x1x28x28xf32>, tensor<6x1x5x5xf32>
    // %y : tensor<8x6x28x28xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$input, Loom_FloatTensor:$weight,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat = "$input `,` $weight `stride` $stride `padding` $padding "
      "`dilation` $dilation `groups` $groups attr-dict `:` type($input) `,` "
      "type($weight)";
}

def Loom_Conv2dTransposeOp : Loom_Op<"conv2d_transpose", [Pure,
    InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Transposed 2-D convolution, NCHW, grouped";
  let description = [{
    The adjoint of `loom.conv2d` with respect to its input (PyTorch's
    `conv_transpose2d`): every input element scatters `weight` into the
    output. `input` is [N, C, H, W], `weight` is [C, F / groups, KH, KW]
    (PyTorch's layout), the result is [N, F, OH, OW]:

    ```
    out[n, g * F/groups + f, ih*sh - ph + kh*dh, iw*sw - pw + kw*dw] +=
        input[n, c, ih, iw] * weight[c, f, kh, kw]   (g = c / (C / groups))
    OH = (H - 1) sh - 2 ph + dh (KH - 1) + oph + 1   (OW alike)
    ```

    `output_padding` [oph, opw] adds rows and columns at the bottom and right
    so that conv2d's rounded-down output size can be inverted; it must be
    in [0, stride) (stricter than PyTorch's `< max(stride, dilation)`, so
    that conv2d with the same attributes maps the result back to [H, W]).
    Scatters falling into the padding are dropped. conv2d's input gradient
    is this op with conv2d's attributes and weight.

    ```mlir
    %y = loom.conv2d_transpose %x, %w stride [2, 2] padding [1, 1]
        output_padding [1, 1] dilation [1, 1] groups 1
        : tensor<4x16x7x7xf32>, tensor<16x8x3x3xf32>
    // %y : tensor<4x8x14x14xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$input, Loom_FloatTensor:$weight,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$output_padding,
                       DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat = "$input `,` $weight `stride` $stride `padding` $padding "
      "`output_padding` $output_padding `dilation` $dilation `groups` $groups "
      "attr-dict `:` type($input) `,` type($weight)";
}

class Loom_Pool2dOp<string mnemonic, string what, string padWith> :
    Loom_Op<mnemonic, [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "2-D " # what # " pooling, NCHW";
  let description = [{
    Takes the }] # what # [{ of every `kernel` [KH, KW] window of `input`
    [N, C, H, W], windows `stride` [sh, sw] apart, after padding H and W
    symmetrically by `padding` [ph, pw] with }] # padWith # [{. The result is
    [N, C, OH, OW] with OH = (H + 2 ph - KH) / sh + 1, rounded down (OW
    alike). kernel and stride are >= 1; padding is >= 0 and at most half the
    kernel (as in PyTorch), so no window lies wholly in the padding.

    ```mlir
    %p = loom.}] # mnemonic # [{ %x kernel [2, 2] stride [2, 2] padding [0, 0]
        : tensor<8x6x28x28xf32>
    // %p : tensor<8x6x14x14xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$input, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat = "$input `kernel` $kernel `stride` $stride `padding` "
      "$padding attr-dict `:` type($input)";
}

def Loom_MaxPool2dOp : Loom_Pool2dOp<"max_pool2d", "maximum",
    "-inf (NaN propagates; the gradient goes to the first maximum of each "
    "window in row-major order, as PyTorch's)">;
def Loom_AvgPool2dOp : Loom_Pool2dOp<"avg_pool2d", "average",
    "zeros that count in the average (PyTorch's default "
    "`count_include_pad = True`: every window divides by KH * KW)">;

#endif // LOOM_CONV_OPS_TD
