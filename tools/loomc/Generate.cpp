//===- Generate.cpp - Text from a character model --------------------------===//
//
// A character model reads [batch, T] byte tokens and its first output is
// the next-byte distribution at every position ([batch, T, V] or
// [batch * T, V] probabilities). Generation compiles the forward pass for
// batch 1, keeps a context of the last T bytes (the prompt, padded on the
// left with newlines when shorter), and repeatedly samples the distribution
// at the last position, appending the drawn byte. Every step sees exactly
// T bytes, as in training, so recurrent and attention models alike work
// without carrying state between calls.
//
// `loomc generate` does this from a checkpoint; `loomc train --generate N`
// after training, with the start of the test split as the default prompt.
//
//===----------------------------------------------------------------------===//
#include "Generate.h"

#include "Transforms/Training.h"
#include "Target/CPU/JitCompiler.h"
#include "Trainer.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>
#include <random>

using namespace llvm;
namespace rt = loom::rt;

namespace loomc {

Expected<std::unique_ptr<TextGenerator>>
TextGenerator::create(CompilerContext &cc, const loom::dsl::ModelEntry &model,
                      uint64_t seed) {
  loom::dsl::ModelInterface iface;
  auto module = loom::dsl::buildModel(cc.context, model, 1, &iface);
  if (!module)
    return createStringError("building model '" + model.name + "' failed");
  auto notCharModel = [&](const Twine &why) {
    return createStringError(
        "model '" + model.name + "' is not a character model: " + why +
        " (generating text needs one input [batch, T] of byte tokens and a "
        "first output with the next-byte probabilities)");
  };
  std::unique_ptr<TextGenerator> g(new TextGenerator());
  for (const auto &in : iface.inputs) {
    if (in.isLabel)
      continue;
    if (!g->input_.empty())
      return notCharModel("it has more than one input");
    if (in.shape.size() != 2 || in.shape[0] != -1)
      return notCharModel("input '" + in.name + "' is not [batch, T]");
    g->input_ = in.name;
    g->window_ = in.shape[1];
  }
  if (g->input_.empty())
    return notCharModel("it has no input");
  if (iface.outputs.empty())
    return notCharModel("it has no output");
  if (iface.numClasses < 1 || iface.numClasses > 256)
    return notCharModel("its loss is not a softmax_cross_entropy over at most "
                        "256 byte tokens");
  g->output_ = iface.outputs.front();
  g->vocab_ = iface.numClasses;
  if (iface.hasLoss && failed(loom::pruneForward(*module)))
    return createStringError("pruning the forward pass of '" + model.name +
                             "' failed");
  auto exe = loom::compileForCPU(*module, cc.compileOptions(model.name));
  if (!exe)
    return exe.takeError();
  if (rt::Status st = rt::Session::create(*exe, seed, g->session_); !st)
    return createStringError(st.message());
  g->modelName_ = model.name;
  g->seed_ = seed;
  return std::move(g);
}

Error TextGenerator::copyWeights(const rt::Session &from) {
  for (const rt::ParamInfo &p : session_->executable().params) {
    const rt::HostTensor *t = from.param(p.name);
    if (!t)
      return createStringError("the trained session has no parameter '" +
                               p.name + "'");
    if (rt::Status st = session_->setParam(p.name, t->clone()); !st)
      return createStringError(st.message());
  }
  return Error::success();
}

Error TextGenerator::loadWeights(const std::string &checkpoint) {
  return loadCheckpointInto(*session_, checkpoint, modelName_,
                            /*withOptimizerState=*/false, nullptr);
}

Expected<std::string> TextGenerator::generate(const std::string &prompt,
                                              int64_t length,
                                              double temperature) {
  if (length < 0)
    return createStringError("the length to generate must be at least 0");
  if (!(temperature > 0) || !std::isfinite(temperature))
    return createStringError(
        formatv("the temperature must be positive, got {0}", temperature));
  for (unsigned char c : prompt)
    if (c >= vocab_) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", c);
      return createStringError("the prompt has byte " + std::string(hex) +
                               " outside the model's vocabulary of " +
                               std::to_string(vocab_) + " tokens");
    }
  std::string context = prompt;
  if (int64_t(context.size()) < window_)
    context.insert(0, size_t(window_ - int64_t(context.size())), '\n');
  std::mt19937_64 rng(seed_);
  std::string out;
  std::vector<double> weights(static_cast<size_t>(vocab_));
  for (int64_t n = 0; n < length; ++n) {
    rt::HostTensor x(rt::TensorType{rt::DType::F32, {1, window_}});
    const char *last = context.data() + context.size() - window_;
    for (int64_t t = 0; t < window_; ++t)
      x.as<float>()[t] = float(static_cast<unsigned char>(last[t]));
    std::map<std::string, rt::HostTensor> in, results;
    in[input_] = std::move(x);
    if (rt::Status st = session_->run("forward", in, results); !st)
      return createStringError(st.message());
    const rt::HostTensor &probs = results.at(output_);
    if (probs.dtype() != rt::DType::F32 || probs.shape().empty() ||
        probs.shape().back() != vocab_ || probs.numElements() < vocab_)
      return createStringError(
          "model '" + modelName_ + "': its first output '" + output_ +
          "' has type " + probs.type().str() +
          ", not the next-byte probabilities [..., " +
          std::to_string(vocab_) + "]");
    // The distribution at the last position, sharpened or flattened by the
    // temperature: p^(1/t), renormalized.
    const float *p = probs.as<float>() + probs.numElements() - vocab_;
    double sum = 0, total = 0;
    for (int64_t v = 0; v < vocab_; ++v) {
      if (!(p[v] >= 0) || !std::isfinite(p[v]))
        return createStringError(
            "model '" + modelName_ + "': its first output '" + output_ +
            "' is not a probability distribution (a softmax); it holds " +
            formatv("{0}", p[v]).str());
      total += p[v];
      weights[size_t(v)] = p[v] > 0 ? std::pow(double(p[v]), 1.0 / temperature)
                                    : 0.0;
      sum += weights[size_t(v)];
    }
    if (std::fabs(total - 1.0) > 1e-3 || !(sum > 0))
      return createStringError(
          "model '" + modelName_ + "': its first output '" + output_ +
          "' is not a probability distribution (a softmax): the last "
          "position sums to " +
          formatv("{0:F4}", total).str());
    // Inverse-CDF draw with 53 random bits (the same text for a seed on
    // every platform: mt19937_64's stream is fixed by the standard).
    double u = double(rng() >> 11) * 0x1.0p-53 * sum;
    int64_t pick = vocab_ - 1;
    for (int64_t v = 0; v < vocab_; ++v) {
      u -= weights[size_t(v)];
      if (u < 0 && weights[size_t(v)] > 0) {
        pick = v;
        break;
      }
    }
    while (weights[size_t(pick)] == 0) // round-off past the end
      --pick;
    context.push_back(char(pick));
    out.push_back(char(pick));
  }
  return out;
}

} // namespace loomc

namespace loomc {

int runGenerate(const GenerateArgs &args) {
  auto model = loadModel(args.model.file, args.model.model, args.model.verbose);
  if (!model)
    return fail(model.takeError());
  CompilerContext cc;
  cc.verbose = args.model.verbose;
  auto g = TextGenerator::create(cc, *model, args.seed);
  if (!g)
    return fail(g.takeError());
  if (Error e = (*g)->loadWeights(args.checkpoint))
    return fail(std::move(e));
  auto text = (*g)->generate(args.prompt, args.length, args.temperature);
  if (!text)
    return fail(text.takeError());
  outs() << args.prompt << *text << "\n";
  return 0;
}

} // namespace loomc
