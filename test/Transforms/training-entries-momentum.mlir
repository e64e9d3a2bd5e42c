// RUN: loom-opt %s -loom-training-entries="optimizer=momentum momentum=0.9 nesterov=true weight-decay=0.01" | FileCheck %s

// torch.optim.SGD(momentum=0.9, nesterov=True, weight_decay=0.01):
//   g = grad + wd * p;  buf = 0.9 buf + g;  p = p - lr * (g + 0.9 buf)

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME:    %[[W:[^:]*]]: tensor<2x1xf32> {loom.param = "fc.weight"}
// CHECK-SAME:    %[[BUF:[^:]*]]: tensor<2x1xf32> {loom.state = "fc.weight.momentum"}
// CHECK-SAME:    %[[LR:[^:]*]]: tensor<f32> {loom.hyper = "lr"}
// CHECK-SAME:    -> (tensor<f32> {loom.loss},
// CHECK-SAME:        tensor<2x1xf32> {loom.param_update = "fc.weight"},
// CHECK-SAME:        tensor<2x1xf32> {loom.state_update = "fc.weight.momentum"})
// CHECK:         %[[GRAD:.*]] = loom.matmul {{.*}} transpose_lhs
// CHECK-NEXT:    %[[WD:.*]] = loom.constant dense<0.00999999977> : tensor<f32>
// CHECK-NEXT:    %[[DECAY:.*]] = loom.mul %[[WD]], %[[W]]
// CHECK-NEXT:    %[[G:.*]] = loom.add %[[GRAD]], %[[DECAY]]
// CHECK-NEXT:    %[[MU:.*]] = loom.constant dense<0.899999976> : tensor<f32>
// CHECK-NEXT:    %[[OLD:.*]] = loom.mul %[[MU]], %[[BUF]]
// CHECK-NEXT:    %[[NEWBUF:.*]] = loom.add %[[OLD]], %[[G]]
// CHECK-NEXT:    %[[LOOK:.*]] = loom.mul %[[MU]], %[[NEWBUF]]
// CHECK-NEXT:    %[[D:.*]] = loom.add %[[G]], %[[LOOK]]
// CHECK-NEXT:    %[[STEP:.*]] = loom.mul %[[LR]], %[[D]]
// CHECK-NEXT:    %[[NEWW:.*]] = loom.sub %[[W]], %[[STEP]]
// CHECK-NEXT:    return %{{.*}}, %[[NEWW]], %[[NEWBUF]]

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
