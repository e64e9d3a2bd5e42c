// Zachary's karate club: a two-layer graph convolutional network (Kipf &
// Welling, 2017) learns which faction each of the 34 members joined from
// the friendship graph and the labels of only two members: the instructor
// (node 0) and the club's president (node 33).
//
// The graph is part of the model (read from the edge list when the model
// is built), and node features are the identity (each member a one-hot
// vector, as in the paper's karate demo), so every step runs the GCN over
// the whole graph. A data row is a member: `node` picks its row of the
// GCN's output with gather, so rows may come in any order and batches of
// any size. `labeled` is a mask: the loss is the cross-entropy over the
// labeled members of the batch only, while the accuracy metric counts
// every member in it.
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(karate_gcn) {
  const int64_t members = 34;
  Tensor row = input("x", {batch, 2}); // node, labeled
  Tensor club = label("club", {batch});
  Graph graph = graph_from_edge_list("../data/karate_club_edges.csv",
                                     {.num_nodes = members});
  std::vector<double> eye(members * members, 0.0);
  for (int64_t i = 0; i < members; ++i)
    eye[i * members + i] = 1.0;
  Tensor features = constant({members, members}, eye);
  Tensor h = tanh(gcn_layer(features, graph, {.out = 4, .name = "gcn1"}));
  Tensor all = gcn_layer(h, graph, {.out = 2, .name = "gcn2"}); // [34, 2]

  std::vector<Tensor> columns = split(row, {.sizes = {1, 1}, .axis = 1});
  Tensor node = reshape(columns[0], {-1}), mask = reshape(columns[1], {-1});
  Tensor logits = gather(all, node); // [batch, 2]
  output("faction", softmax(logits));

  // Cross-entropy over the labeled members only (+ a tiny constant so a
  // batch without labeled members gives 0, not 0 / 0).
  Tensor picked = reduce_sum(log_softmax(logits, {.axis = 1}) *
                                 one_hot(club, {.num_classes = 2}),
                             {.axes = {1}});
  loss(neg(reduce_sum(picked * mask) / (reduce_sum(mask) + 1e-9)));
  metric("accuracy", accuracy(logits, club));
}
