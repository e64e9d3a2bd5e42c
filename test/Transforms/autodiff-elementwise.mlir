// RUN: loom-opt %s -split-input-file -loom-autodiff -canonicalize -cse | FileCheck %s
// Elementwise VJPs: a broadcast operand's gradient is summed back to its
// shape, fan-out is accumulated with loom.add, relu masks with a compare,
// and stop_gradient cuts the graph. The original function is kept.

// d/db of sum(tanh(x + b)) with b broadcast over the rows: the rows are
// summed away. The seed's 1 folds into the constant of 1 - tanh^2.
// CHECK-LABEL: func.func @bias(
// CHECK: return
// CHECK-LABEL: func.func @bias_grad
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK-SAME: -> (tensor<f32> {loom.loss}, tensor<4x3xf32> {loom.grad = "arg0"}, tensor<3xf32> {loom.grad = "arg1"})
// CHECK-DAG: %[[ONE:.*]] = loom.constant dense<1.000000e+00> : tensor<f32>
// CHECK-DAG: %[[SUM:.*]] = loom.add %[[X]], %[[B]]
// CHECK: %[[Y:.*]] = loom.tanh %[[SUM]]
// CHECK: %[[LOSS:.*]] = loom.reduce_sum %[[Y]] axes [0, 1]
// CHECK: %[[SQ:.*]] = loom.mul %[[Y]], %[[Y]]
// CHECK: %[[DX:.*]] = loom.sub %[[ONE]], %[[SQ]] : tensor<f32>, tensor<4x3xf32>
// CHECK: %[[DB:.*]] = loom.reduce_sum %[[DX]] axes [0] : tensor<4x3xf32>
// CHECK: return %[[LOSS]], %[[DX]], %[[DB]]
func.func @bias(%x: tensor<4x3xf32>, %b: tensor<3xf32>) -> (tensor<f32> {loom.loss}) {
  %0 = loom.add %x, %b : tensor<4x3xf32>, tensor<3xf32>
  %1 = loom.tanh %0 : tensor<4x3xf32>
  %2 = loom.reduce_sum %1 axes [0, 1] : tensor<4x3xf32>
  return %2 : tensor<f32>
}

// -----

// A size-1 dimension that broadcast: summed with keepdims, no reshape.
// d/dx of sum(x * (x - b)) = (x - b) + x; d/db = -sum(x, axis 1).
// CHECK-LABEL: func.func @unit_dim_grad
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<4x1xf32>)
// CHECK: %[[D:.*]] = loom.sub %[[X]], %[[B]]
// CHECK: %[[N:.*]] = loom.neg %[[X]]
// CHECK: %[[DB:.*]] = loom.reduce_sum %[[N]] axes [1] keepdims : tensor<4x3xf32>
// CHECK-NOT: loom.reshape
// CHECK: %[[DX:.*]] = loom.add %[[D]], %[[X]]
// CHECK: return %{{.*}}, %[[DX]], %[[DB]] : tensor<f32>, tensor<4x3xf32>, tensor<4x1xf32>
func.func @unit_dim(%x: tensor<4x3xf32>, %b: tensor<4x1xf32>) -> (tensor<f32> {loom.loss}) {
  %0 = loom.sub %x, %b : tensor<4x3xf32>, tensor<4x1xf32>
  %1 = loom.mul %x, %0 : tensor<4x3xf32>, tensor<4x3xf32>
  %2 = loom.reduce_sum %1 axes [0, 1] : tensor<4x3xf32>
  return %2 : tensor<f32>
}

// -----

// x is used twice (by exp and by mul): d/dx of sum(exp(x) * x) is
// exp(x) * x + exp(x), the two paths' gradients added.
// CHECK-LABEL: func.func @fanout_grad
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>)
// CHECK: %[[E:.*]] = loom.exp %[[X]]
// CHECK: %[[P:.*]] = loom.mul %[[E]], %[[X]]
// CHECK: %[[LOSS:.*]] = loom.reduce_sum %[[P]]
// CHECK: %[[DX:.*]] = loom.add %[[E]], %[[P]] : tensor<3xf32>, tensor<3xf32>
// CHECK: return %[[LOSS]], %[[DX]]
func.func @fanout(%x: tensor<3xf32>) -> (tensor<f32> {loom.loss}) {
  %0 = loom.exp %x : tensor<3xf32>
  %1 = loom.mul %0, %x : tensor<3xf32>, tensor<3xf32>
  %2 = loom.reduce_sum %1 axes [0] : tensor<3xf32>
  return %2 : tensor<f32>
}

// -----

// relu' is x > 0, as a compare and a select.
// CHECK-LABEL: func.func @relu_grad
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<2x3xf32>)
// CHECK-DAG: %[[ZERO:.*]] = loom.constant dense<0.000000e+00> : tensor<f32>
// CHECK-DAG: %[[R:.*]] = loom.relu %[[X]]
// CHECK: %[[POS:.*]] = loom.compare gt, %[[X]], %[[ZERO]] : tensor<2x3xf32>, tensor<f32>
// CHECK: %[[DX:.*]] = loom.select %[[POS]], %[[Y]], %[[ZERO]] : tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32>
// CHECK: return %{{.*}}, %[[DX]], %[[R]]
func.func @relu(%x: tensor<2x3xf32>, %y: tensor<2x3xf32>) -> (tensor<f32> {loom.loss}) {
  %0 = loom.relu %x : tensor<2x3xf32>
  %1 = loom.mul %0, %y : tensor<2x3xf32>, tensor<2x3xf32>
  %2 = loom.reduce_sum %1 axes [0, 1] : tensor<2x3xf32>
  return %2 : tensor<f32>
}

// -----

// Only the direct use of x carries a gradient: d/dx sum(x * sg(x)) = sg(x).
// CHECK-LABEL: func.func @stop_grad
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>)
// CHECK: %[[S:.*]] = loom.stop_gradient %[[X]]
// CHECK: %[[P:.*]] = loom.mul %[[X]], %[[S]]
// CHECK: %[[LOSS:.*]] = loom.reduce_sum %[[P]]
// CHECK-NOT: loom.add
// CHECK: return %[[LOSS]], %[[S]]
func.func @stop(%x: tensor<3xf32>) -> (tensor<f32> {loom.loss}) {
  %0 = loom.stop_gradient %x : tensor<3xf32>
  %1 = loom.mul %x, %0 : tensor<3xf32>, tensor<3xf32>
  %2 = loom.reduce_sum %1 axes [0] : tensor<3xf32>
  return %2 : tensor<f32>
}
