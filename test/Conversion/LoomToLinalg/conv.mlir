// RUN: loom-opt %s -split-input-file -convert-loom-to-linalg=conv-algorithm=im2col | FileCheck %s
// Convolutions lower to im2col plus a matrix product (ConvToLinalg.cpp):
// padding by insert_slice into a filled tensor, the group dimension exposed
// by expand_shape, a gather generic whose affine map holds the taps (stride
// and dilation as coefficients), then a contraction generic (weight
// [G, F/G, K] times columns [N, G, K, OH*OW]) that -loom-gemm-to-call hands
// to the runtime. conv2d_transpose is the product first, then col2im.
// Pooling stays one generic each.

// CHECK-DAG: #[[$COL:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d5 * 2 + d3 * 2, d4 + d6)>
// CHECK-DAG: #[[$ID7:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4, d5, d6)>
// CHECK-DAG: #[[$A:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d2, d4)>
// CHECK-DAG: #[[$B:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d3)>
// CHECK-DAG: #[[$C:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv2d_grouped
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x9x8xf32>, %[[W:.*]]: tensor<6x2x3x3xf32>)
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<2x4x11x8xf32>
// CHECK: %[[PAD:.*]] = tensor.insert_slice %[[X]] into %[[ZERO]][0, 0, 1, 0] [2, 4, 9, 8] [1, 1, 1, 1]
// CHECK: %[[XG:.*]] = tensor.expand_shape %[[PAD]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [2, 2, 2, 11, 8]
// CHECK: %[[WG:.*]] = tensor.expand_shape %[[W]] {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
// CHECK: %[[WK:.*]] = tensor.collapse_shape %[[WG]] {{\[\[}}0], [1], [2, 3, 4]] : tensor<2x3x2x3x3xf32> into tensor<2x3x18xf32>
// CHECK: %[[COLS:.*]] = linalg.generic {indexing_maps = [#[[$COL]], #[[$ID7]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%[[XG]] : tensor<2x2x2x11x8xf32>) outs(%{{.*}} : tensor<2x2x2x3x3x4x6xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]]
// CHECK: %[[CK:.*]] = tensor.collapse_shape %[[COLS]] {{\[\[}}0], [1], [2, 3, 4], [5, 6]] : tensor<2x2x2x3x3x4x6xf32> into tensor<2x2x18x24xf32>
// CHECK: %[[INIT:.*]] = linalg.fill {{.*}} -> tensor<2x2x3x24xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$A]], #[[$B]], #[[$C]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[WK]], %[[CK]] : tensor<2x3x18xf32>, tensor<2x2x18x24xf32>) outs(%[[INIT]] : tensor<2x2x3x24xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[E:.*]] = tensor.expand_shape %[[R]] {{\[\[}}0], [1], [2], [3, 4]] output_shape [2, 2, 3, 4, 6]
// CHECK: %[[Y:.*]] = tensor.collapse_shape %[[E]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<2x2x3x4x6xf32> into tensor<2x6x4x6xf32>
// CHECK: return %[[Y]]
func.func @conv2d_grouped(%x: tensor<2x4x9x8xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<2x6x4x6xf32> {
  %y = loom.conv2d %x, %w stride [2, 1] padding [1, 0] dilation [2, 1] groups 2 : tensor<2x4x9x8xf32>, tensor<6x2x3x3xf32>
  return %y : tensor<2x6x4x6xf32>
}

// -----

// A 1x1 stride-1 convolution without padding multiplies the input itself:
// no im2col copy.
// CHECK-LABEL: func.func @conv2d_pointwise
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x5x5xf32>, %[[W:.*]]: tensor<8x4x1x1xf32>)
// CHECK: %[[XG:.*]] = tensor.expand_shape %[[X]]
// CHECK: %[[WG:.*]] = tensor.expand_shape %[[W]]
// CHECK: %[[WK:.*]] = tensor.collapse_shape %[[WG]] {{.*}} into tensor<1x8x4xf32>
// CHECK-NOT: linalg.generic
// CHECK: %[[XK:.*]] = tensor.collapse_shape %[[XG]] {{.*}} into tensor<2x1x4x25xf32>
// CHECK: linalg.generic {{.*}} ins(%[[WK]], %[[XK]] : tensor<1x8x4xf32>, tensor<2x1x4x25xf32>)
func.func @conv2d_pointwise(%x: tensor<2x4x5x5xf32>, %w: tensor<8x4x1x1xf32>) -> tensor<2x8x5x5xf32> {
  %y = loom.conv2d %x, %w stride [1, 1] padding [0, 0] dilation [1, 1] groups 1 : tensor<2x4x5x5xf32>, tensor<8x4x1x1xf32>
  return %y : tensor<2x8x5x5xf32>
}

// -----

// A matrix product of the transposed weight [G, C, F*KH*KW] (read in place)
// and the input [N, G, C, H*W] gives every output tap of every input pixel,
// then col2im adds tap (kh, kw) of pixel (h, w) into output row h*2 + kh,
// column w*2 + kw of an 11x11 canvas ((5-1)*2 + 3 = 11, and p + OH = 11),
// cropped by the padding (offset 1) to 10x10. No zeros between the pixels.
// CHECK-DAG: #[[$TW:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d2)>
// CHECK-DAG: #[[$TX:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d3)>
// CHECK-DAG: #[[$SCATTER:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d5 * 2 + d3, d6 * 2 + d4)>
// CHECK-LABEL: func.func @conv2d_transpose
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x5x5xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>)
// CHECK-NOT: tensor.insert_slice
// CHECK: %[[XC:.*]] = tensor.collapse_shape {{.*}} into tensor<1x1x4x25xf32>
// CHECK: %[[WC:.*]] = tensor.collapse_shape {{.*}} into tensor<1x4x27xf32>
// CHECK: %[[COL:.*]] = linalg.generic {indexing_maps = [#[[$TW]], #[[$TX]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[WC]], %[[XC]] : tensor<1x4x27xf32>, tensor<1x1x4x25xf32>) outs(%{{.*}} : tensor<1x1x27x25xf32>)
// CHECK: arith.mulf
// CHECK: %[[COL7:.*]] = tensor.expand_shape %[[COL]] {{.*}} into tensor<1x1x3x3x3x5x5xf32>
// CHECK: %[[CANVAS:.*]] = linalg.fill {{.*}} -> tensor<1x1x3x11x11xf32>
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[$SCATTER]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]} ins(%[[COL7]] : tensor<1x1x3x3x3x5x5xf32>) outs(%[[CANVAS]] : tensor<1x1x3x11x11xf32>)
// CHECK: arith.addf
// CHECK: tensor.extract_slice %[[SUM]][0, 0, 0, 1, 1] [1, 1, 3, 10, 10] [1, 1, 1, 1, 1]
// CHECK: tensor.collapse_shape {{.*}} into tensor<1x3x10x10xf32>
func.func @conv2d_transpose(%x: tensor<1x4x5x5xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x3x10x10xf32> {
  %y = loom.conv2d_transpose %x, %w stride [2, 2] padding [1, 1] output_padding [1, 1] dilation [1, 1] groups 1 : tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>
  return %y : tensor<1x3x10x10xf32>
}

// -----

// -inf padding and init; the [KH, KW] window operand only sets the extent
// of the kernel loops.
// CHECK-DAG: #[[$X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[$K:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[$Y:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @max_pool2d
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x5x5xf32>)
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[FILL:.*]] = linalg.fill ins(%[[NEGINF]] : f32) {{.*}} -> tensor<2x3x7x7xf32>
// CHECK: %[[PAD:.*]] = tensor.insert_slice %[[X]] into %[[FILL]][0, 0, 1, 1] [2, 3, 5, 5] [1, 1, 1, 1]
// CHECK: %[[WIN:.*]] = tensor.empty() : tensor<3x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$X]], #[[$K]], #[[$Y]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[PAD]], %[[WIN]] : tensor<2x3x7x7xf32>, tensor<3x3xf32>)
// CHECK: arith.maximumf
func.func @max_pool2d(%x: tensor<2x3x5x5xf32>) -> tensor<2x3x3x3xf32> {
  %y = loom.max_pool2d %x kernel [3, 3] stride [2, 2] padding [1, 1] : tensor<2x3x5x5xf32>
  return %y : tensor<2x3x3x3xf32>
}

// -----

// Sum over the window, then divide by KH * KW (count_include_pad).
// CHECK-LABEL: func.func @avg_pool2d
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x6xf32>)
// CHECK: %[[S:.*]] = linalg.generic {{.*}} ins(%[[X]], %{{.*}} : tensor<1x2x4x6xf32>, tensor<2x3xf32>)
// CHECK: arith.addf
// CHECK: %[[N:.*]] = arith.constant 6.000000e+00 : f32
// CHECK: linalg.generic {{.*}} ins(%[[S]] : tensor<1x2x2x2xf32>)
// CHECK: arith.divf %{{.*}}, %[[N]]
func.func @avg_pool2d(%x: tensor<1x2x4x6xf32>) -> tensor<1x2x2x2xf32> {
  %y = loom.avg_pool2d %x kernel [2, 3] stride [2, 3] padding [0, 0] : tensor<1x2x4x6xf32>
  return %y : tensor<1x2x2x2xf32>
}
