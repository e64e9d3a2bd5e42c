// RUN: loom-opt %s -split-input-file -verify-diagnostics
// Every error of the indexing family's shape rules
// (IndexingShapeInference.cpp), checked while parsing.

func.func @gather_axis_out_of_range(%t: tensor<5x3xf32>, %i: tensor<4xf32>) {
  // expected-error @+1 {{'loom.gather' axis 2 is out of range for table [5, 3] (rank 2)}}
  %0 = loom.gather %t, %i axis 2 : tensor<5x3xf32>, tensor<4xf32>
  return
}

// -----

func.func @gather_scalar_table(%t: tensor<f32>, %i: tensor<4xf32>) {
  // expected-error @+1 {{'loom.gather' needs a table of rank >= 1, got a scalar}}
  %0 = loom.gather %t, %i axis 0 : tensor<f32>, tensor<4xf32>
  return
}

// -----

func.func @gather_empty_axis(%t: tensor<0x3xf32>, %i: tensor<4xf32>) {
  // expected-error @+1 {{'loom.gather' table [0, 3] has no entries along axis 0 to gather}}
  %0 = loom.gather %t, %i axis 0 : tensor<0x3xf32>, tensor<4xf32>
  return
}

// -----

func.func @gather_wrong_result(%t: tensor<5x3xf32>, %i: tensor<4xf32>) {
  // expected-error @+2 {{'loom.gather' op inferred type(s) 'tensor<4x3xf32>' are incompatible with return type(s) of operation 'tensor<5x3xf32>'}}
  // expected-error @+1 {{'loom.gather' op failed to infer returned types}}
  %0 = "loom.gather"(%t, %i) {axis = 0 : i64} : (tensor<5x3xf32>, tensor<4xf32>) -> tensor<5x3xf32>
  return
}

// -----

func.func @gather_integer_indices(%t: tensor<5x3xf32>, %i: tensor<4xi1>) {
  // expected-error @+1 {{'loom.gather' op operand #1 must be ranked tensor of 32-bit float values}}
  %0 = "loom.gather"(%t, %i) {axis = 0 : i64} : (tensor<5x3xf32>, tensor<4xi1>) -> tensor<4x3xf32>
  return
}

// -----

func.func @scatter_dim_size_zero(%u: tensor<4x3xf32>, %i: tensor<4xf32>) {
  // expected-error @+1 {{'loom.scatter_add' dim_size must be >= 1, got 0}}
  %0 = loom.scatter_add %u, %i axis 0 dim_size 0 : tensor<4x3xf32>, tensor<4xf32>
  return
}

// -----

func.func @scatter_shape_mismatch(%u: tensor<5x3xf32>, %i: tensor<4xf32>) {
  // expected-error @+1 {{'loom.scatter_add' updates [5, 3] must hold the indices' shape [4] at axis 0, got [5]}}
  %0 = loom.scatter_add %u, %i axis 0 dim_size 7 : tensor<5x3xf32>, tensor<4xf32>
  return
}

// -----

func.func @scatter_axis_out_of_range(%u: tensor<4x3xf32>, %i: tensor<4xf32>) {
  // expected-error @+1 {{'loom.scatter_add' axis 2 is out of range: updates [4, 3] must hold the indices' shape [4] starting at the axis, so the axis must be in [0, 1]}}
  %0 = loom.scatter_add %u, %i axis 2 dim_size 7 : tensor<4x3xf32>, tensor<4xf32>
  return
}

// -----

func.func @scatter_indices_larger(%u: tensor<4xf32>, %i: tensor<4x2xf32>) {
  // expected-error @+1 {{'loom.scatter_add' axis 0 is out of range: updates [4] must hold the indices' shape [4, 2] starting at the axis, so the axis must be in [0, 0] (the updates have fewer dimensions than the indices)}}
  %0 = loom.scatter_add %u, %i axis 0 dim_size 7 : tensor<4xf32>, tensor<4x2xf32>
  return
}

// -----

func.func @one_hot_no_classes(%i: tensor<4xf32>) {
  // expected-error @+1 {{'loom.one_hot' num_classes must be >= 1, got 0}}
  %0 = loom.one_hot %i num_classes 0 : tensor<4xf32>
  return
}
