// Several losses, each over its own parameter group: the DSL records them
// on @forward's results, and every mistake is one error at the loss()
// line. random_normal draws fixed (counter-free) noise in @forward.
// RUN: loomc emit %s --model two_losses | FileCheck %s
// RUN: not loomc emit %s --model duplicate 2>&1 | FileCheck %s --check-prefix=DUP
// RUN: not loomc emit %s --model no_match 2>&1 | FileCheck %s --check-prefix=NOMATCH
// RUN: not loomc emit %s --model overlap 2>&1 | FileCheck %s --check-prefix=OVERLAP
// RUN: not loomc emit %s --model unnamed_first 2>&1 | FileCheck %s --check-prefix=UNNAMED
// RUN: not loomc emit %s --model no_params 2>&1 | FileCheck %s --check-prefix=NOPARAMS
// RUN: not loomc emit %s --model bad_name 2>&1 | FileCheck %s --check-prefix=BADNAME
// A trainable parameter in no group is found when the train steps are
// built (after --freeze), at the model's line.
// RUN: not loomc train %s --model uncovered --data csv=%data/breast_cancer.csv,label=malignant --epochs 1 2>&1 | FileCheck %s --check-prefix=UNCOVERED
#include <loom/loom.h>
using namespace loom;

// CHECK: -> (tensor<1x2xf32> {loom.output = "samples"}, tensor<f32> {loom.loss = "d", loom.loss_params = ["d."]}, tensor<f32> {loom.loss = "g", loom.loss_params = ["g.", "h."]})
// CHECK-NEXT: loom.random_normal seed 0 : tensor<1x4xf32>
LOOM_MODEL(two_losses) {
  Tensor x = input("x", {batch, 2});
  Tensor z = random_normal({batch, 4});
  Tensor fake = dense(dense(z, {.out = 3, .name = "g.fc"}), {.out = 2, .name = "h.fc"});
  Tensor d = dense(x - fake, {.out = 1, .name = "d.fc"});
  output("samples", fake);
  loss(reduce_mean(d), {.name = "d", .params = {"d."}});
  loss(reduce_mean(neg(d)), {.name = "g", .params = {"g.", "h."}});
}

LOOM_MODEL(duplicate) {
  Tensor d = dense(input("x", {2, 2}), {.out = 1, .name = "d.fc"});
  loss(reduce_mean(d), {.name = "gen", .params = {"d."}});
  // DUP: loss-groups.cpp:[[@LINE+1]]:{{[0-9]+}}: error: a loss named 'gen' was already declared
  loss(reduce_mean(d), {.name = "gen", .params = {"d."}});
  output("y", d);
}

LOOM_MODEL(no_match) {
  Tensor d = dense(input("x", {2, 2}), {.out = 1, .name = "disc.fc"});
  // NOMATCH: loss-groups.cpp:[[@LINE+1]]:{{[0-9]+}}: error: loss 'd': no parameter name starts with 'dis.'
  loss(reduce_mean(d), {.name = "d", .params = {"dis."}});
  output("y", d);
}

LOOM_MODEL(overlap) {
  Tensor d = dense(input("x", {2, 2}), {.out = 1, .name = "disc.fc"});
  loss(reduce_mean(d), {.name = "d", .params = {"disc."}});
  // OVERLAP: loss-groups.cpp:[[@LINE+1]]:{{[0-9]+}}: error: parameter 'disc.fc.weight' is in the groups of loss 'd' and loss 'g'; each parameter is trained by one loss
  loss(reduce_mean(d), {.name = "g", .params = {"disc.fc.w"}});
  output("y", d);
}

LOOM_MODEL(unnamed_first) {
  Tensor d = dense(input("x", {2, 2}), {.out = 1, .name = "disc.fc"});
  loss(reduce_mean(d));
  // UNNAMED: loss-groups.cpp:[[@LINE+1]]:{{[0-9]+}}: error: the model already declared a loss without a name; in a model with several losses each needs a .name and .params
  loss(reduce_mean(d), {.name = "g", .params = {"disc."}});
  output("y", d);
}

LOOM_MODEL(no_params) {
  Tensor d = dense(input("x", {2, 2}), {.out = 1, .name = "disc.fc"});
  // NOPARAMS: loss-groups.cpp:[[@LINE+1]]:{{[0-9]+}}: error: loss 'd' needs .params, the prefixes of the parameters it trains
  loss(reduce_mean(d), {.name = "d"});
  output("y", d);
}

LOOM_MODEL(bad_name) {
  Tensor d = dense(input("x", {2, 2}), {.out = 1, .name = "disc.fc"});
  // BADNAME: loss-groups.cpp:[[@LINE+1]]:{{[0-9]+}}: error: loss name 'the critic' must be letters, digits and '_'
  loss(reduce_mean(d), {.name = "the critic", .params = {"disc."}});
  output("y", d);
}

// UNCOVERED: loss-groups.cpp:[[@LINE+1]]:{{[0-9]+}}: error: trainable parameter 'head.weight' is in no loss's parameter group (add its prefix to one loss's params, or freeze it)
LOOM_MODEL(uncovered) {
  Tensor x = input("x", {batch, 30});
  Tensor y = label("y", {batch, 1});
  Tensor h = dense(x, {.out = 2, .name = "body"});
  Tensor p = dense(h, {.out = 1, .name = "head"});
  output("p", p);
  loss(mse(p, y), {.name = "fit", .params = {"body."}});
}
