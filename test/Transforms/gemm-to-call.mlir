// RUN: loom-opt %s -split-input-file -loom-gemm-to-call -cse | FileCheck %s
// Multiply-accumulate generics on f32 memrefs become calls of the runtime's
// GEMM with element strides:
//   (A, B, C, M, N, K, sAm, sAk, sBk, sBn, sCm, sCn,
//    batch0, sAb0, sBb0, sCb0, batch1, sAb1, sBb1, sCb1)

// i-k-j order, row-major operands.
// CHECK-LABEL: func.func @plain
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : i64
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : i64
// CHECK-DAG: %[[C5:.*]] = arith.constant 5 : i64
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : i64
// CHECK: call @loom_rt_gemm_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[C4]], %[[C5]], %[[C3]], %[[C3]], %[[C1]], %[[C5]], %[[C1]], %[[C5]], %[[C1]], %[[C1]], %[[C0]], %[[C0]], %[[C0]], %[[C1]], %[[C0]], %[[C0]], %[[C0]])
// CHECK-NOT: linalg.generic
// CHECK: func.func private @loom_rt_gemm_f32(!llvm.ptr, !llvm.ptr, !llvm.ptr, i64
#a = affine_map<(m, k, n) -> (m, k)>
#b = affine_map<(m, k, n) -> (k, n)>
#c = affine_map<(m, k, n) -> (m, n)>
func.func @plain(%a: memref<4x3xf32>, %b: memref<3x5xf32>, %c: memref<4x5xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%c : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Both operands transposed (A stored [K, M], B stored [N, K]), the product
// written in the other operand order: strides say it all.
// CHECK-LABEL: func.func @transposed
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : i64
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : i64
// CHECK-DAG: %[[C5:.*]] = arith.constant 5 : i64
// CHECK: call @loom_rt_gemm_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[C4]], %[[C5]], %[[C3]], %[[C1]], %[[C4]], %[[C1]], %[[C3]], %[[C5]], %[[C1]],
#a = affine_map<(m, n, k) -> (k, m)>
#b = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @transposed(%a: memref<3x4xf32>, %b: memref<5x3xf32>, %c: memref<4x5xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<3x4xf32>, memref<5x3xf32>) outs(%c : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %y, %x : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// [2, 4, 3] x [3, 5]: the batch loop continues the rows in A and C, so it
// folds into M = 8; a size-1 broadcast dimension (constant 0) is ignored.
// CHECK-LABEL: func.func @folded_rows
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : i64
// CHECK-DAG: %[[C5:.*]] = arith.constant 5 : i64
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : i64
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : i64
// CHECK: call @loom_rt_gemm_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[C8]], %[[C5]], %[[C3]], %[[C3]], %[[C1]], %[[C5]], %[[C1]], %[[C5]], %[[C1]], %[[C1]], %[[C0]], %[[C0]], %[[C0]], %[[C1]], %[[C0]], %[[C0]], %[[C0]])
#a = affine_map<(b, m, k, n) -> (b, m, k)>
#b = affine_map<(b, m, k, n) -> (0, k, n)>
#c = affine_map<(b, m, k, n) -> (b, m, n)>
func.func @folded_rows(%a: memref<2x4x3xf32>, %b: memref<1x3x5xf32>, %c: memref<2x4x5xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<2x4x3xf32>, memref<1x3x5xf32>) outs(%c : memref<2x4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Attention-like [2, 3, 4, 8] x [2, 3, 8, 6]: two batch loops for the call.
// CHECK-LABEL: func.func @two_batch
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : i64
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : i64
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : i64
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : i64
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : i64
// CHECK-DAG: %[[C24:.*]] = arith.constant 24 : i64
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : i64
// CHECK-DAG: %[[C48:.*]] = arith.constant 48 : i64
// CHECK-DAG: %[[C72:.*]] = arith.constant 72 : i64
// CHECK-DAG: %[[C96:.*]] = arith.constant 96 : i64
// CHECK-DAG: %[[C144:.*]] = arith.constant 144 : i64
// CHECK: call @loom_rt_gemm_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[C4]], %[[C6]], %[[C8]], %[[C8]], %[[C1]], %[[C6]], %[[C1]], %[[C6]], %[[C1]], %[[C2]], %[[C96]], %[[C144]], %[[C72]], %[[C3]], %[[C32]], %[[C48]], %[[C24]])
#a = affine_map<(b, h, m, n, k) -> (b, h, m, k)>
#b = affine_map<(b, h, m, n, k) -> (b, h, k, n)>
#c = affine_map<(b, h, m, n, k) -> (b, h, m, n)>
func.func @two_batch(%a: memref<2x3x4x8xf32>, %b: memref<2x3x8x6xf32>, %c: memref<2x3x4x6xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<2x3x4x8xf32>, memref<2x3x8x6xf32>) outs(%c : memref<2x3x4x6xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Three batch loops: the outermost becomes an scf.for that advances each
// pointer by its stride in bytes (A 2*3*4*8*4 = 768, B 2*3*8*6*4 = 1152,
// C 2*3*4*6*4 = 576).
// CHECK-LABEL: func.func @three_batch
// CHECK: scf.for %[[I:[a-z0-9]+]] =
// CHECK: %[[SA:.*]] = arith.constant 768 : index
// CHECK: arith.muli %[[I]], %[[SA]]
// CHECK: %[[SB:.*]] = arith.constant 1152 : index
// CHECK: arith.muli %[[I]], %[[SB]]
// CHECK: %[[SC:.*]] = arith.constant 576 : index
// CHECK: arith.muli %[[I]], %[[SC]]
// CHECK: call @loom_rt_gemm_f32
// CHECK: }
#a = affine_map<(z, b, h, m, n, k) -> (z, b, h, m, k)>
#b = affine_map<(z, b, h, m, n, k) -> (z, b, h, k, n)>
#c = affine_map<(z, b, h, m, n, k) -> (z, b, h, m, n)>
func.func @three_batch(%a: memref<5x2x3x4x8xf32>, %b: memref<5x2x3x8x6xf32>, %c: memref<5x2x3x4x6xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<5x2x3x4x8xf32>, memref<5x2x3x8x6xf32>) outs(%c : memref<5x2x3x4x6xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Not products: a different body, f64, a dynamic stride. They stay generics.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: call
// CHECK-COUNT-3: linalg.generic
// CHECK-NOT: call
#a = affine_map<(m, k, n) -> (m, k)>
#b = affine_map<(m, k, n) -> (k, n)>
#c = affine_map<(m, k, n) -> (m, n)>
func.func @left_alone(%a: memref<4x3xf32>, %b: memref<3x5xf32>, %c: memref<4x5xf32>,
                      %a64: memref<4x3xf64>, %b64: memref<3x5xf64>, %c64: memref<4x5xf64>,
                      %s: memref<4x3xf32, strided<[?, 1]>>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%c : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.maximumf %x, %y : f32
    %t = arith.addf %acc, %p : f32
    linalg.yield %t : f32
  }
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a64, %b64 : memref<4x3xf64>, memref<3x5xf64>) outs(%c64 : memref<4x5xf64>) {
  ^bb0(%x: f64, %y: f64, %acc: f64):
    %p = arith.mulf %x, %y : f64
    %t = arith.addf %acc, %p : f64
    linalg.yield %t : f64
  }
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%s, %b : memref<4x3xf32, strided<[?, 1]>>, memref<3x5xf32>) outs(%c : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %t = arith.addf %acc, %p : f32
    linalg.yield %t : f32
  }
  return
}
