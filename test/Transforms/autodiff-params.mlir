// RUN: loom-opt %s -split-input-file -loom-autodiff -canonicalize -cse | FileCheck %s
// Which arguments get gradients, and what that costs: trainable parameters
// only; a frozen parameter (loom.trainable = false) and the inputs (data,
// labels) get none, and the backward ops that would only serve them are
// never built. Shown on a softmax cross-entropy classifier.

// CHECK-LABEL: func.func @classifier(
// CHECK: loom.softmax
// CHECK: return

// The gradient function takes the same arguments and returns the loss and
// one gradient per trainable parameter; the probs output is gone.
// CHECK-LABEL: func.func @classifier_grad
// CHECK-SAME: (%[[X:.*]]: tensor<8x4xf32> {loom.input = "x"}, %[[L:.*]]: tensor<8x3xf32> {loom.input = "labels"}, %[[EMB:.*]]: tensor<4x4xf32> {loom.param = "emb", loom.trainable = false}, %[[W:.*]]: tensor<4x3xf32> {loom.param = "fc.weight"}, %[[B:.*]]: tensor<3xf32> {loom.param = "fc.bias"})
// CHECK-SAME: -> (tensor<f32> {loom.loss}, tensor<4x3xf32> {loom.grad = "fc.weight"}, tensor<3xf32> {loom.grad = "fc.bias"})
// -1/8 is d(-mean)/d(each row), broadcast over the classes.
// CHECK: %[[SCALE:.*]] = loom.constant dense<-1.250000e-01> : tensor<8x3xf32>
// CHECK: %[[H:.*]] = loom.matmul %[[X]], %[[EMB]]
// CHECK: %[[Z:.*]] = loom.matmul %[[H]], %[[W]]
// CHECK: %[[LOGITS:.*]] = loom.add %[[Z]], %[[B]]
// CHECK: %[[LS:.*]] = loom.log_softmax %[[LOGITS]] axis 1
// CHECK: %[[LOSS:.*]] = loom.neg
// CHECK-NOT: loom.softmax
// log_softmax's VJP: g - exp(y) * sum(g, axis).
// CHECK: %[[G:.*]] = loom.mul %[[L]], %[[SCALE]]
// CHECK: %[[GS:.*]] = loom.reduce_sum %[[G]] axes [1] keepdims
// CHECK: %[[P:.*]] = loom.exp %[[LS]]
// CHECK: %[[PG:.*]] = loom.mul %[[P]], %[[GS]]
// CHECK: %[[DLOGITS:.*]] = loom.sub %[[G]], %[[PG]]
// CHECK: %[[DB:.*]] = loom.reduce_sum %[[DLOGITS]] axes [0]
// CHECK: %[[DW:.*]] = loom.matmul %[[H]], %[[DLOGITS]] transpose_lhs
// Nothing flows on to the frozen embedding or the inputs: no G W^T.
// CHECK-NOT: loom.matmul
// CHECK: return %[[LOSS]], %[[DW]], %[[DB]]
func.func @classifier(%x: tensor<8x4xf32> {loom.input = "x"},
                      %labels: tensor<8x3xf32> {loom.input = "labels"},
                      %emb: tensor<4x4xf32> {loom.param = "emb", loom.trainable = false},
                      %w: tensor<4x3xf32> {loom.param = "fc.weight"},
                      %b: tensor<3xf32> {loom.param = "fc.bias"})
    -> (tensor<f32> {loom.loss}, tensor<8x3xf32> {loom.output = "probs"}) {
  %0 = loom.matmul %x, %emb : tensor<8x4xf32>, tensor<4x4xf32>
  %1 = loom.matmul %0, %w : tensor<8x4xf32>, tensor<4x3xf32>
  %2 = loom.add %1, %b : tensor<8x3xf32>, tensor<3xf32>
  %3 = loom.log_softmax %2 axis 1 : tensor<8x3xf32>
  %4 = loom.mul %labels, %3 : tensor<8x3xf32>, tensor<8x3xf32>
  %5 = loom.reduce_sum %4 axes [1] : tensor<8x3xf32>
  %6 = loom.reduce_mean %5 axes [0] : tensor<8xf32>
  %7 = loom.neg %6 : tensor<f32>
  %8 = loom.softmax %2 axis 1 : tensor<8x3xf32>
  return %7, %8 : tensor<f32>, tensor<8x3xf32>
}

// -----

// A trainable parameter the loss does not use gets zeros.
// CHECK-LABEL: func.func @unused_grad
// CHECK-SAME: -> (tensor<f32> {loom.loss}, tensor<2xf32> {loom.grad = "used"}, tensor<3xf32> {loom.grad = "unused"})
// CHECK-DAG: %[[ONES:.*]] = loom.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-DAG: %[[ZEROS:.*]] = loom.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK: return %{{.*}}, %[[ONES]], %[[ZEROS]]
func.func @unused(%u: tensor<2xf32> {loom.param = "used"}, %v: tensor<3xf32> {loom.param = "unused"})
    -> (tensor<f32> {loom.loss}) {
  %0 = loom.reduce_sum %u axes [0] : tensor<2xf32>
  return %0 : tensor<f32>
}

// -----

// Without any loom.param, every f32 argument is differentiated (named
// argN); the i1 mask is not.
// CHECK-LABEL: func.func @no_params_grad
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>, %[[M:.*]]: tensor<3xi1>, %[[Y:.*]]: tensor<3xf32>)
// CHECK-SAME: -> (tensor<f32> {loom.loss}, tensor<3xf32> {loom.grad = "arg0"}, tensor<3xf32> {loom.grad = "arg2"})
// CHECK-DAG: %[[ZERO:.*]] = loom.constant dense<0.000000e+00> : tensor<f32>
// CHECK-DAG: %[[ONE:.*]] = loom.constant dense<1.000000e+00> : tensor<3xf32>
// CHECK-DAG: %[[DX:.*]] = loom.select %[[M]], %[[ONE]], %[[ZERO]]
// CHECK-DAG: %[[DY:.*]] = loom.select %[[M]], %[[ZERO]], %[[ONE]]
// CHECK: return %{{.*}}, %[[DX]], %[[DY]]
func.func @no_params(%x: tensor<3xf32>, %m: tensor<3xi1>, %y: tensor<3xf32>) -> (tensor<f32> {loom.loss}) {
  %0 = loom.select %m, %x, %y : tensor<3xi1>, tensor<3xf32>, tensor<3xf32>
  %1 = loom.reduce_sum %0 axes [0] : tensor<3xf32>
  return %1 : tensor<f32>
}
