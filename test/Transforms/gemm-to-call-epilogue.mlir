// RUN: loom-opt %s -split-input-file -loom-gemm-to-call -cse | FileCheck %s
// A pointwise generic right after a matrix product that runs in place on
// its C becomes the GEMM's epilogue: loom_rt_gemm_f32_ep, whose arguments
// after the plain call's 20 are
//   (D, sDm, sDn, sDb0, sDb1, O, sOm, sOn, sOb0, sOb1, alpha, act).

#a = affine_map<(m, k, n) -> (m, k)>
#b = affine_map<(m, k, n) -> (k, n)>
#c = affine_map<(m, k, n) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>
#row = affine_map<(m, n) -> (n)>

// relu(c + bias), the bias along rows (one value per column: sDm = 0).
// CHECK-LABEL: func.func @bias_relu
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: call @loom_rt_gemm_f32_ep({{.*}}, %[[C0]], %[[C1]], %[[C0]], %[[C0]], %[[NULL]], %[[C0]], %[[C0]], %[[C0]], %[[C0]], %[[ONE]], %[[C1]])
// CHECK-NOT: linalg.generic
// CHECK: return
// CHECK: func.func private @loom_rt_gemm_f32_ep(!llvm.ptr, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, !llvm.ptr, i64, i64, i64, i64, !llvm.ptr, i64, i64, i64, i64, f32, i64)
func.func @bias_relu(%a: memref<4x3xf32>, %b: memref<3x5xf32>, %bias: memref<5xf32>, %c: memref<4x5xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%c : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c, %bias : memref<4x5xf32>, memref<5xf32>) outs(%c : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %unused: f32):
    %s = arith.addf %x, %y : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

#a = affine_map<(m, k, n) -> (m, k)>
#b = affine_map<(m, k, n) -> (k, n)>
#c = affine_map<(m, k, n) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>
#col = affine_map<(m, n) -> (m, 0)>

// bias + c * 0.5, the bias along columns (one value per row, a [4, 1]
// memref: sDm = 1, sDn = 0), no activation.
// CHECK-LABEL: func.func @scaled_column_bias
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// CHECK-DAG: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: call @loom_rt_gemm_f32_ep({{.*}}, %[[C1]], %[[C0]], %[[C0]], %[[C0]], %[[NULL]], %[[C0]], %[[C0]], %[[C0]], %[[C0]], %[[HALF]], %[[C0]])
// CHECK-NOT: linalg.generic
func.func @scaled_column_bias(%a: memref<4x3xf32>, %b: memref<3x5xf32>, %bias: memref<4x1xf32>, %c: memref<4x5xf32>) {
  %half = arith.constant 0.5 : f32
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%c : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c, %bias : memref<4x5xf32>, memref<4x1xf32>) outs(%c : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %unused: f32):
    %m = arith.mulf %half, %x : f32
    %s = arith.addf %y, %m : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#a = affine_map<(m, k, n) -> (m, k)>
#b = affine_map<(m, k, n) -> (k, n)>
#c = affine_map<(m, k, n) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>

// A residual (full shape, padded rows: sDm = 8) and a second output:
// C = c + r, O = relu(C).
// CHECK-LABEL: func.func @residual_two_outputs
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[C5:.*]] = arith.constant 5 : i64
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : i64
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: call @loom_rt_gemm_f32_ep({{.*}}, %[[C8]], %[[C1]], %[[C0]], %[[C0]], %{{.*}}, %[[C5]], %[[C1]], %[[C0]], %[[C0]], %[[ONE]], %[[C1]])
// CHECK-NOT: linalg.generic
func.func @residual_two_outputs(%a: memref<4x3xf32>, %b: memref<3x5xf32>, %r: memref<4x5xf32, strided<[8, 1]>>, %c: memref<4x5xf32>, %o: memref<4x5xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%c : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c, %r : memref<4x5xf32>, memref<4x5xf32, strided<[8, 1]>>) outs(%o, %c : memref<4x5xf32>, memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %u0: f32, %u1: f32):
    %s = arith.addf %x, %y : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m, %s : f32, f32
  }
  return
}

// -----

#a = affine_map<(m, k, n) -> (m, k)>
#b = affine_map<(m, k, n) -> (k, n)>
#c = affine_map<(m, k, n) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>

// Left alone: a body that is not an epilogue (c - 1), and an op with
// memory effects between product and pointwise op.
// CHECK-LABEL: func.func @not_recognized
// CHECK: call @loom_rt_gemm_f32(
// CHECK: linalg.generic
// CHECK: arith.subf
// CHECK: call @loom_rt_gemm_f32(
// CHECK: memref.store
// CHECK: linalg.generic
// CHECK: arith.maximumf
func.func @not_recognized(%a: memref<4x3xf32>, %b: memref<3x5xf32>, %c: memref<4x5xf32>, %c2: memref<4x5xf32>, %other: memref<4xf32>) {
  %one = arith.constant 1.0 : f32
  %zero = arith.constant 0.0 : f32
  %i = arith.constant 0 : index
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%c : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<4x5xf32>) outs(%c : memref<4x5xf32>) {
  ^bb0(%x: f32, %unused: f32):
    %s = arith.subf %x, %one : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%c2 : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  memref.store %one, %other[%i] : memref<4xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c2 : memref<4x5xf32>) outs(%c2 : memref<4x5xf32>) {
  ^bb0(%x: f32, %unused: f32):
    %s = arith.maximumf %x, %zero : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#a = affine_map<(m, k, n) -> (m, k)>
#b = affine_map<(m, k, n) -> (k, n)>
#c = affine_map<(m, k, n) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>

// Left alone: in one workspace, the second output's slot overlaps A's (A
// is dead after the product, so -loom-plan-buffers may do that); the GEMM
// would write O while still reading A. A disjoint slot is fused.
// CHECK-LABEL: func.func @workspace_overlap
// CHECK: call @loom_rt_gemm_f32(
// CHECK: linalg.generic
// CHECK: call @loom_rt_gemm_f32_ep(
// CHECK-NOT: linalg.generic
func.func @workspace_overlap(%ws: memref<?xi8>, %b: memref<3x5xf32>, %c: memref<4x5xf32>) {
  %zero = arith.constant 0.0 : f32
  %s0 = arith.constant 0 : index
  %s32 = arith.constant 32 : index
  %s128 = arith.constant 128 : index
  %a = memref.view %ws[%s0][] : memref<?xi8> to memref<4x3xf32>
  %o = memref.view %ws[%s32][] : memref<?xi8> to memref<4x5xf32>
  %o2 = memref.view %ws[%s128][] : memref<?xi8> to memref<4x5xf32>
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%c : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<4x5xf32>) outs(%c, %o : memref<4x5xf32>, memref<4x5xf32>) {
  ^bb0(%x: f32, %u0: f32, %u1: f32):
    %m = arith.maximumf %x, %zero : f32
    linalg.yield %x, %m : f32, f32
  }
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%c : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<4x5xf32>) outs(%c, %o2 : memref<4x5xf32>, memref<4x5xf32>) {
  ^bb0(%x: f32, %u0: f32, %u1: f32):
    %m = arith.maximumf %x, %zero : f32
    linalg.yield %x, %m : f32, f32
  }
  return
}
