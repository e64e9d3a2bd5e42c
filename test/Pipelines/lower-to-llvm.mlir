// RUN: loom-opt %s -loom-lower-to-linalg -loom-lower-to-llvm | FileCheck %s
// The whole pipeline on the results bufferization can get wrong: a computed
// tensor returned twice, an argument and a constant returned, a reshape
// view of an argument. Every result becomes an out-parameter; the computed
// one is written in place into the second of its two out-parameters
// (-loom-plan-buffers) and copied into the first; the others are copied.
// Nothing is allocated and the function returns nothing.

// CHECK-LABEL: llvm.func @results(
// CHECK-SAME: i64) attributes {loom.workspace_bytes = 0 : i64} {
// CHECK-NOT: llvm.call @malloc
// CHECK: llvm.call @results_k0(
// CHECK-COUNT-4: "llvm.intr.memcpy"
// CHECK-NOT: llvm.call @free
// CHECK: llvm.return
func.func @results(%a: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<2xf32>, tensor<2x6xf32>) {
  %0 = loom.exp %a : tensor<4x3xf32>
  %c = loom.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %r = loom.reshape %a [2, 6] : tensor<4x3xf32>
  return %0, %0, %a, %c, %r : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<2xf32>, tensor<2x6xf32>
}
