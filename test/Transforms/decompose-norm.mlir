// RUN: loom-opt %s -split-input-file -loom-decompose | FileCheck %s
// layer_norm and batch_norm become statistics (reductions), normalization
// and the affine map in primitive ops.

// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>, %[[G:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK: %[[S:.*]] = loom.reduce_sum %[[X]] axes [1] keepdims
// CHECK: %[[MEAN:.*]] = loom.mul %[[S]], %{{.*}} : tensor<2x1xf32>, tensor<f32>
// CHECK: %[[C:.*]] = loom.sub %[[X]], %[[MEAN]]
// CHECK: %[[SQ:.*]] = loom.mul %[[C]], %[[C]]
// CHECK: %[[VS:.*]] = loom.reduce_sum %[[SQ]] axes [1] keepdims
// CHECK: %[[VAR:.*]] = loom.mul %[[VS]]
// CHECK: %[[VE:.*]] = loom.add %[[VAR]], %{{.*}}
// CHECK: %[[RSTD:.*]] = loom.rsqrt %[[VE]]
// CHECK: %[[XHAT:.*]] = loom.mul %[[C]], %[[RSTD]]
// CHECK: %[[SC:.*]] = loom.mul %[[XHAT]], %[[G]]
// CHECK: %[[Y:.*]] = loom.add %[[SC]], %[[B]]
// CHECK: return %[[Y]]
// CHECK-NOT: loom.layer_norm
func.func @layer_norm(%x: tensor<2x4xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %y = loom.layer_norm %x, %g, %b axis 1 epsilon 1.0e-05 : tensor<2x4xf32>, tensor<4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Training: statistics over N, H, W; running statistics blended with
// momentum 0.1, the variance unbiased by n / (n - 1) = 8 / 7.
// CHECK-LABEL: func.func @batch_norm_training
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x2x2xf32>, %[[C:.*]]: tensor<3xf32>)
// CHECK-DAG: %[[M:.*]] = loom.constant dense<1.000000e-01> : tensor<f32>
// CHECK-DAG: %[[MV:.*]] = loom.constant dense<0.114285715> : tensor<f32>
// CHECK-DAG: %[[KEEP:.*]] = loom.constant dense<0.899999976> : tensor<f32>
// CHECK: %[[GC:.*]] = loom.reshape %[[C]] [3, 1, 1]
// CHECK: loom.reduce_sum %[[X]] axes [0, 2, 3] keepdims
// CHECK: loom.rsqrt
// CHECK: %[[OLDM:.*]] = loom.mul %[[C]], %[[KEEP]]
// CHECK: %[[NEWM:.*]] = loom.mul %{{.*}}, %[[M]]
// CHECK: %[[RM:.*]] = loom.add %[[OLDM]], %[[NEWM]]
// CHECK: %[[OLDV:.*]] = loom.mul %[[C]], %[[KEEP]]
// CHECK: %[[NEWV:.*]] = loom.mul %{{.*}}, %[[MV]]
// CHECK: %[[RV:.*]] = loom.add %[[OLDV]], %[[NEWV]]
// CHECK: return %{{.*}}, %[[RM]], %[[RV]]
// CHECK-NOT: loom.batch_norm
func.func @batch_norm_training(%x: tensor<2x3x2x2xf32>, %c: tensor<3xf32>) -> (tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>) {
  %y, %m, %v = loom.batch_norm %x, %c, %c, %c, %c epsilon 1.0e-05 momentum 0.1 training : tensor<2x3x2x2xf32>, tensor<3xf32>
  return %y, %m, %v : tensor<2x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// Inference: the running statistics, passed through unchanged.
// CHECK-LABEL: func.func @batch_norm_inference
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[G:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>, %[[M:.*]]: tensor<3xf32>, %[[V:.*]]: tensor<3xf32>)
// CHECK-NOT: loom.reduce_sum
// CHECK: loom.rsqrt
// CHECK: return %{{.*}}, %[[M]], %[[V]]
func.func @batch_norm_inference(%x: tensor<2x3xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %y, %m2, %v2 = loom.batch_norm %x, %g, %b, %m, %v epsilon 1.0e-05 momentum 0.1 : tensor<2x3xf32>, tensor<3xf32>
  return %y, %m2, %v2 : tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>
}
