// RUN: loom-opt %s -split-input-file -verify-diagnostics
// The errors of attention's shape rule.

func.func @feature_sizes(%q: tensor<2x5x8xf32>, %k: tensor<2x7x4xf32>, %v: tensor<2x7x3xf32>) {
  // expected-error @+1 {{'loom.attention' query and key feature sizes differ (8 vs 4): query [2, 5, 8], key [2, 7, 4], value [2, 7, 3]}}
  %0 = loom.attention %q, %k, %v scale 0.5 : tensor<2x5x8xf32>, tensor<2x7x4xf32>, tensor<2x7x3xf32>
  return
}

// -----

func.func @key_value_lengths(%q: tensor<2x5x8xf32>, %k: tensor<2x7x8xf32>, %v: tensor<2x6x3xf32>) {
  // expected-error @+1 {{'loom.attention' key and value sequence lengths differ (7 vs 6)}}
  %0 = loom.attention %q, %k, %v scale 0.5 : tensor<2x5x8xf32>, tensor<2x7x8xf32>, tensor<2x6x3xf32>
  return
}

// -----

func.func @leading(%q: tensor<2x5x8xf32>, %k: tensor<3x7x8xf32>) {
  // expected-error @+1 {{'loom.attention' leading dimensions differ: query [2, 5, 8], key [3, 7, 8], value [3, 7, 8]}}
  %0 = loom.attention %q, %k, %k scale 0.5 : tensor<2x5x8xf32>, tensor<3x7x8xf32>, tensor<3x7x8xf32>
  return
}

// -----

func.func @causal_lengths(%q: tensor<5x8xf32>, %k: tensor<7x8xf32>) {
  // expected-error @+1 {{'loom.attention' causal needs equal query and key lengths}}
  %0 = loom.attention %q, %k, %k scale 0.5 causal : tensor<5x8xf32>, tensor<7x8xf32>, tensor<7x8xf32>
  return
}

// -----

func.func @scale(%q: tensor<5x8xf32>) {
  // expected-error @+1 {{'loom.attention' scale must be > 0, got 0}}
  %0 = loom.attention %q, %q, %q scale 0.0 : tensor<5x8xf32>, tensor<5x8xf32>, tensor<5x8xf32>
  return
}
