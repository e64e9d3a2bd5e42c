//===- RecurrentGradientTest.cpp - lstm/gru gradients through time --------===//
//
// The harness of GradientCheckTest.cpp (GradientCheckUtil.h) on the
// recurrent ops: every operand (x, h0, c0, both weights, both biases) is a
// differentiated parameter; the reference gradient (the backward op's
// plain-loop BPTT) is compared with central differences of the forward
// reference, and the JIT's gradient function (the backward op decomposed
// into a reversed scf.for) with the reference gradient. The loss reads the
// whole sequence (and, for lstm, the cell sequence), only the last step (so
// every gradient flows back through all T steps), or a single step.
//
//===----------------------------------------------------------------------===//
#include "GradientCheckUtil.h"
#include "JitTestUtil.h"

#include <ostream>

using namespace loom;
using namespace loom::test;
using Shape = std::vector<int64_t>;

namespace {

struct GradCase {
  std::string name;
  std::vector<Arg> args;
  std::string body; // defines %y
  Shape out;
};

std::ostream &operator<<(std::ostream &os, const GradCase &c) {
  return os << c.name;
}

enum class Reads { Sequence, Cells, LastStep };

GradCase recurrent(const std::string &name, bool lstm, int64_t b, int64_t t,
                   int64_t in, int64_t h, Reads reads) {
  int64_t g = lstm ? 4 : 3;
  std::vector<Arg> args = {{"x", {b, t, in}}, {"h0", {b, h}}};
  if (lstm)
    args.push_back({"c0", {b, h}});
  args.insert(args.end(), {{"weight_ih", {g * h, in}},
                           {"weight_hh", {g * h, h}},
                           {"bias_ih", {g * h}},
                           {"bias_hh", {g * h}}});
  std::string operands, types;
  for (const Arg &a : args) {
    operands += (operands.empty() ? "%" : ", %") + a.name;
    types += (types.empty() ? "" : ", ") + typeOf(a);
  }
  Shape seq = {b, t, h};
  std::string st = tensorType(seq);
  std::string body =
      lstm ? "%ys, %cs = loom.lstm " + operands + " : " + types
           : "%ys = loom.gru " + operands + " : " + types;
  switch (reads) {
  case Reads::Sequence:
    return {name, args, body + "\n  %y = loom.tanh %ys : " + st, seq};
  case Reads::Cells:
    return {name, args,
            body + "\n  %y = loom.add %ys, %cs : " + st + ", " + st, seq};
  case Reads::LastStep: {
    Shape last = {b, 1, h};
    return {name, args,
            body + "\n  %y = loom.slice %ys start [0, " +
                std::to_string(t - 1) + ", 0] limit [" + std::to_string(b) +
                ", " + std::to_string(t) + ", " + std::to_string(h) +
                "] stride [1, 1, 1] : " + st,
            last};
  }
  }
  return {};
}

std::vector<GradCase> allCases() {
  return {
      recurrent("lstm_sequence", true, 2, 4, 3, 3, Reads::Sequence),
      recurrent("lstm_cells", true, 2, 3, 2, 4, Reads::Cells),
      recurrent("lstm_last_step", true, 3, 5, 2, 2, Reads::LastStep),
      recurrent("lstm_one_step", true, 2, 1, 3, 2, Reads::Cells),
      recurrent("gru_sequence", false, 2, 4, 3, 3, Reads::Sequence),
      recurrent("gru_last_step", false, 3, 5, 2, 2, Reads::LastStep),
      recurrent("gru_one_step", false, 2, 1, 3, 4, Reads::Sequence),
  };
}

class RecurrentGradientCheck : public ::testing::TestWithParam<GradCase> {};

TEST_P(RecurrentGradientCheck, MatchesFiniteDifferences) {
  const GradCase &c = GetParam();
  std::vector<Arg> extra = {{"w", c.out, Dist::Uniform, false}};
  checkFiniteDifferences(lossFunction(c.args, c.body, c.out), c.args, extra);
}

TEST_P(RecurrentGradientCheck, JitMatchesReference) {
  const GradCase &c = GetParam();
  std::vector<Arg> extra = {{"w", c.out, Dist::Uniform, false}};
  checkJitGradient(lossFunction(c.args, c.body, c.out), c.args, extra);
}

INSTANTIATE_TEST_SUITE_P(EveryOperand, RecurrentGradientCheck,
                         ::testing::ValuesIn(allCases()),
                         [](const auto &info) { return info.param.name; });

} // namespace
