// RUN: loom-opt %s | loom-opt | FileCheck %s
// The indexing family parses, verifies, infers its result type, prints and
// parses again.

// CHECK-LABEL: func.func @gather_rows
// CHECK-SAME: (%[[T:.*]]: tensor<50x8xf32>, %[[I:.*]]: tensor<4x3xf32>)
func.func @gather_rows(%t: tensor<50x8xf32>, %i: tensor<4x3xf32>) -> tensor<4x3x8xf32> {
  // CHECK: %[[G:.*]] = loom.gather %[[T]], %[[I]] axis 0 : tensor<50x8xf32>, tensor<4x3xf32>
  %g = loom.gather %t, %i axis 0 : tensor<50x8xf32>, tensor<4x3xf32>
  // CHECK: return %[[G]] : tensor<4x3x8xf32>
  return %g : tensor<4x3x8xf32>
}

// CHECK-LABEL: func.func @gather_middle_axis_scalar_index
func.func @gather_middle_axis_scalar_index(%t: tensor<2x5x3xf32>, %i: tensor<f32>) -> tensor<2x3xf32> {
  // CHECK: loom.gather %{{.*}}, %{{.*}} axis 1 : tensor<2x5x3xf32>, tensor<f32>
  %g = loom.gather %t, %i axis 1 : tensor<2x5x3xf32>, tensor<f32>
  return %g : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @scatter_add
// CHECK-SAME: (%[[U:.*]]: tensor<156x16xf32>, %[[I:.*]]: tensor<156xf32>)
func.func @scatter_add(%u: tensor<156x16xf32>, %i: tensor<156xf32>) -> tensor<34x16xf32> {
  // CHECK: %[[S:.*]] = loom.scatter_add %[[U]], %[[I]] axis 0 dim_size 34 : tensor<156x16xf32>, tensor<156xf32>
  %s = loom.scatter_add %u, %i axis 0 dim_size 34 : tensor<156x16xf32>, tensor<156xf32>
  // CHECK: return %[[S]] : tensor<34x16xf32>
  return %s : tensor<34x16xf32>
}

// CHECK-LABEL: func.func @scatter_add_inner_axis
func.func @scatter_add_inner_axis(%u: tensor<2x4x3x5xf32>, %i: tensor<4x3xf32>) -> tensor<2x7x5xf32> {
  // CHECK: loom.scatter_add {{.*}} axis 1 dim_size 7 : tensor<2x4x3x5xf32>, tensor<4x3xf32>
  %s = loom.scatter_add %u, %i axis 1 dim_size 7 : tensor<2x4x3x5xf32>, tensor<4x3xf32>
  return %s : tensor<2x7x5xf32>
}

// CHECK-LABEL: func.func @one_hot
func.func @one_hot(%i: tensor<32xf32>) -> tensor<32x10xf32> {
  // CHECK: %[[H:.*]] = loom.one_hot %{{.*}} num_classes 10 : tensor<32xf32>
  %h = loom.one_hot %i num_classes 10 : tensor<32xf32>
  // CHECK: return %[[H]] : tensor<32x10xf32>
  return %h : tensor<32x10xf32>
}
