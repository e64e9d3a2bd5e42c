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
