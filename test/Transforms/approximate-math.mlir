// RUN: loom-opt %s -loom-approximate-math | FileCheck %s

// f32 tanh and exp become arith-only approximations (no call left for the
// loop vectorizer to trip on); log and f64 keep the library functions.

// CHECK-LABEL: func.func @pointwise
// CHECK-NOT: math.tanh
// CHECK-NOT: math.exp
// CHECK: arith.select
// CHECK: math.log %{{.*}} : f32
// CHECK: math.tanh %{{.*}} : f64
// CHECK: return
func.func @pointwise(%x: f32, %d: f64) -> (f32, f32, f32, f64) {
  %t = math.tanh %x : f32
  %e = math.exp %x : f32
  %l = math.log %x : f32
  %td = math.tanh %d : f64
  return %t, %e, %l, %td : f32, f32, f32, f64
}

// Inside a linalg body, as the CPU pipeline sees it.
// CHECK-LABEL: func.func @sigmoid
// CHECK: linalg.generic
// CHECK-NOT: math.exp
// CHECK: linalg.yield
func.func @sigmoid(%in: memref<64xf32>, %out: memref<64xf32>) {
  %one = arith.constant 1.0 : f32
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                  iterator_types = ["parallel"]}
      ins(%in : memref<64xf32>) outs(%out : memref<64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    %e = math.exp %n : f32
    %d = arith.addf %one, %e : f32
    %s = arith.divf %one, %d : f32
    linalg.yield %s : f32
  }
  return
}
