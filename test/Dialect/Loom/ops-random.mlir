// RUN: loom-opt %s | loom-opt | FileCheck %s
// random_normal parses, verifies, prints and parses again, in both modes.

// CHECK-LABEL: func.func @random_normal
// CHECK-SAME: (%[[STEP:.*]]: tensor<f32>)
func.func @random_normal(%step: tensor<f32>) -> (tensor<64x100xf32>, tensor<2x3x4xf32>, tensor<f32>) {
  // CHECK: loom.random_normal seed 3 : tensor<64x100xf32>
  %0 = loom.random_normal seed 3 : tensor<64x100xf32>
  // CHECK: loom.random_normal counter %[[STEP]] seed 0 training : tensor<2x3x4xf32>
  %1 = loom.random_normal counter %step seed 0 training : tensor<2x3x4xf32>
  // CHECK: loom.random_normal seed 4294967295 : tensor<f32>
  %2 = loom.random_normal seed 4294967295 : tensor<f32>
  return %0, %1, %2 : tensor<64x100xf32>, tensor<2x3x4xf32>, tensor<f32>
}
