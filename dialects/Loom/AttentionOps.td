//===- AttentionOps.td - Scaled dot-product attention ------*- tablegen -*-===//
//
// loom.attention: softmax(q k^T * scale [+ causal mask]) v over the last two
// dimensions. Included by LoomOps.td; shape rule, reference and VJP in
// AttentionOps.cpp; -loom-decompose rewrites it into matmul, softmax and
// select (sharing the probabilities' formula with the VJP), which is also
// where a fused kernel will plug in.
//
//===----------------------------------------------------------------------===//
#ifndef LOOM_ATTENTION_OPS_TD
#define LOOM_ATTENTION_OPS_TD

def Loom_AttentionOp : Loom_Op<"attention", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Scaled dot-product attention, optionally causal";
  let description = [{
    With `query` [..., Lq, D], `key` [..., Lk, D] and `value` [..., Lk, Dv]
    (the same leading dimensions, e.g. [batch, heads]):

    ```
    scores = query key^T * scale                       [..., Lq, Lk]
    scores[i, j] = -inf where j > i   (with `causal`)
    result = softmax(scores, last axis) value          [..., Lq, Dv]
    ```

    `scale > 0` (usually `1 / sqrt(D)`); `causal` needs `Lq = Lk`. This is
    PyTorch's `scaled_dot_product_attention(q, k, v, is_causal=...)`.

    ```mlir
    %o = loom.attention %q, %k, %v scale 1.250000e-01 causal
        : tensor<8x4x16x64xf32>, tensor<8x4x16x64xf32>, tensor<8x4x16x64xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$query, Loom_FloatTensor:$key,
                       Loom_FloatTensor:$value, F64Attr:$scale,
                       UnitAttr:$causal);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat = "$query `,` $key `,` $value `scale` $scale "
      "(`causal` $causal^)? attr-dict `:` type($query) `,` type($key) `,` "
      "type($value)";
}

#endif // LOOM_ATTENTION_OPS_TD
