// RUN: loom-opt %s -loom-fill-per-use | FileCheck %s
// RUN: loom-opt %s -loom-fill-per-use -loom-plan | FileCheck %s --check-prefix=PLAN
// RUN: loom-opt %s -loom-plan | FileCheck %s --check-prefix=SHARED

// Two products that start from the same (CSE'd) zero tensor: each gets its
// own empty tensor and fill, right before it.
// CHECK-LABEL: func.func @two_products
// CHECK-NOT: linalg.fill
// CHECK: %[[E0:.*]] = tensor.empty() : tensor<64x64xf32>
// CHECK: %[[F0:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E0]] : tensor<64x64xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<64x64xf32>, tensor<64x64xf32>) outs(%[[F0]] : tensor<64x64xf32>)
// CHECK: %[[E1:.*]] = tensor.empty() : tensor<64x64xf32>
// CHECK: %[[F1:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E1]] : tensor<64x64xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<64x64xf32>, tensor<64x64xf32>) outs(%[[F1]] : tensor<64x64xf32>)

// After bufferization: no copy of a filled buffer (before this pass, one per
// product after the first).
// PLAN-LABEL: func.func @two_products(
// PLAN-NOT: memref.copy
// PLAN: return
// SHARED-LABEL: func.func @two_products(
// SHARED: memref.copy
// SHARED: return
func.func @two_products(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>,
                        %c: tensor<64x64xf32>) -> (tensor<64x64xf32>, tensor<64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x64xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<64x64xf32>) -> tensor<64x64xf32>
  %p = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%z : tensor<64x64xf32>) -> tensor<64x64xf32>
  %q = linalg.matmul ins(%p, %c : tensor<64x64xf32>, tensor<64x64xf32>) outs(%z : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %p, %q : tensor<64x64xf32>, tensor<64x64xf32>
}

// A fill used once, or one into a tensor that is not empty, stays as it is.
// CHECK-LABEL: func.func @single_use
// CHECK-NEXT: %[[ONE:.*]] = arith.constant
// CHECK-NEXT: %[[F:.*]] = linalg.fill ins(%[[ONE]] : f32) outs(%arg0 : tensor<8xf32>)
// CHECK-NEXT: linalg.fill ins(%[[ONE]] : f32) outs(%[[F]] : tensor<8xf32>)
// CHECK-NEXT: return
func.func @single_use(%a: tensor<8xf32>) -> tensor<8xf32> {
  %one = arith.constant 1.0 : f32
  %f = linalg.fill ins(%one : f32) outs(%a : tensor<8xf32>) -> tensor<8xf32>
  %g = linalg.fill ins(%one : f32) outs(%f : tensor<8xf32>) -> tensor<8xf32>
  return %g : tensor<8xf32>
}
