// RUN: loom-opt %s | loom-opt | FileCheck %s
// The convolution family parses, verifies, infers its result type, prints
// and parses again.

// CHECK-LABEL: func.func @conv2d
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x9x8xf32>, %[[W:.*]]: tensor<6x2x3x3xf32>)
func.func @conv2d(%x: tensor<2x4x9x8xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<2x6x4x4xf32> {
  // CHECK: %[[Y:.*]] = loom.conv2d %[[X]], %[[W]] stride [2, 2] padding [0, 1] dilation [1, 1] groups 2 : tensor<2x4x9x8xf32>, tensor<6x2x3x3xf32>
  %y = loom.conv2d %x, %w stride [2, 2] padding [0, 1] dilation [1, 1] groups 2 : tensor<2x4x9x8xf32>, tensor<6x2x3x3xf32>
  // CHECK: return %[[Y]] : tensor<2x6x4x4xf32>
  return %y : tensor<2x6x4x4xf32>
}

// CHECK-LABEL: func.func @conv2d_depthwise_dilated
func.func @conv2d_depthwise_dilated(%x: tensor<1x3x10x10xf32>, %w: tensor<3x1x3x3xf32>) -> tensor<1x3x6x6xf32> {
  // CHECK: loom.conv2d %{{.*}}, %{{.*}} stride [1, 1] padding [0, 0] dilation [2, 2] groups 3
  %y = loom.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [2, 2] groups 3 : tensor<1x3x10x10xf32>, tensor<3x1x3x3xf32>
  return %y : tensor<1x3x6x6xf32>
}

// CHECK-LABEL: func.func @conv2d_transpose
func.func @conv2d_transpose(%x: tensor<4x16x7x7xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<4x8x14x14xf32> {
  // CHECK: loom.conv2d_transpose %{{.*}}, %{{.*}} stride [2, 2] padding [1, 1] output_padding [1, 1] dilation [1, 1] groups 1 : tensor<4x16x7x7xf32>, tensor<16x8x3x3xf32>
  %y = loom.conv2d_transpose %x, %w stride [2, 2] padding [1, 1] output_padding [1, 1] dilation [1, 1] groups 1 : tensor<4x16x7x7xf32>, tensor<16x8x3x3xf32>
  return %y : tensor<4x8x14x14xf32>
}

// CHECK-LABEL: func.func @conv2d_transpose_grouped
func.func @conv2d_transpose_grouped(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x2x2xf32>) -> tensor<1x6x4x4xf32> {
  // CHECK: loom.conv2d_transpose {{.*}} groups 2
  %y = loom.conv2d_transpose %x, %w stride [1, 1] padding [0, 0] output_padding [0, 0] dilation [1, 1] groups 2 : tensor<1x4x3x3xf32>, tensor<4x3x2x2xf32>
  return %y : tensor<1x6x4x4xf32>
}

// CHECK-LABEL: func.func @pools
func.func @pools(%x: tensor<8x6x28x27xf32>) -> (tensor<8x6x14x13xf32>, tensor<8x6x14x14xf32>) {
  // CHECK: loom.max_pool2d %{{.*}} kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<8x6x28x27xf32>
  %m = loom.max_pool2d %x kernel [2, 2] stride [2, 2] padding [0, 0] : tensor<8x6x28x27xf32>
  // CHECK: loom.avg_pool2d %{{.*}} kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<8x6x28x27xf32>
  %a = loom.avg_pool2d %x kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<8x6x28x27xf32>
  return %m, %a : tensor<8x6x14x13xf32>, tensor<8x6x14x14xf32>
}
