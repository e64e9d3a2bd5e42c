// Lesson 8: recurrent networks. A character-level language model reads 64
// bytes of English (the license texts every Debian machine has in
// /usr/share/common-licenses) and predicts, at every position, the byte
// that comes next. Tokens are bytes below 128 (ASCII): an embedding of 64
// features, one recurrent layer of 256 units, and a linear read-out to the
// 128 next-byte logits. After training, `loomc train --generate N` samples
// text from it one byte at a time.
//
// char_lstm and char_gru differ only in the recurrent layer. Parameter
// names follow PyTorch (embed.weight, lstm.weight_ih, ..., head.weight).
#include <loom/loom.h>

using namespace loom;

namespace {
constexpr int64_t kWindow = 64; // bytes per example
constexpr int64_t kVocab = 128; // ASCII

// The read-out shared by both models: logits at every position, the
// next-byte probabilities as the output, the mean cross-entropy over all
// B * T positions as the loss (in nats per character).
void readOut(Tensor states, Tensor next) {
  Tensor logits = torch_linear(states, {.out = kVocab, .name = "head"});
  output("next_byte", softmax(logits)); // [batch, T, 128]
  Tensor flat = reshape(logits, {-1, kVocab});
  Tensor targets = reshape(next, {-1});
  loss(softmax_cross_entropy(flat, targets));
  metric("accuracy", accuracy(flat, targets));
}
} // namespace

LOOM_MODEL(char_lstm) {
  Tensor text = input("text", {batch, kWindow});
  Tensor next = label("next", {batch, kWindow});
  Tensor x = embedding(text, {.num_embeddings = kVocab, .dim = 64, .name = "embed"});
  readOut(lstm(x, {.hidden = 256, .name = "lstm"}), next);
}

LOOM_MODEL(char_gru) {
  Tensor text = input("text", {batch, kWindow});
  Tensor next = label("next", {batch, kWindow});
  Tensor x = embedding(text, {.num_embeddings = kVocab, .dim = 64, .name = "embed"});
  readOut(gru(x, {.hidden = 256, .name = "gru"}), next);
}
