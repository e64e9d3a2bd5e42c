//===- TrainSessionTest.cpp - Sessions running training entries -----------===//
//
// Drives Session::run and Session::trainStep with FakeTrainer's hand-written
// train_step: hyperparameters, optimizer state, adopting parameter/state
// updates by buffer swaps (and not allocating for them after the first
// step), and keeping the last good values when the loss is not finite.
//
//===----------------------------------------------------------------------===//

#include "FakeTrainer.h"
#include "loom/rt/core/Session.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace loom::rt;
using loom::rt::test::makeQuad;

namespace {

HostTensor vec(float a, float b) { return HostTensor::fromF32({2}, {a, b}); }

std::map<std::string, HostTensor> batchOf(float a, float b) {
  std::map<std::string, HostTensor> batch;
  batch.emplace("x", vec(a, b));
  return batch;
}

class TrainSessionTest : public ::testing::Test {
protected:
  void SetUp() override {
    Status s = Session::create(makeQuad(), /*seed=*/1, session);
    ASSERT_TRUE(s) << s.message();
  }
  std::vector<double> values(const HostTensor *t) {
    std::vector<double> v;
    for (int64_t i = 0; t && i < t->numElements(); ++i)
      v.push_back(t->at(i));
    return v;
  }
  std::unique_ptr<Session> session;
};

} // namespace

TEST_F(TrainSessionTest, StatesStartAtZero) {
  EXPECT_EQ(session->stateNames(), std::vector<std::string>{"w.m"});
  EXPECT_EQ(values(session->state("w.m")), (std::vector<double>{0, 0}));
  EXPECT_EQ(session->state("w"), nullptr) << "parameters are not states";
  EXPECT_EQ(session->step(), 0);
}

TEST_F(TrainSessionTest, TrainStepAdoptsUpdates) {
  std::map<std::string, HostTensor> out;
  Status s = session->trainStep(batchOf(0, 0), 0.25, out);
  ASSERT_TRUE(s) << s.message();
  // Updates are adopted, not returned.
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out.at("loss").at(0), 5.0);
  EXPECT_EQ(out.at("seen").at(0), 1.0) << "step is 1-based";
  EXPECT_EQ(values(session->param("w")), (std::vector<double>{0.5, 1}));
  EXPECT_EQ(values(session->state("w.m")), (std::vector<double>{2, 4}));
  EXPECT_EQ(session->step(), 1);

  ASSERT_TRUE(session->trainStep(batchOf(0, 0), 0.25, out));
  EXPECT_EQ(out.at("loss").at(0), 1.25);
  EXPECT_EQ(out.at("seen").at(0), 2.0);
  EXPECT_EQ(values(session->param("w")), (std::vector<double>{0.25, 0.5}));
  EXPECT_EQ(values(session->state("w.m")), (std::vector<double>{3, 6}));
  EXPECT_EQ(session->step(), 2);
}

TEST_F(TrainSessionTest, UpdateBuffersAreReused) {
  // Two buffers per updated tensor, swapped every step: no allocation
  // after the first step.
  std::map<std::string, HostTensor> out;
  std::vector<const void *> w, m;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(session->trainStep(batchOf(0, 0), 0.1, out));
    w.push_back(session->param("w")->data());
    m.push_back(session->state("w.m")->data());
  }
  EXPECT_NE(w[0], w[1]);
  EXPECT_NE(m[0], m[1]);
  for (int i = 2; i < 5; ++i) {
    EXPECT_EQ(w[i], w[i - 2]) << i;
    EXPECT_EQ(m[i], m[i - 2]) << i;
  }
}

TEST_F(TrainSessionTest, NonFiniteLossKeepsTheLastGoodValues) {
  std::map<std::string, HostTensor> out;
  ASSERT_TRUE(session->trainStep(batchOf(0, 0), 0.25, out));
  float nan = std::numeric_limits<float>::quiet_NaN();
  Status s = session->trainStep(batchOf(nan, 0), 0.25, out);
  EXPECT_EQ(s.message(), "non-finite loss (nan) at step 2");
  EXPECT_TRUE(std::isnan(out.at("loss").at(0))) << "still reported";
  EXPECT_EQ(values(session->param("w")), (std::vector<double>{0.5, 1}));
  EXPECT_EQ(values(session->state("w.m")), (std::vector<double>{2, 4}));
  EXPECT_EQ(session->step(), 1);

  s = session->trainStep(batchOf(1e30f, 0), 0.25, out);
  EXPECT_EQ(s.message(), "non-finite loss (inf) at step 2");
  EXPECT_EQ(values(session->param("w")), (std::vector<double>{0.5, 1}));

  ASSERT_TRUE(session->trainStep(batchOf(0, 0), 0.25, out));
  EXPECT_EQ(out.at("seen").at(0), 2.0) << "the dropped steps did not count";
  EXPECT_EQ(values(session->param("w")), (std::vector<double>{0.25, 0.5}));
}

TEST_F(TrainSessionTest, RunPassesHyperparameters) {
  std::map<std::string, HostTensor> out;
  Status s = session->run("train_step", batchOf(0, 0), out,
                          {{"lr", 0.5}, {"step", 7}});
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(out.at("seen").at(0), 7.0);
  EXPECT_EQ(values(session->param("w")), (std::vector<double>{0, 0}));
  EXPECT_EQ(session->step(), 0) << "only trainStep counts steps";

  s = session->run("train_step", batchOf(0, 0), out, {{"lr", 0.5}});
  EXPECT_EQ(s.message(),
            "missing hyperparameter 'step' for entry 'train_step'");
  s = session->run("train_step", batchOf(0, 0), out,
                   {{"lr", 0.5}, {"step", 1}, {"lr2", 1}});
  EXPECT_EQ(s.message(), "unknown hyperparameter 'lr2' for entry "
                         "'train_step' (its hyperparameters: lr, step)");
  s = session->run("eval", batchOf(0, 0), out, {{"lr", 1}});
  EXPECT_EQ(s.message(), "unknown hyperparameter 'lr' for entry 'eval' (its "
                         "hyperparameters: none)");
  ASSERT_TRUE(session->run("eval", batchOf(0, 0), out));
  EXPECT_EQ(out.at("loss").at(0), 0.0);
}

TEST_F(TrainSessionTest, SetStateAndStep) {
  ASSERT_TRUE(session->setState("w.m", vec(3, 4)));
  EXPECT_EQ(values(session->state("w.m")), (std::vector<double>{3, 4}));
  EXPECT_EQ(session->setState("w.m", HostTensor(TensorType{DType::F32, {3}}))
                .message(),
            "optimizer state 'w.m': expected f32[2], got f32[3]");
  EXPECT_EQ(session->setState("w.v", vec(0, 0)).message(),
            "unknown optimizer state 'w.v' (the model's states: w.m)");

  session->setStep(41);
  std::map<std::string, HostTensor> out;
  ASSERT_TRUE(session->trainStep(batchOf(0, 0), 0.25, out));
  EXPECT_EQ(out.at("seen").at(0), 42.0);
  EXPECT_EQ(session->step(), 42);
  EXPECT_EQ(values(session->state("w.m")), (std::vector<double>{5, 8}));
}

TEST(TrainSessionCreateTest, RejectsInconsistentTrainingEntries) {
  std::unique_ptr<Session> session;
  auto exe = makeQuad();
  exe->entries[0].args[8].name = "w.v";
  EXPECT_EQ(Session::create(exe, 0, session).message(),
            "entry 'train_step' takes unknown state update 'w.v'");

  exe = makeQuad();
  exe->entries[0].args[7].type = {DType::F32, {3}};
  EXPECT_EQ(Session::create(exe, 0, session).message(),
            "entry 'train_step' takes parameter update 'w' as f32[3], "
            "but it is declared f32[2]");

  exe = makeQuad();
  exe->entries[0].args[3].type = {DType::F32, {1}};
  EXPECT_EQ(Session::create(exe, 0, session).message(),
            "entry 'train_step' takes hyperparameter 'lr' as f32[1], but "
            "hyperparameters are f32[]");

  exe = makeQuad();
  exe->entries[0].args[8] = {ArgKind::ParamUpdate, "w", {DType::F32, {2}}};
  EXPECT_EQ(Session::create(exe, 0, session).message(),
            "entry 'train_step' updates 'w' twice");

  exe = makeQuad();
  exe->entries.erase(exe->entries.begin());
  ASSERT_TRUE(Session::create(exe, 0, session));
  std::map<std::string, HostTensor> out;
  EXPECT_EQ(session->trainStep(batchOf(0, 0), 0.1, out).message(),
            "model 'quad' has no entry 'train_step' (entries: eval)");
}
