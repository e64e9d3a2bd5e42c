// RUN: loom-opt %s -split-input-file -loom-training-entries -verify-diagnostics | FileCheck %s

// batch_norm and dropout as the DSL builds them: inference mode, with the
// running statistics' new values returned under loom.param_update.
// @forward and @eval keep inference mode and drop the updates; @train_step
// switches both ops to training mode (dropout's counter is the step) and
// returns the new running statistics as the parameters' updates.

// CHECK-LABEL: func.func @forward(
// CHECK-SAME:    -> (tensor<4x3xf32> {loom.output = "y"})
// CHECK:         loom.batch_norm {{.*}} momentum 1.000000e-01 : tensor<4x3xf32>
// CHECK:         loom.dropout %{{.*}} rate 5.000000e-01 seed 0 : tensor<4x3xf32>
// CHECK-NOT:     training
// CHECK:         return

// CHECK-LABEL: func.func @eval(
// CHECK-SAME:    -> (tensor<f32> {loom.loss})
// CHECK:         loom.batch_norm {{.*}} momentum 1.000000e-01 : tensor<4x3xf32>
// CHECK-NOT:     training
// CHECK:         return

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME:    %[[STEP:[^:]*]]: tensor<f32> {loom.hyper = "step"})
// CHECK-SAME:    {loom.param_update = "bn.weight"}
// CHECK-SAME:    {loom.param_update = "bn.bias"}
// CHECK-SAME:    {loom.param_update = "bn.running_mean"}
// CHECK-SAME:    {loom.param_update = "bn.running_var"}
// CHECK:         %[[Y:.*]], %[[NM:.*]], %[[NV:.*]] = loom.batch_norm {{.*}} momentum 1.000000e-01 training
// CHECK:         loom.dropout %[[Y]] counter %[[STEP]] rate 5.000000e-01 seed 0 training
// The gradient re-draws the mask: a dropout of the incoming gradient.
// CHECK:         loom.dropout %{{.*}} counter %[[STEP]] rate 5.000000e-01 seed 0 training
// CHECK:         return {{.*}}%[[NM]], %[[NV]]
func.func @forward(%x: tensor<4x3xf32> {loom.input = "x"},
                   %g: tensor<3xf32> {loom.param = "bn.weight"},
                   %b: tensor<3xf32> {loom.param = "bn.bias"},
                   %m: tensor<3xf32> {loom.param = "bn.running_mean", loom.trainable = false},
                   %v: tensor<3xf32> {loom.param = "bn.running_var", loom.trainable = false},
                   %t: tensor<4x3xf32> {loom.input = "t"})
    -> (tensor<4x3xf32> {loom.output = "y"}, tensor<f32> {loom.loss},
        tensor<3xf32> {loom.param_update = "bn.running_mean"},
        tensor<3xf32> {loom.param_update = "bn.running_var"}) {
  %y, %nm, %nv = loom.batch_norm %x, %g, %b, %m, %v epsilon 1.0e-05 momentum 0.1 : tensor<4x3xf32>, tensor<3xf32>
  %d = loom.dropout %y rate 0.5 seed 0 : tensor<4x3xf32>
  %e = loom.sub %d, %t : tensor<4x3xf32>, tensor<4x3xf32>
  %sq = loom.mul %e, %e : tensor<4x3xf32>, tensor<4x3xf32>
  %l = loom.reduce_mean %sq axes [0, 1] : tensor<4x3xf32>
  return %d, %l, %nm, %nv : tensor<4x3xf32>, tensor<f32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// An update of a trainable parameter would fight the optimizer.
// expected-error @+1 {{result 2 updates parameter 'w', which is trainable: the optimizer owns its updates}}
func.func @forward(%x: tensor<2xf32> {loom.input = "x"},
                   %w: tensor<2xf32> {loom.param = "w"})
    -> (tensor<2xf32> {loom.output = "y"}, tensor<f32> {loom.loss},
        tensor<2xf32> {loom.param_update = "w"}) {
  %y = loom.mul %x, %w : tensor<2xf32>, tensor<2xf32>
  %l = loom.reduce_sum %y axes [0] : tensor<2xf32>
  return %y, %l, %w : tensor<2xf32>, tensor<f32>, tensor<2xf32>
}

// -----

// expected-error @+1 {{result 2 updates parameter 'nope', which @forward does not take}}
func.func @forward(%x: tensor<2xf32> {loom.input = "x"},
                   %w: tensor<2xf32> {loom.param = "w"})
    -> (tensor<2xf32> {loom.output = "y"}, tensor<f32> {loom.loss},
        tensor<2xf32> {loom.param_update = "nope"}) {
  %y = loom.mul %x, %w : tensor<2xf32>, tensor<2xf32>
  %l = loom.reduce_sum %y axes [0] : tensor<2xf32>
  return %y, %l, %y : tensor<2xf32>, tensor<f32>, tensor<2xf32>
}
