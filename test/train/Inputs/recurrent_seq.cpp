// Sequence classifiers for the PyTorch cross-check
// (torch_recurrent_crosscheck.py): an LSTM or a GRU over x [B, 12, 4]
// (given flattened as [B, 48]), a dense layer on the final hidden state,
// cross-entropy over 3 classes. The LSTM's classifier also reads the final
// cell state and the GRU's the mean of all hidden states, so gradients
// enter through every result the DSL offers.
#include <loom/loom.h>
using namespace loom;

LOOM_MODEL(lstm_seq) {
  Tensor x = input("x", {batch, 48});
  Tensor y = label("y", {batch});
  Tensor seq = reshape(x, {x.dim(0), 12, 4});
  LstmResult r = lstm_with_state(seq, {.hidden = 16, .name = "rnn"});
  Tensor feat = r.h + reduce_mean(r.c, {.axes = {1}, .keepdims = true});
  Tensor logits = dense(feat, {.out = 3, .name = "fc"});
  output("logits", logits);
  loss(softmax_cross_entropy(logits, y));
}

LOOM_MODEL(gru_seq) {
  Tensor x = input("x", {batch, 48});
  Tensor y = label("y", {batch});
  Tensor seq = reshape(x, {x.dim(0), 12, 4});
  Tensor ys = gru(seq, {.hidden = 16, .name = "rnn"});
  Tensor logits = dense(reduce_mean(ys, {.axes = {1}}), {.out = 3, .name = "fc"});
  output("logits", logits);
  loss(softmax_cross_entropy(logits, y));
}
