//===- IndexingOps.td - Gather, scatter_add and one_hot ----*- tablegen -*-===//
//
// The indexing family: ops that read or write a tensor at positions given
// by another tensor. Indices are f32 tensors holding integer values, as
// class labels are everywhere in Loom (the runtime feeds f32 data). Included
// by LoomOps.td. Shape rules live in IndexingShapeInference.cpp, reference
// evaluation in IndexingOps.cpp, the VJPs in IndexingGradients.cpp and the
// lowering (with its run-time index check) in
// compiler/Conversion/LoomToLinalg/IndexingToLinalg.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef LOOM_INDEXING_OPS_TD
#define LOOM_INDEXING_OPS_TD

def Loom_GatherOp : Loom_Op<"gather", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Slices of a table picked by indices along one axis";
  let description = [{
    Picks slices of `table` along `axis` at the positions held by `indices`
    (f32 values that must be integers in [0, table.shape[axis])), like
    `numpy.take(table, indices, axis)` and PyTorch's `index_select` /
    `nn.Embedding` (axis 0):

    ```
    result[p..., i..., q...] = table[p..., indices[i...], q...]
    result shape = table.shape[:axis] + indices.shape + table.shape[axis+1:]
    ```

    `indices` may have any rank (rank 0 drops the axis). `axis` is in
    [0, rank(table)) and the table's size along it is at least 1. An index
    that is negative, not an integer or not below the size is an error at
    run time: the generated code reads a clamped, in-range position instead
    (never memory outside the table) and reports the index, the size and
    the op's source location through the runtime (see docs/indexing.md).
    The gradient flows to the table only (a `loom.scatter_add`); indices
    get none.

    ```mlir
    %e = loom.gather %table, %ids axis 0 : tensor<50x8xf32>, tensor<4x3xf32>
    // %e : tensor<4x3x8xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$table, Loom_FloatTensor:$indices,
                       I64Attr:$axis);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat = "$table `,` $indices `axis` $axis attr-dict `:` "
      "type($table) `,` type($indices)";
}

def Loom_ScatterAddOp : Loom_Op<"scatter_add", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Sums slices of updates into positions given by indices";
  let description = [{
    The transpose of `loom.gather`: a zero tensor whose size along `axis`
    is `dim_size`, into which every slice of `updates` is added at the
    position its index names (a segment sum; with `axis 0` it sums the
    messages of a graph neural network into their target nodes):

    ```
    result[p..., indices[i...], q...] += updates[p..., i..., q...]
    updates shape = P + indices.shape + Q,  result shape = P + [dim_size] + Q
    ```

    where P has `axis` dimensions. `dim_size` is at least 1; indices are f32
    integers in [0, dim_size). Positions that no index names stay zero. An
    index out of range is an error at run time (the update is dropped, no
    memory outside the result is written, and the runtime reports the index
    and the op's source location). Its gradient is a `loom.gather` of the
    result's gradient for the updates, none for the indices.

    ```mlir
    %s = loom.scatter_add %msgs, %targets axis 0 dim_size 34
        : tensor<156x16xf32>, tensor<156xf32>
    // %s : tensor<34x16xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$updates, Loom_FloatTensor:$indices,
                       I64Attr:$axis, I64Attr:$dim_size);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat = "$updates `,` $indices `axis` $axis `dim_size` $dim_size "
      "attr-dict `:` type($updates) `,` type($indices)";
}

def Loom_OneHotOp : Loom_Op<"one_hot", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "One-hot f32 encoding of integer indices";
  let description = [{
    `result[i..., c] = (indices[i...] == c) ? 1.0 : 0.0` for c in
    [0, num_classes): the result's shape is indices.shape + [num_classes].
    `num_classes` is at least 1. An index that is negative, not an integer
    or not below `num_classes` is an error at run time (as in PyTorch's
    `one_hot`); the generated code then gives a zero row and the runtime
    reports the index and the op's source location. No gradient flows to
    the indices.

    ```mlir
    %h = loom.one_hot %labels num_classes 10 : tensor<32xf32>
    // %h : tensor<32x10xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$indices, I64Attr:$num_classes);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat = "$indices `num_classes` $num_classes attr-dict `:` "
      "type($indices)";
}

#endif // LOOM_INDEXING_OPS_TD
