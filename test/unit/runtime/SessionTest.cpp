//===- SessionTest.cpp - Running entry points through a Session ----------===//
//
// Drives Session::run with FakeExecutable's hand-written packed functions:
// the numbers that come back, the memref descriptors the functions see, and
// every argument error a user can make.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/Session.h"
#include "FakeExecutable.h"

#include <gtest/gtest.h>

using namespace loom::rt;
using loom::rt::test::descriptorProblem;
using loom::rt::test::makeAdder;

namespace {

class SessionTest : public ::testing::Test {
protected:
  void SetUp() override {
    descriptorProblem().clear();
    Status s = Session::create(makeAdder(), /*seed=*/1, session);
    ASSERT_TRUE(s) << s.message();
  }
  void TearDown() override { EXPECT_EQ(descriptorProblem(), ""); }

  Status runForward(HostTensor x, std::map<std::string, HostTensor> &out) {
    std::map<std::string, HostTensor> in;
    in.emplace("x", std::move(x));
    return session->run("forward", in, out);
  }

  std::unique_ptr<Session> session;
};

HostTensor iota(std::vector<int64_t> shape) {
  HostTensor t(TensorType{DType::F32, std::move(shape)});
  for (int64_t i = 0; i < t.numElements(); ++i)
    t.set(i, double(i));
  return t;
}

} // namespace

TEST_F(SessionTest, ParamsAreInitialized) {
  const HostTensor *w = session->param("w");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->type().str(), "f32[4,2]");
  EXPECT_EQ(w->at(0), 0.5);
  EXPECT_EQ(w->at(7), 7.5);
  EXPECT_EQ(session->param("nope"), nullptr);
}

TEST_F(SessionTest, ForwardAddsInputAndParam) {
  std::map<std::string, HostTensor> out;
  Status s = runForward(iota({4, 2}), out);
  ASSERT_TRUE(s) << s.message();
  ASSERT_EQ(out.size(), 1u);
  const HostTensor &y = out.at("y");
  EXPECT_EQ(y.type().str(), "f32[4,2]");
  for (int64_t i = 0; i < 8; ++i)
    EXPECT_EQ(y.at(i), double(i) + double(i) + 0.5) << i;
}

TEST_F(SessionTest, RankZeroOutput) {
  std::map<std::string, HostTensor> in, out;
  in.emplace("x", iota({4, 2}));
  Status s = session->run("sum", in, out);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(out.at("total").type().str(), "f32[]");
  EXPECT_EQ(out.at("total").at(0), 28.0);
}

TEST_F(SessionTest, SetParamChecksTheType) {
  ASSERT_TRUE(
      session->setParam("w", HostTensor(TensorType{DType::F32, {4, 2}})));
  std::map<std::string, HostTensor> out;
  ASSERT_TRUE(runForward(iota({4, 2}), out));
  EXPECT_EQ(out.at("y").at(5), 5.0) << "runs on the new (zero) weights";

  Status s = session->setParam("w", iota({2, 4}));
  EXPECT_EQ(s.message(), "parameter 'w': expected f32[4,2], got f32[2,4]");
  s = session->setParam("w", HostTensor(TensorType{DType::F64, {4, 2}}));
  EXPECT_EQ(s.message(), "parameter 'w': expected f32[4,2], got f64[4,2]");
  s = session->setParam("b", iota({1}));
  EXPECT_EQ(s.message(), "unknown parameter 'b' (the model's parameters: w)");
}

TEST_F(SessionTest, WrongShapeInput) {
  std::map<std::string, HostTensor> out;
  Status s = runForward(iota({3, 2}), out);
  EXPECT_EQ(s.message(), "input 'x': expected f32[4,2], got f32[3,2]");
  EXPECT_TRUE(out.empty());
  HostTensor i32(TensorType{DType::I32, {4, 2}});
  s = runForward(std::move(i32), out);
  EXPECT_EQ(s.message(), "input 'x': expected f32[4,2], got i32[4,2]");
}

TEST_F(SessionTest, MissingInput) {
  std::map<std::string, HostTensor> in, out;
  Status s = session->run("forward", in, out);
  EXPECT_EQ(s.message(), "missing input 'x' (f32[4,2]) for entry 'forward'");
}

TEST_F(SessionTest, UnknownInputListsTheModelsInputs) {
  std::map<std::string, HostTensor> in, out;
  in.emplace("x", iota({4, 2}));
  in.emplace("X", iota({4, 2}));
  Status s = session->run("forward", in, out);
  EXPECT_EQ(s.message(), "unknown input 'X' for entry 'forward' (the "
                         "model's inputs: x)");
}

TEST_F(SessionTest, UnknownEntryListsTheEntries) {
  std::map<std::string, HostTensor> in, out;
  Status s = session->run("train_step", in, out);
  EXPECT_EQ(s.message(),
            "model 'adder' has no entry 'train_step' (entries: forward, sum)");
}

TEST(SessionCreateTest, RejectsInconsistentExecutables) {
  std::unique_ptr<Session> session;
  auto exe = makeAdder();
  exe->entries[0].args[1].name = "bias";
  Status s = Session::create(exe, 0, session);
  EXPECT_EQ(s.message(), "entry 'forward' takes unknown parameter 'bias'");
  EXPECT_EQ(session, nullptr);

  exe = makeAdder();
  exe->params[0].init.values.pop_back();
  s = Session::create(exe, 0, session);
  EXPECT_NE(s.message().find("parameter 'w'"), std::string::npos)
      << s.message();

  exe = makeAdder();
  exe->entries[0].fn = nullptr;
  ASSERT_TRUE(Session::create(exe, 0, session));
  std::map<std::string, HostTensor> in, out;
  in.emplace("x", iota({4, 2}));
  s = session->run("forward", in, out);
  EXPECT_EQ(s.message(), "entry 'forward' has no compiled function");
}

TEST(SessionCreateTest, SameSeedSameParams) {
  auto exe = makeAdder();
  exe->params[0].init.kind = Initializer::Kind::HeNormal;
  std::unique_ptr<Session> a, b, c;
  ASSERT_TRUE(Session::create(exe, 5, a));
  ASSERT_TRUE(Session::create(exe, 5, b));
  ASSERT_TRUE(Session::create(exe, 6, c));
  for (int64_t i = 0; i < 8; ++i)
    EXPECT_EQ(a->param("w")->at(i), b->param("w")->at(i));
  EXPECT_NE(a->param("w")->at(0), c->param("w")->at(0));
}
