// RUN: loom-opt %s -loom-conv-to-call | FileCheck %s

// A direct convolution on buffers becomes a call of loom_rt_conv2d_f32. A
// zero fill of Y right before it (the lowering's init) is dropped and the
// call overwrites Y (last argument 0); otherwise it accumulates (1).

// CHECK-LABEL: func.func @zero_init
// CHECK-NOT: linalg.fill
// CHECK: call @loom_rt_conv2d_f32({{.*}}, %c0_i64{{(_[0-9]+)?}}) :
func.func @zero_init(%x: memref<2x3x8x22xf32>, %w: memref<4x3x3x3xf32>, %y: memref<2x4x6x20xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<2x4x6x20xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%x, %w : memref<2x3x8x22xf32>, memref<4x3x3x3xf32>) outs(%y : memref<2x4x6x20xf32>)
  return
}

// A fill of something else, a fill that is not zero (-0.0 included: the
// sign of a zero sum would change), or no fill at all: Y's values are
// accumulated into.
// CHECK-LABEL: func.func @accumulates
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : memref<2x4x6x20xf32>)
// CHECK: call @loom_rt_conv2d_f32({{.*}}, %c1_i64{{(_[0-9]+)?}}) :
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : memref<2x4x6x20xf32>)
// CHECK: call @loom_rt_conv2d_f32({{.*}}, %c1_i64{{(_[0-9]+)?}}) :
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : memref<2x4x6x20xf32>)
// CHECK: call @loom_rt_conv2d_f32({{.*}}, %c1_i64{{(_[0-9]+)?}}) :
func.func @accumulates(%x: memref<2x3x8x22xf32>, %w: memref<4x3x3x3xf32>, %y: memref<2x4x6x20xf32>, %other: memref<2x4x6x20xf32>) {
  %zero = arith.constant 0.0 : f32
  %half = arith.constant 0.5 : f32
  %negzero = arith.constant -0.0 : f32
  linalg.fill ins(%zero : f32) outs(%other : memref<2x4x6x20xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%x, %w : memref<2x3x8x22xf32>, memref<4x3x3x3xf32>) outs(%y : memref<2x4x6x20xf32>)
  linalg.fill ins(%half : f32) outs(%y : memref<2x4x6x20xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%x, %w : memref<2x3x8x22xf32>, memref<4x3x3x3xf32>) outs(%y : memref<2x4x6x20xf32>)
  linalg.fill ins(%negzero : f32) outs(%y : memref<2x4x6x20xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
      ins(%x, %w : memref<2x3x8x22xf32>, memref<4x3x3x3xf32>) outs(%y : memref<2x4x6x20xf32>)
  return
}
