// RUN: loom-opt %s --pass-pipeline='builtin.module(loom-lower-to-linalg,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map allow-return-allocs-from-loops})' | FileCheck %s
// cumsum's loop bufferizes in place with the options of Pipelines.cpp: the
// running sum and the result are allocated once, before the loop; each step
// adds into the sum's buffer and copies it into a view of the result.

// CHECK-LABEL: func.func @cumsum
// CHECK: %[[SUM:.*]] = memref.alloc() {{.*}} : memref<2x1x4xf32>
// CHECK: %[[Y:.*]] = memref.alloc() {{.*}} : memref<2x3x4xf32>
// CHECK: scf.for
// CHECK-NOT: memref.alloc
// CHECK: linalg.generic
// CHECK: memref.copy
// CHECK: scf.yield
func.func @cumsum(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = loom.cumsum %x axis 1 : tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}
