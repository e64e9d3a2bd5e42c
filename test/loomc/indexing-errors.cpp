// Mistakes with the indexing DSL and graphs are one error at the user's
// line, naming the shapes or the edge list's file and line; loomc exits
// non-zero.
// RUN: not loomc emit %s --model bad_split 2>&1 | FileCheck %s --check-prefix=SPLIT
// RUN: not loomc emit %s --model bad_embedding 2>&1 | FileCheck %s --check-prefix=EMB
// RUN: not loomc emit %s --model bad_gather 2>&1 | FileCheck %s --check-prefix=GATHER
// RUN: not loomc emit %s --model bad_scatter 2>&1 | FileCheck %s --check-prefix=SCATTER
// RUN: not loomc emit %s --model bad_node 2>&1 | FileCheck %s --check-prefix=NODE
// RUN: not loomc emit %s --model malformed 2>&1 | FileCheck %s --check-prefix=LINE
// RUN: not loomc emit %s --model missing_list 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not loomc emit %s --model gcn_rows 2>&1 | FileCheck %s --check-prefix=ROWS
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(bad_split) {
  Tensor x = input("x", {4, 5});
  // SPLIT: indexing-errors.cpp:[[@LINE+1]]:{{[0-9]+}}: error: split: sizes [2, 2] add up to 4, but [4, 5] has 5 along axis 1
  auto parts = split(x, {.sizes = {2, 2}, .axis = -1});
  output("a", x);
}

LOOM_MODEL(bad_embedding) {
  Tensor ids = input("ids", {4});
  // EMB: indexing-errors.cpp:[[@LINE+1]]:{{[0-9]+}}: error: embedding: set num_embeddings and dim
  output("e", embedding(ids, {.dim = 8}));
}

LOOM_MODEL(bad_gather) {
  Tensor t = input("t", {5, 3});
  Tensor i = input("i", {2});
  // GATHER: indexing-errors.cpp:[[@LINE+1]]:{{[0-9]+}}: error: 'loom.gather' axis 2 is out of range for table [5, 3] (rank 2)
  output("g", gather(t, i, {.axis = 2}));
}

LOOM_MODEL(bad_scatter) {
  Tensor u = input("u", {5, 3});
  Tensor i = input("i", {4});
  // SCATTER: indexing-errors.cpp:[[@LINE+1]]:{{[0-9]+}}: error: 'loom.scatter_add' updates [5, 3] must hold the indices' shape [4] at axis 0, got [5]
  output("s", scatter_add(u, i, {.dim_size = 7}));
}

LOOM_MODEL(bad_node) {
  Tensor x = input("x", {4, 2});
  // NODE: indexing-errors.cpp:[[@LINE+1]]:{{[0-9]+}}: error: {{.*}}Inputs/edges_bad_node.csv:6: node 7 does not exist: the graph has 4 nodes (num_nodes = 4)
  Graph g = graph_from_edge_list("Inputs/edges_bad_node.csv", {.num_nodes = 4});
  output("h", gcn_layer(x, g, {.out = 2}));
}

LOOM_MODEL(malformed) {
  Tensor x = input("x", {3, 2});
  // LINE: indexing-errors.cpp:[[@LINE+1]]:{{[0-9]+}}: error: {{.*}}Inputs/edges_malformed.csv:3: expected 'source,target' (two node indices >= 0), got '1;2'
  Graph g = graph_from_edge_list("Inputs/edges_malformed.csv");
  output("h", gcn_layer(x, g, {.out = 2}));
}

LOOM_MODEL(missing_list) {
  Tensor x = input("x", {3, 2});
  // MISSING: indexing-errors.cpp:[[@LINE+1]]:{{[0-9]+}}: error: cannot read edge list 'no_such_edges.csv': No such file or directory
  Graph g = graph_from_edge_list("no_such_edges.csv");
  output("h", gcn_layer(x, g, {.out = 2}));
}

LOOM_MODEL(gcn_rows) {
  Tensor x = input("x", {5, 2});
  Graph g = graph_from_edge_list("Inputs/square_edges.csv");
  // ROWS: indexing-errors.cpp:[[@LINE+1]]:{{[0-9]+}}: error: gcn_layer expects node features [4, features] (one row per node of {{.*}}square_edges.csv), got [5, 2]
  output("h", gcn_layer(x, g, {.out = 2}));
}
// SPLIT-NOT: error:
// NODE-NOT: error:
// LINE-NOT: error:
// MISSING-NOT: error:
