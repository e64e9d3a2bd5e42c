// RUN: loom-opt %s -split-input-file -loom-decompose | FileCheck %s
// attention = softmax(q k^T * scale) v, the causal mask a select of -inf
// under a constant lower-triangular i1 mask.

// CHECK-LABEL: func.func @causal
// CHECK-SAME: (%[[Q:.*]]: tensor<2x3x4xf32>, %[[V:.*]]: tensor<2x3x5xf32>)
// CHECK-DAG: %[[MASK:.*]] = loom.constant dense<{{\[}}[true, false, false], [true, true, false], [true, true, true]]> : tensor<3x3xi1>
// CHECK-DAG: %[[NEGINF:.*]] = loom.constant dense<0xFF800000> : tensor<f32>
// CHECK: %[[S:.*]] = loom.matmul %[[Q]], %[[Q]] transpose_rhs
// CHECK: %[[SS:.*]] = loom.mul %[[S]]
// CHECK: %[[M:.*]] = loom.select %[[MASK]], %[[SS]], %[[NEGINF]]
// CHECK: loom.reduce_max %[[M]] axes [2] keepdims
// CHECK: %[[P:.*]] = loom.div
// CHECK: %[[O:.*]] = loom.matmul %[[P]], %[[V]] : tensor<2x3x3xf32>, tensor<2x3x5xf32>
// CHECK: return %[[O]]
// CHECK-NOT: loom.attention
func.func @causal(%q: tensor<2x3x4xf32>, %v: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %0 = loom.attention %q, %q, %v scale 0.5 causal : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}
