// RUN: loom-opt %s -split-input-file -convert-loom-to-linalg=conv-algorithm=direct | FileCheck %s
// RUN: loom-opt %s -split-input-file -convert-loom-to-linalg=conv-algorithm=direct -loom-plan | FileCheck %s --check-prefix=CALL
// static (what loomc build uses): direct wherever output rows fill a
// micro-kernel tile (OW >= 16), im2col below, with no measurement.
// RUN: loom-opt %s -split-input-file -convert-loom-to-linalg=conv-algorithm=static | FileCheck %s --check-prefix=STATIC
// STATIC-LABEL: func.func @padded
// STATIC: linalg.conv_2d_nchw_fchw
// STATIC-LABEL: func.func @narrow
// STATIC-NOT: linalg.conv_2d_nchw_fchw
// STATIC: linalg.generic
// RUN: not loom-opt %s -split-input-file -convert-loom-to-linalg=conv-algorithm=fastest 2>&1 | FileCheck %s --check-prefix=BAD
// The direct lowering (ConvAlgorithm.h): a stride-1 ungrouped conv2d is the
// padded input convolved by linalg.conv_2d_nchw_fchw into zeros, and after
// bufferization -loom-conv-to-call makes it a call of loom_rt_conv2d_f32
// with the sizes, the dilations and each operand's strides.

// CHECK-LABEL: func.func @padded
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x6x20xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>)
// CHECK: %[[PAD:.*]] = tensor.insert_slice %[[X]] into %{{.*}}[0, 0, 1, 1] [2, 3, 6, 20] [1, 1, 1, 1] : tensor<2x3x6x20xf32> into tensor<2x3x8x22xf32>
// CHECK: %[[ZERO:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x4x6x20xf32>)
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%[[PAD]], %[[W]] : tensor<2x3x8x22xf32>, tensor<4x3x3x3xf32>) outs(%[[ZERO]] : tensor<2x4x6x20xf32>)
// CALL-LABEL: func.func @padded
// CALL-NOT: linalg.conv_2d_nchw_fchw
// N C F KH KW OH OW dH dW, X strides (n, c, h), W strides (f, c, kh, kw), Y strides (n, f, h), accumulate
// CALL-NOT: memref<480xf32>
// CALL-DAG: %[[C528:.*]] = arith.constant 528 : i64
// CALL-DAG: %[[C176:.*]] = arith.constant 176 : i64
// CALL-DAG: %[[C22:.*]] = arith.constant 22 : i64
// CALL-DAG: %[[C480:.*]] = arith.constant 480 : i64
// CALL-DAG: %[[C120:.*]] = arith.constant 120 : i64
// The zero init of Y is not a fill kernel: the call overwrites (accumulate 0).
// CALL-DAG: %[[OVERWRITE:.*]] = arith.constant 0 : i64
// CALL: call @loom_rt_conv2d_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[C528]], %[[C176]], %[[C22]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[C480]], %[[C120]], %{{.*}}, %[[OVERWRITE]])
// BAD: error: unknown convolution algorithm 'fastest' (conv-algorithm or LOOM_CONV_ALGORITHM: measure, im2col, direct or static)
func.func @padded(%x: tensor<2x3x6x20xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<2x4x6x20xf32> {
  %y = loom.conv2d %x, %w stride [1, 1] padding [1, 1] dilation [1, 1] groups 1 : tensor<2x3x6x20xf32>, tensor<4x3x3x3xf32>
  return %y : tensor<2x4x6x20xf32>
}

// -----

// Dilation is passed through; stride 2 and groups 2 stay im2col + product.
// CHECK-LABEL: func.func @dilated
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<[2, 3]> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
func.func @dilated(%x: tensor<1x2x9x30xf32>, %w: tensor<5x2x3x3xf32>) -> tensor<1x5x5x24xf32> {
  %y = loom.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [2, 3] groups 1 : tensor<1x2x9x30xf32>, tensor<5x2x3x3xf32>
  return %y : tensor<1x5x5x24xf32>
}

// -----

// CHECK-LABEL: func.func @strided
// CHECK-NOT: linalg.conv_2d_nchw_fchw
// CHECK: linalg.generic
func.func @strided(%x: tensor<1x2x9x30xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x4x14xf32> {
  %y = loom.conv2d %x, %w stride [2, 2] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x2x9x30xf32>, tensor<4x2x3x3xf32>
  return %y : tensor<1x4x4x14xf32>
}

// -----

// CHECK-LABEL: func.func @grouped
// CHECK-NOT: linalg.conv_2d_nchw_fchw
// CHECK: linalg.generic
func.func @grouped(%x: tensor<1x4x6x20xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x4x18xf32> {
  %y = loom.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 2 : tensor<1x4x6x20xf32>, tensor<4x2x3x3xf32>
  return %y : tensor<1x4x4x18xf32>
}

// -----

// A stride-1 conv2d_transpose (a convolution's input gradient) is the
// direct convolution of its input padded by d*(K-1) - p = 1 with the
// weight transposed and flipped: w'[f, c, kh, kw] = w[c, f, 2-kh, 2-kw].
// CHECK-DAG: #[[$FLIP:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d0, -d2 + 2, -d3 + 2)>
// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x6x20xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>)
// CHECK: %[[PAD:.*]] = tensor.insert_slice %[[X]] into %{{.*}}[0, 0, 1, 1] [2, 4, 6, 20] [1, 1, 1, 1] : tensor<2x4x6x20xf32> into tensor<2x4x8x22xf32>
// CHECK: %[[WF:.*]] = linalg.generic {indexing_maps = [#[[$FLIP]], {{.*}}]{{.*}} ins(%[[W]] : tensor<4x3x3x3xf32>) outs(%{{.*}} : tensor<3x4x3x3xf32>)
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%[[PAD]], %[[WF]] : tensor<2x4x8x22xf32>, tensor<3x4x3x3xf32>) outs(%{{.*}} : tensor<2x3x6x20xf32>)
func.func @transpose(%x: tensor<2x4x6x20xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<2x3x6x20xf32> {
  %y = loom.conv2d_transpose %x, %w stride [1, 1] padding [1, 1] output_padding [0, 0] dilation [1, 1] groups 1 : tensor<2x4x6x20xf32>, tensor<4x3x3x3xf32>
  return %y : tensor<2x3x6x20xf32>
}

// -----

// Padding over d*(K-1) would need a crop: the product and col2im instead.
// CHECK-LABEL: func.func @transpose_overpadded
// CHECK-NOT: linalg.conv_2d_nchw_fchw
func.func @transpose_overpadded(%x: tensor<1x2x6x20xf32>, %w: tensor<2x3x1x1xf32>) -> tensor<1x3x4x18xf32> {
  %y = loom.conv2d_transpose %x, %w stride [1, 1] padding [1, 1] output_padding [0, 0] dilation [1, 1] groups 1 : tensor<1x2x6x20xf32>, tensor<2x3x1x1xf32>
  return %y : tensor<1x3x4x18xf32>
}

// -----

// A filter gradient as conv2d's VJP builds it (ConvGradients.cpp): conv2d
// of the transposed input and output gradient. Direct, it reads X and G as
// they are: one marked contraction generic over (c, f, i, j | n, a, b),
// out[c, f, i, j] += Xpad[n, c, a*s + i*d, b*s + j*d] * G[n, f, a, b]
// (here the forward stride s = 2 is the conv's dilation, the forward
// dilation d = 1 its stride), then loom_rt_conv2d_filter_grad_f32.
// CHECK-DAG: #[[$XMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d0, d5 * 2 + d2, d6 * 2 + d3)>
// CHECK-DAG: #[[$GMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d1, d5, d6)>
// CHECK-DAG: #[[$OMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @filter_gradient
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x9x17xf32>, %[[G:.*]]: tensor<2x4x4x8xf32>)
// CHECK: %[[PAD:.*]] = tensor.insert_slice %[[X]] into %{{.*}}[0, 0, 1, 1] [2, 3, 9, 17] [1, 1, 1, 1] : tensor<2x3x9x17xf32> into tensor<2x3x11x19xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$XMAP]], #[[$GMAP]], #[[$OMAP]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[PAD]], %[[G]] : tensor<2x3x11x19xf32>, tensor<2x4x4x8xf32>) outs(%{{.*}} : tensor<3x4x5x5xf32>)
// CHECK: loom.conv_filter_gradient = {dilation = array<i64: 1, 1>, stride = array<i64: 2, 2>}
// CALL-LABEL: func.func @filter_gradient
// CALL-NOT: linalg.generic {{.*}}reduction
// CALL: call @loom_rt_conv2d_filter_grad_f32
func.func @filter_gradient(%x: tensor<2x3x9x17xf32>, %g: tensor<2x4x4x8xf32>) -> tensor<3x4x5x5xf32> {
  %xt = loom.transpose %x [1, 0, 2, 3] : tensor<2x3x9x17xf32>
  %gt = loom.transpose %g [1, 0, 2, 3] : tensor<2x4x4x8xf32>
  %r = loom.conv2d %xt, %gt stride [1, 1] padding [1, 1] dilation [2, 2] groups 1 : tensor<3x2x9x17xf32>, tensor<4x2x4x8xf32>
  return %r : tensor<3x4x5x5xf32>
}

// -----

func.func @narrow(%x: tensor<1x2x10x10xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x8x8xf32> {
  %y = loom.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<1x2x10x10xf32>, tensor<4x2x3x3xf32>
  return %y : tensor<1x4x8x8xf32>
}
