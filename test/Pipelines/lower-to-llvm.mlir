// RUN: loom-opt %s -loom-lower-to-linalg -loom-lower-to-llvm | FileCheck %s
// The whole pipeline on the results bufferization can get wrong: a computed
// tensor returned twice, an argument and a constant returned, a reshape
// view of an argument. Every result becomes an out-parameter filled by a
// copy, the one temporary is freed, and the function returns nothing.

// CHECK-LABEL: llvm.func @results(
// CHECK-SAME: i64) {
// CHECK: %[[TMP:.*]] = llvm.call @malloc
// CHECK-COUNT-5: "llvm.intr.memcpy"
// CHECK: llvm.call @free
// CHECK-NEXT: llvm.return
// CHECK-NOT: llvm.call @free
func.func @results(%a: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<2xf32>, tensor<2x6xf32>) {
  %0 = loom.exp %a : tensor<4x3xf32>
  %c = loom.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %r = loom.reshape %a [2, 6] : tensor<4x3xf32>
  return %0, %0, %a, %c, %r : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<2xf32>, tensor<2x6xf32>
}
