// RUN: loom-opt %s -loom-reduction-loops -split-input-file | FileCheck %s

// A linalg.generic on buffers whose innermost dimensions are reductions is
// lowered to loops here: the reduced outputs are carried through the
// trailing loops in registers (iter_args) and stored once; the combining op
// is marked reassoc so LLVM may vectorize with partial sums.

// LLVM vectorizes and interleaves the innermost loop, but does not fully
// unroll it (compile time).
// CHECK: #[[$UNROLL:.*]] = #llvm.loop_unroll<disable = true>
// CHECK: #[[$NOUNROLL:.*]] = #llvm.loop_annotation<unroll = #[[$UNROLL]]>

// Batch norm's centred squares: d0 and d2 are reductions, d1 (channels) is
// parallel. Only the trailing run (d2) is carried; the centred value is an
// output at every point; the mean (invariant in d2) is loaded once per row.
// CHECK-LABEL: func.func @batch_norm_statistics
// CHECK-SAME: (%[[X:.*]]: memref<32x16x1024xf32>, %[[MEAN:.*]]: memref<16xf32>, %[[CENT:.*]]: memref<32x16x1024xf32>, %[[SQ:.*]]: memref<16xf32>)
// CHECK: scf.for %[[N:.*]] = %{{.*}} to %c32
// CHECK: scf.for %[[C:.*]] = %{{.*}} to %c16
// CHECK: %[[INIT:.*]] = memref.load %[[SQ]][%[[C]]]
// CHECK: %[[M:.*]] = memref.load %[[MEAN]][%[[C]]]
// CHECK: %[[SUM:.*]] = scf.for %[[HW:.*]] = %{{.*}} to %c1024 step %{{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (f32) {
// CHECK-NEXT: %[[V:.*]] = memref.load %[[X]][%[[N]], %[[C]], %[[HW]]]
// CHECK-NEXT: %[[D:.*]] = arith.subf %[[V]], %[[M]] : f32
// CHECK-NEXT: %[[D2:.*]] = arith.mulf %[[D]], %[[D]] : f32
// CHECK-NEXT: %[[NEXT:.*]] = arith.addf %[[D2]], %[[ACC]] fastmath<reassoc> : f32
// CHECK-NEXT: memref.store %[[D]], %[[CENT]][%[[N]], %[[C]], %[[HW]]]
// CHECK-NEXT: scf.yield %[[NEXT]] : f32
// CHECK-NEXT: } {loop_annotation = #[[$NOUNROLL]]}
// CHECK: memref.store %[[SUM]], %[[SQ]][%[[C]]]
// CHECK-NOT: linalg.generic
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#chan = affine_map<(d0, d1, d2) -> (d1)>
func.func @batch_norm_statistics(%x: memref<32x16x1024xf32>, %mean: memref<16xf32>, %cent: memref<32x16x1024xf32>, %sq: memref<16xf32>) {
  linalg.generic {indexing_maps = [#id, #chan, #id, #chan], iterator_types = ["reduction", "parallel", "reduction"]}
      ins(%x, %mean : memref<32x16x1024xf32>, memref<16xf32>) outs(%cent, %sq : memref<32x16x1024xf32>, memref<16xf32>) {
  ^bb0(%v: f32, %m: f32, %c: f32, %acc: f32):
    %d = arith.subf %v, %m : f32
    %d2 = arith.mulf %d, %d : f32
    %s = arith.addf %d2, %acc : f32
    linalg.yield %d, %s : f32, f32
  }
  return
}

// -----

// A row maximum over two trailing reductions (a pooling window), with a
// dynamic batch: bounds come from the buffer, both trailing loops carry.
// CHECK-LABEL: func.func @window_max
// CHECK-SAME: (%[[IN:.*]]: memref<?x8x3x3xf32>, %[[OUT:.*]]: memref<?x8xf32>)
// CHECK: %[[N:.*]] = memref.dim %[[IN]], %c0
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %[[N]]
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %c8
// CHECK: %[[INIT:.*]] = memref.load %[[OUT]][%[[I]], %[[J]]]
// CHECK: %[[R:.*]] = scf.for %[[K:.*]] = {{.*}} iter_args(%[[A:.*]] = %[[INIT]]) -> (f32) {
// CHECK: %[[R2:.*]] = scf.for %[[L:.*]] = {{.*}} iter_args(%[[B:.*]] = %[[A]]) -> (f32) {
// CHECK: %[[V:.*]] = memref.load %[[IN]][%[[I]], %[[J]], %[[K]], %[[L]]]
// CHECK: arith.maximumf %[[V]], %[[B]] fastmath<reassoc> : f32
// CHECK: memref.store %[[R]], %[[OUT]][%[[I]], %[[J]]]
#in = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#out = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
func.func @window_max(%in: memref<?x8x3x3xf32>, %out: memref<?x8xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%in : memref<?x8x3x3xf32>) outs(%out : memref<?x8xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %m = arith.maximumf %v, %acc : f32
    linalg.yield %m : f32
  }
  return
}

// -----

// linalg.index of a trailing dimension reads that loop's induction
// variable; the carried sum's combining op is marked, nothing else.
// CHECK-LABEL: func.func @weighted_sum
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %c4
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %c64 step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (f32) {
// CHECK: %[[JI:.*]] = arith.index_cast %[[J]] : index to i32
// CHECK: %[[JF:.*]] = arith.sitofp %[[JI]] : i32 to f32
// CHECK: %[[P:.*]] = arith.mulf %{{.*}}, %[[JF]] : f32
// CHECK: arith.addf %[[ACC]], %[[P]] fastmath<reassoc> : f32
#rows = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @weighted_sum(%in: memref<4x64xf32>, %out: memref<4xf32>) {
  linalg.generic {indexing_maps = [#rows, #row], iterator_types = ["parallel", "reduction"]}
      ins(%in : memref<4x64xf32>) outs(%out : memref<4xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %j = linalg.index 1 : index
    %ji = arith.index_cast %j : index to i32
    %jf = arith.sitofp %ji : i32 to f32
    %p = arith.mulf %v, %jf : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Left to convert-linalg-to-loops: an innermost parallel dimension (a
// column sum vectorizes along the row already), a carried buffer that is
// also read, and tensors.
// CHECK-LABEL: func.func @column_sum
// CHECK: linalg.generic
// CHECK-LABEL: func.func @aliased
// CHECK: linalg.generic
// CHECK-LABEL: func.func @on_tensors
// CHECK: linalg.generic
#rows = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#cs_in = affine_map<(d0, d1) -> (d0, d1)>
#cs_out = affine_map<(d0, d1) -> (d1)>
func.func @column_sum(%in: memref<64x16xf32>, %out: memref<16xf32>) {
  linalg.generic {indexing_maps = [#cs_in, #cs_out], iterator_types = ["reduction", "parallel"]}
      ins(%in : memref<64x16xf32>) outs(%out : memref<16xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.addf %v, %acc : f32
    linalg.yield %s : f32
  }
  return
}
#al_in = affine_map<(d0, d1) -> (d1)>
#al_out = affine_map<(d0, d1) -> (d0)>
func.func @aliased(%buf: memref<16xf32>) {
  linalg.generic {indexing_maps = [#al_in, #al_out], iterator_types = ["parallel", "reduction"]}
      ins(%buf : memref<16xf32>) outs(%buf : memref<16xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.addf %v, %acc : f32
    linalg.yield %s : f32
  }
  return
}
func.func @on_tensors(%in: tensor<4x64xf32>, %init: tensor<4xf32>) -> tensor<4xf32> {
  %r = linalg.generic {indexing_maps = [#rows, #row], iterator_types = ["parallel", "reduction"]}
      ins(%in : tensor<4x64xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.addf %v, %acc : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}
