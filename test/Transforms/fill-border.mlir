// RUN: loom-opt %s -loom-fill-border | FileCheck %s

// A fill whose interior the next op overwrites completely becomes fills of
// the border only: at most two slabs per dimension.

// A padded convolution input: the interior [0, 0, 1, 1] + [2, 3, 6, 8] of
// 2x3x8x10 is written by the next kernel. Four slabs: rows 0 and 7, then
// columns 0 and 9 of rows 1-6.
// CHECK-LABEL: func.func @padded
// CHECK-SAME: (%[[X:.*]]: memref<2x3x6x8xf32>, %[[P:.*]]: memref<2x3x8x10xf32>)
// CHECK: %[[V:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[TOP:.*]] = memref.subview %[[P]][0, 0, 0, 0] [2, 3, 1, 10] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%[[V]] : f32) outs(%[[TOP]] :
// CHECK: %[[BOTTOM:.*]] = memref.subview %[[P]][0, 0, 7, 0] [2, 3, 1, 10] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%[[V]] : f32) outs(%[[BOTTOM]] :
// CHECK: %[[LEFT:.*]] = memref.subview %[[P]][0, 0, 1, 0] [2, 3, 6, 1] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%[[V]] : f32) outs(%[[LEFT]] :
// CHECK: %[[RIGHT:.*]] = memref.subview %[[P]][0, 0, 1, 9] [2, 3, 6, 1] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%[[V]] : f32) outs(%[[RIGHT]] :
// CHECK-NOT: linalg.fill
// CHECK: linalg.generic
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @padded(%x: memref<2x3x6x8xf32>, %p: memref<2x3x8x10xf32>) {
  %zero = arith.constant 0.0 : f32
  %interior = memref.subview %p[0, 0, 1, 1] [2, 3, 6, 8] [1, 1, 1, 1] : memref<2x3x8x10xf32> to memref<2x3x6x8xf32, strided<[240, 80, 10, 1], offset: 11>>
  linalg.fill ins(%zero : f32) outs(%p : memref<2x3x8x10xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : memref<2x3x6x8xf32>) outs(%interior : memref<2x3x6x8xf32, strided<[240, 80, 10, 1], offset: 11>>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.maximumf %v, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// A copy into the interior (the padded image): the same.
// CHECK-LABEL: func.func @copied
// CHECK-COUNT-2: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : memref<3x1x10xf32
// CHECK-COUNT-2: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : memref<3x6x1xf32
// CHECK-NOT: linalg.fill
// CHECK: memref.copy
func.func @copied(%x: memref<3x6x8xf32>, %p: memref<3x8x10xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%p : memref<3x8x10xf32>)
  %interior = memref.subview %p[0, 1, 1] [3, 6, 8] [1, 1, 1] : memref<3x8x10xf32> to memref<3x6x8xf32, strided<[80, 10, 1], offset: 11>>
  memref.copy %x, %interior : memref<3x6x8xf32> to memref<3x6x8xf32, strided<[80, 10, 1], offset: 11>>
  return
}

// Left alone: a read of the buffer before the write, a writer that reads
// the interior's old value, a writer that reduces, an unrelated op in
// between is fine but a loop using the buffer is not.
// CHECK-LABEL: func.func @read_first
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : memref<4x10xf32>)
// CHECK-LABEL: func.func @reads_old_value
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : memref<4x10xf32>)
// CHECK-LABEL: func.func @loop_between
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : memref<4x10xf32>)
// CHECK-LABEL: func.func @unrelated_between
// CHECK-NOT: outs(%{{.*}} : memref<4x10xf32>)
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : memref<4x2xf32, strided<[10, 1]>>)
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : memref<4x1xf32, strided<[10, 1], offset: 9>>)
// CHECK: linalg.copy
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @read_first(%x: memref<4x7xf32>, %p: memref<4x10xf32>, %copy: memref<4x10xf32>) {
  %v = arith.constant 1.0 : f32
  linalg.fill ins(%v : f32) outs(%p : memref<4x10xf32>)
  linalg.copy ins(%p : memref<4x10xf32>) outs(%copy : memref<4x10xf32>)
  %s = memref.subview %p[0, 2] [4, 7] [1, 1] : memref<4x10xf32> to memref<4x7xf32, strided<[10, 1], offset: 2>>
  linalg.copy ins(%x : memref<4x7xf32>) outs(%s : memref<4x7xf32, strided<[10, 1], offset: 2>>)
  return
}
func.func @reads_old_value(%x: memref<4x7xf32>, %p: memref<4x10xf32>) {
  %v = arith.constant 1.0 : f32
  linalg.fill ins(%v : f32) outs(%p : memref<4x10xf32>)
  %s = memref.subview %p[0, 2] [4, 7] [1, 1] : memref<4x10xf32> to memref<4x7xf32, strided<[10, 1], offset: 2>>
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<4x7xf32>) outs(%s : memref<4x7xf32, strided<[10, 1], offset: 2>>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %o : f32
    linalg.yield %r : f32
  }
  return
}
func.func @loop_between(%x: memref<4x7xf32>, %p: memref<4x10xf32>, %out: memref<f32>) {
  %v = arith.constant 1.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  linalg.fill ins(%v : f32) outs(%p : memref<4x10xf32>)
  scf.for %i = %c0 to %c4 step %c1 {
    %e = memref.load %p[%i, %c0] : memref<4x10xf32>
    memref.store %e, %out[] : memref<f32>
  }
  %s = memref.subview %p[0, 2] [4, 7] [1, 1] : memref<4x10xf32> to memref<4x7xf32, strided<[10, 1], offset: 2>>
  linalg.copy ins(%x : memref<4x7xf32>) outs(%s : memref<4x7xf32, strided<[10, 1], offset: 2>>)
  return
}
func.func @unrelated_between(%x: memref<4x7xf32>, %p: memref<4x10xf32>, %other: memref<4x7xf32>) {
  %v = arith.constant 1.0 : f32
  linalg.fill ins(%v : f32) outs(%p : memref<4x10xf32>)
  linalg.copy ins(%x : memref<4x7xf32>) outs(%other : memref<4x7xf32>)
  %s = memref.subview %p[0, 2] [4, 7] [1, 1] : memref<4x10xf32> to memref<4x7xf32, strided<[10, 1], offset: 2>>
  linalg.copy ins(%x : memref<4x7xf32>) outs(%s : memref<4x7xf32, strided<[10, 1], offset: 2>>)
  return
}
