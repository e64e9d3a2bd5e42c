// Models for the recall task of Inputs/sequences.py (32 one-hot steps of 8
// symbols, flattened to [B, 256]; the label is the symbol five steps
// before the end): an LSTM and a GRU with hidden size 128 classifying from
// their final hidden state, and a control without memory that sees only
// the last step.
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(recall_lstm) {
  Tensor x = input("x", {batch, 256});
  Tensor y = label("y", {batch});
  Tensor seq = reshape(x, {x.dim(0), 32, 8});
  LstmResult r = lstm_with_state(seq, {.hidden = 128, .name = "rnn"});
  Tensor logits = dense(r.h, {.out = 8, .name = "fc"});
  output("logits", logits);
  loss(softmax_cross_entropy(logits, y));
  metric("accuracy", accuracy(logits, y));
}

LOOM_MODEL(recall_gru) {
  Tensor x = input("x", {batch, 256});
  Tensor y = label("y", {batch});
  Tensor seq = reshape(x, {x.dim(0), 32, 8});
  GruResult r = gru_with_state(seq, {.hidden = 128, .name = "rnn"});
  Tensor logits = dense(r.h, {.out = 8, .name = "fc"});
  output("logits", logits);
  loss(softmax_cross_entropy(logits, y));
  metric("accuracy", accuracy(logits, y));
}

LOOM_MODEL(recall_last_step) {
  Tensor x = input("x", {batch, 256});
  Tensor y = label("y", {batch});
  Tensor last = slice(x, {.start = {0, 248}});
  Tensor h = relu(dense(last, {.out = 128, .name = "fc1"}));
  Tensor logits = dense(h, {.out = 8, .name = "fc"});
  output("logits", logits);
  loss(softmax_cross_entropy(logits, y));
  metric("accuracy", accuracy(logits, y));
}
