// init::torch_default() is resolved by the layer, which knows the weight's
// fan-in: weight and bias both get uniform(-1/sqrt(fan_in), 1/sqrt(fan_in))
// (PyTorch's reset_parameters), recorded as concrete bounds. Each bound
// below parses to Python's 1 / math.sqrt(fan_in) for fan_in = 50 (dense
// in = 50), 75 (conv2d C = 3, 5x5), 60 (C/groups = 4, 3x5), 48
// (conv2d_transpose: F/groups = 3, 4x4, torch's dimension-1 rule), 40
// (dense and torch_linear in = 40) and 2 (gcn in = 2). An explicit
// bias_init wins.
// RUN: loomc emit %s --batch 2 | FileCheck %s
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(torch_default_init) {
  Tensor x = input("x", {batch, 50});
  Tensor img = input("img", {batch, 3, 12, 12});
  Tensor nodes = input("nodes", {4, 2});
  // CHECK: %{{.*}}: tensor<50x40xf32> {loom.init = {a = -0.1414213562373095 : f64, b = 0.1414213562373095 : f64, kind = "uniform"}, loom.param = "fc.weight"}
  // CHECK-SAME: %{{.*}}: tensor<40xf32> {loom.init = {a = -0.1414213562373095 : f64, b = 0.1414213562373095 : f64, kind = "uniform"}, loom.param = "fc.bias"}
  Tensor fc =
      dense(x, {.out = 40, .name = "fc", .init = init::torch_default()});
  // CHECK-SAME: %{{.*}}: tensor<8x3x5x5xf32> {loom.init = {a = -0.11547005383792514 : f64, b = 0.11547005383792514 : f64, kind = "uniform"}, loom.param = "conv.weight"}
  // CHECK-SAME: %{{.*}}: tensor<8xf32> {loom.init = {a = -0.11547005383792514 : f64, b = 0.11547005383792514 : f64, kind = "uniform"}, loom.param = "conv.bias"}
  Tensor c = conv2d(img, {.out_channels = 8, .kernel = 5, .name = "conv",
                          .init = init::torch_default()});
  // CHECK-SAME: %{{.*}}: tensor<4x4x3x5xf32> {loom.init = {a = -0.12909944487358055 : f64, b = 0.12909944487358055 : f64, kind = "uniform"}, loom.param = "grouped.weight"}
  // CHECK-SAME: %{{.*}}: tensor<4xf32> {loom.init = {a = -0.12909944487358055 : f64, b = 0.12909944487358055 : f64, kind = "uniform"}, loom.param = "grouped.bias"}
  Tensor g = conv2d(c, {.out_channels = 4, .kernel_hw = {3, 5}, .groups = 2,
                        .name = "grouped", .init = init::torch_default()});
  // CHECK-SAME: %{{.*}}: tensor<8x3x4x4xf32> {loom.init = {a = -0.14433756729740646 : f64, b = 0.14433756729740646 : f64, kind = "uniform"}, loom.param = "deconv.weight"}
  // CHECK-SAME: %{{.*}}: tensor<6xf32> {loom.init = {a = -0.14433756729740646 : f64, b = 0.14433756729740646 : f64, kind = "uniform"}, loom.param = "deconv.bias"}
  Tensor d = conv2d_transpose(c, {.out_channels = 6, .kernel = 4, .groups = 2,
                                  .name = "deconv",
                                  .init = init::torch_default()});
  // An explicit bias_init is used as given, here zeros ...
  // CHECK-SAME: %{{.*}}: tensor<40x3xf32> {loom.init = {a = -0.15811388300841897 : f64, b = 0.15811388300841897 : f64, kind = "uniform"}, loom.param = "zero_bias.weight"}
  // CHECK-SAME: %{{.*}}: tensor<3xf32> {loom.init = {a = 0.000000e+00 : f64, b = 0.000000e+00 : f64, kind = "zeros"}, loom.param = "zero_bias.bias"}
  Tensor z = dense(fc, {.out = 3, .name = "zero_bias",
                        .init = init::torch_default(),
                        .bias_init = init::zeros()});
  // ... and torch_default() as a bias_init takes the weight's fan-in
  // whatever the weight's initializer.
  // CHECK-SAME: %{{.*}}: tensor<40x3xf32> {loom.init = {a = 1.000000e+00 : f64, b = 0.000000e+00 : f64, kind = "xavier_uniform"}, loom.param = "xavier.weight"}
  // CHECK-SAME: %{{.*}}: tensor<3xf32> {loom.init = {a = -0.15811388300841897 : f64, b = 0.15811388300841897 : f64, kind = "uniform"}, loom.param = "xavier.bias"}
  Tensor v = dense(fc, {.out = 3, .name = "xavier",
                        .bias_init = init::torch_default()});
  // Without torch_default the bias stays zeros.
  // CHECK-SAME: %{{.*}}: tensor<2x8x3x3xf32> {{{.*}}kind = "he_uniform"}, loom.param = "he.weight"}
  // CHECK-SAME: %{{.*}}: tensor<2xf32> {{{.*}}kind = "zeros"}, loom.param = "he.bias"}
  Tensor h = conv2d(c, {.out_channels = 2, .kernel = 3, .name = "he"});
  // gcn_layer's weight goes through dense; its bias follows torch_default.
  // CHECK-SAME: %{{.*}}: tensor<2x3xf32> {loom.init = {a = -0.70710678118654746 : f64, b = 0.70710678118654746 : f64, kind = "uniform"}, loom.param = "gcn.weight"}
  // CHECK-SAME: %{{.*}}: tensor<3xf32> {loom.init = {a = -0.70710678118654746 : f64, b = 0.70710678118654746 : f64, kind = "uniform"}, loom.param = "gcn.bias"}
  Graph graph = graph_from_edge_list("Inputs/square_edges.csv");
  Tensor gc = gcn_layer(nodes, graph,
                        {.out = 3, .name = "gcn", .init = init::torch_default()});
  // torch_linear is dense's code with W [out, in] and torch_default().
  // CHECK-SAME: %{{.*}}: tensor<5x40xf32> {loom.init = {a = -0.15811388300841897 : f64, b = 0.15811388300841897 : f64, kind = "uniform"}, loom.param = "head.weight"}
  // CHECK-SAME: %{{.*}}: tensor<5xf32> {loom.init = {a = -0.15811388300841897 : f64, b = 0.15811388300841897 : f64, kind = "uniform"}, loom.param = "head.bias"}
  // CHECK: loom.matmul %{{.*}}, %{{.*}} transpose_rhs : tensor<2x40xf32>, tensor<5x40xf32>
  Tensor t = torch_linear(fc, {.out = 5, .name = "head"});
  output("g", g);
  output("d", d);
  output("z", z + v);
  output("h", h);
  output("gc", gc);
  output("t", t);
}
