// RUN: loom-opt %s -loom-loop-state-in-place | FileCheck %s

// The new state of a time loop, computed by a pointwise generic into a
// fresh tensor.empty, is written over the iter_arg instead.
// CHECK-LABEL: func.func @state
// CHECK: scf.for {{.*}} iter_args(%[[H:.*]] = %{{.*}}) -> (tensor<4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[H]], %{{.*}} : tensor<4xf32>, tensor<4xf32>) outs(%[[H]] : tensor<4xf32>)
#map = affine_map<(d0) -> (d0)>
func.func @state(%h0: tensor<4xf32>, %x: tensor<4xf32>, %n: index) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%h = %h0) -> (tensor<4xf32>) {
    %e = tensor.empty() : tensor<4xf32>
    %next = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel"]}
        ins(%h, %x : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%a: f32, %b: f32, %o: f32):
      %s = arith.addf %a, %b : f32
      %t = math.tanh %s : f32
      linalg.yield %t : f32
    } -> tensor<4xf32>
    scf.yield %next : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// Left alone: an init the body reads (an accumulation), and a reduction.
// CHECK-LABEL: func.func @kept
// CHECK: scf.for {{.*}} iter_args(%[[H:.*]] = %{{.*}}, %[[S:.*]] = %{{.*}})
// CHECK: linalg.generic {{.*}} outs(%[[Z:.*]] : tensor<4xf32>)
// CHECK-NOT: outs(%[[H]]
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction"]
// CHECK-NOT: outs(%[[S]]
#red = affine_map<(d0) -> ()>
func.func @kept(%h0: tensor<4xf32>, %s0: tensor<f32>, %n: index) -> (tensor<4xf32>, tensor<f32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%h = %h0, %s = %s0) -> (tensor<4xf32>, tensor<f32>) {
    %z = tensor.empty() : tensor<4xf32>
    %f = linalg.fill ins(%zero : f32) outs(%z : tensor<4xf32>) -> tensor<4xf32>
    %next = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
        ins(%h : tensor<4xf32>) outs(%f : tensor<4xf32>) {
    ^bb0(%a: f32, %o: f32):
      %t = arith.addf %a, %o : f32
      linalg.yield %t : f32
    } -> tensor<4xf32>
    %e0 = tensor.empty() : tensor<f32>
    %sum = linalg.generic {indexing_maps = [#map, #red], iterator_types = ["reduction"]}
        ins(%next : tensor<4xf32>) outs(%e0 : tensor<f32>) {
    ^bb0(%a: f32, %o: f32):
      %t = arith.addf %a, %o : f32
      linalg.yield %t : f32
    } -> tensor<f32>
    scf.yield %next, %sum : tensor<4xf32>, tensor<f32>
  }
  return %r#0, %r#1 : tensor<4xf32>, tensor<f32>
}

// A new state that is a product accumulated into zeros (a backward step's
// dh = dgates * W_hh): the zero fill writes the iter_arg, after the step's
// last read of the old state.
// CHECK-LABEL: func.func @product_state
// CHECK: scf.for {{.*}} iter_args(%[[H:.*]] = %{{.*}}) -> (tensor<2x4xf32>)
// CHECK: %[[G:.*]] = linalg.generic {{.*}} ins(%[[H]] : tensor<2x4xf32>)
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[H]] : tensor<2x4xf32>)
// CHECK: linalg.matmul ins(%[[G]], %{{.*}} : tensor<2x4xf32>, tensor<4x4xf32>) outs(%[[Z]] : tensor<2x4xf32>)
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @product_state(%h0: tensor<2x4xf32>, %w: tensor<4x4xf32>, %n: index) -> tensor<2x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%h = %h0) -> (tensor<2x4xf32>) {
    %e = tensor.empty() : tensor<2x4xf32>
    %g = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
        ins(%h : tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
    ^bb0(%a: f32, %o: f32):
      %t = math.tanh %a : f32
      linalg.yield %t : f32
    } -> tensor<2x4xf32>
    %z0 = tensor.empty() : tensor<2x4xf32>
    %z = linalg.fill ins(%zero : f32) outs(%z0 : tensor<2x4xf32>) -> tensor<2x4xf32>
    %next = linalg.matmul ins(%g, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%z : tensor<2x4xf32>) -> tensor<2x4xf32>
    scf.yield %next : tensor<2x4xf32>
  }
  return %r : tensor<2x4xf32>
}
