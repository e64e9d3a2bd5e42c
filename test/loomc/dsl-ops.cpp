// Every DSL function builds the loom op it names, with negative axes
// normalized, reshape's -1 inferred and slice's defaults filled in.
// RUN: loomc emit %s --batch 4 | FileCheck %s
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(every_op) {
  Tensor x = input("x", {batch, 3});
  Tensor w = param("w", {3, 2}, {.init = init::he()});
  Tensor b = param("b", {2}, {.init = init::constant(0.1), .trainable = false});
  // CHECK: func.func @forward(%[[X:.*]]: tensor<4x3xf32> {loom.input = "x"}, %[[W:.*]]: tensor<3x2xf32> {loom.init = {a = 0.000000e+00 : f64, b = 0.000000e+00 : f64, kind = "he_uniform"}, loom.param = "w"}, %[[B:.*]]: tensor<2xf32> {loom.init = {a = 1.000000e-01 : f64, b = 0.000000e+00 : f64, kind = "constant"}, loom.param = "b", loom.trainable = false}, %{{.*}}: tensor<3x5xf32> {{{.*}}loom.param = "fc.weight"}, %{{.*}}: tensor<5xf32> {{{.*}}kind = "zeros"}, loom.param = "fc.bias"})
  // CHECK: %[[MM:.*]] = loom.matmul %[[X]], %[[W]] : tensor<4x3xf32>, tensor<3x2xf32>
  Tensor y = matmul(x, w);
  // CHECK: loom.matmul %[[X]], %[[X]] transpose_rhs : tensor<4x3xf32>, tensor<4x3xf32>
  Tensor gram = matmul(x, x, {.transpose_b = true});
  // CHECK: loom.add %[[MM]], %[[B]] : tensor<4x2xf32>, tensor<2xf32>
  Tensor z = y + b;
  // CHECK: loom.sub
  // CHECK: loom.mul
  // CHECK: loom.div
  // CHECK: loom.pow
  // CHECK: loom.minimum
  // CHECK: loom.maximum
  Tensor e = maximum(minimum(pow((z - b) * b / b, b), b), b);
  // CHECK: loom.neg
  // CHECK: loom.exp
  // CHECK: loom.log
  // CHECK: loom.sqrt
  // CHECK: loom.rsqrt
  // CHECK: loom.tanh
  // CHECK: loom.sigmoid
  // CHECK: loom.relu
  // CHECK: loom.abs
  // CHECK: loom.stop_gradient %{{.*}} : tensor<4x2xf32>
  Tensor u = stop_gradient(abs(relu(sigmoid(tanh(rsqrt(sqrt(log(exp(-e)))))))));
  // CHECK: %[[C:.*]] = loom.compare le, %{{.*}}, %{{.*}} : tensor<4x2xf32>, tensor<f32>
  // CHECK: loom.select %[[C]], %{{.*}}, %{{.*}} : tensor<4x2xi1>, tensor<4x2xf32>, tensor<4x2xf32>
  Tensor s = select(compare(u, Cmp::le, constant(0.5)), u, z);
  // CHECK: loom.reduce_sum %{{.*}} axes [1] : tensor<4x2xf32>
  // CHECK: loom.reduce_mean %{{.*}} axes [0, 1] keepdims : tensor<4x2xf32>
  // CHECK: loom.reduce_max %{{.*}} axes [0] : tensor<4x2xf32>
  Tensor r1 = reduce_sum(s, {.axes = {-1}});
  Tensor r2 = reduce_mean(s, {.keepdims = true});
  Tensor r3 = reduce_max(s, {.axes = {0}});
  // CHECK: loom.reshape %{{.*}} [2, 4] : tensor<4x2xf32>
  // CHECK: loom.transpose %{{.*}} [1, 0] : tensor<2x4xf32>
  // CHECK: loom.broadcast_to %{{.*}} [3, 4, 2] : tensor<4x2xf32>
  // CHECK: loom.slice %{{.*}} start [0, 0] limit [4, 2] stride [2, 1] : tensor<4x2xf32>
  // CHECK: loom.concat %{{.*}}, %{{.*}} axis 1 : tensor<4x2xf32>, tensor<4x3xf32>
  Tensor t = transpose(reshape(s, {2, -1}));
  Tensor bc = broadcast_to(t, {3, 4, 2});
  Tensor sl = slice(s, {.stride = {2, 1}});
  Tensor cat = concat({t, x}, {.axis = -1});
  // CHECK: loom.pad %{{.*}} low [1, 0] high [0, 2] interior [0, 1] : tensor<4x2xf32>
  // CHECK: %[[POS:.*]] = loom.compare gt
  // CHECK: loom.select %[[POS]]
  Tensor pd = pad(s, {.low = {1, 0}, .high = {0, 2}, .interior = {0, 1}});
  Tensor wh = where(compare(pd, Cmp::gt, constant(0.0)), pd, -pd);
  // CHECK: loom.softmax %{{.*}} axis 1 : tensor<4x5xf32>
  // CHECK: loom.log_softmax %{{.*}} axis 0 : tensor<4x5xf32>
  Tensor sm = softmax(cat);
  Tensor lsm = log_softmax(cat, {.axis = 0});
  // CHECK: loom.argmax %{{.*}} axis 1 : tensor<4x5xf32>
  // CHECK: loom.argmax %{{.*}} axis 0 keepdims : tensor<4x5xf32>
  // CHECK: loom.cumsum %{{.*}} axis 1 : tensor<4x5xf32>
  // CHECK: loom.cumsum %{{.*}} axis 0 reverse exclusive : tensor<4x5xf32>
  Tensor am = argmax(cat);
  Tensor amk = argmax(cat, {.axis = 0, .keepdims = true});
  Tensor cs = cumsum(cat);
  Tensor csr = cumsum(cat, {.axis = -2, .reverse = true, .exclusive = true});
  // dense() names its parameters after the layer.
  // CHECK: loom.matmul
  // CHECK: loom.add
  Tensor d = dense(x, {.out = 5, .name = "fc"});
  output("gram", gram);
  output("r1", r1);
  output("r2", r2);
  output("r3", r3);
  output("bc", bc);
  output("sl", sl);
  output("pd", wh);
  output("sm", sm + lsm + d);
  output("am", am);
  output("amk", amk);
  output("cs", cs + csr);
}
