// RUN: loom-opt %s -loom-training-entries="optimizer=adamw weight-decay=0.1" | FileCheck %s

// torch.optim.AdamW(weight_decay=0.1): the decay is decoupled from the
// gradient, p = p * (1 - lr * wd), then Adam's step on the raw gradient.

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME:    %[[W:[^:]*]]: tensor<2x1xf32> {loom.param = "fc.weight"}
// CHECK-SAME:    {loom.state = "fc.weight.m"}
// CHECK-SAME:    {loom.state = "fc.weight.v"}
// CHECK-SAME:    %[[LR:[^:]*]]: tensor<f32> {loom.hyper = "lr"}
// CHECK:         %[[GRAD:.*]] = loom.matmul {{.*}} transpose_lhs
// CHECK-NEXT:    %[[ONE:.*]] = loom.constant dense<1.000000e+00>
// CHECK:         %[[STEPSIZE:.*]] = loom.div %[[LR]], %{{.*}}
// CHECK:         %[[WD:.*]] = loom.constant dense<1.000000e-01>
// CHECK-NEXT:    %[[LRWD:.*]] = loom.mul %[[LR]], %[[WD]]
// CHECK-NEXT:    %[[KEEP:.*]] = loom.sub %[[ONE]], %[[LRWD]]
// CHECK-NEXT:    %[[DECAYED:.*]] = loom.mul %[[W]], %[[KEEP]]
// The moments see the raw gradient.
// CHECK-NEXT:    %{{.*}} = loom.mul %{{.*}}, %{{.*}}
// CHECK-NEXT:    %{{.*}} = loom.mul %[[WD]], %[[GRAD]]
// CHECK:         %{{.*}} = loom.mul %[[GRAD]], %[[GRAD]]
// CHECK:         %[[STEP:.*]] = loom.mul %[[STEPSIZE]], %{{.*}}
// CHECK-NEXT:    %[[NEWW:.*]] = loom.sub %[[DECAYED]], %[[STEP]]
// CHECK-NEXT:    return %{{.*}}, %[[NEWW]], %{{.*}}, %{{.*}}

func.func @forward(%x: tensor<4x2xf32> {loom.input = "x"},
                   %w: tensor<2x1xf32> {loom.param = "fc.weight"},
                   %y: tensor<4x1xf32> {loom.input = "y"})
    -> (tensor<4x1xf32> {loom.output = "pred"}, tensor<f32> {loom.loss}) {
  %p = loom.matmul %x, %w : tensor<4x2xf32>, tensor<2x1xf32>
  %d = loom.sub %p, %y : tensor<4x1xf32>, tensor<4x1xf32>
  %sq = loom.mul %d, %d : tensor<4x1xf32>, tensor<4x1xf32>
  %l = loom.reduce_mean %sq axes [0, 1] : tensor<4x1xf32>
  return %p, %l : tensor<4x1xf32>, tensor<f32>
}
