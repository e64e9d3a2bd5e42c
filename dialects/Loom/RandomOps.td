//===- RandomOps.td - Noise drawn inside the graph ---------*- tablegen -*-===//
//
// loom.random_normal draws standard normal noise (a GAN generator's input)
// from the same counter-based generator as loom.dropout (Random.h): a pure
// function of (seed, counter, element index), so the op stays Pure (CSE
// may merge two identical draws, which are the same numbers), a resumed
// run draws exactly what an uninterrupted one would, and the reference
// evaluator and the compiled code agree. Semantics, verifier, reference
// evaluation and the (empty) VJP are in RandomOps.cpp; the lowering in
// compiler/Conversion/LoomToLinalg/RandomToLinalg.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef LOOM_RANDOM_OPS_TD
#define LOOM_RANDOM_OPS_TD

def Loom_RandomNormalOp : Loom_Op<"random_normal", [Pure,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_TrainingModeOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Standard normal noise from a counter-based generator";
  let description = [{
    A tensor of independent N(0, 1) samples of a static shape. Element `i`
    (row-major) takes two 24-bit draws of the stream (`seed`, `counter`)
    of Random.h, `b1` at index 2i and `b2` at 2i+1, and applies the
    Box-Muller transform:

    ```
    u1 = (b1 + 0.5) / 2^24,  u2 = b2 / 2^24
    result[i] = sqrt(-2 ln u1) * cos(2 pi u2)
    ```

    The stream's key is mixed once more than dropout's, so a dropout and a
    random_normal with the same seed draw unrelated numbers. In inference
    mode (no `training`: @forward, @eval) `counter` is absent and the
    counter is 0: the same noise on every call (a generator's "fixed
    noise" for watching it learn). -loom-training-entries switches the op
    to training mode with the step number as `counter`, so every train step
    draws new noise, identically in every entry that runs that step. No
    gradient flows through the op: its result depends on no differentiable
    value.

    ```mlir
    %z = loom.random_normal seed 3 : tensor<64x100xf32>
    %w = loom.random_normal counter %step seed 3 training : tensor<64x100xf32>
    ```
  }];
  let arguments = (ins Optional<Loom_F32Scalar>:$counter, I64Attr:$seed,
                       UnitAttr:$training);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat = "(`counter` $counter^)? `seed` $seed "
      "(`training` $training^)? attr-dict `:` type($result)";
  let hasVerifier = 1;
}

#endif // LOOM_RANDOM_OPS_TD
