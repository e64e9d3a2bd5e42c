// RUN: loom-opt %s -loom-parallel-kernels | FileCheck %s
// RUN: loom-opt %s -loom-parallel-kernels=min-work=4096 | FileCheck %s --check-prefix=LOW
// RUN: loom-opt %s -loom-parallel-kernels -loom-reduction-loops -convert-linalg-to-loops -expand-strided-metadata -lower-affine -convert-scf-to-cf -finalize-memref-to-llvm -convert-arith-to-llvm -convert-cf-to-llvm -convert-func-to-llvm -reconcile-unrealized-casts | FileCheck %s --check-prefix=LLVM

// A linalg op with enough work is outlined into fn(ctx, lo, hi) over a
// range of its first plainly indexed parallel dimension and run through
// loom_rt_parallel_for with its memrefs in a context struct.

// CHECK: func.func private @loom_rt_parallel_for((!llvm.ptr, i64, i64) -> (), !llvm.ptr, i64, i64)

// Batch norm's centred squares: d0 and d2 are reductions, so d1 (16
// channels) is split; the mean and the sums are sliced along it too. The
// constant is cloned into the body, not stored in the context.
// CHECK-LABEL: func.func private @statistics
// CHECK-SAME: (%[[X:.*]]: memref<32x16x1024xf32>, %[[MEAN:.*]]: memref<16xf32>, %[[CENT:.*]]: memref<32x16x1024xf32>, %[[SQ:.*]]: memref<16xf32>)
// CHECK: %[[CTX:.*]] = llvm.alloca %{{.*}} x !llvm.struct<(struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)>, struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>, struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)>, struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>)>
// CHECK: %[[F0:.*]] = llvm.getelementptr %[[CTX]][0, 0]
// CHECK: %[[D0:.*]] = builtin.unrealized_conversion_cast %[[X]] : memref<32x16x1024xf32> to !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)>
// CHECK: llvm.store %[[D0]], %[[F0]]
// CHECK-COUNT-3: llvm.store
// CHECK: %[[FN:.*]] = constant @statistics_par : (!llvm.ptr, i64, i64) -> ()
// CHECK: %[[N:.*]] = arith.constant 16 : i64
// CHECK: %[[G:.*]] = arith.constant 1 : i64
// CHECK: call @loom_rt_parallel_for(%[[FN]], %[[CTX]], %[[N]], %[[G]])
// CHECK-NOT: linalg.generic
// CHECK: return
// CHECK-LABEL: func.func private @statistics_par
// CHECK-SAME: (%[[C:.*]]: !llvm.ptr, %[[LO64:.*]]: i64, %[[HI64:.*]]: i64)
// CHECK: %[[LO:.*]] = arith.index_cast %[[LO64]] : i64 to index
// CHECK: %[[HI:.*]] = arith.index_cast %[[HI64]] : i64 to index
// CHECK: %[[SIZE:.*]] = arith.subi %[[HI]], %[[LO]]
// CHECK: arith.constant 2.000000e+00
// CHECK: %[[L0:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.struct<(ptr, ptr, i64, array<3 x i64>, array<3 x i64>)>
// CHECK: %[[M0:.*]] = builtin.unrealized_conversion_cast %[[L0]] : {{.*}} to memref<32x16x1024xf32>
// CHECK: %[[S0:.*]] = memref.subview %[[M0]][0, %[[LO]], 0] [32, %[[SIZE]], 1024] [1, 1, 1]
// CHECK: %[[S1:.*]] = memref.subview %{{.*}}[%[[LO]]] [%[[SIZE]]] [1]
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction"]} ins(%[[S0]], %[[S1]] :
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#chan = affine_map<(d0, d1, d2) -> (d1)>
func.func private @statistics(%x: memref<32x16x1024xf32>, %mean: memref<16xf32>, %cent: memref<32x16x1024xf32>, %sq: memref<16xf32>) {
  %two = arith.constant 2.0 : f32
  linalg.generic {indexing_maps = [#id, #chan, #id, #chan], iterator_types = ["reduction", "parallel", "reduction"]}
      ins(%x, %mean : memref<32x16x1024xf32>, memref<16xf32>) outs(%cent, %sq : memref<32x16x1024xf32>, memref<16xf32>) {
  ^bb0(%v: f32, %m: f32, %c: f32, %acc: f32):
    %d = arith.subf %v, %m : f32
    %d2 = arith.mulf %d, %two : f32
    %s = arith.addf %d2, %acc : f32
    linalg.yield %d, %s : f32, f32
  }
  return
}

// A fill of 2 MB: one innermost dimension, so ranges are whole vectors
// (grain 65536 = half of min-work per element, a multiple of 16). The
// fill value is a scalar field of the context.
// CHECK-LABEL: func.func private @fill
// CHECK: llvm.alloca %{{.*}} x !llvm.struct<(f32, struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>)>
// CHECK: arith.constant 524288 : i64
// CHECK: arith.constant 65536 : i64
// CHECK-LABEL: func.func private @fill_par
// CHECK: %[[V:.*]] = llvm.load %{{.*}} : !llvm.ptr -> f32
// CHECK: %[[S:.*]] = memref.subview
// CHECK: linalg.fill ins(%[[V]] : f32) outs(%[[S]] : memref<?xf32, strided<[1], offset: ?>>)
func.func private @fill(%v: f32, %out: memref<524288xf32>) {
  linalg.fill ins(%v : f32) outs(%out : memref<524288xf32>)
  return
}

// linalg.index of the split dimension is shifted by lo.
// CHECK-LABEL: func.func private @iota
// CHECK: call @loom_rt_parallel_for
// CHECK-LABEL: func.func private @iota_par
// CHECK: %[[LO:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK-NEXT: %[[SHIFTED:.*]] = arith.addi %[[I]], %[[LO]] : index
// CHECK-NEXT: arith.index_cast %[[SHIFTED]] : index to i32
#i1 = affine_map<(d0) -> (d0)>
func.func private @iota(%out: memref<1048576xi32>) {
  linalg.generic {indexing_maps = [#i1], iterator_types = ["parallel"]} outs(%out : memref<1048576xi32>) {
  ^bb0(%o: i32):
    %i = linalg.index 0 : index
    %c = arith.index_cast %i : index to i32
    linalg.yield %c : i32
  }
  return
}

// A window read (d0 + d2) cannot be sliced along d0: the next parallel
// dimension, d1, is split instead.
// CHECK-LABEL: func.func private @window
// CHECK: arith.constant 64 : i64
// CHECK: call @loom_rt_parallel_for
// CHECK-LABEL: func.func private @window_par
// CHECK: %[[LO:.*]] = arith.index_cast
// CHECK: %[[HI:.*]] = arith.index_cast
// CHECK: %[[SIZE:.*]] = arith.subi %[[HI]], %[[LO]]
// CHECK: %[[W:.*]] = builtin.unrealized_conversion_cast %{{.*}} to memref<5xf32>
// CHECK: memref.subview %{{.*}}[0, %[[LO]]] [4100, %[[SIZE]]] [1, 1]
// CHECK: memref.subview %{{.*}}[0, %[[LO]]] [4096, %[[SIZE]]] [1, 1]
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[W]] :
#win_in = affine_map<(d0, d1, d2) -> (d0 + d2, d1)>
#win_w = affine_map<(d0, d1, d2) -> (d2)>
#win_out = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func private @window(%in: memref<4100x64xf32>, %w: memref<5xf32>, %out: memref<4096x64xf32>) {
  linalg.generic {indexing_maps = [#win_in, #win_w, #win_out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%in, %w : memref<4100x64xf32>, memref<5xf32>) outs(%out : memref<4096x64xf32>) {
  ^bb0(%v: f32, %k: f32, %acc: f32):
    %p = arith.mulf %v, %k : f32
    %s = arith.addf %p, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// In place through the same map: split. Through different maps (a
// transpose over its own buffer): left alone.
// CHECK-LABEL: func.func private @in_place
// CHECK: call @loom_rt_parallel_for
// CHECK-LABEL: func.func private @in_place_par
// CHECK: %[[S:.*]] = memref.subview
// CHECK-NOT: memref.subview
// CHECK: linalg.generic {{.*}} ins(%[[S]] : {{.*}}) outs(%[[S]] :
// CHECK-LABEL: func.func private @transpose_in_place
// CHECK-NOT: loom_rt_parallel_for
// CHECK: linalg.generic
#ip = affine_map<(d0, d1) -> (d0, d1)>
#ipt = affine_map<(d0, d1) -> (d1, d0)>
func.func private @in_place(%buf: memref<1024x1024xf32>) {
  linalg.generic {indexing_maps = [#ip, #ip], iterator_types = ["parallel", "parallel"]}
      ins(%buf : memref<1024x1024xf32>) outs(%buf : memref<1024x1024xf32>) {
  ^bb0(%v: f32, %o: f32):
    %t = arith.mulf %v, %v : f32
    linalg.yield %t : f32
  }
  return
}
func.func private @transpose_in_place(%buf: memref<1024x1024xf32>) {
  linalg.generic {indexing_maps = [#ipt, #ip], iterator_types = ["parallel", "parallel"]}
      ins(%buf : memref<1024x1024xf32>) outs(%buf : memref<1024x1024xf32>) {
  ^bb0(%v: f32, %o: f32):
    linalg.yield %v : f32
  }
  return
}

// Small ops stay on one thread unless min-work says otherwise.
// CHECK-LABEL: func.func private @small
// CHECK-NOT: loom_rt_parallel_for
// CHECK: linalg.fill
// LOW-LABEL: func.func private @small
// LOW: call @loom_rt_parallel_for
func.func private @small(%v: f32, %out: memref<64x64xf32>) {
  linalg.fill ins(%v : f32) outs(%out : memref<64x64xf32>)
  return
}

// Down to the LLVM dialect: the casts are gone, the body's address is
// passed to the runtime.
// LLVM-NOT: unrealized_conversion_cast
// LLVM: llvm.func @loom_rt_parallel_for(!llvm.ptr, !llvm.ptr, i64, i64)
// LLVM: %[[FN:.*]] = llvm.mlir.addressof @statistics_par : !llvm.ptr
// LLVM: llvm.call @loom_rt_parallel_for(%[[FN]],
// LLVM: llvm.func @statistics_par(%{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64)
// LLVM: llvm.fadd %{{.*}} {fastmathFlags = #llvm.fastmath<reassoc>} : f32
