// Lesson 9b: a small GPT. The same character-level language model as
// char_lstm (64 bytes of the Debian license texts in, the next byte at every
// position out), with causal self-attention instead of recurrence: a byte
// embedding plus a learned position embedding (128 features), three
// pre-norm Transformer layers (4 heads, feed-forward 512, GELU, dropout
// 0.1, each position attending only to itself and earlier ones), a final
// layer norm, and a linear read-out to the 128 next-byte logits.
//
// Parameter names follow PyTorch's nn.TransformerEncoderLayer state dict
// (blocks.0.self_attn.in_proj_weight, ...).
#include <loom/loom.h>

using namespace loom;

LOOM_MODEL(char_gpt) {
  const int64_t window = 64, vocab = 128, width = 128;
  Tensor text = input("text", {batch, window});
  Tensor next = label("next", {batch, window});
  Tensor h = embedding(text, {.num_embeddings = vocab, .dim = width, .name = "embed",
                              .init = init::normal(0.0, 0.02)});
  h = h + param("pos", {window, width}, {.init = init::normal(0.0, 0.02)});
  for (const char *name : {"blocks.0", "blocks.1", "blocks.2"})
    h = transformer_encoder_layer(h, {.heads = 4, .ff = 512, .dropout = 0.1,
                                      .gelu = true, .norm_first = true,
                                      .causal = true, .name = name});
  h = layer_norm(h, {.name = "norm"});
  Tensor logits = torch_linear(h, {.out = vocab, .name = "head"});
  output("next_byte", softmax(logits)); // [batch, T, 128]
  Tensor flat = reshape(logits, {-1, vocab});
  Tensor targets = reshape(next, {-1});
  loss(softmax_cross_entropy(flat, targets));
  metric("accuracy", accuracy(flat, targets));
}
