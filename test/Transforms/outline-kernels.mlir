// RUN: loom-opt %s -loom-outline-kernels | FileCheck %s
// Every linalg op of a public function moves into a private noinline
// kernel; constants its body captures are cloned in, other captured values
// become arguments; non-linalg ops stay in the entry.

// CHECK-LABEL: func.func private @entry_k0
// CHECK-SAME: (%[[A:.*]]: memref<4xf32>, %[[B:.*]]: memref<4xf32>, %[[S:.*]]: f32)
// CHECK-SAME: attributes {passthrough = ["noinline"]}
// CHECK: %[[C:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: linalg.generic
// CHECK: arith.mulf %{{.*}}, %[[C]]
// CHECK: arith.addf %{{.*}}, %[[S]]
// CHECK: return

// CHECK-LABEL: func.func private @entry_k1
// CHECK-SAME: (%{{.*}}: f32, %{{.*}}: memref<4xf32>)
// CHECK: linalg.fill

// CHECK-LABEL: func.func @entry
// CHECK-SAME: (%[[X:.*]]: memref<4xf32>, %[[Y:.*]]: memref<4xf32>, %[[F:.*]]: f32)
// CHECK: %[[T:.*]] = memref.alloc
// CHECK: call @entry_k0(%[[X]], %[[T]], %[[F]])
// CHECK: call @entry_k1(%[[F]], %[[Y]])
// CHECK: memref.copy %[[T]], %[[Y]]
// CHECK-NOT: linalg.
#map = affine_map<(d0) -> (d0)>
func.func @entry(%x: memref<4xf32>, %y: memref<4xf32>, %f: f32) {
  %two = arith.constant 2.0 : f32
  %t = memref.alloc() : memref<4xf32>
  linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%x : memref<4xf32>) outs(%t : memref<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %two : f32
    %a = arith.addf %m, %f : f32
    linalg.yield %a : f32
  }
  linalg.fill ins(%f : f32) outs(%y : memref<4xf32>)
  memref.copy %t, %y : memref<4xf32> to memref<4xf32>
  memref.dealloc %t : memref<4xf32>
  return
}

// Private functions (kernels already) are left alone.
// CHECK-LABEL: func.func private @helper
// CHECK: linalg.fill
func.func private @helper(%y: memref<4xf32>, %f: f32) {
  linalg.fill ins(%f : f32) outs(%y : memref<4xf32>)
  return
}

// The optimizer's updates of a parameter group (ops that write only new
// parameters and states, with views between them) are one kernel, called
// where the last of them was; an op writing anything else starts a new one.
// CHECK-LABEL: func.func private @step_k0
// CHECK-SAME: (%{{.*}}: memref<4xf32>, %{{.*}}: memref<4xf32>, %{{.*}}: memref<6xf32>, %{{.*}}: memref<6xf32>)
// CHECK-COUNT-2: linalg.generic
// CHECK-NOT: linalg.generic
// CHECK: return
// CHECK-LABEL: func.func private @step_k1
// CHECK: linalg.fill
// CHECK-LABEL: func.func @step
// CHECK-SAME: (%[[W:.*]]: memref<4xf32>, %[[V:.*]]: memref<2x3xf32>, %[[NW:.*]]: memref<4xf32> {loom.param_update = "w"}, %[[NV:.*]]: memref<6xf32> {loom.state_update = "v"}, %[[L:.*]]: memref<f32> {loom.loss})
// CHECK: %[[C:.*]] = memref.collapse_shape %[[V]]
// CHECK-NEXT: call @step_k0(%[[W]], %[[NW]], %[[C]], %[[NV]])
// CHECK: call @step_k1(
func.func @step(%w: memref<4xf32>, %v: memref<2x3xf32>,
                %nw: memref<4xf32> {loom.param_update = "w"},
                %nv: memref<6xf32> {loom.state_update = "v"},
                %loss: memref<f32> {loom.loss}) {
  %half = arith.constant 0.5 : f32
  linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%w : memref<4xf32>) outs(%nw : memref<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %half : f32
    linalg.yield %m : f32
  }
  %c = memref.collapse_shape %v [[0, 1]] : memref<2x3xf32> into memref<6xf32>
  linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%c : memref<6xf32>) outs(%nv : memref<6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %half : f32
    linalg.yield %m : f32
  }
  linalg.fill ins(%half : f32) outs(%loss : memref<f32>)
  return
}
