// RUN: loom-opt %s -loom-lower-to-linalg -loom-lower-to-llvm | FileCheck %s
// A recurrent layer's time loop survives bufferization and lowers to a
// branch loop in the LLVM dialect; nothing of loom, scf, tensor or memref
// is left. -loom-loop-state-in-place lets each step write the new state (h,
// c) over the old, and the planner puts every buffer in the workspace, so
// the loop carries only its index and the function never calls malloc or
// free (before, each step allocated the next state and freed the last).

// CHECK-LABEL: llvm.func @lstm(
// CHECK-NOT: llvm.call @malloc
// CHECK-NOT: llvm.call @free
// CHECK: llvm.br ^bb{{[0-9]+}}(%{{.*}} : i64)
// CHECK-NOT: llvm.call @malloc
// CHECK-NOT: llvm.call @free
// CHECK-NOT: loom.
// CHECK-NOT: scf.
// CHECK-NOT: tensor.
// CHECK-NOT: memref.
func.func @lstm(%x: tensor<2x5x3xf32>, %h0: tensor<2x4xf32>, %c0: tensor<2x4xf32>, %wih: tensor<16x3xf32>, %whh: tensor<16x4xf32>, %b: tensor<16xf32>) -> (tensor<2x5x4xf32>, tensor<2x5x4xf32>) {
  %ys, %cs = loom.lstm %x, %h0, %c0, %wih, %whh, %b, %b : tensor<2x5x3xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<16xf32>, tensor<16xf32>
  return %ys, %cs : tensor<2x5x4xf32>, tensor<2x5x4xf32>
}
