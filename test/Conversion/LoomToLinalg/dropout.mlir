// RUN: loom-opt %s -split-input-file -convert-loom-to-linalg | FileCheck %s
// dropout: the identity in inference mode; in training mode one generic
// whose mask hashes (seed, counter, linear index) with i32 arithmetic.

// CHECK-LABEL: func.func @inference
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
// CHECK-NOT: linalg.generic
// CHECK: return %[[X]]
func.func @inference(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = loom.dropout %x rate 0.5 seed 1 : tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func.func @training
// CHECK: %[[C:.*]] = tensor.extract %{{.*}}[] : tensor<f32>
// CHECK: arith.fptoui %[[C]] : f32 to i32
// CHECK: linalg.generic
// CHECK: linalg.index 0
// CHECK: linalg.index 1
// CHECK: arith.index_cast %{{.*}} : index to i32
// CHECK: arith.cmpi uge, %{{.*}}, %{{.*}} : i32
// CHECK: arith.select
func.func @training(%x: tensor<4x3xf32>, %step: tensor<f32>) -> tensor<4x3xf32> {
  %0 = loom.dropout %x counter %step rate 0.25 seed 7 training : tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}
