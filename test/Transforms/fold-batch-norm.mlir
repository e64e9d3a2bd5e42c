// RUN: loom-opt %s -split-input-file -loom-fold-batch-norm | FileCheck %s
// An inference-mode batch_norm after a convolution becomes a scaled weight
// and a per-channel shift; training mode and a shared convolution stay.

// CHECK-LABEL: func.func @folded
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x8x8xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>, %[[G:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>, %[[M:.*]]: tensor<4xf32>, %[[V:.*]]: tensor<4xf32>)
// CHECK: %[[EPS:.*]] = loom.constant dense<9.99999974E-6> : tensor<f32>
// CHECK: %[[VE:.*]] = loom.add %[[V]], %[[EPS]]
// CHECK: %[[R:.*]] = loom.rsqrt %[[VE]]
// CHECK: %[[S:.*]] = loom.mul %[[G]], %[[R]]
// CHECK: %[[MS:.*]] = loom.mul %[[M]], %[[S]]
// CHECK: %[[SHIFT:.*]] = loom.sub %[[B]], %[[MS]]
// CHECK: %[[S4:.*]] = loom.reshape %[[S]] [4, 1, 1, 1]
// CHECK: %[[W2:.*]] = loom.mul %[[W]], %[[S4]] : tensor<4x3x3x3xf32>, tensor<4x1x1x1xf32>
// CHECK: %[[C:.*]] = loom.conv2d %[[X]], %[[W2]] stride [1, 1] padding [1, 1] dilation [1, 1] groups 1
// CHECK: %[[SH3:.*]] = loom.reshape %[[SHIFT]] [4, 1, 1]
// CHECK: %[[Y:.*]] = loom.add %[[C]], %[[SH3]] : tensor<2x4x8x8xf32>, tensor<4x1x1xf32>
// CHECK: return %[[Y]], %[[M]], %[[V]]
// CHECK-NOT: loom.batch_norm
func.func @folded(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>) -> (tensor<2x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>) {
  %c = loom.conv2d %x, %w stride [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>
  %y, %nm, %nv = loom.batch_norm %c, %g, %b, %m, %v epsilon 1.0e-05 momentum 1.0e-01 : tensor<2x4x8x8xf32>, tensor<4xf32>
  return %y, %nm, %nv : tensor<2x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @left_alone
// CHECK: loom.batch_norm {{.*}} training
// CHECK: %[[C:.*]] = loom.conv2d
// CHECK: loom.batch_norm %[[C]]
// CHECK: return
func.func @left_alone(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>) -> (tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>) {
  // Training mode: batch statistics, nothing to fold.
  %c = loom.conv2d %x, %w stride [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>
  %y, %nm, %nv = loom.batch_norm %c, %g, %b, %m, %v epsilon 1.0e-05 momentum 1.0e-01 training : tensor<2x4x8x8xf32>, tensor<4xf32>
  // The convolution's result is also used elsewhere: folding would compute it twice.
  %c2 = loom.conv2d %x, %w stride [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>
  %y2, %nm2, %nv2 = loom.batch_norm %c2, %g, %b, %m, %v epsilon 1.0e-05 momentum 1.0e-01 : tensor<2x4x8x8xf32>, tensor<4xf32>
  return %y, %y2, %c2 : tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>
}
