// RUN: loom-opt %s -loom-record-buffer-needs | FileCheck %s
// Each public function's temporaries (memref.alloc / alloca) are counted and
// summed in bytes (i1 takes a byte); private functions are not entries.
// The workspace size comes from -loom-plan-buffers' function attribute.

// CHECK: module attributes {loom.buffer_needs = {f = {buffers = 2 : i64, bytes = 40 : i64, workspace = 0 : i64}, g = {buffers = 0 : i64, bytes = 0 : i64, workspace = 96 : i64}}}
func.func @f() {
  %a = memref.alloc() : memref<4x2xf32>
  %b = memref.alloca() : memref<8xi1>
  memref.dealloc %a : memref<4x2xf32>
  return
}
func.func @g() attributes {loom.workspace_bytes = 96 : i64} {
  return
}
func.func private @helper() {
  %a = memref.alloc() : memref<1024xf32>
  memref.dealloc %a : memref<1024xf32>
  return
}
