// Lesson 10: transfer learning. One convolutional body (LeNet-5's two
// convolutions and first dense layer), two heads:
//   pretrain  -- the body + `head` (5 classes), trained on Fashion-MNIST
//                classes 0-4 (tops, trousers, pullovers, dresses, coats);
//   finetune  -- the same body + a new `new_head` (5 classes) for classes
//                5-9 (sandals, shirts, sneakers, bags, ankle boots).
// `loomc train --init pretrained.safetensors --init-partial` loads the body
// by name and initializes the new head; `--freeze conv1,conv2` keeps the
// convolutions fixed while 500 labeled images train the rest. README.md has
// the commands and the comparison with training from scratch.
#include <loom/loom.h>

using namespace loom;

static Tensor body(Tensor x) {
  Tensor h = relu(conv2d(x, {.out_channels = 6, .kernel = 5, .padding = 2, .name = "conv1"}));
  h = max_pool2d(h, {.kernel = 2});
  h = relu(conv2d(h, {.out_channels = 16, .kernel = 5, .name = "conv2"}));
  h = flatten(max_pool2d(h, {.kernel = 2}));
  return relu(dense(h, {.out = 120, .name = "fc1", .init = init::he()}));
}

static void classifier(const char *head) {
  Tensor x = input("image", {batch, 1, 28, 28});
  Tensor y = label("class", {batch});
  Tensor logits = dense(body(x), {.out = 5, .name = head});
  output("probabilities", softmax(logits));
  loss(softmax_cross_entropy(logits, y));
  metric("accuracy", accuracy(logits, y));
}

LOOM_MODEL(pretrain) { classifier("head"); }
LOOM_MODEL(finetune) { classifier("new_head"); }
