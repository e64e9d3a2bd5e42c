// RUN: loom-opt %s -split-input-file -loom-algebraic-simplify | FileCheck %s
// Unstable compositions become their stable forms; anything else is left.

// CHECK-LABEL: func.func @log_of_softmax
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK: %[[R:.*]] = loom.log_softmax %[[X]] axis 1 : tensor<2x3xf32>
// CHECK: return %[[R]]
// CHECK-NOT: loom.log
func.func @log_of_softmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %s = loom.softmax %x axis 1 : tensor<2x3xf32>
  %l = loom.log %s : tensor<2x3xf32>
  return %l : tensor<2x3xf32>
}

// -----

// log(sigmoid(x)) = -softplus(-x) = -(max(-x, 0) + log(1 + exp(-|-x|)))
// CHECK-LABEL: func.func @log_of_sigmoid
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[ZERO:.*]] = loom.constant dense<0.000000e+00> : tensor<f32>
// CHECK-DAG: %[[ONE:.*]] = loom.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[N:.*]] = loom.neg %[[X]] : tensor<4xf32>
// CHECK: %[[A:.*]] = loom.abs %[[N]]
// CHECK: %[[NA:.*]] = loom.neg %[[A]]
// CHECK: %[[E:.*]] = loom.exp %[[NA]]
// CHECK: %[[P:.*]] = loom.add %[[E]], %[[ONE]] : tensor<4xf32>, tensor<f32>
// CHECK: %[[L:.*]] = loom.log %[[P]]
// CHECK: %[[M:.*]] = loom.maximum %[[N]], %[[ZERO]] : tensor<4xf32>, tensor<f32>
// CHECK: %[[SP:.*]] = loom.add %[[M]], %[[L]]
// CHECK: %[[R:.*]] = loom.neg %[[SP]]
// CHECK: return %[[R]]
// CHECK-NOT: loom.sigmoid
func.func @log_of_sigmoid(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = loom.sigmoid %x : tensor<4xf32>
  %l = loom.log %s : tensor<4xf32>
  return %l : tensor<4xf32>
}

// -----

// log(1 - sigmoid(x)) = -softplus(x); binary cross-entropy on probabilities
// becomes the logits form.
// CHECK-LABEL: func.func @bce_on_probabilities
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf32>)
// CHECK-NOT: loom.sigmoid
// CHECK: loom.abs %[[X]]
// CHECK: loom.maximum %[[X]]
// CHECK: return
func.func @bce_on_probabilities(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %one = loom.constant dense<1.0> : tensor<f32>
  %p = loom.sigmoid %x : tensor<4xf32>
  %lp = loom.log %p : tensor<4xf32>
  %q = loom.sub %one, %p : tensor<f32>, tensor<4xf32>
  %lq = loom.log %q : tensor<4xf32>
  %ny = loom.sub %one, %y : tensor<f32>, tensor<4xf32>
  %a = loom.mul %y, %lp : tensor<4xf32>, tensor<4xf32>
  %b = loom.mul %ny, %lq : tensor<4xf32>, tensor<4xf32>
  %s = loom.add %a, %b : tensor<4xf32>, tensor<4xf32>
  %r = loom.neg %s : tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// Not rewritten: 2 - sigmoid(x), and a 1 - sigmoid(x) that broadcasts the
// sigmoid to a larger shape.
// CHECK-LABEL: func.func @left_alone
// CHECK-COUNT-2: loom.sigmoid
// CHECK-NOT: loom.abs
func.func @left_alone(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<3x4xf32>) {
  %two = loom.constant dense<2.0> : tensor<f32>
  %ones = loom.constant dense<1.0> : tensor<3x4xf32>
  %p = loom.sigmoid %x : tensor<4xf32>
  %q = loom.sub %two, %p : tensor<f32>, tensor<4xf32>
  %l = loom.log %q : tensor<4xf32>
  %p2 = loom.sigmoid %x : tensor<4xf32>
  %q2 = loom.sub %ones, %p2 : tensor<3x4xf32>, tensor<4xf32>
  %l2 = loom.log %q2 : tensor<3x4xf32>
  return %l, %l2 : tensor<4xf32>, tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func.func @neg_of_neg
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @neg_of_neg(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = loom.neg %x : tensor<4xf32>
  %b = loom.neg %a : tensor<4xf32>
  return %b : tensor<4xf32>
}
