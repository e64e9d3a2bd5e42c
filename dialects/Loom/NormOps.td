//===- NormOps.td - Normalization and dropout ops ----------*- tablegen -*-===//
//
// layer_norm, batch_norm (training and inference modes, running
// statistics) and dropout (a counter-based random mask). Included by
// LoomOps.td. Shape rules and reference evaluation live in NormOps.cpp, the
// VJPs in NormGradients.cpp; layer_norm and batch_norm are decomposed into
// primitive ops by -loom-decompose (sharing the formulas in
// Normalization.h), dropout is lowered by
// compiler/Conversion/LoomToLinalg/RandomToLinalg.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef LOOM_NORM_OPS_TD
#define LOOM_NORM_OPS_TD

/// A rank-0 f32 tensor (a step counter); buildable, so the assembly format
/// needs no type for it.
def Loom_F32Scalar : 0DTensorOf<[F32]>, BuildableType<
    "::mlir::RankedTensorType::get({}, $_builder.getF32Type())">;

def Loom_LayerNormOp : Loom_Op<"layer_norm", [Pure, InferTypeOpAdaptor,
    AllTypesMatch<["gamma", "beta"]>,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Layer normalization over the trailing dimensions";
  let description = [{
    Normalizes `operand` over its dimensions `axis .. rank-1` and applies a
    per-element affine map (PyTorch's `nn.LayerNorm(normalized_shape)` with
    `normalized_shape = shape[axis:]`):

    ```
    mean, var = mean and biased variance over dimensions axis..rank-1
    result = (x - mean) / sqrt(var + epsilon) * gamma + beta
    ```

    `gamma` and `beta` have shape `shape[axis:]`; `0 <= axis < rank`,
    `epsilon > 0`.

    ```mlir
    %y = loom.layer_norm %x, %g, %b axis 2 epsilon 1.0e-05
        : tensor<8x16x64xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$operand, Loom_FloatTensor:$gamma,
                       Loom_FloatTensor:$beta, I64Attr:$axis,
                       F64Attr:$epsilon);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat = "$operand `,` $gamma `,` $beta `axis` $axis `epsilon` "
      "$epsilon attr-dict `:` type($operand) `,` type($gamma)";
}

def Loom_BatchNormOp : Loom_Op<"batch_norm", [Pure, InferTypeOpAdaptor,
    AllTypesMatch<["gamma", "beta", "running_mean", "running_var"]>,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_TrainingModeOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Batch normalization over dimension 1, with running statistics";
  let description = [{
    Normalizes `operand` [N, C, ...] per channel (dimension 1), like
    PyTorch's `nn.BatchNorm1d/2d`. `gamma`, `beta`, `running_mean` and
    `running_var` have shape [C]; `epsilon > 0`, `0 <= momentum <= 1`.

    Inference mode (the default: @forward and @eval):
    ```
    result = (x - running_mean) / sqrt(running_var + epsilon) * gamma + beta
    new_running_mean = running_mean, new_running_var = running_var
    ```
    Training mode (`training`, set in @train_step by
    -loom-training-entries): with `mean` and biased `var` over every
    dimension except 1 (n elements per channel),
    ```
    result = (x - mean) / sqrt(var + epsilon) * gamma + beta
    new_running_mean = (1 - momentum) * running_mean + momentum * mean
    new_running_var  = (1 - momentum) * running_var
                       + momentum * var * n / (n - 1)
    ```
    The running statistics are non-trainable parameters; the DSL returns the
    two new values as their updates, which only @train_step keeps. No
    gradient flows into them.

    ```mlir
    %y, %m, %v = loom.batch_norm %x, %g, %b, %rm, %rv epsilon 1.0e-05
        momentum 1.0e-01 training : tensor<32x16x8x8xf32>, tensor<16xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$operand, Loom_FloatTensor:$gamma,
                       Loom_FloatTensor:$beta, Loom_FloatTensor:$running_mean,
                       Loom_FloatTensor:$running_var, F64Attr:$epsilon,
                       F64Attr:$momentum, UnitAttr:$training);
  let results = (outs Loom_FloatTensor:$result,
                      Loom_FloatTensor:$new_running_mean,
                      Loom_FloatTensor:$new_running_var);
  let assemblyFormat = "$operand `,` $gamma `,` $beta `,` $running_mean `,` "
      "$running_var `epsilon` $epsilon `momentum` $momentum "
      "(`training` $training^)? attr-dict `:` type($operand) `,` type($gamma)";
}

def Loom_DropoutOp : Loom_Op<"dropout", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_TrainingModeOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Inverted dropout with a counter-based random mask";
  let description = [{
    In inference mode (no `training`: @forward and @eval) the identity. In
    training mode every element is zeroed with probability `rate` and the
    survivors are scaled by `1 / (1 - rate)` (PyTorch's `nn.Dropout`),
    `0 <= rate < 1`. The mask is a pure function of (`seed`, `counter`,
    element index): a counter-based generator (two rounds of a 32-bit
    integer hash, see Random.h), so it needs no state, the gradient (a
    dropout of the incoming gradient with the same seed and counter)
    reproduces the forward mask exactly, and a resumed run draws the same
    masks. `counter` is the train step's step number, given when
    -loom-training-entries switches the op to training mode.

    ```mlir
    %y = loom.dropout %x rate 5.000000e-01 seed 7 : tensor<64x256xf32>
    %z = loom.dropout %x counter %step rate 5.000000e-01 seed 7 training
        : tensor<64x256xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$operand,
                       Optional<Loom_F32Scalar>:$counter, F64Attr:$rate,
                       I64Attr:$seed, UnitAttr:$training);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat = "$operand (`counter` $counter^)? `rate` $rate `seed` "
      "$seed (`training` $training^)? attr-dict `:` type($operand)";
  let hasVerifier = 1;
}

#endif // LOOM_NORM_OPS_TD
