// RUN: loom-opt %s -loom-lower-to-linalg -loom-lower-to-llvm | FileCheck %s
// A recurrent layer's time loop survives bufferization (the state is a
// fresh buffer each step, yielded with its ownership flag and freed by the
// deallocation pipeline) and lowers to a branch loop in the LLVM dialect;
// nothing of loom, scf, tensor or memref is left.

// CHECK-LABEL: llvm.func @lstm
// The time loop carries the index, the two [2, 4] state buffers (h, c) and
// an ownership flag, and nothing else: the [2, 5, 4] sequences are written
// in place, not carried.
// CHECK: llvm.br ^bb{{[0-9]+}}(%{{.*}} : i64, !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>, !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>, i1)
// CHECK: llvm.call @free
// CHECK-NOT: loom.
// CHECK-NOT: scf.
// CHECK-NOT: tensor.
// CHECK-NOT: memref.
func.func @lstm(%x: tensor<2x5x3xf32>, %h0: tensor<2x4xf32>, %c0: tensor<2x4xf32>, %wih: tensor<16x3xf32>, %whh: tensor<16x4xf32>, %b: tensor<16xf32>) -> (tensor<2x5x4xf32>, tensor<2x5x4xf32>) {
  %ys, %cs = loom.lstm %x, %h0, %c0, %wih, %whh, %b, %b : tensor<2x5x3xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>
  return %ys, %cs : tensor<2x5x4xf32>, tensor<2x5x4xf32>
}
