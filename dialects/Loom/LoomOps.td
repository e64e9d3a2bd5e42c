//===- LoomOps.td - The loom ops ---------------------------*- tablegen -*-===//
//
// Every loom op, grouped by family: constants, elementwise (unary, binary,
// compare/select), contraction, reductions, shape manipulation, normalized
// exponentials, and differentiation (stop_gradient). Shape rules live in
// ShapeInference.cpp and are shared by the verifiers (through
// InferTypeOpInterface) and the DSL.
//
//===----------------------------------------------------------------------===//
#ifndef LOOM_OPS_TD
#define LOOM_OPS_TD

include "Loom/LoomDialect.td"
include "Loom/LoomInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributes.td"

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def Loom_ConstantOp : Loom_Op<"constant", [ConstantLike, Pure,
    InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "A tensor constant";
  let description = [{
    A dense tensor value given by an elements attribute; the result type is
    the attribute's type (f32 or i1 elements).

    ```mlir
    %0 = loom.constant dense<[1.0, 2.0]> : tensor<2xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Loom_AnyTensor:$result);
  let assemblyFormat = "$value attr-dict";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

class Loom_UnaryOp<string mnemonic, string name, string rule> :
    Loom_Op<mnemonic, [Pure,
    InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_ElementwiseOpInterface>,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface>]> {
  let summary = "Elementwise " # name;
  let description = [{
    Computes `}] # rule # [{` for every element. The result has the
    operand's type (f32 elements).

    ```mlir
    %1 = loom.}] # mnemonic # [{ %0 : tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$operand);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand)";
  let hasFolder = 1;
}

def Loom_NegOp : Loom_UnaryOp<"neg", "negation", "-x">;
def Loom_ExpOp : Loom_UnaryOp<"exp", "exponential", "e^x">;
def Loom_LogOp : Loom_UnaryOp<"log", "natural logarithm", "ln(x)">;
def Loom_SqrtOp : Loom_UnaryOp<"sqrt", "square root", "sqrt(x)">;
def Loom_RsqrtOp : Loom_UnaryOp<"rsqrt", "reciprocal square root",
    "1 / sqrt(x)">;
def Loom_TanhOp : Loom_UnaryOp<"tanh", "hyperbolic tangent", "tanh(x)">;
def Loom_SigmoidOp : Loom_UnaryOp<"sigmoid", "logistic sigmoid",
    "1 / (1 + e^-x)">;
def Loom_ReluOp : Loom_UnaryOp<"relu", "rectified linear unit", "max(x, 0)">;
def Loom_AbsOp : Loom_UnaryOp<"abs", "absolute value", "|x|">;
def Loom_ErfOp : Loom_UnaryOp<"erf", "error function",
    "erf(x) = 2/sqrt(pi) * integral from 0 to x of e^(-t^2) dt">;

// Activations with parameters: elementwise, one f32 operand, the rule's
// constants as attributes.
class Loom_ActivationOp<string mnemonic, dag attrs, string format,
                        string desc> :
    Loom_Op<mnemonic, [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_ElementwiseOpInterface>,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface>]> {
  let description = desc;
  let arguments = !con((ins Loom_FloatTensor:$operand), attrs);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat = "$operand " # format # " attr-dict `:` type($operand)";
  let hasFolder = 1;
}

def Loom_GeluOp : Loom_ActivationOp<"gelu", (ins UnitAttr:$approximate_tanh),
    "(`approximate_tanh` $approximate_tanh^)?", [{
    The Gaussian error linear unit, `x * Phi(x)` with `Phi` the standard
    normal CDF: `0.5 x (1 + erf(x / sqrt(2)))` (PyTorch's `nn.GELU()`).
    With `approximate_tanh`, the tanh form
    `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`
    (`nn.GELU(approximate="tanh")`).

    ```mlir
    %y = loom.gelu %x : tensor<8x64xf32>
    %z = loom.gelu %x approximate_tanh : tensor<8x64xf32>
    ```
  }]> {
  let summary = "Elementwise GELU";
}

def Loom_LeakyReluOp : Loom_ActivationOp<"leaky_relu", (ins F64Attr:$alpha),
    "`alpha` $alpha", [{
    `x` for `x > 0`, `alpha * x` otherwise (PyTorch's `nn.LeakyReLU`, whose
    default slope is 0.01). The gradient at 0 is `alpha`, as in PyTorch.

    ```mlir
    %y = loom.leaky_relu %x alpha 2.000000e-01 : tensor<8x64xf32>
    ```
  }]> {
  let summary = "Elementwise leaky rectified linear unit";
}

def Loom_ClampOp : Loom_ActivationOp<"clamp",
    (ins F64Attr:$min, F64Attr:$max), "`min` $min `max` $max", [{
    `min(max(x, min), max)`, with `min <= max` (the verifier checks). NaN
    stays NaN. The gradient passes where `min <= x <= max` (bounds
    included, as in PyTorch's `clamp`) and is 0 outside.

    ```mlir
    %y = loom.clamp %x min -1.000000e+00 max 1.000000e+00 : tensor<4xf32>
    ```
  }]> {
  let summary = "Elementwise clamp into [min, max]";
  let hasVerifier = 1;
}

class Loom_BinaryOp<string mnemonic, string name, string rule,
                    list<Trait> traits = []> :
    Loom_Op<mnemonic, traits # [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_ElementwiseOpInterface>,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface>]> {
  let summary = "Elementwise " # name # " with NumPy broadcasting";
  let description = [{
    Computes `}] # rule # [{` elementwise. The operands (f32 elements) are
    broadcast like NumPy: shapes aligned from the right, each dimension pair
    equal or one of them 1, missing leading dimensions treated as 1. The
    result's shape is the broadcast shape; incompatible shapes are an error
    naming both.

    ```mlir
    %2 = loom.}] # mnemonic # [{ %0, %1 : tensor<4x3xf32>, tensor<3xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$lhs, Loom_FloatTensor:$rhs);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
  let hasFolder = 1;
}

def Loom_AddOp : Loom_BinaryOp<"add", "sum", "lhs + rhs", [Commutative]>;
def Loom_SubOp : Loom_BinaryOp<"sub", "difference", "lhs - rhs">;
def Loom_MulOp : Loom_BinaryOp<"mul", "product", "lhs * rhs", [Commutative]>;
def Loom_DivOp : Loom_BinaryOp<"div", "quotient", "lhs / rhs">;
def Loom_MaximumOp : Loom_BinaryOp<"maximum", "maximum",
    "max(lhs, rhs)", [Commutative]>;
def Loom_MinimumOp : Loom_BinaryOp<"minimum", "minimum",
    "min(lhs, rhs)", [Commutative]>;
def Loom_PowOp : Loom_BinaryOp<"pow", "power", "lhs ^ rhs">;

def Loom_CompareOp : Loom_Op<"compare", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_ElementwiseOpInterface>,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface>]> {
  let summary = "Elementwise comparison with NumPy broadcasting";
  let description = [{
    Compares f32 operands elementwise with the predicate (`eq`, `ne`, `lt`,
    `le`, `gt`, `ge`; ordered, so any comparison with NaN is false except
    `ne`). Operands broadcast as for `loom.add`; the result has the broadcast
    shape and `i1` elements.

    ```mlir
    %m = loom.compare gt, %x, %zero : tensor<4x3xf32>, tensor<f32>
    ```
  }];
  let arguments = (ins Loom_ComparePredicateAttr:$predicate,
                       Loom_FloatTensor:$lhs, Loom_FloatTensor:$rhs);
  let results = (outs Loom_BoolTensor:$result);
  let assemblyFormat =
      "$predicate `,` $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
  let hasFolder = 1;
}

def Loom_SelectOp : Loom_Op<"select", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_ElementwiseOpInterface>,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface>]> {
  let summary = "Elementwise choice between two tensors";
  let description = [{
    `result[i] = condition[i] ? on_true[i] : on_false[i]`. The `i1`
    condition and the two f32 values broadcast together like NumPy; the
    result has the broadcast shape and the values' element type.

    ```mlir
    %r = loom.select %m, %x, %zero : tensor<4x3xi1>, tensor<4x3xf32>, tensor<f32>
    ```
  }];
  let arguments = (ins Loom_BoolTensor:$condition, Loom_FloatTensor:$on_true,
                       Loom_FloatTensor:$on_false);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat = "$condition `,` $on_true `,` $on_false attr-dict `:` "
                       "type($condition) `,` type($on_true) `,` type($on_false)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Contraction
//===----------------------------------------------------------------------===//

def Loom_MatmulOp : Loom_Op<"matmul", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Matrix product, 2-D or batched";
  let description = [{
    Multiplies the last two dimensions of `lhs` [..., M, K] and `rhs`
    [..., K, N] into [..., M, N]. With `transpose_lhs` the last two
    dimensions of lhs are read as [K, M]; with `transpose_rhs` those of rhs as
    [N, K]. Both operands have rank >= 2 and f32 elements; the leading (batch)
    dimensions broadcast like NumPy, so a 2-D weight multiplies every matrix
    of a batch. The contraction sizes must agree.

    ```mlir
    %y = loom.matmul %x, %w : tensor<8x4xf32>, tensor<4x16xf32>
    %z = loom.matmul %a, %b transpose_rhs : tensor<2x8x4xf32>, tensor<16x4xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$lhs, Loom_FloatTensor:$rhs,
                       UnitAttr:$transpose_lhs, UnitAttr:$transpose_rhs);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs (`transpose_lhs` $transpose_lhs^)? "
      "(`transpose_rhs` $transpose_rhs^)? attr-dict `:` type($lhs) `,` type($rhs)";
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class Loom_ReduceOp<string mnemonic, string what> : Loom_Op<mnemonic, [Pure,
    InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "The " # what # " over a list of axes";
  let description = [{
    Reduces the f32 operand by taking the }] # what # [{ over `axes` (each
    in [0, rank), no repeats, any order). With `keepdims` the reduced
    dimensions stay as size 1; without it they are removed. Reducing no axes
    is the identity.

    ```mlir
    %s = loom.}] # mnemonic # [{ %x axes [1] : tensor<4x3xf32>
    %k = loom.}] # mnemonic # [{ %x axes [0, 1] keepdims : tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$operand, DenseI64ArrayAttr:$axes,
                       UnitAttr:$keepdims);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat =
      "$operand `axes` $axes (`keepdims` $keepdims^)? attr-dict `:` type($operand)";
}

def Loom_ReduceSumOp : Loom_ReduceOp<"reduce_sum", "sum">;
def Loom_ReduceMeanOp : Loom_ReduceOp<"reduce_mean", "mean">;
def Loom_ReduceMaxOp : Loom_ReduceOp<"reduce_max", "maximum">;

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

def Loom_ReshapeOp : Loom_Op<"reshape", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Reinterprets a tensor's elements in a new shape";
  let description = [{
    Keeps the row-major order of the elements and gives them `shape`, which
    must hold the same number of elements (all dimensions >= 0).

    ```mlir
    %r = loom.reshape %x [2, 6] : tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Loom_AnyTensor:$operand, DenseI64ArrayAttr:$shape);
  let results = (outs Loom_AnyTensor:$result);
  let assemblyFormat = "$operand $shape attr-dict `:` type($operand)";
  let hasFolder = 1;
}

def Loom_TransposeOp : Loom_Op<"transpose", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Permutes a tensor's dimensions";
  let description = [{
    Result dimension `i` is operand dimension `permutation[i]`; the
    permutation names every dimension exactly once.

    ```mlir
    %t = loom.transpose %x [1, 0] : tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Loom_AnyTensor:$operand,
                       DenseI64ArrayAttr:$permutation);
  let results = (outs Loom_AnyTensor:$result);
  let assemblyFormat = "$operand $permutation attr-dict `:` type($operand)";
  let hasFolder = 1;
}

def Loom_BroadcastToOp : Loom_Op<"broadcast_to", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Broadcasts a tensor to a shape, NumPy style";
  let description = [{
    Aligns the operand's shape with `shape` from the right; every operand
    dimension must equal the target's or be 1, and the target may have more
    (leading) dimensions.

    ```mlir
    %b = loom.broadcast_to %bias [4, 3] : tensor<3xf32>
    ```
  }];
  let arguments = (ins Loom_AnyTensor:$operand, DenseI64ArrayAttr:$shape);
  let results = (outs Loom_AnyTensor:$result);
  let assemblyFormat = "$operand $shape attr-dict `:` type($operand)";
  let hasFolder = 1;
}

def Loom_SliceOp : Loom_Op<"slice", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "A strided box of a tensor";
  let description = [{
    Takes, in every dimension `d`, the indices `start[d], start[d] +
    stride[d], ...` below `limit[d]`, with `0 <= start[d] <= limit[d] <=
    size[d]` and `stride[d] >= 1`. The result dimension is
    `ceil((limit - start) / stride)`.

    ```mlir
    %s = loom.slice %x start [0, 1] limit [4, 3] stride [2, 1] : tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Loom_AnyTensor:$operand, DenseI64ArrayAttr:$start,
                       DenseI64ArrayAttr:$limit, DenseI64ArrayAttr:$stride);
  let results = (outs Loom_AnyTensor:$result);
  let assemblyFormat = "$operand `start` $start `limit` $limit `stride` $stride "
                       "attr-dict `:` type($operand)";
}

def Loom_PadOp : Loom_Op<"pad", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Zero padding around and between a tensor's elements";
  let description = [{
    In every dimension `d`, puts `low[d]` zeros before the elements,
    `interior[d]` zeros between each pair of neighbouring elements and
    `high[d]` zeros after them (all >= 0; zeros are `false` for i1). The
    result dimension is `low + size + max(size - 1, 0) * interior + high`.
    It is the transpose of `loom.slice`: the gradient of a strided slice is
    a pad with `interior = stride - 1`, and the gradient of a pad is a slice.

    ```mlir
    %p = loom.pad %x low [1, 0] high [0, 2] interior [0, 1] : tensor<2x3xf32>
    // %p : tensor<3x7xf32>
    ```
  }];
  let arguments = (ins Loom_AnyTensor:$operand, DenseI64ArrayAttr:$low,
                       DenseI64ArrayAttr:$high, DenseI64ArrayAttr:$interior);
  let results = (outs Loom_AnyTensor:$result);
  let assemblyFormat = "$operand `low` $low `high` $high `interior` $interior "
                       "attr-dict `:` type($operand)";
  let hasFolder = 1;
}

def Loom_ConcatOp : Loom_Op<"concat", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Joins tensors along one axis";
  let description = [{
    All operands have the same rank and element type and agree in every
    dimension except `axis`, along which they are laid end to end.

    ```mlir
    %c = loom.concat %a, %b axis 1 : tensor<4x3xf32>, tensor<4x2xf32>
    ```
  }];
  let arguments = (ins Variadic<Loom_AnyTensor>:$inputs, I64Attr:$axis);
  let results = (outs Loom_AnyTensor:$result);
  let assemblyFormat = "$inputs `axis` $axis attr-dict `:` type($inputs)";
}

//===----------------------------------------------------------------------===//
// Normalized exponentials
//===----------------------------------------------------------------------===//

class Loom_SoftmaxLikeOp<string mnemonic, string name, string rule> :
    Loom_Op<mnemonic, [Pure,
    InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = name # " along one axis";
  let description = [{
    Computes `}] # rule # [{` along `axis` (in [0, rank)), in the stable
    form that subtracts the maximum first. The result has the operand's type.

    ```mlir
    %p = loom.}] # mnemonic # [{ %logits axis 1 : tensor<8x10xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$operand, I64Attr:$axis);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat = "$operand `axis` $axis attr-dict `:` type($operand)";
}

def Loom_SoftmaxOp :
    Loom_SoftmaxLikeOp<"softmax", "Softmax", "exp(x_i) / sum_j exp(x_j)">;
def Loom_LogSoftmaxOp : Loom_SoftmaxLikeOp<"log_softmax", "Log-softmax",
    "x_i - log(sum_j exp(x_j))">;

//===----------------------------------------------------------------------===//
// Differentiation
//===----------------------------------------------------------------------===//

def Loom_StopGradientOp : Loom_Op<"stop_gradient", [Pure, InferTypeOpAdaptor,
    DeclareOpInterfaceMethods<Loom_GradientOpInterface>,
    DeclareOpInterfaceMethods<Loom_ReferenceOpInterface, ["evaluateReference"]>]> {
  let summary = "Identity that blocks gradients";
  let description = [{
    Returns its operand unchanged, but reverse-mode differentiation treats
    the result as a constant: no gradient flows back through it (a target
    computed from the model's own outputs, a frozen branch). It deliberately
    has no folder, so it survives canonicalization until autodiff has run;
    the lowering to linalg replaces it by its operand.

    ```mlir
    %t = loom.stop_gradient %y : tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Loom_FloatTensor:$operand);
  let results = (outs Loom_FloatTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand)";
}

// Convolution and pooling (conv2d, conv2d_transpose, max/avg_pool2d).
include "Loom/ConvOps.td"
// Normalization and regularization (batch_norm, layer_norm, dropout).
include "Loom/NormOps.td"
// Scaled dot-product attention.
include "Loom/AttentionOps.td"
// Indexing (gather, scatter_add, one_hot).
include "Loom/IndexingOps.td"
// Recurrent layers over a sequence (lstm, gru and their backward ops).
include "Loom/RecurrentOps.td"
// Ops that walk one axis in order (argmax, cumsum).
include "Loom/ScanOps.td"
// Noise drawn in the graph (random_normal).
include "Loom/RandomOps.td"

#endif // LOOM_OPS_TD
