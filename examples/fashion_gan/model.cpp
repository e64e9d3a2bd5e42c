// Lesson 13: a generative adversarial network. A generator turns noise
// into 28x28 garments; a discriminator learns to tell them from real
// Fashion-MNIST images. Two losses, each trained over its own parameters:
// every batch runs the discriminator's step (real -> 1, generated -> 0),
// then the generator's (make the discriminator say 1 on generated images:
// the non-saturating loss of Goodfellow et al.), as DCGAN's training loop
// does. The noise is drawn inside the graph, fresh on every step.
#include <loom/loom.h>

#include <cmath>

using namespace loom;

namespace {

/// A dense layer whose parameters are declared once and applied to several
/// inputs: the discriminator judges real and generated images with the
/// same weights. PyTorch's nn.Linear initialization, U(+-1/sqrt(in)).
struct SharedDense {
  Tensor weight, bias;
  SharedDense(const std::string &name, int64_t in, int64_t out) {
    double bound = 1.0 / std::sqrt(double(in));
    weight = param(name + ".weight", {in, out},
                   {.init = init::uniform(-bound, bound)});
    bias = param(name + ".bias", {out}, {.init = init::uniform(-bound, bound)});
  }
  Tensor operator()(Tensor x) const { return matmul(x, weight) + bias; }
};

/// A [rows, 1] tensor of `value`: the targets "real" (1) and "fake" (0).
Tensor filled(Tensor like, double value) {
  return broadcast_to(constant(value), {like.dim(0), 1});
}

} // namespace

LOOM_MODEL(fashion_gan) {
  Tensor real = input("pixels", {batch, 784}); // in [0, 1]

  // Generator: 64 noise values -> 256 -> 784 pixels in [0, 1].
  Tensor z = random_normal({batch, 64});
  Tensor g =
      leaky_relu(dense(z, {.out = 256, .name = "gen.fc1"}), {.alpha = 0.2});
  Tensor fake = sigmoid(dense(g, {.out = 784, .name = "gen.fc2"}));
  output("samples", fake); // what `loomc train --samples` draws

  // Discriminator: 784 -> 256 -> 1 logit ("real"), on both kinds of image.
  SharedDense fc1("disc.fc1", 784, 256), fc2("disc.fc2", 256, 1);
  auto discriminate = [&](Tensor x) {
    return fc2(dropout(leaky_relu(fc1(x), {.alpha = 0.2}), {.rate = 0.3}));
  };
  Tensor onReal = discriminate(real);
  Tensor onFake = discriminate(fake);

  loss(bce_with_logits(onReal, filled(onReal, 1.0)) +
           bce_with_logits(onFake, filled(onFake, 0.0)),
       {.name = "discriminator", .params = {"disc."}});
  loss(bce_with_logits(onFake, filled(onFake, 1.0)),
       {.name = "generator", .params = {"gen."}});
  // How sure the discriminator is (evaluation only): near 0.5 on both
  // when neither side is winning.
  metric("d_real", reduce_mean(sigmoid(onReal)));
  metric("d_fake", reduce_mean(sigmoid(onFake)));
}
