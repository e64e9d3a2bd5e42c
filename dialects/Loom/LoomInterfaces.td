//===- LoomInterfaces.td - Per-op behaviour of loom ops ----*- tablegen -*-===//
//
// Behaviour that differs from op to op lives on the op, behind these
// interfaces, never in a switch over op kinds. ElementwiseOpInterface gives
// one scalar rule that serves the reference evaluator (in double) and the
// lowering (as arith/math ops); ReferenceOpInterface is the oracle's
// evaluation of a whole op; GradientOpInterface is the op's local
// reverse-mode rule (its VJP), which the autodiff engine chains.
//
//===----------------------------------------------------------------------===//
#ifndef LOOM_INTERFACES_TD
#define LOOM_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Loom_ElementwiseOpInterface : OpInterface<"ElementwiseOpInterface"> {
  let cppNamespace = "::loom";
  let description = [{
    An op computed independently per element after NumPy broadcasting of its
    operands. The scalar rule is given twice: in double, for the reference
    evaluator, and as IR on scalar values, for code generation.
  }];
  let methods = [
    InterfaceMethod<"The scalar rule in double (i1 values are 0.0 / 1.0).",
      "double", "evalScalar", (ins "::llvm::ArrayRef<double>":$args)>,
    InterfaceMethod<[{Builds the scalar rule on element values `args` (one
      per operand, of the operands' element types) and returns the result
      element.}],
      "::mlir::Value", "buildScalar",
      (ins "::mlir::OpBuilder &":$b, "::mlir::Location":$loc,
           "::mlir::ValueRange":$args)>,
  ];
}

def Loom_ReferenceOpInterface : OpInterface<"ReferenceOpInterface"> {
  let cppNamespace = "::loom";
  let description = [{
    Evaluates the op on host values in double precision: the plain,
    obviously-correct oracle every backend is tested against. Elementwise ops
    get it from their scalar rule.
  }];
  let methods = [
    InterfaceMethod<"Computes the op's results from its operands.",
      "::llvm::LogicalResult", "evaluateReference",
      (ins "::llvm::ArrayRef<::loom::RefTensor>":$operands,
           "::llvm::SmallVectorImpl<::loom::RefTensor> &":$results),
      /*methodBody=*/[{}],
      /*defaultImplementation=*/[{
        return ::loom::evaluateElementwiseReference($_op.getOperation(),
                                                    operands, results);
      }]>,
  ];
}

def Loom_GradientOpInterface : OpInterface<"GradientOpInterface"> {
  let cppNamespace = "::loom";
  let description = [{
    The op's vector-Jacobian product: its local rule for reverse-mode
    differentiation. Given d(loss)/d(result) for every result, it builds
    (as loom ops, at the builder's insertion point, with the op's location)
    d(loss)/d(operand) for every operand. The autodiff engine
    (compiler/Transforms/Autodiff.h) walks the graph backwards and chains
    these rules; an op without this interface on the loss's path is a
    diagnostic naming it.
  }];
  let methods = [
    InterfaceMethod<[{Appends one gradient per operand to `operandGrads`, in
      operand order: a value of exactly the operand's type, or a null Value
      for an operand that is not differentiable (i1 conditions, compare's
      operands, stop_gradient). `resultGrads` holds one gradient per
      result, of the result's type (null only for a non-float result).
      Broadcast operands get their gradient summed back to their own
      shape.}],
      "::llvm::LogicalResult", "buildVJP",
      (ins "::mlir::OpBuilder &":$b, "::mlir::ValueRange":$resultGrads,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandGrads)>,
  ];
}

def Loom_TrainingModeOpInterface : OpInterface<"TrainingModeOpInterface"> {
  let cppNamespace = "::loom";
  let description = [{
    An op that computes differently while training (batch_norm uses the
    batch's statistics and updates its running ones; dropout drops). As the
    DSL builds it, the op is in inference mode, which @forward and @eval
    keep; -loom-training-entries switches the copies in @train_step to
    training mode before differentiating them.
  }];
  let methods = [
    InterfaceMethod<"True once switched to training mode.",
      "bool", "isTraining", (ins)>,
    InterfaceMethod<[{Switches the op to training mode in place. `step` is
      the train step's rank-0 f32 step counter (1, 2, ...), which ops that
      draw random numbers use as their counter.}],
      "void", "switchToTraining", (ins "::mlir::Value":$step)>,
  ];
}

#endif // LOOM_INTERFACES_TD
