//===- JitTestUtil.cpp - Run loom functions on the oracle and the JIT -----===//
//
// Inputs are drawn once, rounded to f32, and the same values go to both
// sides, so the only differences measured are the JIT's f32 arithmetic
// against the oracle's double arithmetic.
//
//===----------------------------------------------------------------------===//
#include "JitTestUtil.h"

#include "Reference/Evaluator.h"
#include "Target/CPU/JitCompiler.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <random>

using namespace mlir;

namespace loom::test {

std::string tensorType(const std::vector<int64_t> &shape,
                       const std::string &element) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + element + ">";
}

MLIRContext &testContext() {
  static MLIRContext *ctx = [] {
    DialectRegistry registry;
    registerCPUTargetDialects(registry);
    return new MLIRContext(registry);
  }();
  return *ctx;
}

OwningOpRef<ModuleOp> parseModule(const std::string &source) {
  MLIRContext &ctx = testContext();
  std::string errors;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &d) {
    llvm::raw_string_ostream(errors) << d << "\n";
    return success();
  });
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, &ctx);
  EXPECT_TRUE(module) << "parse failed:\n" << errors << source;
  return module;
}

static rt::DType dtypeOf(Type t) {
  if (t.isInteger(1))
    return rt::DType::I1;
  return rt::DType::F32;
}

Inputs makeInputs(ModuleOp module, const CheckOptions &options) {
  Inputs in;
  auto fn = module.lookupSymbol<func::FuncOp>(options.entry);
  if (!fn) {
    ADD_FAILURE() << "no function @" << options.entry;
    return in;
  }
  std::mt19937 rng(options.seed);
  std::uniform_real_distribution<double> uniform(options.lo, options.hi);
  std::uniform_int_distribution<int> coin(0, 1);
  std::uniform_int_distribution<int> integer(int(options.lo),
                                             int(options.hi));
  for (auto [i, type] : llvm::enumerate(fn.getArgumentTypes())) {
    auto ranked = cast<RankedTensorType>(type);
    rt::TensorType tt;
    tt.dtype = dtypeOf(ranked.getElementType());
    tt.shape.assign(ranked.getShape().begin(), ranked.getShape().end());
    rt::HostTensor host(tt);
    RefTensor ref(ranked.getShape());
    for (int64_t k = 0; k < host.numElements(); ++k) {
      double v = tt.dtype == rt::DType::I1 ? coin(rng)
                 : options.integers        ? integer(rng)
                                           : uniform(rng);
      host.set(k, v);
      ref.data[k] = host.at(k); // the f32-rounded value both sides see
    }
    in.host.emplace("arg" + std::to_string(i), std::move(host));
    in.ref.push_back(std::move(ref));
  }
  return in;
}

void expectClose(const rt::HostTensor &jit, const RefTensor &ref,
                 const CheckOptions &options, const std::string &what) {
  ASSERT_EQ(jit.shape(), std::vector<int64_t>(ref.shape.begin(),
                                              ref.shape.end()))
      << what;
  int failures = 0;
  for (int64_t i = 0; i < jit.numElements() && failures < 5; ++i) {
    double got = jit.at(i), want = ref.data[i];
    bool ok = jit.dtype() == rt::DType::I1
                  ? got == want
                  : (std::isnan(want) ? std::isnan(got)
                                      : std::fabs(got - want) <=
                                            options.rtol * std::fabs(want) +
                                                options.atol);
    if (!ok) {
      ++failures;
      ADD_FAILURE() << what << "[" << i << "]: jit " << got << ", reference "
                    << want;
    }
  }
}

void checkAgainstReference(const std::string &source,
                           const CheckOptions &options) {
  SCOPED_TRACE(source);
  OwningOpRef<ModuleOp> module = parseModule(source);
  ASSERT_TRUE(module);
  Inputs inputs = makeInputs(*module, options);

  auto fn = module->lookupSymbol<func::FuncOp>(options.entry);
  ASSERT_TRUE(fn);
  FailureOr<SmallVector<RefTensor>> ref = evaluateReference(fn, inputs.ref);
  ASSERT_TRUE(succeeded(ref)) << "reference evaluation failed";

  auto exe = compileForCPU(*module);
  ASSERT_TRUE(bool(exe)) << llvm::toString(exe.takeError());
  std::unique_ptr<rt::Session> session;
  rt::Status st = rt::Session::create(*exe, options.seed, session);
  ASSERT_TRUE(st) << st.message();
  std::map<std::string, rt::HostTensor> outputs;
  st = session->run(options.entry, inputs.host, outputs);
  ASSERT_TRUE(st) << st.message();

  const rt::EntryPoint *entry = (*exe)->findEntry(options.entry);
  ASSERT_TRUE(entry);
  size_t r = 0;
  for (const rt::ArgSpec &a : entry->args) {
    if (a.kind != rt::ArgKind::Output)
      continue;
    ASSERT_LT(r, ref->size());
    ASSERT_TRUE(outputs.count(a.name)) << "missing output " << a.name;
    expectClose(outputs.at(a.name), (*ref)[r], options, "result " + a.name);
    ++r;
  }
  EXPECT_EQ(r, ref->size());
}

std::vector<double> runOn(const std::string &src,
                          const std::vector<std::vector<float>> &args) {
  auto module = parseModule(src);
  auto exe = loom::compileForCPU(*module);
  EXPECT_TRUE(bool(exe));
  if (!exe) {
    llvm::consumeError(exe.takeError());
    return {};
  }
  std::unique_ptr<loom::rt::Session> s;
  EXPECT_TRUE(loom::rt::Session::create(*exe, 0, s));
  std::map<std::string, loom::rt::HostTensor> in, out;
  for (size_t i = 0; i < args.size(); ++i)
    in.emplace("arg" + std::to_string(i),
               loom::rt::HostTensor::fromF32({int64_t(args[i].size())},
                                             args[i]));
  EXPECT_TRUE(s->run("forward", in, out));
  std::vector<double> r;
  for (int64_t i = 0; i < out.at("out0").numElements(); ++i)
    r.push_back(out.at("out0").at(i));
  return r;
}

} // namespace loom::test
