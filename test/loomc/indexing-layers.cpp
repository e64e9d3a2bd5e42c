// The indexing DSL: embedding (NAME.weight, N(0, 1) by default), gather on
// a negative axis, one_hot, scatter_add and split build their loom ops,
// and a model using them runs. With embedding row k = [k, 10k] and ids
// [3, 1, 3]: the rows [3, 30], [1, 10], [3, 30]; scatter_add sums them
// back into 5 rows (row 3 twice).
// RUN: loomc emit %s --batch 3 | FileCheck %s --check-prefix=IR
// RUN: loomc run %s --input ids=%S/Inputs/ids.csv | FileCheck %s --check-prefix=OUT
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(indexing_layers) {
  Tensor ids = reshape(input("ids", {batch, 1}), {-1});
  // IR: loom.param = "emb.weight"
  // IR: %[[E:.*]] = loom.gather %arg1, %[[IDS:.*]] axis 0 : tensor<5x2xf32>, tensor<3xf32>
  Tensor e = embedding(ids, {.num_embeddings = 5, .dim = 2, .name = "emb",
                             .init = init::values({0, 0, 1, 10, 2, 20, 3, 30,
                                                   4, 40})});
  output("emb", e);
  // IR: loom.one_hot %[[IDS]] num_classes 5 : tensor<3xf32>
  output("hot", one_hot(ids, {.num_classes = 5}));
  // IR: loom.scatter_add %[[E]], %[[IDS]] axis 0 dim_size 5 : tensor<3x2xf32>, tensor<3xf32>
  output("sums", scatter_add(e, ids, {.dim_size = 5}));
  // IR: loom.slice %[[E]] start [0, 1] limit [3, 2] stride [1, 1]
  std::vector<Tensor> parts = split(e, {.sizes = {1, 1}, .axis = -1});
  output("second", parts.at(1));
  // IR: loom.gather %[[E]], %{{.*}} axis 1 : tensor<3x2xf32>, tensor<f32>
  output("picked", gather(e, constant(0.0), {.axis = -1}));
}
// OUT: emb f32[3,2] =
// OUT-NEXT: {{\[\[}}3, 30], [1, 10], [3, 30]]
// OUT: hot f32[3,5] =
// OUT-NEXT: {{\[\[}}0, 0, 0, 1, 0], [0, 1, 0, 0, 0], [0, 0, 0, 1, 0]]
// OUT: sums f32[5,2] =
// OUT-NEXT: {{\[\[}}0, 0], [1, 10], [0, 0], [6, 60], [0, 0]]
// OUT: second f32[3,1] =
// OUT-NEXT: {{\[\[}}30], [10], [30]]
// OUT: picked f32[3] =
// OUT-NEXT: [3, 1, 3]
