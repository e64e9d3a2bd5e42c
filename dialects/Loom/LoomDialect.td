//===- LoomDialect.td - The loom dialect definition --------*- tablegen -*-===//
//
// The `loom` dialect: tensor-level deep-learning ops on ranked tensors with
// static shapes. It is what the C++ model DSL builds, what autodiff and the
// graph optimizations rewrite, and what the reference evaluator interprets.
//
//===----------------------------------------------------------------------===//
#ifndef LOOM_DIALECT_TD
#define LOOM_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Loom_Dialect : Dialect {
  let name = "loom";
  let cppNamespace = "::loom";
  let summary = "Static-shape tensor ops for deep-learning models";
  let description = [{
    Every value is a ranked tensor with a static shape. Element types: ops
    that compute accept `f32` today (named `Loom_FloatTensor`); the type
    constraints are written so f16/bf16 can be added per op. Comparison
    results are `i1`. Elementwise binary ops broadcast like NumPy: shapes are
    aligned from the right, and each pair of dimensions must be equal or one
    of them 1; missing leading dimensions count as 1.
  }];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 1;
}

def Loom_ComparePredicate : I32EnumAttr<"ComparePredicate",
    "comparison predicate for loom.compare", [
      I32EnumAttrCase<"eq", 0>, I32EnumAttrCase<"ne", 1>,
      I32EnumAttrCase<"lt", 2>, I32EnumAttrCase<"le", 3>,
      I32EnumAttrCase<"gt", 4>, I32EnumAttrCase<"ge", 5>]> {
  let cppNamespace = "::loom";
  let genSpecializedAttr = 0;
}
def Loom_ComparePredicateAttr :
    EnumAttr<Loom_Dialect, Loom_ComparePredicate, "predicate">;

class Loom_Op<string mnemonic, list<Trait> traits = []> :
    Op<Loom_Dialect, mnemonic, traits>;

// Element types. Widening a family (say to f16) is a change here plus the
// lowering's scalar builders; the verifier messages name these sets.
def Loom_Float : AnyTypeOf<[F32]>;
def Loom_FloatTensor : RankedTensorOf<[F32]>;
def Loom_BoolTensor : RankedTensorOf<[I1]>;
def Loom_AnyTensor : RankedTensorOf<[F32, I1]>;

#endif // LOOM_DIALECT_TD
