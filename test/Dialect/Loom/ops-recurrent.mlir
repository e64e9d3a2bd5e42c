// RUN: loom-opt %s | loom-opt | FileCheck %s
// lstm, gru and their backward ops parse, verify, infer their result types,
// print and parse again.

// CHECK-LABEL: func.func @lstm
// CHECK: %[[YS:.*]], %[[CS:.*]] = loom.lstm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<4x10x3xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<32x3xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<32xf32>
// CHECK: return %[[YS]], %[[CS]] : tensor<4x10x8xf32>, tensor<4x10x8xf32>
func.func @lstm(%x: tensor<4x10x3xf32>, %h0: tensor<4x8xf32>, %c0: tensor<4x8xf32>, %wih: tensor<32x3xf32>, %whh: tensor<32x8xf32>, %b: tensor<32xf32>) -> (tensor<4x10x8xf32>, tensor<4x10x8xf32>) {
  %ys, %cs = loom.lstm %x, %h0, %c0, %wih, %whh, %b, %b : tensor<4x10x3xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<32x3xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<32xf32>
  return %ys, %cs : tensor<4x10x8xf32>, tensor<4x10x8xf32>
}

// CHECK-LABEL: func.func @gru
// CHECK: %[[Y:.*]] = loom.gru %{{.*}} : tensor<2x1x5xf32>, tensor<2x6xf32>, tensor<18x5xf32>, tensor<18x6xf32>, tensor<18xf32>, tensor<18xf32>
// CHECK: return %[[Y]] : tensor<2x1x6xf32>
func.func @gru(%x: tensor<2x1x5xf32>, %h0: tensor<2x6xf32>, %wih: tensor<18x5xf32>, %whh: tensor<18x6xf32>, %b: tensor<18xf32>) -> tensor<2x1x6xf32> {
  %ys = loom.gru %x, %h0, %wih, %whh, %b, %b : tensor<2x1x5xf32>, tensor<2x6xf32>, tensor<18x5xf32>, tensor<18x6xf32>, tensor<18xf32>, tensor<18xf32>
  return %ys : tensor<2x1x6xf32>
}

// The backward ops return one gradient per forward operand, of its type.
// CHECK-LABEL: func.func @lstm_grad
// CHECK: %[[DX:.*]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[DB:.*]] = loom.lstm_grad
// CHECK: return %[[DX]], {{.*}}, %[[DB]] : tensor<4x10x3xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<32x3xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<32xf32>
func.func @lstm_grad(%x: tensor<4x10x3xf32>, %h0: tensor<4x8xf32>, %wih: tensor<32x3xf32>, %whh: tensor<32x8xf32>, %b: tensor<32xf32>, %s: tensor<4x10x8xf32>) -> (tensor<4x10x3xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<32x3xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<32xf32>) {
  %0:7 = loom.lstm_grad %x, %h0, %h0, %wih, %whh, %b, %b, %s, %s, %s, %s : tensor<4x10x3xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<32x3xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<32xf32>, tensor<4x10x8xf32>, tensor<4x10x8xf32>, tensor<4x10x8xf32>, tensor<4x10x8xf32>
  return %0#0, %0#1, %0#2, %0#3, %0#4, %0#5, %0#6 : tensor<4x10x3xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<32x3xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<32xf32>
}

// CHECK-LABEL: func.func @gru_grad
// CHECK: %[[DX:.*]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[DB:.*]] = loom.gru_grad
// CHECK: return %[[DX]], {{.*}}, %[[DB]] : tensor<2x3x5xf32>, tensor<2x6xf32>, tensor<18x5xf32>, tensor<18x6xf32>, tensor<18xf32>, tensor<18xf32>
func.func @gru_grad(%x: tensor<2x3x5xf32>, %h0: tensor<2x6xf32>, %wih: tensor<18x5xf32>, %whh: tensor<18x6xf32>, %b: tensor<18xf32>, %s: tensor<2x3x6xf32>) -> (tensor<2x3x5xf32>, tensor<2x6xf32>, tensor<18x5xf32>, tensor<18x6xf32>, tensor<18xf32>, tensor<18xf32>) {
  %0:6 = loom.gru_grad %x, %h0, %wih, %whh, %b, %b, %s, %s : tensor<2x3x5xf32>, tensor<2x6xf32>, tensor<18x5xf32>, tensor<18x6xf32>, tensor<18xf32>, tensor<18xf32>, tensor<2x3x6xf32>, tensor<2x3x6xf32>
  return %0#0, %0#1, %0#2, %0#3, %0#4, %0#5 : tensor<2x3x5xf32>, tensor<2x6xf32>, tensor<18x5xf32>, tensor<18x6xf32>, tensor<18xf32>, tensor<18xf32>
}
