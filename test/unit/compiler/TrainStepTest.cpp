//===- TrainStepTest.cpp - Compiled train steps against a hand computation ===//
//
// Models built with the DSL (a 3-5-3 tanh MLP with softmax_cross_entropy, a
// logistic regression with bce_with_logits), turned into training entries
// with each optimizer, JIT-compiled and stepped through Session::trainStep.
// The oracle is independent of autodiff: the gradient is a central
// difference of @eval's loss on the reference evaluator (double precision),
// and the optimizer is PyTorch's update written out again below in double.
// After every step the session's parameters and optimizer states must match
// the oracle's:
//
//   |compiled - oracle| <= 1e-4 * |oracle| + 1e-5
//
// which allows the f32 arithmetic of three compiled steps (relative error
// around 1e-6) and the difference quotient's error (around 1e-9), and
// nothing more. A model with two losses (a GAN without noise) is checked
// step by step the same way, each group's step against the oracle of its
// own loss and parameters. A last test trains XOR to 100% accuracy through
// trainStep.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "DSL/ModelBuilder.h"
#include "Reference/Evaluator.h"
#include "SignatureAttrs.h"
#include "Target/CPU/JitCompiler.h"
#include "Transforms/Training.h"
#include "loom/loom.h"

#include <cmath>
#include <random>

using namespace loom::test;
namespace rt = loom::rt;
using loom::RefTensor;
using loom::TrainingOptions;
using Optimizer = loom::TrainingOptions::Optimizer;
using Values = std::map<std::string, std::vector<double>>;

namespace {

//===----------------------------------------------------------------------===//
// The models
//===----------------------------------------------------------------------===//

bool gFreezeOutputBias = false;

/// 3 features -> 5 tanh units -> 3 classes; labels are class indices.
void mlpModel() {
  loom::Tensor x = loom::input("x", {loom::batch, 3});
  loom::Tensor y = loom::label("y", {loom::batch});
  loom::Tensor h = loom::tanh(loom::dense(x, {.out = 5, .name = "hidden"}));
  loom::Tensor logits;
  if (!gFreezeOutputBias) {
    logits = loom::dense(
        h,
        {.out = 3, .name = "out", .bias_init = loom::init::uniform(-0.5, 0.5)});
  } else {
    // The same layer with a frozen bias, declared by hand.
    logits = loom::matmul(
        h, loom::param("out2.weight", {5, 3}, {.init = loom::init::xavier()}));
    logits = logits + loom::param("out2.bias", {3},
                                  {.init = loom::init::uniform(-0.5, 0.5),
                                   .trainable = false});
  }
  loom::output("logits", logits);
  loom::loss(loom::softmax_cross_entropy(logits, y));
  loom::metric("accuracy", loom::accuracy(logits, y));
}

/// Logistic regression on 2 features.
void logisticModel() {
  loom::Tensor x = loom::input("x", {loom::batch, 2});
  loom::Tensor y = loom::label("y", {loom::batch, 1});
  loom::Tensor logit = loom::dense(
      x, {.out = 1, .name = "lr", .init = loom::init::uniform(-1, 1)});
  loom::output("p", loom::sigmoid(logit));
  loom::loss(loom::bce_with_logits(logit, y));
  loom::metric("accuracy", loom::binary_accuracy(logit, y));
}

/// Two losses over disjoint parameter groups, a GAN without noise: a
/// "generator" maps x to fake rows, a "discriminator" scores real and fake
/// rows with the same weights.
void twoLossModel() {
  loom::Tensor x = loom::input("x", {loom::batch, 2});
  loom::Tensor fake = loom::tanh(loom::dense(
      x, {.out = 2, .name = "gen.fc", .init = loom::init::uniform(-1, 1)}));
  loom::Tensor w =
      loom::param("disc.w", {2, 1}, {.init = loom::init::uniform(-1, 1)});
  loom::Tensor b =
      loom::param("disc.b", {1}, {.init = loom::init::uniform(-0.5, 0.5)});
  loom::Tensor onReal = loom::matmul(x, w) + b;
  loom::Tensor onFake = loom::matmul(fake, w) + b;
  loom::Tensor ones = loom::broadcast_to(loom::constant(1.0), {x.dim(0), 1});
  loom::Tensor zeros = loom::broadcast_to(loom::constant(0.0), {x.dim(0), 1});
  loom::output("fake", fake);
  loom::loss(loom::bce_with_logits(onReal, ones) +
                 loom::bce_with_logits(onFake, zeros),
             {.name = "discriminator", .params = {"disc."}});
  loom::loss(loom::bce_with_logits(onFake, ones),
             {.name = "generator", .params = {"gen."}});
}

/// 2 -> 2 tanh -> 1 on the four XOR cases.
void xorModel() {
  loom::Tensor x = loom::input("x", {loom::batch, 2});
  loom::Tensor y = loom::label("y", {loom::batch, 1});
  loom::Tensor h = loom::tanh(loom::dense(x, {.out = 2, .name = "hidden"}));
  loom::Tensor logit = loom::dense(h, {.out = 1, .name = "out"});
  loom::output("p", loom::sigmoid(logit));
  loom::loss(loom::bce_with_logits(logit, y));
  loom::metric("accuracy", loom::binary_accuracy(logit, y));
}

rt::HostTensor tensorOf(std::vector<int64_t> shape,
                        const std::vector<float> &values) {
  return rt::HostTensor::fromF32(std::move(shape), values);
}

std::map<std::string, rt::HostTensor> mlpBatch(uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-2, 2);
  std::vector<float> x(4 * 3), y = {0, 2, 1, 2};
  for (float &v : x)
    v = u(rng);
  std::map<std::string, rt::HostTensor> batch;
  batch.emplace("x", tensorOf({4, 3}, x));
  batch.emplace("y", tensorOf({4}, y));
  return batch;
}

std::map<std::string, rt::HostTensor> logisticBatch(uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-2, 2);
  std::vector<float> x(6 * 2), y(6);
  for (float &v : x)
    v = u(rng);
  for (int i = 0; i < 6; ++i)
    y[i] = x[2 * i] + 0.5f * x[2 * i + 1] > 0 ? 1.0f : 0.0f;
  std::map<std::string, rt::HostTensor> batch;
  batch.emplace("x", tensorOf({6, 2}, x));
  batch.emplace("y", tensorOf({6, 1}, y));
  return batch;
}

//===----------------------------------------------------------------------===//
// The oracle
//===----------------------------------------------------------------------===//

std::vector<double> valuesOf(const rt::HostTensor &t) {
  std::vector<double> v(t.numElements());
  for (int64_t i = 0; i < t.numElements(); ++i)
    v[i] = t.at(i);
  return v;
}

/// @eval's results in double, for the given parameters.
std::vector<double>
evalReference(mlir::func::FuncOp eval,
              const std::map<std::string, rt::HostTensor> &batch,
              const Values &params) {
  std::vector<RefTensor> args;
  for (unsigned i = 0; i < eval.getNumArguments(); ++i) {
    auto type = mlir::cast<mlir::RankedTensorType>(eval.getArgumentTypes()[i]);
    RefTensor t(type.getShape());
    if (auto p =
            eval.getArgAttrOfType<mlir::StringAttr>(i, loom::attrs::kParam))
      t.data = params.at(p.str());
    else
      t.data = valuesOf(batch.at(
          eval.getArgAttrOfType<mlir::StringAttr>(i, loom::attrs::kInput)
              .str()));
    args.push_back(std::move(t));
  }
  auto results = loom::evaluateReference(eval, args);
  EXPECT_TRUE(mlir::succeeded(results));
  std::vector<double> out;
  if (mlir::succeeded(results))
    for (const RefTensor &r : *results)
      out.push_back(r.data[0]);
  return out;
}

/// d(loss)/d(param) by central differences, h = 1e-6 * max(1, |p|), of
/// @eval's result `result` (the loss, or one of several losses).
Values fdGradients(mlir::func::FuncOp eval,
                   const std::map<std::string, rt::HostTensor> &batch,
                   Values params, const std::vector<std::string> &trainable,
                   unsigned result = 0) {
  Values grads;
  for (const std::string &name : trainable) {
    std::vector<double> &p = params.at(name);
    std::vector<double> &g = grads[name];
    g.resize(p.size());
    for (size_t i = 0; i < p.size(); ++i) {
      double saved = p[i], h = 1e-6 * std::max(1.0, std::fabs(saved));
      p[i] = saved + h;
      double up = evalReference(eval, batch, params)[result];
      p[i] = saved - h;
      double down = evalReference(eval, batch, params)[result];
      p[i] = saved;
      g[i] = (up - down) / (2 * h);
    }
  }
  return grads;
}

/// torch.nn.utils.clip_grad_norm_, torch.optim.SGD / Adam / AdamW, in
/// double, written from PyTorch's documentation independently of the pass.
void referenceStep(const TrainingOptions &o, double lr, int t, Values grads,
                   Values &params, Values &states) {
  if (o.clipNorm > 0) {
    double sq = 0;
    for (auto &[name, g] : grads)
      for (double v : g)
        sq += v * v;
    double coef = std::min(1.0, o.clipNorm / (std::sqrt(sq) + 1e-6));
    for (auto &[name, g] : grads)
      for (double &v : g)
        v *= coef;
  }
  for (auto &[name, g] : grads) {
    std::vector<double> &p = params.at(name);
    for (size_t i = 0; i < p.size(); ++i) {
      double gi = g[i];
      if (o.optimizer != Optimizer::AdamW)
        gi += o.weightDecay * p[i];
      switch (o.optimizer) {
      case Optimizer::SGD:
        p[i] -= lr * gi;
        break;
      case Optimizer::Momentum: {
        std::vector<double> &buf = states[name + ".momentum"];
        buf.resize(p.size());
        buf[i] = t == 1 ? gi : o.momentum * buf[i] + gi; // PyTorch's first step
        double d = o.nesterov ? gi + o.momentum * buf[i] : buf[i];
        p[i] -= lr * d;
        break;
      }
      case Optimizer::Adam:
      case Optimizer::AdamW: {
        if (o.optimizer == Optimizer::AdamW)
          p[i] *= 1 - lr * o.weightDecay;
        std::vector<double> &m = states[name + ".m"], &v = states[name + ".v"];
        m.resize(p.size());
        v.resize(p.size());
        m[i] = o.beta1 * m[i] + (1 - o.beta1) * gi;
        v[i] = o.beta2 * v[i] + (1 - o.beta2) * gi * gi;
        double bc1 = 1 - std::pow(o.beta1, t), bc2 = 1 - std::pow(o.beta2, t);
        double denom = std::sqrt(v[i]) / std::sqrt(bc2) + o.eps;
        p[i] -= lr / bc1 * m[i] / denom;
        break;
      }
      }
    }
  }
}

void expectNear(const std::vector<double> &got, const std::vector<double> &want,
                const std::string &what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  int failures = 0;
  for (size_t i = 0; i < got.size() && failures < 5; ++i)
    if (!(std::fabs(got[i] - want[i]) <= 1e-4 * std::fabs(want[i]) + 1e-5)) {
      ++failures;
      ADD_FAILURE() << what << "[" << i << "]: compiled " << got[i]
                    << ", oracle " << want[i];
    }
}

struct Model {
  loom::dsl::ModelFn fn;
  int64_t batch;
  std::map<std::string, rt::HostTensor> (*data)(uint32_t);
};
const Model kMlp = {&mlpModel, 4, &mlpBatch};
const Model kLogistic = {&logisticModel, 6, &logisticBatch};

/// Builds, compiles and runs `steps` train steps of `model` (a new batch
/// each step), checking the loss, parameters and states against the oracle
/// after each.
void checkTrainSteps(const Model &model, const TrainingOptions &o, double lr,
                     int steps = 3) {
  SCOPED_TRACE(std::string("optimizer ") + loom::optimizerName(o.optimizer));
  mlir::MLIRContext &ctx = testContext();
  auto module = loom::dsl::buildModel(
      ctx, {"model", model.fn, __FILE__, __LINE__}, model.batch);
  ASSERT_TRUE(module);
  ASSERT_TRUE(mlir::succeeded(loom::buildTrainingEntries(*module, o)));
  auto exe = loom::compileForCPU(*module);
  ASSERT_TRUE(bool(exe)) << llvm::toString(exe.takeError());
  std::unique_ptr<rt::Session> session;
  rt::Status st = rt::Session::create(*exe, /*seed=*/7, session);
  ASSERT_TRUE(st) << st.message();
  auto eval = module->lookupSymbol<mlir::func::FuncOp>("eval");
  ASSERT_TRUE(eval);

  Values params, states;
  std::vector<std::string> trainable;
  for (const rt::ParamInfo &p : (*exe)->params) {
    params[p.name] = valuesOf(*session->param(p.name));
    if (p.trainable)
      trainable.push_back(p.name);
  }
  for (int t = 1; t <= steps; ++t) {
    SCOPED_TRACE("step " + std::to_string(t));
    auto batch = model.data(100 + t);
    std::vector<double> want = evalReference(eval, batch, params);
    Values grads = fdGradients(eval, batch, params, trainable);
    referenceStep(o, lr, t, grads, params, states);

    std::map<std::string, rt::HostTensor> out;
    st = session->trainStep(batch, lr, out);
    ASSERT_TRUE(st) << st.message();
    expectNear({out.at("loss").at(0)}, {want[0]}, "loss");
    expectNear({out.at("accuracy").at(0)}, {want[1]}, "accuracy");
    for (auto &[name, value] : params)
      expectNear(valuesOf(*session->param(name)), value, name);
    for (auto &[name, value] : states) {
      ASSERT_TRUE(session->state(name)) << name;
      expectNear(valuesOf(*session->state(name)), value, name);
    }
  }
  EXPECT_EQ(session->stateNames().size(), states.size());
}

TrainingOptions sgd(double wd = 0, double clip = 0) {
  TrainingOptions o;
  o.weightDecay = wd;
  o.clipNorm = clip;
  return o;
}
TrainingOptions momentum(bool nesterov, double wd) {
  TrainingOptions o;
  o.optimizer = Optimizer::Momentum;
  o.momentum = 0.8;
  o.nesterov = nesterov;
  o.weightDecay = wd;
  return o;
}
TrainingOptions adam(Optimizer kind, double wd) {
  TrainingOptions o;
  o.optimizer = kind;
  o.beta1 = 0.8;
  o.beta2 = 0.95;
  o.eps = 1e-6;
  o.weightDecay = wd;
  return o;
}

} // namespace

TEST(TrainStepTest, MlpSGD) { checkTrainSteps(kMlp, sgd(), 0.5); }
TEST(TrainStepTest, MlpSGDWeightDecay) {
  checkTrainSteps(kMlp, sgd(/*wd=*/0.1), 0.5);
}
TEST(TrainStepTest, MlpMomentum) {
  checkTrainSteps(kMlp, momentum(false, 0.0), 0.3);
}
TEST(TrainStepTest, MlpNesterovWeightDecay) {
  checkTrainSteps(kMlp, momentum(true, 0.05), 0.3);
}
TEST(TrainStepTest, MlpAdam) {
  checkTrainSteps(kMlp, adam(Optimizer::Adam, 0.0), 0.05);
}
TEST(TrainStepTest, MlpAdamWeightDecay) {
  checkTrainSteps(kMlp, adam(Optimizer::Adam, 0.1), 0.05);
}
TEST(TrainStepTest, MlpAdamW) {
  checkTrainSteps(kMlp, adam(Optimizer::AdamW, 0.1), 0.05);
}
TEST(TrainStepTest, MlpClipped) {
  // The MLP's gradient norm is around 1 here: 0.2 always clips.
  checkTrainSteps(kMlp, sgd(0, /*clip=*/0.2), 0.5);
}
TEST(TrainStepTest, MlpFrozenBias) {
  gFreezeOutputBias = true;
  checkTrainSteps(kMlp, adam(Optimizer::Adam, 0.0), 0.05);
  gFreezeOutputBias = false;
}

TEST(TrainStepTest, LogisticSGD) { checkTrainSteps(kLogistic, sgd(), 1.0); }
TEST(TrainStepTest, LogisticNesterov) {
  checkTrainSteps(kLogistic, momentum(true, 0.01), 0.5);
}
TEST(TrainStepTest, LogisticAdam) {
  checkTrainSteps(kLogistic, adam(Optimizer::Adam, 0.01), 0.1);
}
TEST(TrainStepTest, LogisticAdamWClipped) {
  TrainingOptions o = adam(Optimizer::AdamW, 0.01);
  o.clipNorm = 0.1;
  checkTrainSteps(kLogistic, o, 0.1);
}

TEST(TrainStepTest, FrozenParamHasNoStateAndStaysPut) {
  gFreezeOutputBias = true;
  mlir::MLIRContext &ctx = testContext();
  auto module =
      loom::dsl::buildModel(ctx, {"mlp", &mlpModel, __FILE__, __LINE__}, 4);
  gFreezeOutputBias = false;
  ASSERT_TRUE(module);
  ASSERT_TRUE(mlir::succeeded(
      loom::buildTrainingEntries(*module, adam(Optimizer::Adam, 0))));
  auto exe = loom::compileForCPU(*module);
  ASSERT_TRUE(bool(exe)) << llvm::toString(exe.takeError());
  for (const rt::StateInfo &s : (*exe)->states)
    EXPECT_EQ(s.name.find("out2.bias"), std::string::npos) << s.name;
  std::unique_ptr<rt::Session> session;
  ASSERT_TRUE(rt::Session::create(*exe, 7, session));
  std::vector<double> bias = valuesOf(*session->param("out2.bias"));
  std::vector<double> weight = valuesOf(*session->param("out2.weight"));
  std::map<std::string, rt::HostTensor> out;
  ASSERT_TRUE(session->trainStep(mlpBatch(1), 0.1, out));
  EXPECT_EQ(valuesOf(*session->param("out2.bias")), bias);
  EXPECT_NE(valuesOf(*session->param("out2.weight")), weight);
  const rt::EntryPoint *step = (*exe)->findEntry("train_step");
  ASSERT_TRUE(step);
  for (const rt::ArgSpec &a : step->args)
    EXPECT_FALSE(a.kind == rt::ArgKind::ParamUpdate && a.name == "out2.bias");
}

/// A model with two losses: each group's step matches the oracle for its
/// own loss and parameters (gradients through the other group, which the
/// step leaves bit-identical), the generator's step sees the
/// discriminator's update, and both groups' Adam steps count 1, 2, 3 on
/// one shared step number.
TEST(TrainStepTest, TwoLossGroupsEachStepTheirOwn) {
  mlir::MLIRContext &ctx = testContext();
  auto module =
      loom::dsl::buildModel(ctx, {"gan", &twoLossModel, __FILE__, __LINE__}, 6);
  ASSERT_TRUE(module);
  TrainingOptions o = adam(Optimizer::Adam, 0);
  ASSERT_TRUE(mlir::succeeded(loom::buildTrainingEntries(*module, o)));
  EXPECT_FALSE(module->lookupSymbol("train_step"));
  auto exe = loom::compileForCPU(*module);
  ASSERT_TRUE(bool(exe)) << llvm::toString(exe.takeError());
  std::unique_ptr<rt::Session> session;
  ASSERT_TRUE(rt::Session::create(*exe, /*seed=*/3, session));
  auto eval = module->lookupSymbol<mlir::func::FuncOp>("eval");
  ASSERT_TRUE(eval);

  Values params, states;
  for (const rt::ParamInfo &p : (*exe)->params)
    params[p.name] = valuesOf(*session->param(p.name));
  struct Group {
    const char *entry, *loss;
    unsigned result;
    std::vector<std::string> own;
  };
  const Group groups[] = {
      {"train_step_discriminator",
       "discriminator_loss",
       0,
       {"disc.w", "disc.b"}},
      {"train_step_generator",
       "generator_loss",
       1,
       {"gen.fc.weight", "gen.fc.bias"}},
  };
  double lr = 0.05;
  for (int t = 1; t <= 3; ++t) {
    auto batch = logisticBatch(200 + t);
    batch.erase("y");
    for (const Group &g : groups) {
      SCOPED_TRACE(std::string(g.entry) + " at step " + std::to_string(t));
      double want = evalReference(eval, batch, params)[g.result];
      Values grads = fdGradients(eval, batch, params, g.own, g.result);
      Values before; // the session's own values, compared bit for bit
      for (auto &[name, value] : params)
        before[name] = valuesOf(*session->param(name));
      referenceStep(o, lr, t, grads, params, states);
      std::map<std::string, rt::HostTensor> out;
      rt::Status st = session->trainStep(g.entry, g.loss, batch, lr, out,
                                         /*advance=*/false);
      ASSERT_TRUE(st) << st.message();
      expectNear({out.at(g.loss).at(0)}, {want}, g.loss);
      for (auto &[name, value] : params) {
        if (llvm::is_contained(g.own, name))
          expectNear(valuesOf(*session->param(name)), value, name);
        else // the other group's parameters: exactly as they were
          EXPECT_EQ(valuesOf(*session->param(name)), before.at(name)) << name;
      }
    }
    session->setStep(t);
    for (auto &[name, value] : states)
      expectNear(valuesOf(*session->state(name)), value, name);
  }
  EXPECT_EQ(session->stateNames().size(), 8u); // m and v of 4 parameters
}

/// XOR is the smallest problem a linear model cannot solve. With this seed
/// and Adam(lr = 0.1) the 2-2-1 tanh MLP classifies all four cases within a
/// few hundred steps; the loss keeps falling after that.
TEST(TrainStepTest, XorReachesFullAccuracy) {
  mlir::MLIRContext &ctx = testContext();
  auto module =
      loom::dsl::buildModel(ctx, {"xor", &xorModel, __FILE__, __LINE__}, 4);
  ASSERT_TRUE(module);
  TrainingOptions o;
  o.optimizer = Optimizer::Adam;
  ASSERT_TRUE(mlir::succeeded(loom::buildTrainingEntries(*module, o)));
  auto exe = loom::compileForCPU(*module);
  ASSERT_TRUE(bool(exe)) << llvm::toString(exe.takeError());
  std::unique_ptr<rt::Session> session;
  ASSERT_TRUE(rt::Session::create(*exe, /*seed=*/1, session));

  std::map<std::string, rt::HostTensor> batch;
  batch.emplace("x", tensorOf({4, 2}, {0, 0, 0, 1, 1, 0, 1, 1}));
  batch.emplace("y", tensorOf({4, 1}, {0, 1, 1, 0}));
  std::map<std::string, rt::HostTensor> out;
  double first = 0, accuracy = 0, loss = 0;
  int solvedAt = -1;
  for (int step = 1; step <= 500; ++step) {
    rt::Status st = session->trainStep(batch, 0.1, out);
    ASSERT_TRUE(st) << st.message();
    loss = out.at("loss").at(0);
    accuracy = out.at("accuracy").at(0);
    if (step == 1)
      first = loss;
    if (accuracy == 1.0 && solvedAt < 0)
      solvedAt = step;
  }
  EXPECT_EQ(session->step(), 500);
  EXPECT_EQ(accuracy, 1.0);
  EXPECT_GT(solvedAt, 0);
  EXPECT_LE(solvedAt, 300) << "solved only at step " << solvedAt;
  EXPECT_LT(loss, 0.1 * first) << "first loss " << first;

  // The pruned forward needs no labels.
  std::map<std::string, rt::HostTensor> inputs, outputs;
  inputs.emplace("x", tensorOf({4, 2}, {0, 0, 0, 1, 1, 0, 1, 1}));
  rt::Status st = session->run("forward", inputs, outputs);
  ASSERT_TRUE(st) << st.message();
  const rt::HostTensor &p = outputs.at("p");
  EXPECT_LT(p.at(0), 0.5);
  EXPECT_GT(p.at(1), 0.5);
  EXPECT_GT(p.at(2), 0.5);
  EXPECT_LT(p.at(3), 0.5);
}
