// init::torch_default() needs a fan-in, which only a layer with a weight
// and bias knows; a bare param and embedding (nn.Embedding's default is
// N(0, 1)) report it at the user's line.
// RUN: not loomc emit %s 2>&1 | FileCheck %s
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(torch_default_without_layer) {
  Tensor ids = input("ids", {batch, 3});
  // CHECK: torch-default-error.cpp:[[@LINE+1]]:{{[0-9]+}}: error: parameter 'w': init::torch_default() needs a layer's fan-in: use it as the init of dense, linear, conv2d, conv2d_transpose or gcn_layer, or give init::uniform(-b, b) here
  Tensor w = param("w", {3, 2}, {.init = init::torch_default()});
  // CHECK: torch-default-error.cpp:[[@LINE+1]]:{{[0-9]+}}: error: parameter 'table.weight': init::torch_default() needs a layer's fan-in
  Tensor e = embedding(ids, {.num_embeddings = 10, .dim = 4, .name = "table",
                             .init = init::torch_default()});
  output("e", e);
  output("w", w);
}
// CHECK-NOT: error:
