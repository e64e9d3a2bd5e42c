//===- ScanOps.td - argmax and cumsum, ops along one axis -*- tablegen -*-===//
//
// Ops whose value at a position depends on the order of the elements along
// one axis: `loom.argmax` (the first maximum) and `loom.cumsum` (prefix
// sums). Included by LoomOps.td. Shape rules live in ShapeInference.cpp
// (inferArgmax, inferAxisPreserving), type inference and reference
// evaluation in ScanOps.cpp, the VJPs in ScanGradients.cpp and the lowering
// in compiler/Conversion/LoomToLinalg/ScanToLinalg.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef LOOM_SCAN_OPS_TD
#define LOOM_SCAN_OPS_TD

def Loom_ArgmaxOp : Loom_Op<"argmax", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Index of the maximum along one axis, as f32";
  let description = [{
    The position of the largest element along `axis` (in [0, rank), the
    operand's size along it at least 1), as an f32 value holding an integer,
    the form `loom.gather` and `loom.one_hot` take indices in. Like
    `loom.reduce_max`, the axis is removed from the result's shape, or kept
    with size 1 with `keepdims`.

    - **Ties** pick the first (lowest) index, as `numpy.argmax` and
      `torch.argmax` do.
    - **NaN** counts as larger than any number: a slice holding NaN gives
      the index of its first NaN (NumPy's and PyTorch's rule; the slice's
      `loom.reduce_max` is NaN).
    - **Gradient:** argmax is piecewise constant, so its VJP is zero; no
      gradient flows to the operand (as for `loom.compare`).

    ```mlir
    %i = loom.argmax %logits axis 1 : tensor<8x10xf32>
    // %i : tensor<8xf32>
    %k = loom.argmax %x axis 0 keepdims : tensor<4x3xf32>
    // %k : tensor<1x3xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$operand, I64Attr:$axis,
                       UnitAttr:$keepdims);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat = "$operand `axis` $axis (`keepdims` $keepdims^)? "
      "attr-dict `:` type($operand)";
}

def Loom_CumsumOp : Loom_Op<"cumsum", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Cumulative sum along one axis";
  let description = [{
    Running sums of the f32 operand along `axis` (in [0, rank)); the result
    has the operand's type. With n the size along the axis, for each
    position i along it:

    ```
    default              result[i] = x[0] + ... + x[i]
    exclusive            result[i] = x[0] + ... + x[i-1]    (result[0] = 0)
    reverse              result[i] = x[i] + ... + x[n-1]
    reverse exclusive    result[i] = x[i+1] + ... + x[n-1]  (result[n-1] = 0)
    ```

    (`torch.cumsum` / `numpy.cumsum` is the default; `exclusive` and
    `reverse` are those of `tf.math.cumsum`.) The sums are accumulated in
    order along the axis. The gradient is the cumsum of the incoming
    gradient in the other direction with the same `exclusive`:
    d x = cumsum(g, reverse = !reverse, exclusive).

    ```mlir
    %c = loom.cumsum %x axis 1 : tensor<4x3xf32>
    %r = loom.cumsum %x axis 0 reverse exclusive : tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$operand, I64Attr:$axis,
                       UnitAttr:$reverse, UnitAttr:$exclusive);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat = "$operand `axis` $axis (`reverse` $reverse^)? "
      "(`exclusive` $exclusive^)? attr-dict `:` type($operand)";
}

#endif // LOOM_SCAN_OPS_TD
