// RUN: loom-opt %s -loom-strided-copies | FileCheck %s

// A copy into a strided view (a pooling tap's gradient, a padded interior)
// becomes a copy generic; contiguous copies stay memref.copy (memcpy).

// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @into_taps
// CHECK-SAME: (%[[SRC:.*]]: memref<2x3x4x4xf32>, %[[DST:.*]]: memref<2x3x8x8xf32>)
// CHECK: %[[TAP:.*]] = memref.subview %[[DST]][0, 0, 0, 1] [2, 3, 4, 4] [1, 1, 2, 2]
// CHECK-NOT: memref.copy
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[SRC]] : memref<2x3x4x4xf32>) outs(%[[TAP]] : memref<2x3x4x4xf32, strided<[192, 64, 16, 2], offset: 1>>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
func.func @into_taps(%src: memref<2x3x4x4xf32>, %dst: memref<2x3x8x8xf32>) {
  %tap = memref.subview %dst[0, 0, 0, 1] [2, 3, 4, 4] [1, 1, 2, 2] : memref<2x3x8x8xf32> to memref<2x3x4x4xf32, strided<[192, 64, 16, 2], offset: 1>>
  memref.copy %src, %tap : memref<2x3x4x4xf32> to memref<2x3x4x4xf32, strided<[192, 64, 16, 2], offset: 1>>
  return
}

// Out of a strided view (an interior) into a plain buffer: also a kernel.
// CHECK-LABEL: func.func @from_interior
// CHECK-NOT: memref.copy
// CHECK: linalg.generic
func.func @from_interior(%padded: memref<4x10x10xf32>, %out: memref<4x8x8xf32>) {
  %in = memref.subview %padded[0, 1, 1] [4, 8, 8] [1, 1, 1] : memref<4x10x10xf32> to memref<4x8x8xf32, strided<[100, 10, 1], offset: 11>>
  memref.copy %in, %out : memref<4x8x8xf32, strided<[100, 10, 1], offset: 11>> to memref<4x8x8xf32>
  return
}

// Contiguous on both sides (a whole buffer, or a leading-dimension slice):
// left for memcpy.
// CHECK-LABEL: func.func @contiguous
// CHECK-NOT: linalg.generic
// CHECK: memref.copy
// CHECK: memref.copy
// CHECK-NOT: linalg.generic
func.func @contiguous(%a: memref<4x8xf32>, %b: memref<4x8xf32>, %c: memref<8x8xf32>) {
  memref.copy %a, %b : memref<4x8xf32> to memref<4x8xf32>
  %top = memref.subview %c[4, 0] [4, 8] [1, 1] : memref<8x8xf32> to memref<4x8xf32, strided<[8, 1], offset: 32>>
  memref.copy %a, %top : memref<4x8xf32> to memref<4x8xf32, strided<[8, 1], offset: 32>>
  return
}
