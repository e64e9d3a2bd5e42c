// The benchmark's workloads (issue 5), written as the same networks
// bench/torch_peer.py builds in PyTorch: shapes, losses and read-outs match
// one for one, so `loomc bench --model NAME` and `torch_peer.py NAME` time
// the same work. Inputs are synthetic (loomc bench fills them), so only
// shapes matter here; initializations follow the examples.
#include <loom/loom.h>

using namespace loom;

// Logistic regression 30 -> 1, BCE (breast_cancer's shape).
LOOM_MODEL(logistic) {
  Tensor x = input("x", {batch, 30});
  Tensor y = label("y", {batch, 1});
  Tensor logits = dense(x, {.out = 1, .name = "fc"});
  output("p", sigmoid(logits));
  loss(bce_with_logits(logits, y));
}

// MLP 784-256-128-10, softmax cross-entropy.
LOOM_MODEL(mlp) {
  Tensor x = input("x", {batch, 784});
  Tensor y = label("y", {batch});
  Tensor h1 = relu(dense(x, {.out = 256, .name = "fc1", .init = init::he()}));
  Tensor h2 = relu(dense(h1, {.out = 128, .name = "fc2", .init = init::he()}));
  Tensor logits = dense(h2, {.out = 10, .name = "fc3"});
  output("logits", logits);
  loss(softmax_cross_entropy(logits, y));
}

// LeNet-5 on 1x28x28: 5x5 convolutions (the first padded by 2), ReLU, 2x2
// max pooling, 120-84-10 (examples/fashion_lenet).
LOOM_MODEL(lenet) {
  Tensor x = input("image", {batch, 1, 28, 28});
  Tensor y = label("class", {batch});
  Tensor c1 = relu(conv2d(x, {.out_channels = 6, .kernel = 5, .padding = 2, .name = "conv1"}));
  Tensor p1 = max_pool2d(c1, {.kernel = 2}); // 6 x 14 x 14
  Tensor c2 = relu(conv2d(p1, {.out_channels = 16, .kernel = 5, .name = "conv2"}));
  Tensor p2 = max_pool2d(c2, {.kernel = 2}); // 16 x 5 x 5
  Tensor h1 = relu(dense(flatten(p2), {.out = 120, .name = "fc1", .init = init::he()}));
  Tensor h2 = relu(dense(h1, {.out = 84, .name = "fc2", .init = init::he()}));
  Tensor logits = dense(h2, {.out = 10, .name = "fc3"});
  output("logits", logits);
  loss(softmax_cross_entropy(logits, y));
}

// A ResNet stem (3x3 conv 3 -> 16 without bias, batch norm, ReLU) and three
// basic blocks of 16 channels with identity shortcuts on 3x32x32, then
// global average pooling and a 10-way linear classifier.
LOOM_MODEL(resnet) {
  Tensor x = input("image", {batch, 3, 32, 32});
  Tensor y = label("class", {batch});
  Tensor h = conv2d(x, {.out_channels = 16, .kernel = 3, .padding = 1, .bias = false, .name = "stem"});
  h = relu(batch_norm(h, {.name = "stem_bn"}));
  for (const char *name : {"block1", "block2", "block3"})
    h = residual_block(h, {.out_channels = 16, .name = name});
  Tensor logits = dense(global_avg_pool(h), {.out = 10, .name = "fc"});
  output("logits", logits);
  loss(softmax_cross_entropy(logits, y));
}

// An LSTM 64 -> 128 over 32 steps of float features; a linear head
// classifies each sequence from the last hidden state.
LOOM_MODEL(lstm) {
  Tensor x = input("x", {batch, 32, 64});
  Tensor y = label("class", {batch});
  LstmResult r = lstm_with_state(x, {.hidden = 128, .name = "lstm"});
  Tensor logits = torch_linear(r.h, {.out = 10, .name = "head"});
  output("logits", logits);
  loss(softmax_cross_entropy(logits, y));
}

// One Transformer encoder layer (PyTorch's nn.TransformerEncoderLayer,
// post-norm, ReLU, dropout 0.1) of width 256, 4 heads, feed-forward 1024,
// on 128 tokens; the mean over the tokens feeds a 10-way linear head.
LOOM_MODEL(transformer) {
  Tensor x = input("x", {batch, 128, 256});
  Tensor y = label("class", {batch});
  Tensor h = transformer_encoder_layer(x, {.heads = 4, .ff = 1024, .dropout = 0.1, .name = "encoder"});
  Tensor logits = torch_linear(reduce_mean(h, {.axes = {1}}), {.out = 10, .name = "head"});
  output("logits", logits);
  loss(softmax_cross_entropy(logits, y));
}

// Square matmuls for GFLOP/s: --batch N gives an N x N x N product.
LOOM_MODEL(matmul) {
  Tensor a = input("a", {batch, batch});
  Tensor b = input("b", {batch, batch});
  output("c", matmul(a, b));
}
