// Lesson 9a: attention. A Transformer encoder reads each 28x28 image as a
// sequence of 28 tokens (its rows) of 28 pixels: a linear embedding to 64
// features plus a learned position embedding, two encoder layers (4 heads,
// feed-forward 128, dropout 0.1, post-norm: PyTorch's
// nn.TransformerEncoderLayer), the mean over the tokens, and a linear
// classifier. Parameter names follow PyTorch's state dict.
#include <loom/loom.h>

using namespace loom;

LOOM_MODEL(fashion_transformer) {
  Tensor x = input("image", {batch, 784});
  Tensor y = label("class", {batch});
  Tensor rows = reshape(x, {x.dim(0), 28, 28});
  Tensor h = torch_linear(rows, {.out = 64, .name = "embed"});
  h = h + param("pos", {28, 64}, {.init = init::normal(0.0, 0.02)});
  for (const char *name : {"encoder.0", "encoder.1"})
    h = transformer_encoder_layer(h, {.heads = 4, .ff = 128, .dropout = 0.1, .name = name});
  Tensor logits = torch_linear(reduce_mean(h, {.axes = {1}}), {.out = 10, .name = "head"});
  output("probabilities", softmax(logits));
  loss(softmax_cross_entropy(logits, y));
  metric("accuracy", accuracy(logits, y));
}
