// RUN: loom-opt %s -loom-training-entries="clip-norm=2.5" | FileCheck %s

// torch.nn.utils.clip_grad_norm_(params, 2.5) before the SGD step: one
// norm over both gradients, one coefficient min(1, 2.5 / (norm + 1e-6))
// scaling each.

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME:    %[[W:[^:]*]]: tensor<2x1xf32> {loom.param = "fc.weight"}
// CHECK-SAME:    %[[B:[^:]*]]: tensor<1xf32> {loom.param = "fc.bias"}
// CHECK-SAME:    %[[LR:[^:]*]]: tensor<f32> {loom.hyper = "lr"}
// CHECK:         %[[GW2:.*]] = loom.mul %[[GW:.*]], %[[GW]] : tensor<2x1xf32>
// CHECK-NEXT:    %[[SW:.*]] = loom.reduce_sum %[[GW2]] axes [0, 1]
// CHECK-NEXT:    %[[GB2:.*]] = loom.mul %[[GB:.*]], %[[GB]] : tensor<1xf32>
// CHECK-NEXT:    %[[SB:.*]] = loom.reduce_sum %[[GB2]] axes [0]
// CHECK-NEXT:    %[[SUM:.*]] = loom.add %[[SW]], %[[SB]]
// CHECK-NEXT:    %[[NORM:.*]] = loom.sqrt %[[SUM]]
// CHECK-NEXT:    %[[TINY:.*]] = loom.constant dense<9.99999997E-7>
// CHECK-NEXT:    %[[DEN:.*]] = loom.add %[[NORM]], %[[TINY]]
// CHECK-NEXT:    %[[MAX:.*]] = loom.constant dense<2.500000e+00>
// CHECK-NEXT:    %[[RATIO:.*]] = loom.div %[[MAX]], %[[DEN]]
// CHECK-NEXT:    %[[ONE:.*]] = loom.constant dense<1.000000e+00>
// CHECK-NEXT:    %[[COEF:.*]] = loom.minimum %[[ONE]], %[[RATIO]]
// CHECK-NEXT:    %[[CW:.*]] = loom.mul %[[GW]], %[[COEF]]
// CHECK-NEXT:    %[[CB:.*]] = loom.mul %[[GB]], %[[COEF]]
// CHECK-NEXT:    %[[STEPW:.*]] = loom.mul %[[LR]], %[[CW]]
// CHECK-NEXT:    %[[NEWW:.*]] = loom.sub %[[W]], %[[STEPW]]
// CHECK-NEXT:    %[[STEPB:.*]] = loom.mul %[[LR]], %[[CB]]
// CHECK-NEXT:    %[[NEWB:.*]] = loom.sub %[[B]], %[[STEPB]]
// CHECK-NEXT:    return %{{.*}}, %[[NEWW]], %[[NEWB]]

func.func @forward(%x: tensor<4x2xf32> {loom.input = "x"},
                   %w: tensor<2x1xf32> {loom.param = "fc.weight"},
                   %b: tensor<1xf32> {loom.param = "fc.bias"},
                   %y: tensor<4x1xf32> {loom.input = "y"})
    -> (tensor<4x1xf32> {loom.output = "pred"}, tensor<f32> {loom.loss}) {
  %p0 = loom.matmul %x, %w : tensor<4x2xf32>, tensor<2x1xf32>
  %p = loom.add %p0, %b : tensor<4x1xf32>, tensor<1xf32>
  %d = loom.sub %p, %y : tensor<4x1xf32>, tensor<4x1xf32>
  %sq = loom.mul %d, %d : tensor<4x1xf32>, tensor<4x1xf32>
  %l = loom.reduce_mean %sq axes [0, 1] : tensor<4x1xf32>
  return %p, %l : tensor<4x1xf32>, tensor<f32>
}
