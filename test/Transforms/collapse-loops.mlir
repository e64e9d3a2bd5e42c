// RUN: loom-opt %s -loom-collapse-loops | FileCheck %s

// Adjacent loops of a linalg op merge when they have the same iterator type,
// every map uses them as a run (or not at all) and every buffer is
// contiguous across them; operands get a memref.collapse_shape.

// CHECK-DAG: #[[$ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$D0OF2:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$D1OF3:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG: #[[$NONE:.*]] = affine_map<(d0) -> ()>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#bias = affine_map<(d0, d1, d2, d3) -> (d1, 0, 0)>
#nc = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
#win_in = affine_map<(d0, d1, d2) -> (d0, d1 + d2)>
#win_out = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// A fill of a contiguous buffer (ResNet's 32x1x16x1024 column matrix) is
// one loop: LLVM vectorizes it but does not unroll 2048 stores into a block.
// CHECK-LABEL: func.func @fill_contiguous
// CHECK: %[[C:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2, 3]] : memref<32x1x16x1024xf32> into memref<524288xf32>
// CHECK-NEXT: linalg.fill ins(%{{.*}} : f32) outs(%[[C]] : memref<524288xf32>)
func.func @fill_contiguous(%v: f32, %out: memref<32x1x16x1024xf32>) {
  linalg.fill ins(%v : f32) outs(%out : memref<32x1x16x1024xf32>)
  return
}

// A pointwise op on contiguous buffers: one loop.
// CHECK-LABEL: func.func @pointwise
// CHECK-COUNT-3: memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2]] : memref<4x8x16xf32> into memref<512xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID1]], #[[$ID1]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME: memref<512xf32>, memref<512xf32>) outs(%{{.*}} : memref<512xf32>)
func.func @pointwise(%a: memref<4x8x16xf32>, %b: memref<4x8x16xf32>, %c: memref<4x8x16xf32>) {
  linalg.generic {indexing_maps = [#id3, #id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%a, %b : memref<4x8x16xf32>, memref<4x8x16xf32>) outs(%c : memref<4x8x16xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  return
}

// CHECK-LABEL: func.func @copy
// CHECK: linalg.copy ins(%{{.*}} : memref<32xf32>) outs(%{{.*}} : memref<32xf32>)
func.func @copy(%a: memref<4x8xf32>, %b: memref<4x8xf32>) {
  linalg.copy ins(%a : memref<4x8xf32>) outs(%b : memref<4x8xf32>)
  return
}

// Writing a padded buffer's interior: rows are 6 apart but 4 long, so H and W
// stay separate loops; N and C are contiguous (108 = 3 * 36) and merge.
// CHECK-LABEL: func.func @strided_output
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0, 1], [2], [3]] : memref<2x3x4x4xf32> into memref<6x4x4xf32>
// CHECK: %[[OUT:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0, 1], [2], [3]] : memref<2x3x4x4xf32, strided<[108, 36, 6, 1], offset: 7>> into memref<6x4x4xf32, strided<[36, 6, 1], offset: 7>>
// CHECK: linalg.generic {indexing_maps = [#[[$ID3]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME: outs(%[[OUT]] : memref<6x4x4xf32, strided<[36, 6, 1], offset: 7>>)
func.func @strided_output(%in: memref<2x3x4x4xf32>, %out: memref<2x3x4x4xf32, strided<[108, 36, 6, 1], offset: 7>>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%in : memref<2x3x4x4xf32>) outs(%out : memref<2x3x4x4xf32, strided<[108, 36, 6, 1], offset: 7>>) {
  ^bb0(%x: f32, %o: f32):
    %r = arith.maximumf %x, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// A bias along C, kept as 3x1x1 and read as (c, 0, 0): its unit dimensions
// are collapsed away, then only H and W merge (N, C is not a run the bias
// map has, C, H neither).
// CHECK-LABEL: func.func @broadcast_bias
// CHECK: %[[B:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2]] : memref<3x1x1xf32> into memref<3xf32>
// CHECK: %[[X:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : memref<2x3x4x4xf32> into memref<2x3x16xf32>
// CHECK: %[[Y:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : memref<2x3x4x4xf32> into memref<2x3x16xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID3]], #[[$D1OF3]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%[[X]], %[[B]] : memref<2x3x16xf32>, memref<3xf32>) outs(%[[Y]] : memref<2x3x16xf32>)
func.func @broadcast_bias(%x: memref<2x3x4x4xf32>, %bias: memref<3x1x1xf32>, %y: memref<2x3x4x4xf32>) {
  linalg.generic {indexing_maps = [#id4, #bias, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %bias : memref<2x3x4x4xf32>, memref<3x1x1xf32>) outs(%y : memref<2x3x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  return
}

// A sum over H, W per (N, C): the parallel and the reduction loops each merge,
// never with each other.
// CHECK-LABEL: func.func @reduction
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0, 1], [2, 3]] : memref<2x3x4x4xf32> into memref<6x16xf32>
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0, 1]] : memref<2x3xf32> into memref<6xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID2]], #[[$D0OF2]]], iterator_types = ["parallel", "reduction"]}
func.func @reduction(%x: memref<2x3x4x4xf32>, %s: memref<2x3xf32>) {
  linalg.generic {indexing_maps = [#id4, #nc], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%x : memref<2x3x4x4xf32>) outs(%s : memref<2x3xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %t = arith.addf %a, %acc : f32
    linalg.yield %t : f32
  }
  return
}

// A window gather (a map that adds loops) is not a projected permutation:
// left alone.
// CHECK-LABEL: func.func @window
// CHECK-NOT: memref.collapse_shape
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : memref<4x10xf32>) outs(%{{.*}} : memref<4x8x3xf32>)
func.func @window(%x: memref<4x10xf32>, %y: memref<4x8x3xf32>) {
  linalg.generic {indexing_maps = [#win_in, #win_out], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : memref<4x10xf32>) outs(%y : memref<4x8x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  return
}

// A broadcast of one element kept as 1x1: read as a rank-0 buffer.
// CHECK-LABEL: func.func @scalar_broadcast
// CHECK: %[[S:.*]] = memref.collapse_shape %{{.*}} [] : memref<1x1xf32> into memref<f32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID1]], #[[$NONE]], #[[$ID1]]], iterator_types = ["parallel"]}
// CHECK-SAME: ins(%{{.*}}, %[[S]] : memref<32xf32>, memref<f32>) outs(%{{.*}} : memref<32xf32>)
func.func @scalar_broadcast(%x: memref<4x8xf32>, %s: memref<1x1xf32>, %y: memref<4x8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (0, 0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : memref<4x8xf32>, memref<1x1xf32>) outs(%y : memref<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  }
  return
}
