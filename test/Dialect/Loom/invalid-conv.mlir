// RUN: loom-opt %s -split-input-file -verify-diagnostics
// Every error of the convolution family's shape rules
// (ConvShapeInference.cpp), checked while parsing.

func.func @conv_kernel_larger_than_padded_input(%x: tensor<1x1x4x4xf32>, %w: tensor<1x1x7x3xf32>) {
  // expected-error @+1 {{'loom.conv2d' kernel [7, 3] with dilation [1, 1] spans 7 in dimension H, more than the padded input's 6 (input [1, 1, 4, 4], padding [1, 1])}}
  %0 = loom.conv2d %x, %w stride [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<1x1x4x4xf32>, tensor<1x1x7x3xf32>
  return
}

// -----

func.func @conv_dilated_kernel_too_large(%x: tensor<1x1x5x5xf32>, %w: tensor<1x1x3x3xf32>) {
  // expected-error @+1 {{'loom.conv2d' kernel [3, 3] with dilation [1, 3] spans 7 in dimension W, more than the padded input's 5}}
  %0 = loom.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 3] groups 1 : tensor<1x1x5x5xf32>, tensor<1x1x3x3xf32>
  return
}

// -----

func.func @conv_stride_zero(%x: tensor<1x1x4x4xf32>, %w: tensor<1x1x3x3xf32>) {
  // expected-error @+1 {{'loom.conv2d' stride must be >= 1, got [0, 1]}}
  %0 = loom.conv2d %x, %w stride [0, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>
  return
}

// -----

func.func @conv_channels_not_divisible(%x: tensor<1x6x4x4xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{'loom.conv2d' input channels (6) of input [1, 6, 4, 4] are not divisible by groups (4)}}
  %0 = loom.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 4 : tensor<1x6x4x4xf32>, tensor<4x2x3x3xf32>
  return
}

// -----

func.func @conv_out_channels_not_divisible(%x: tensor<1x4x4x4xf32>, %w: tensor<3x2x3x3xf32>) {
  // expected-error @+1 {{'loom.conv2d' output channels (3) of weight [3, 2, 3, 3] are not divisible by groups (2)}}
  %0 = loom.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 2 : tensor<1x4x4x4xf32>, tensor<3x2x3x3xf32>
  return
}

// -----

func.func @conv_weight_channel_mismatch(%x: tensor<1x4x4x4xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+1 {{'loom.conv2d' weight [8, 4, 3, 3] has 4 input channels per group, but input [1, 4, 4, 4] with groups 2 has 2 (C / groups)}}
  %0 = loom.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 2 : tensor<1x4x4x4xf32>, tensor<8x4x3x3xf32>
  return
}

// -----

func.func @conv_negative_padding(%x: tensor<1x1x4x4xf32>, %w: tensor<1x1x3x3xf32>) {
  // expected-error @+1 {{'loom.conv2d' padding must be >= 0, got [-1, 0]}}
  %0 = loom.conv2d %x, %w stride [1, 1] padding [-1, 0] dilation [1, 1] groups 1 : tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>
  return
}

// -----

func.func @conv_zero_dilation(%x: tensor<1x1x4x4xf32>, %w: tensor<1x1x3x3xf32>) {
  // expected-error @+1 {{'loom.conv2d' dilation must be >= 1, got [1, 0]}}
  %0 = loom.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 0] groups 1 : tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>
  return
}

// -----

func.func @conv_zero_groups(%x: tensor<1x1x4x4xf32>, %w: tensor<1x1x3x3xf32>) {
  // expected-error @+1 {{'loom.conv2d' groups must be >= 1, got 0}}
  %0 = loom.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 0 : tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>
  return
}

// -----

func.func @conv_rank(%x: tensor<4x4xf32>, %w: tensor<1x1x3x3xf32>) {
  // expected-error @+1 {{'loom.conv2d' expects a rank-4 NCHW input [N, C, H, W], got [4, 4]}}
  %0 = loom.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<4x4xf32>, tensor<1x1x3x3xf32>
  return
}

// -----

func.func @conv_pair_size(%x: tensor<1x1x4x4xf32>, %w: tensor<1x1x3x3xf32>) {
  // expected-error @+1 {{'loom.conv2d' stride needs 2 entries ([h, w]), got [1]}}
  %0 = loom.conv2d %x, %w stride [1] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>
  return
}

// -----

func.func @transpose_weight_channel_mismatch(%x: tensor<1x4x3x3xf32>, %w: tensor<2x4x3x3xf32>) {
  // expected-error @+1 {{'loom.conv2d_transpose' weight [2, 4, 3, 3] has 2 input channels, but input [1, 4, 3, 3] has 4}}
  %0 = loom.conv2d_transpose %x, %w stride [1, 1] padding [0, 0] output_padding [0, 0] dilation [1, 1] groups 1 : tensor<1x4x3x3xf32>, tensor<2x4x3x3xf32>
  return
}

// -----

func.func @transpose_output_padding(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) {
  // expected-error @+1 {{'loom.conv2d_transpose' output_padding [2, 0] must be smaller than stride [2, 2]}}
  %0 = loom.conv2d_transpose %x, %w stride [2, 2] padding [0, 0] output_padding [2, 0] dilation [1, 1] groups 1 : tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>
  return
}

// -----

func.func @transpose_stride_zero(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>) {
  // expected-error @+1 {{'loom.conv2d_transpose' stride must be >= 1, got [1, 0]}}
  %0 = loom.conv2d_transpose %x, %w stride [1, 0] padding [0, 0] output_padding [0, 0] dilation [1, 1] groups 1 : tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>
  return
}

// -----

func.func @transpose_groups(%x: tensor<1x3x3x3xf32>, %w: tensor<3x1x3x3xf32>) {
  // expected-error @+1 {{'loom.conv2d_transpose' input channels (3) of input [1, 3, 3, 3] are not divisible by groups (2)}}
  %0 = loom.conv2d_transpose %x, %w stride [1, 1] padding [0, 0] output_padding [0, 0] dilation [1, 1] groups 2 : tensor<1x3x3x3xf32>, tensor<3x1x3x3xf32>
  return
}

// -----

func.func @transpose_no_output(%x: tensor<1x1x1x1xf32>, %w: tensor<1x1x1x1xf32>) {
  // expected-error @+1 {{'loom.conv2d_transpose' padding [1, 1] leaves no output in dimension H}}
  %0 = loom.conv2d_transpose %x, %w stride [1, 1] padding [1, 1] output_padding [0, 0] dilation [1, 1] groups 1 : tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>
  return
}

// -----

func.func @pool_kernel_larger_than_padded_input(%x: tensor<1x1x3x3xf32>) {
  // expected-error @+1 {{'loom.max_pool2d' kernel [4, 4] is larger than the padded input in dimension H (3; input [1, 1, 3, 3], padding [0, 0])}}
  %0 = loom.max_pool2d %x kernel [4, 4] stride [1, 1] padding [0, 0] : tensor<1x1x3x3xf32>
  return
}

// -----

func.func @pool_stride_zero(%x: tensor<1x1x4x4xf32>) {
  // expected-error @+1 {{'loom.avg_pool2d' stride must be >= 1, got [0, 0]}}
  %0 = loom.avg_pool2d %x kernel [2, 2] stride [0, 0] padding [0, 0] : tensor<1x1x4x4xf32>
  return
}

// -----

func.func @pool_negative_padding(%x: tensor<1x1x4x4xf32>) {
  // expected-error @+1 {{'loom.max_pool2d' padding must be >= 0, got [0, -1]}}
  %0 = loom.max_pool2d %x kernel [2, 2] stride [2, 2] padding [0, -1] : tensor<1x1x4x4xf32>
  return
}

// -----

func.func @pool_padding_over_half_kernel(%x: tensor<1x1x4x4xf32>) {
  // expected-error @+1 {{'loom.max_pool2d' padding [2, 0] must be at most half the kernel [3, 3]}}
  %0 = loom.max_pool2d %x kernel [3, 3] stride [1, 1] padding [2, 0] : tensor<1x1x4x4xf32>
  return
}

// -----

func.func @pool_zero_kernel(%x: tensor<1x1x4x4xf32>) {
  // expected-error @+1 {{'loom.avg_pool2d' kernel must be >= 1, got [0, 2]}}
  %0 = loom.avg_pool2d %x kernel [0, 2] stride [1, 1] padding [0, 0] : tensor<1x1x4x4xf32>
  return
}
