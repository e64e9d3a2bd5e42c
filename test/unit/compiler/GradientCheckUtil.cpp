//===- GradientCheckUtil.cpp - Gradient checks against finite differences -===//
//
// See GradientCheckUtil.h. Moved out of GradientCheckTest.cpp unchanged so
// every family's gradient test shares one harness.
//
//===----------------------------------------------------------------------===//
#include "GradientCheckUtil.h"
#include "JitTestUtil.h"

#include "Passes.h"
#include "Reference/Evaluator.h"
#include "Target/CPU/JitCompiler.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

using namespace mlir;
using Shape = std::vector<int64_t>;

namespace loom::test {

std::string typeOf(const Arg &a) {
  return tensorType(a.shape, a.dist == Dist::Bool ? "i1" : "f32");
}

RefTensor draw(const Arg &a, std::mt19937 &rng) {
  RefTensor t(a.shape);
  std::uniform_real_distribution<double> uniform(-2.0, 2.0);
  std::uniform_real_distribution<double> positive(0.5, 2.0);
  std::uniform_int_distribution<int> grid(-4, 4), coin(0, 1);
  for (double &v : t.data) {
    switch (a.dist) {
    case Dist::Uniform:
      v = uniform(rng);
      break;
    case Dist::Positive:
      v = positive(rng);
      break;
    case Dist::Grid:
      v = 0.5 * grid(rng);
      break;
    case Dist::GridHalf:
      v = 0.5 * grid(rng) + 0.25;
      break;
    case Dist::Bool:
      v = coin(rng);
      break;
    case Dist::Distinct:
      break;
    }
  }
  if (a.dist == Dist::Distinct) {
    for (size_t i = 0; i < t.data.size(); ++i)
      t.data[i] = 0.25 * (double(i) - double(t.data.size()) / 2) + 0.1;
    std::shuffle(t.data.begin(), t.data.end(), rng);
  }
  // f32-representable, so the JIT sees exactly the reference's inputs.
  for (double &v : t.data)
    v = double(float(v));
  return t;
}

/// `@f(args..., %w) -> loss` around `body`, which defines %y of shape `out`
/// from the arguments.
std::string lossFunction(const std::vector<Arg> &args, const std::string &body,
                         const Shape &out) {
  std::string sig;
  for (const Arg &a : args)
    sig += "%" + a.name + ": " + typeOf(a) + " {" +
           (a.param ? "loom.param" : "loom.input") + " = \"" + a.name + "\"}, ";
  std::string ty = tensorType(out), axes;
  for (size_t d = 0; d < out.size(); ++d)
    axes += (d ? ", " : "") + std::to_string(d);
  return "func.func @f(" + sig + "%w: " + ty +
         " {loom.input = \"w\"}) -> (tensor<f32> {loom.loss}) {\n  " + body +
         "\n  %p = loom.mul %y, %w : " + ty + ", " + ty +
         "\n  %loss = loom.reduce_sum %p axes [" + axes + "] : " + ty +
         "\n  return %loss : tensor<f32>\n}\n";
}

/// Parses `source` and runs -loom-autodiff on it.
OwningOpRef<ModuleOp> differentiate(const std::string &source) {
  OwningOpRef<ModuleOp> module = parseModule(source);
  if (!module)
    return module;
  PassManager pm(&testContext());
  pm.addPass(createLoomAutodiff());
  EXPECT_TRUE(succeeded(pm.run(*module))) << "autodiff failed";
  return module;
}

namespace {

double scalarLoss(func::FuncOp f, ArrayRef<RefTensor> inputs) {
  FailureOr<SmallVector<RefTensor>> r = evaluateReference(f, inputs);
  EXPECT_TRUE(succeeded(r));
  return succeeded(r) ? (*r)[0].data[0] : NAN;
}

/// Everything one check needs: the differentiated module, drawn inputs
/// (the args then W) and the reference gradient function's results.
struct Prepared {
  OwningOpRef<ModuleOp> module;
  std::vector<RefTensor> inputs;
  SmallVector<RefTensor> gradResults; // loss, then one per param
};

Prepared prepare(const std::string &source, const std::vector<Arg> &args,
                 const std::vector<Arg> &extra, uint32_t seed) {
  Prepared p;
  p.module = differentiate(source);
  if (!p.module)
    return p;
  std::mt19937 rng(seed);
  for (const Arg &a : args)
    p.inputs.push_back(draw(a, rng));
  for (const Arg &a : extra)
    p.inputs.push_back(draw(a, rng));
  auto grad = p.module->lookupSymbol<func::FuncOp>("f_grad");
  if (!grad) {
    ADD_FAILURE() << "no @f_grad";
    return p;
  }
  FailureOr<SmallVector<RefTensor>> r = evaluateReference(grad, p.inputs);
  if (failed(r)) {
    ADD_FAILURE() << "reference evaluation of @f_grad failed";
    return p;
  }
  p.gradResults = std::move(*r);
  return p;
}

} // namespace

/// Compares every param's reference gradient with central differences.
void checkFiniteDifferences(const std::string &source,
                            const std::vector<Arg> &args,
                            const std::vector<Arg> &extra, uint32_t seed) {
  SCOPED_TRACE(source);
  Prepared p = prepare(source, args, extra, seed);
  ASSERT_TRUE(p.module);
  auto f = p.module->lookupSymbol<func::FuncOp>("f");
  size_t numParams = llvm::count_if(args, [](const Arg &a) { return a.param; });
  ASSERT_EQ(p.gradResults.size(), 1 + numParams);
  size_t g = 1;
  for (size_t k = 0; k < args.size(); ++k) {
    if (!args[k].param)
      continue;
    const RefTensor &grad = p.gradResults[g++];
    ASSERT_EQ(grad.shape, p.inputs[k].shape) << args[k].name;
    int failures = 0;
    for (int64_t j = 0; j < grad.numElements() && failures < 5; ++j) {
      std::vector<RefTensor> in = p.inputs;
      double x = in[k].data[j];
      double h = 1e-6 * std::max(1.0, std::fabs(x));
      in[k].data[j] = x + h;
      double up = scalarLoss(f, in);
      in[k].data[j] = x - h;
      double down = scalarLoss(f, in);
      double fd = (up - down) / (2 * h);
      double got = grad.data[j];
      if (!(std::fabs(got - fd) <= 1e-5 * std::max(1.0, std::fabs(fd)))) {
        ++failures;
        ADD_FAILURE() << "d loss / d " << args[k].name << "[" << j
                      << "]: autodiff " << got << ", finite differences " << fd;
      }
    }
  }
}

/// Runs @f_grad on the JIT (params set through the session) and compares
/// every result with the reference gradient, in f32 tolerance.
void checkJitGradient(const std::string &source, const std::vector<Arg> &args,
                      const std::vector<Arg> &extra, uint32_t seed) {
  SCOPED_TRACE(source);
  Prepared p = prepare(source, args, extra, seed);
  ASSERT_TRUE(p.module);
  auto exe = compileForCPU(*p.module);
  ASSERT_TRUE(bool(exe)) << llvm::toString(exe.takeError());
  std::unique_ptr<rt::Session> session;
  rt::Status st = rt::Session::create(*exe, 1, session);
  ASSERT_TRUE(st) << st.message();
  std::map<std::string, rt::HostTensor> inputs;
  std::vector<Arg> all = args;
  all.insert(all.end(), extra.begin(), extra.end());
  for (size_t k = 0; k < all.size(); ++k) {
    rt::TensorType tt;
    tt.dtype = all[k].dist == Dist::Bool ? rt::DType::I1 : rt::DType::F32;
    tt.shape = all[k].shape;
    rt::HostTensor t(tt);
    for (int64_t j = 0; j < t.numElements(); ++j)
      t.set(j, p.inputs[k].data[j]);
    if (all[k].param) {
      st = session->setParam(all[k].name, std::move(t));
      ASSERT_TRUE(st) << st.message();
    } else {
      inputs.emplace(all[k].name, std::move(t));
    }
  }
  std::map<std::string, rt::HostTensor> outputs;
  st = session->run("f_grad", inputs, outputs);
  ASSERT_TRUE(st) << st.message();
  ASSERT_EQ(outputs.size(), p.gradResults.size());
  CheckOptions tolerance;
  tolerance.rtol = 1e-4;
  tolerance.atol = 1e-5;
  // Output names in result order ("loss" for the loom.loss result).
  std::vector<std::string> names;
  for (const rt::ArgSpec &a : session->executable().findEntry("f_grad")->args)
    if (a.kind == rt::ArgKind::Output)
      names.push_back(a.name);
  ASSERT_EQ(names.size(), p.gradResults.size());
  for (size_t r = 0; r < p.gradResults.size(); ++r) {
    const std::string &name = names[r];
    ASSERT_TRUE(outputs.count(name)) << name;
    expectClose(outputs.at(name), p.gradResults[r], tolerance, name);
  }
}

} // namespace loom::test
