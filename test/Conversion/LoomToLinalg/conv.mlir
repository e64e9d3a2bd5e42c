// RUN: loom-opt %s -split-input-file -convert-loom-to-linalg | FileCheck %s
// The convolution family lowers to one linalg.generic each (ConvToLinalg.cpp):
// padding by insert_slice into a filled tensor, the group dimension exposed
// by expand_shape, taps as affine maps (stride and dilation as coefficients,
// conv2d_transpose's flipped kernel as a negative one).

// CHECK-DAG: #[[$X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 * 2 + d6 * 2, d4 + d7)>
// CHECK-DAG: #[[$W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
// CHECK-DAG: #[[$Y:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @conv2d_grouped
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x9x8xf32>, %[[W:.*]]: tensor<6x2x3x3xf32>)
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<2x4x11x8xf32>
// CHECK: %[[PAD:.*]] = tensor.insert_slice %[[X]] into %[[ZERO]][0, 0, 1, 0] [2, 4, 9, 8] [1, 1, 1, 1]
// CHECK: %[[XG:.*]] = tensor.expand_shape %[[PAD]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [2, 2, 2, 11, 8]
// CHECK: %[[WG:.*]] = tensor.expand_shape %[[W]] {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
// CHECK: %[[INIT:.*]] = linalg.fill {{.*}} -> tensor<2x2x3x4x6xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$X]], #[[$W]], #[[$Y]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[XG]], %[[WG]] : tensor<2x2x2x11x8xf32>, tensor<2x3x2x3x3xf32>) outs(%[[INIT]] : tensor<2x2x3x4x6xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[Y:.*]] = tensor.collapse_shape %[[R]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<2x2x3x4x6xf32> into tensor<2x6x4x6xf32>
// CHECK: return %[[Y]]
func.func @conv2d_grouped(%x: tensor<2x4x9x8xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<2x6x4x6xf32> {
  %y = loom.conv2d %x, %w stride [2, 1] padding [1, 0] dilation [2, 1] groups 2 : tensor<2x4x9x8xf32>, tensor<6x2x3x3xf32>
  return %y : tensor<2x6x4x6xf32>
}

// -----

// Dilated by the stride (insert_slice strides [.., 2, 2]) and padded by the
// kernel's reach (2); the read offset p + reach - kh = 1 + 2 - kh.
// CHECK-DAG: #[[$X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 - d6 + 3, d4 - d7 + 3)>
// CHECK-DAG: #[[$W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d5, d2, d6, d7)>
// CHECK-LABEL: func.func @conv2d_transpose
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x5x5xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>)
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<1x4x14x14xf32>
// CHECK: %[[D:.*]] = tensor.insert_slice %[[X]] into %[[ZERO]][0, 0, 2, 2] [1, 4, 5, 5] [1, 1, 2, 2]
// CHECK: %[[XG:.*]] = tensor.expand_shape %[[D]] {{.*}} output_shape [1, 1, 4, 14, 14]
// CHECK: %[[WG:.*]] = tensor.expand_shape %[[W]] {{.*}} output_shape [1, 4, 3, 3, 3]
// CHECK: linalg.generic {indexing_maps = [#[[$X]], #[[$W]], #{{.*}}]
// CHECK-SAME: ins(%[[XG]], %[[WG]] : tensor<1x1x4x14x14xf32>, tensor<1x4x3x3x3xf32>) outs(%{{.*}} : tensor<1x1x3x10x10xf32>)
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
