// RUN: loom-opt %s -loom-training-entries | FileCheck %s

// SGD (the default). @forward keeps its output and drops the label %y, but
// keeps the frozen parameter; @eval returns the loss and the metric;
// @train_step updates fc.weight only: fc.bias is frozen, so it gets no
// gradient, no state and no update.

// CHECK-LABEL: func.func @forward(
// CHECK-SAME:    %[[X:.*]]: tensor<4x2xf32> {loom.input = "x"}
// CHECK-SAME:    %[[W:.*]]: tensor<2x1xf32> {loom.param = "fc.weight"}
// CHECK-SAME:    %[[B:.*]]: tensor<1xf32> {loom.param = "fc.bias", loom.trainable = false})
// CHECK-SAME:    -> (tensor<4x1xf32> {loom.output = "pred"})
// CHECK:         %[[P0:.*]] = loom.matmul %[[X]], %[[W]]
// CHECK:         %[[P:.*]] = loom.add %[[P0]], %[[B]]
// CHECK-NEXT:    return %[[P]] : tensor<4x1xf32>

// CHECK-LABEL: func.func @eval(
// CHECK-SAME:    {loom.input = "x"}
// CHECK-SAME:    {loom.param = "fc.weight"}
// CHECK-SAME:    {loom.param = "fc.bias", loom.trainable = false}
// CHECK-SAME:    {loom.input = "y"})
// CHECK-SAME:    -> (tensor<f32> {loom.loss}, tensor<f32> {loom.metric = "mae"})
// CHECK:         %[[L:.*]] = loom.reduce_mean
// CHECK:         %[[M:.*]] = loom.reduce_mean
// CHECK-NEXT:    return %[[L]], %[[M]] : tensor<f32>, tensor<f32>

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME:    %{{.*}}: tensor<4x2xf32> {loom.input = "x"}
// CHECK-SAME:    %[[TW:.*]]: tensor<2x1xf32> {loom.param = "fc.weight"}
// CHECK-SAME:    %{{.*}}: tensor<1xf32> {loom.param = "fc.bias", loom.trainable = false}
// CHECK-SAME:    %{{.*}}: tensor<4x1xf32> {loom.input = "y"}
// CHECK-SAME:    %[[LR:.*]]: tensor<f32> {loom.hyper = "lr"}
// CHECK-SAME:    %{{.*}}: tensor<f32> {loom.hyper = "step"})
// CHECK-SAME:    -> (tensor<f32> {loom.loss}, tensor<f32> {loom.metric = "mae"},
// CHECK-SAME:        tensor<2x1xf32> {loom.param_update = "fc.weight"})
// CHECK:         %[[G:.*]] = loom.matmul %{{.*}}, %{{.*}} transpose_lhs
// CHECK-NEXT:    %[[STEP:.*]] = loom.mul %[[LR]], %[[G]]
// CHECK-NEXT:    %[[NEW:.*]] = loom.sub %[[TW]], %[[STEP]]
// CHECK-NEXT:    return %{{.*}}, %{{.*}}, %[[NEW]] : tensor<f32>, tensor<f32>, tensor<2x1xf32>

func.func @forward(%x: tensor<4x2xf32> {loom.input = "x"},
                   %w: tensor<2x1xf32> {loom.param = "fc.weight"},
                   %b: tensor<1xf32> {loom.param = "fc.bias", loom.trainable = false},
                   %y: tensor<4x1xf32> {loom.input = "y"})
    -> (tensor<4x1xf32> {loom.output = "pred"}, tensor<f32> {loom.loss},
        tensor<f32> {loom.metric = "mae"}) {
  %p0 = loom.matmul %x, %w : tensor<4x2xf32>, tensor<2x1xf32>
  %p = loom.add %p0, %b : tensor<4x1xf32>, tensor<1xf32>
  %d = loom.sub %p, %y : tensor<4x1xf32>, tensor<4x1xf32>
  %sq = loom.mul %d, %d : tensor<4x1xf32>, tensor<4x1xf32>
  %l = loom.reduce_mean %sq axes [0, 1] : tensor<4x1xf32>
  %a = loom.abs %d : tensor<4x1xf32>
  %m = loom.reduce_mean %a axes [0, 1] : tensor<4x1xf32>
  return %p, %l, %m : tensor<4x1xf32>, tensor<f32>, tensor<f32>
}
