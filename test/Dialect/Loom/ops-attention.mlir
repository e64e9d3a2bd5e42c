// RUN: loom-opt %s | loom-opt | FileCheck %s
// attention parses, infers [..., Lq, Dv], prints and parses again.

// CHECK-LABEL: func.func @attention
func.func @attention(%q: tensor<2x4x5x8xf32>, %k: tensor<2x4x7x8xf32>, %v: tensor<2x4x7x3xf32>, %c: tensor<2x6x8xf32>) -> (tensor<2x4x5x3xf32>, tensor<2x6x8xf32>) {
  // CHECK: loom.attention %{{.*}}, %{{.*}}, %{{.*}} scale 3.535530e-01 : tensor<2x4x5x8xf32>, tensor<2x4x7x8xf32>, tensor<2x4x7x3xf32>
  %0 = loom.attention %q, %k, %v scale 0.353553 : tensor<2x4x5x8xf32>, tensor<2x4x7x8xf32>, tensor<2x4x7x3xf32>
  // CHECK: loom.attention {{.*}} scale 1.250000e-01 causal : tensor<2x6x8xf32>
  %1 = loom.attention %c, %c, %c scale 0.125 causal : tensor<2x6x8xf32>, tensor<2x6x8xf32>, tensor<2x6x8xf32>
  return %0, %1 : tensor<2x4x5x3xf32>, tensor<2x6x8xf32>
}
