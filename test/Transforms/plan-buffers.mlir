// RUN: loom-opt %s -split-input-file -loom-plan-buffers | FileCheck %s
// Temporaries become views of one workspace (a new last argument) at
// offsets chosen by liveness; a temporary whose last use is the copy into
// an out-parameter becomes that out-parameter.

// %a (256 B) and %b (256 B) are live together, %c only after both die, so
// %c reuses offset 0. %t is copied into %out as its last use: it becomes
// %out, the copy and its deallocation disappear.
// CHECK-LABEL: func.func @reuse
// CHECK-SAME: (%[[X:.*]]: memref<64xf32>, %[[OUT:.*]]: memref<64xf32>, %[[WS:.*]]: memref<?xi8> {loom.workspace})
// CHECK-SAME: attributes {loom.workspace_bytes = 512 : i64}
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[A:.*]] = memref.view %[[WS]][%[[C0]]][] : memref<?xi8> to memref<64xf32>
// CHECK: %[[C256:.*]] = arith.constant 256 : index
// CHECK: %[[B:.*]] = memref.view %[[WS]][%[[C256]]][] : memref<?xi8> to memref<64xf32>
// CHECK: linalg.generic {{.*}} ins(%[[A]], %[[B]] : {{.*}}) outs(%[[OUT]] : memref<64xf32>)
// CHECK: %[[Z:.*]] = arith.constant 0 : index
// CHECK: %[[C:.*]] = memref.view %[[WS]][%[[Z]]][] : memref<?xi8> to memref<8x8xf32>
// CHECK: %[[E:.*]] = memref.expand_shape %[[OUT]]
// CHECK: memref.copy %[[E]], %[[C]]
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// CHECK-NOT: memref.copy %{{.*}}, %[[OUT]]
// CHECK: return
#id = affine_map<(d0) -> (d0)>
func.func @reuse(%x: memref<64xf32>, %out: memref<64xf32>) {
  %a = memref.alloc() : memref<64xf32>
  memref.copy %x, %a : memref<64xf32> to memref<64xf32>
  %b = memref.alloc() : memref<64xf32>
  memref.copy %x, %b : memref<64xf32> to memref<64xf32>
  %t = memref.alloc() : memref<64xf32>
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%a, %b : memref<64xf32>, memref<64xf32>) outs(%t : memref<64xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  }
  %c = memref.alloc() : memref<8x8xf32>
  %v = memref.expand_shape %t [[0, 1]] output_shape [8, 8] : memref<64xf32> into memref<8x8xf32>
  memref.copy %v, %c : memref<8x8xf32> to memref<8x8xf32>
  memref.copy %t, %out : memref<64xf32> to memref<64xf32>
  memref.dealloc %a : memref<64xf32>
  memref.dealloc %b : memref<64xf32>
  memref.dealloc %t : memref<64xf32>
  memref.dealloc %c : memref<8x8xf32>
  return
}

// -----

// Left on the heap: a buffer passed to a call (an unknown use), one
// yielded from a loop body to the next iteration (a recurrent state), and
// one with a dynamic size. The temporary read after its copy into the
// out-parameter keeps the copy.
// CHECK-LABEL: func.func @kept
// CHECK-SAME: %{{.*}}: memref<?xi8> {loom.workspace}) -> f32 attributes {loom.workspace_bytes = 64 : i64}
// CHECK: memref.alloc() : memref<4xf32>
// CHECK: call @use
// CHECK: memref.alloc() : memref<2xf32>
// CHECK: scf.for
// CHECK: memref.alloc() : memref<2xf32>
// CHECK: scf.yield
// CHECK: memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK: %[[L:.*]] = memref.view
// CHECK: memref.copy %[[L]], %{{.*}}
// CHECK: memref.load %[[L]]
func.func private @use(memref<4xf32>)
func.func @kept(%n: index, %out: memref<4xf32>) -> f32 {
  %a = memref.alloc() : memref<4xf32>
  func.call @use(%a) : (memref<4xf32>) -> ()
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %h0 = memref.alloc() : memref<2xf32>
  %h = scf.for %i = %c0 to %n step %c1 iter_args(%prev = %h0) -> (memref<2xf32>) {
    %next = memref.alloc() : memref<2xf32>
    memref.copy %prev, %next : memref<2xf32> to memref<2xf32>
    scf.yield %next : memref<2xf32>
  }
  %d = memref.alloc(%n) : memref<?xf32>
  %late = memref.alloc() : memref<4xf32>
  memref.copy %late, %out : memref<4xf32> to memref<4xf32>
  %r = memref.load %late[%c0] : memref<4xf32>
  memref.dealloc %a : memref<4xf32>
  memref.dealloc %d : memref<?xf32>
  memref.dealloc %late : memref<4xf32>
  return %r : f32
}

// -----

// A temporary allocated and freed inside a loop body (a time step's gates)
// takes one workspace slot for the whole loop; it overlaps the buffer that
// lives across the loop, so the two get different offsets, while the one
// allocated after the loop reuses the gates' bytes.
// CHECK-LABEL: func.func @loop_body
// CHECK-SAME: attributes {loom.workspace_bytes = 1024 : i64}
// CHECK-NOT: memref.alloc
// CHECK: memref.view %{{.*}}[%c0{{.*}}][] : memref<?xi8> to memref<128xf32>
// CHECK: scf.for
// CHECK: memref.view %{{.*}}[%c512{{.*}}][] : memref<?xi8> to memref<128xf32>
// CHECK-NOT: memref.dealloc
// CHECK: }
// CHECK: memref.view %{{.*}}[%c512{{.*}}][] : memref<?xi8> to memref<64xf32>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @loop_body(%n: index, %x: memref<128xf32>, %out: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %acc = memref.alloc() : memref<128xf32>
  memref.copy %x, %acc : memref<128xf32> to memref<128xf32>
  scf.for %i = %c0 to %n step %c1 {
    %gates = memref.alloc() : memref<128xf32>
    memref.copy %acc, %gates : memref<128xf32> to memref<128xf32>
    %v = memref.load %gates[%i] : memref<128xf32>
    memref.store %v, %acc[%c0] : memref<128xf32>
    memref.dealloc %gates : memref<128xf32>
  }
  %after = memref.alloc() : memref<64xf32>
  %sub = memref.subview %acc[0] [64] [1] : memref<128xf32> to memref<64xf32, strided<[1]>>
  memref.copy %sub, %after : memref<64xf32, strided<[1]>> to memref<64xf32>
  %w = memref.load %after[%c0] : memref<64xf32>
  memref.store %w, %out[%c0] : memref<64xf32>
  memref.dealloc %acc : memref<128xf32>
  memref.dealloc %after : memref<64xf32>
  return
}
