// An index out of range at run time is an error naming the index, the
// table's size and the model line of the op, for `run` and for `train`
// (the step's updates are dropped), with a non-zero exit; a fractional
// index says it is not an integer. Nothing outside the table is read.
// RUN: not loomc run %s --model embed --input ids=%S/Inputs/bad_ids.csv 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: rm -rf %t && mkdir -p %t && printf '2.5\n' > %t/frac.csv
// RUN: not loomc run %s --model embed --input ids=%t/frac.csv 2>&1 | FileCheck %s --check-prefix=FRAC
// RUN: not loomc train %s --model embed_classifier --data csv=%S/Inputs/bad_ids_labeled.csv,label=y --val-fraction 0 --test-fraction 0 --epochs 1 --batch 4 2>&1 | FileCheck %s --check-prefix=TRAIN
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(embed) {
  Tensor ids = reshape(input("ids", {batch, 1}), {-1});
  // BAD: loomc: error: {{.*}}index-error.cpp:[[@LINE+2]]:{{[0-9]+}}: embedding index 57 is out of range for a table of 50 rows (valid indices are 0 to 49)
  // FRAC: loomc: error: {{.*}}index-error.cpp:[[@LINE+1]]:{{[0-9]+}}: embedding index 2.5 is not an integer
  Tensor e = embedding(ids, {.num_embeddings = 50, .dim = 4, .name = "emb"});
  output("e", e);
}

LOOM_MODEL(embed_classifier) {
  Tensor ids = reshape(input("x", {batch, 1}), {-1});
  Tensor y = label("y", {batch});
  // TRAIN: loomc: error: {{.*}}index-error.cpp:[[@LINE+1]]:{{[0-9]+}}: embedding index 57 is out of range for a table of 10 rows
  Tensor e = embedding(ids, {.num_embeddings = 10, .dim = 3, .name = "emb"});
  Tensor logits = dense(e, {.out = 2, .name = "fc"});
  output("p", softmax(logits));
  loss(softmax_cross_entropy(logits, y));
}
