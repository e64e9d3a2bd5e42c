// RUN: loom-opt %s -split-input-file -convert-loom-to-linalg | FileCheck %s
// random_normal: one generic with no inputs; the key comes from (seed,
// counter) once, before it (counter 0 in inference mode), and each element
// hashes indices 2i and 2i+1 and applies Box-Muller in f32.

// CHECK-LABEL: func.func @inference
// CHECK: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<f32>
// CHECK: tensor.extract %[[ZERO]][] : tensor<f32>
// CHECK: %[[OUT:.*]] = tensor.empty() : tensor<4x3xf32>
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-SAME: outs(%[[OUT]] : tensor<4x3xf32>)
// CHECK: linalg.index 0
// CHECK: linalg.index 1
// CHECK: arith.uitofp %{{.*}} : i32 to f32
// CHECK: arith.uitofp %{{.*}} : i32 to f32
// CHECK: math.log
// CHECK: math.sqrt
// CHECK: math.cos
// CHECK: linalg.yield
func.func @inference() -> tensor<4x3xf32> {
  %0 = loom.random_normal seed 1 : tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func.func @training
// CHECK-SAME: (%[[STEP:.*]]: tensor<f32>)
// CHECK: %[[C:.*]] = tensor.extract %[[STEP]][] : tensor<f32>
// CHECK: arith.fptoui %[[C]] : f32 to i32
// CHECK: linalg.generic
// CHECK: math.cos
func.func @training(%step: tensor<f32>) -> tensor<8xf32> {
  %0 = loom.random_normal counter %step seed 7 training : tensor<8xf32>
  return %0 : tensor<8xf32>
}
