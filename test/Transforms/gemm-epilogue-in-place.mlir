// RUN: loom-opt %s -split-input-file -loom-gemm-epilogue-in-place | FileCheck %s
// The pointwise generic after a matrix product writes the product's buffer
// C instead of a fresh allocation O when it is C's last reader, so that
// -loom-gemm-to-call can fold it into the GEMM as an epilogue.

#a = affine_map<(m, k, n) -> (m, k)>
#b = affine_map<(m, k, n) -> (k, n)>
#c = affine_map<(m, k, n) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>
#row = affine_map<(m, n) -> (n)>

// Bias and relu: O goes, E writes C, O's uses (the copy out, the
// deallocation) are C's.
// CHECK-LABEL: func.func @bias_relu
// CHECK-SAME: (%[[A:.*]]: memref<4x3xf32>, %[[B:.*]]: memref<3x5xf32>, %[[BIAS:.*]]: memref<5xf32>, %[[OUT:.*]]: memref<4x5xf32>)
// CHECK: %[[C:.*]] = memref.alloc() : memref<4x5xf32>
// CHECK-NOT: memref.alloc
// CHECK: linalg.generic
// CHECK-SAME: outs(%[[C]] :
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[C]], %[[BIAS]] : memref<4x5xf32>, memref<5xf32>) outs(%[[C]] : memref<4x5xf32>)
// CHECK: memref.copy %[[C]], %[[OUT]]
// CHECK-NEXT: memref.dealloc %[[C]]
// CHECK-NEXT: return
func.func @bias_relu(%a: memref<4x3xf32>, %b: memref<3x5xf32>, %bias: memref<5xf32>, %out: memref<4x5xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<4x5xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x5xf32>)
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%c : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  %o = memref.alloc() : memref<4x5xf32>
  linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c, %bias : memref<4x5xf32>, memref<5xf32>) outs(%o : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %unused: f32):
    %s = arith.addf %x, %y : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }
  memref.copy %o, %out : memref<4x5xf32> to memref<4x5xf32>
  memref.dealloc %c : memref<4x5xf32>
  memref.dealloc %o : memref<4x5xf32>
  return
}

// -----

#a = affine_map<(m, k, n) -> (m, k)>
#b = affine_map<(m, k, n) -> (k, n)>
#c = affine_map<(m, k, n) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>
#row = affine_map<(m, n) -> (n)>

// Two outputs, the pre-activation z (second here) and relu(z): z becomes
// C; relu's buffer is allocated before the product.
// CHECK-LABEL: func.func @two_outputs
// CHECK: %[[C:.*]] = memref.alloc() : memref<4x5xf32>
// CHECK: %[[R:.*]] = memref.alloc() : memref<4x5xf32>
// CHECK-NOT: memref.alloc
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]
// CHECK: linalg.generic
// CHECK-SAME: outs(%[[R]], %[[C]] : memref<4x5xf32>, memref<4x5xf32>)
// CHECK: call @use(%[[R]], %[[C]])
func.func private @use(memref<4x5xf32>, memref<4x5xf32>)
func.func @two_outputs(%a: memref<4x3xf32>, %b: memref<3x5xf32>, %bias: memref<5xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<4x5xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x5xf32>)
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%c : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  %r = memref.alloc() : memref<4x5xf32>
  %z = memref.alloc() : memref<4x5xf32>
  linalg.generic {indexing_maps = [#id, #row, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c, %bias : memref<4x5xf32>, memref<5xf32>) outs(%r, %z : memref<4x5xf32>, memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %u0: f32, %u1: f32):
    %s = arith.addf %x, %y : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m, %s : f32, f32
  }
  call @use(%r, %z) : (memref<4x5xf32>, memref<4x5xf32>) -> ()
  memref.dealloc %c : memref<4x5xf32>
  return
}

// -----

#a = affine_map<(m, k, n) -> (m, k)>
#b = affine_map<(m, k, n) -> (k, n)>
#c = affine_map<(m, k, n) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>

// Left alone: C is read again after the pointwise op.
// CHECK-LABEL: func.func @c_read_later
// CHECK: %[[C:.*]] = memref.alloc()
// CHECK: linalg.generic
// CHECK: %[[O:.*]] = memref.alloc()
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[C]] : memref<4x5xf32>) outs(%[[O]] :
// CHECK: memref.copy %[[C]]
func.func @c_read_later(%a: memref<4x3xf32>, %b: memref<3x5xf32>, %out: memref<4x5xf32>, %out2: memref<4x5xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<4x5xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x5xf32>)
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%c : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  %o = memref.alloc() : memref<4x5xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<4x5xf32>) outs(%o : memref<4x5xf32>) {
  ^bb0(%x: f32, %unused: f32):
    %r = arith.maximumf %x, %zero : f32
    linalg.yield %r : f32
  }
  memref.copy %o, %out : memref<4x5xf32> to memref<4x5xf32>
  memref.copy %c, %out2 : memref<4x5xf32> to memref<4x5xf32>
  memref.dealloc %c : memref<4x5xf32>
  memref.dealloc %o : memref<4x5xf32>
  return
}

// -----

#a = affine_map<(m, k, n) -> (m, k)>
#b = affine_map<(m, k, n) -> (k, n)>
#c = affine_map<(m, k, n) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>

// Left alone: O is not an allocation (an argument), and, in the second
// op, O's old value is read (an accumulation).
// CHECK-LABEL: func.func @not_fresh
// CHECK: linalg.generic
// CHECK: linalg.generic
// CHECK-SAME: outs(%arg2 :
// CHECK: %[[C2:.*]] = memref.alloc()
// CHECK: %[[O:.*]] = memref.alloc()
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[C2]] : memref<4x5xf32>) outs(%[[O]] :
func.func @not_fresh(%a: memref<4x3xf32>, %b: memref<3x5xf32>, %out: memref<4x5xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<4x5xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x5xf32>)
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%c : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<4x5xf32>) outs(%out : memref<4x5xf32>) {
  ^bb0(%x: f32, %unused: f32):
    %r = arith.maximumf %x, %zero : f32
    linalg.yield %r : f32
  }
  %c2 = memref.alloc() : memref<4x5xf32>
  linalg.fill ins(%zero : f32) outs(%c2 : memref<4x5xf32>)
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<4x3xf32>, memref<3x5xf32>) outs(%c2 : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  %o = memref.alloc() : memref<4x5xf32>
  linalg.fill ins(%zero : f32) outs(%o : memref<4x5xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c2 : memref<4x5xf32>) outs(%o : memref<4x5xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %r = arith.addf %x, %acc : f32
    linalg.yield %r : f32
  }
  memref.copy %o, %out : memref<4x5xf32> to memref<4x5xf32>
  memref.dealloc %c : memref<4x5xf32>
  memref.dealloc %c2 : memref<4x5xf32>
  memref.dealloc %o : memref<4x5xf32>
  return
}
