// RUN: not loom-opt %s 2>&1 | FileCheck %s
// Malformed input is a located parse error and a failing exit status, not a
// crash: here loom.add is missing its second operand.

// CHECK: malformed.mlir:[[@LINE+3]]:{{[0-9]+}}: error: expected ','
// CHECK-NOT: Stack dump
func.func @missing_operand(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = loom.add %a : tensor<2xf32>, tensor<2xf32>
  return %0 : tensor<2xf32>
}
