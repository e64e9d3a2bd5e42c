// Small character models for the text-data and generation tests: 8 bytes
// in, the next byte at every position out (no recurrence: each position
// sees only its own byte, a bigram model).
#include <loom/loom.h>
using namespace loom;

namespace {
Tensor bigramLogits(Tensor text) {
  Tensor e = embedding(text, {.num_embeddings = 128, .dim = 16, .name = "embed"});
  return torch_linear(e, {.out = 128, .name = "head"});
}
void lossOver(Tensor logits, Tensor next) {
  Tensor flat = reshape(logits, {-1, 128});
  loss(softmax_cross_entropy(flat, reshape(next, {-1})));
  metric("accuracy", accuracy(flat, reshape(next, {-1})));
}
} // namespace

LOOM_MODEL(tiny_char) {
  Tensor text = input("text", {batch, 8});
  Tensor next = label("next", {batch, 8});
  Tensor logits = bigramLogits(text);
  output("next_byte", softmax(logits));
  lossOver(logits, next);
}

// Its first output is the logits, not probabilities: generation refuses it.
LOOM_MODEL(tiny_char_logits) {
  Tensor text = input("text", {batch, 8});
  Tensor next = label("next", {batch, 8});
  Tensor logits = bigramLogits(text);
  output("logits", logits);
  lossOver(logits, next);
}
