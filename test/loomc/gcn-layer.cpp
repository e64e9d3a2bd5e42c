// gcn_layer on a 4-cycle read from an edge list: every node has degree 3
// in A + I, so each output is the mean of the node and its two neighbours
// (weights 1/sqrt(3 * 3)); W = [1, 0] picks feature 0 = [3, 6, 9, 12].
// RUN: loomc emit %s | FileCheck %s --check-prefix=IR
// RUN: loomc run %s --input x=%S/Inputs/square_features.csv | FileCheck %s --check-prefix=OUT
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(gcn_square) {
  Tensor x = input("x", {4, 2});
  Graph g = graph_from_edge_list("Inputs/square_edges.csv");
  // 4 edges both ways + 4 self loops = 12 messages.
  // IR: %[[H:.*]] = loom.matmul %arg0, %arg1 : tensor<4x2xf32>, tensor<2x1xf32>
  // IR: %[[M:.*]] = loom.gather %[[H]], %{{.*}} axis 0 : tensor<4x1xf32>, tensor<12xf32>
  // IR: %[[S:.*]] = loom.mul %[[M]], %{{.*}} : tensor<12x1xf32>, tensor<12x1xf32>
  // IR: loom.scatter_add %[[S]], %{{.*}} axis 0 dim_size 4 : tensor<12x1xf32>, tensor<12xf32>
  output("h", gcn_layer(x, g, {.out = 1, .name = "gcn",
                               .init = init::values({1, 0})}));
}
// OUT: h f32[4,1] =
// OUT-NEXT: {{\[\[}}7], [6], [9], [8]]
