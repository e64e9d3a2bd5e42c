// RUN: loom-opt %s -loom-training-entries="optimizer=adam weight-decay=0.1" | FileCheck %s

// torch.optim.Adam(weight_decay=0.1), t = step (1-based):
//   g = grad + wd * p;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
//   p = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)

// CHECK-LABEL: func.func @train_step(
// CHECK-SAME:    %[[W:[^:]*]]: tensor<2x1xf32> {loom.param = "fc.weight"}
// CHECK-SAME:    %[[M:[^:]*]]: tensor<2x1xf32> {loom.state = "fc.weight.m"}
// CHECK-SAME:    %[[V:[^:]*]]: tensor<2x1xf32> {loom.state = "fc.weight.v"}
// CHECK-SAME:    %[[LR:[^:]*]]: tensor<f32> {loom.hyper = "lr"}
// CHECK-SAME:    %[[T:[^:]*]]: tensor<f32> {loom.hyper = "step"})
// CHECK-SAME:    -> (tensor<f32> {loom.loss},
// CHECK-SAME:        tensor<2x1xf32> {loom.param_update = "fc.weight"},
// CHECK-SAME:        tensor<2x1xf32> {loom.state_update = "fc.weight.m"},
// CHECK-SAME:        tensor<2x1xf32> {loom.state_update = "fc.weight.v"})
// CHECK:         %[[GRAD:.*]] = loom.matmul {{.*}} transpose_lhs
// CHECK-NEXT:    %[[ONE:.*]] = loom.constant dense<1.000000e+00>
// CHECK-NEXT:    %[[B1:.*]] = loom.constant dense<0.899999976>
// CHECK-NEXT:    %[[B1T:.*]] = loom.pow %[[B1]], %[[T]]
// CHECK-NEXT:    %[[BC1:.*]] = loom.sub %[[ONE]], %[[B1T]]
// CHECK-NEXT:    %[[B2:.*]] = loom.constant dense<9.990000e-01>
// CHECK-NEXT:    %[[B2T:.*]] = loom.pow %[[B2]], %[[T]]
// CHECK-NEXT:    %[[BC2:.*]] = loom.sub %[[ONE]], %[[B2T]]
// CHECK-NEXT:    %[[STEPSIZE:.*]] = loom.div %[[LR]], %[[BC1]]
// CHECK-NEXT:    %[[BC2SQRT:.*]] = loom.sqrt %[[BC2]]
// CHECK-NEXT:    %[[WD:.*]] = loom.constant dense<1.000000e-01>
// CHECK-NEXT:    %[[DECAY:.*]] = loom.mul %[[WD]], %[[W]]
// CHECK-NEXT:    %[[G:.*]] = loom.add %[[GRAD]], %[[DECAY]]
// CHECK-NEXT:    %[[OM:.*]] = loom.mul %[[B1]], %[[M]]
// CHECK-NEXT:    %[[NG:.*]] = loom.mul %[[WD]], %[[G]]
// CHECK-NEXT:    %[[NEWM:.*]] = loom.add %[[OM]], %[[NG]]
// CHECK-NEXT:    %[[G2:.*]] = loom.mul %[[G]], %[[G]]
// CHECK-NEXT:    %[[OV:.*]] = loom.mul %[[B2]], %[[V]]
// CHECK-NEXT:    %[[OMB2:.*]] = loom.constant dense<1.000000e-03>
// CHECK-NEXT:    %[[NG2:.*]] = loom.mul %[[OMB2]], %[[G2]]
// CHECK-NEXT:    %[[NEWV:.*]] = loom.add %[[OV]], %[[NG2]]
// CHECK-NEXT:    %[[RV:.*]] = loom.sqrt %[[NEWV]]
// CHECK-NEXT:    %[[HAT:.*]] = loom.div %[[RV]], %[[BC2SQRT]]
// CHECK-NEXT:    %[[EPS:.*]] = loom.constant dense<9.99999993E-9>
// CHECK-NEXT:    %[[DENOM:.*]] = loom.add %[[HAT]], %[[EPS]]
// CHECK-NEXT:    %[[RATIO:.*]] = loom.div %[[NEWM]], %[[DENOM]]
// CHECK-NEXT:    %[[STEP:.*]] = loom.mul %[[STEPSIZE]], %[[RATIO]]
// CHECK-NEXT:    %[[NEWW:.*]] = loom.sub %[[W]], %[[STEP]]
// CHECK-NEXT:    return %{{.*}}, %[[NEWW]], %[[NEWM]], %[[NEWV]]

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
