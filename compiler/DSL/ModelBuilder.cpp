//===- ModelBuilder.cpp - Model registry and the model's interface ---------===//
//
// Implements the registry LOOM_MODEL writes to, buildModel(), and the DSL
// calls that declare a model's interface: input, param, output, constant.
// Inputs and parameters become arguments of func.func @forward as they are
// declared; outputs become its results when the body returns.
//
//===----------------------------------------------------------------------===//
#include "DSL/ModelContext.h"
#include "Loom/LoomOps.h"
#include "Loom/ShapeInference.h"
#include "SignatureAttrs.h"
#include "Transforms/LossGroups.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include <cmath>

using namespace mlir;

namespace loom {
namespace dsl {

static std::vector<ModelEntry> &registry() {
  static std::vector<ModelEntry> models;
  return models;
}
const std::vector<ModelEntry> &registeredModels() { return registry(); }
void clearRegisteredModels() { registry().clear(); }

static thread_local ModelContext *currentContext = nullptr;

ModelContext *current(const Loc &l) {
  if (!currentContext)
    llvm::errs() << l.file_name() << ":" << l.line() << ":" << l.column()
                 << ": error: Loom DSL call outside of a model body "
                    "(LOOM_MODEL)\n";
  return currentContext;
}

Location ModelContext::loc(const Loc &l) {
  return FileLineColLoc::get(ctx, l.file_name(), l.line(), l.column());
}

Tensor ModelContext::wrap(Value v) {
  values.push_back(v);
  return Tensor::fromId(int32_t(values.size() - 1));
}

Value ModelContext::get(Tensor t) const {
  if (!t.valid() || size_t(t.id()) >= values.size())
    return {};
  return values[t.id()];
}

void ModelContext::error(const Loc &l, const llvm::Twine &message) {
  emitError(loc(l)) << message;
  failed = true;
}

/// With several named losses, checks their parameter groups once every
/// parameter exists (LossGroups.h), reporting at the loss() line.
static void checkLossGroups(ModelContext &mc) {
  if (mc.losses.empty() || mc.losses[0].options.name.empty())
    return;
  std::vector<LossGroupSpec> specs;
  for (const ModelContext::LossDecl &l : mc.losses)
    specs.push_back({l.options.name, l.options.params});
  std::vector<std::string> params;
  for (DictionaryAttr dict : mc.argAttrs)
    if (auto name = dict ? dict.getAs<StringAttr>(attrs::kParam) : nullptr)
      params.push_back(name.str());
  std::vector<int> owner;
  if (std::optional<LossGroupProblem> problem =
          assignLossGroups(specs, params, owner))
    mc.error(mc.losses[problem->group].loc, problem->message);
}

OwningOpRef<ModuleOp> buildModel(MLIRContext &ctx, const ModelEntry &model,
                                 int64_t batchSize,
                                 ModelInterface *interface) {
  ctx.loadDialect<LoomDialect, func::FuncDialect>();
  ModelContext mc(&ctx, batchSize);
  Location modelLoc = FileLineColLoc::get(&ctx, model.file, model.line, 1);
  OwningOpRef<ModuleOp> module = ModuleOp::create(modelLoc);
  (*module)->setAttr("loom.model", StringAttr::get(&ctx, model.name));
  mc.builder.setInsertionPointToEnd(module->getBody());
  mc.func = func::FuncOp::create(mc.builder, modelLoc, "forward",
                                 mc.builder.getFunctionType({}, {}));
  Block *body = mc.func.addEntryBlock();
  mc.builder.setInsertionPointToEnd(body);

  currentContext = &mc;
  model.fn();
  currentContext = nullptr;

  if (!mc.failed && mc.outputs.empty()) {
    emitError(modelLoc) << "model '" << model.name
                        << "' declares no output (call output(name, value))";
    mc.failed = true;
  }
  if (!mc.failed)
    checkLossGroups(mc);
  if (mc.failed)
    return nullptr;

  // Results: the outputs, then the loss and the metrics (Training.cpp), then
  // the updates of non-trainable parameters (batch_norm's running stats).
  SmallVector<Value> results;
  for (auto &[name, v] : mc.outputs)
    results.push_back(v);
  for (const ModelContext::LossDecl &l : mc.losses)
    results.push_back(l.value);
  for (auto &[name, v] : mc.metrics)
    results.push_back(v);
  for (auto &[name, v] : mc.paramUpdates)
    results.push_back(v);
  SmallVector<Type> resultTypes(ValueRange(results).getTypes());
  func::ReturnOp::create(mc.builder, modelLoc, results);
  mc.func.setType(
      mc.builder.getFunctionType(body->getArgumentTypes(), resultTypes));
  for (auto [i, attrs] : llvm::enumerate(mc.argAttrs))
    mc.func.setArgAttrs(i, attrs);
  for (auto [i, out] : llvm::enumerate(mc.outputs))
    mc.func.setResultAttr(i, "loom.output",
                          StringAttr::get(&ctx, out.first));
  unsigned next = mc.outputs.size();
  for (const ModelContext::LossDecl &l : mc.losses) {
    if (l.options.name.empty()) {
      mc.func.setResultAttr(next++, attrs::kLoss, UnitAttr::get(&ctx));
      continue;
    }
    SmallVector<Attribute> prefixes;
    for (const std::string &p : l.options.params)
      prefixes.push_back(StringAttr::get(&ctx, p));
    mc.func.setResultAttr(next, attrs::kLoss,
                          StringAttr::get(&ctx, l.options.name));
    mc.func.setResultAttr(next++, attrs::kLossParams,
                          ArrayAttr::get(&ctx, prefixes));
  }
  for (auto &[name, v] : mc.metrics)
    mc.func.setResultAttr(next++, "loom.metric", StringAttr::get(&ctx, name));
  for (auto &[name, v] : mc.paramUpdates)
    mc.func.setResultAttr(next++, "loom.param_update",
                          StringAttr::get(&ctx, name));
  if (interface)
    *interface = mc.interface;
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

void updateParam(ModelContext &mc, const std::string &name, Value value) {
  mc.paramUpdates.emplace_back(name, value);
}

init::Init torchDefault(int64_t fanIn) {
  // kaiming_uniform_(a = sqrt(5)) has bound gain * sqrt(3 / fan_in) with
  // gain sqrt(2 / (1 + 5)), i.e. 1 / sqrt(fan_in). Computed as that
  // quotient, as torch_linear always computed it, so existing models'
  // initial weights stay bit-identical.
  double bound = 1.0 / std::sqrt(double(fanIn));
  return init::uniform(-bound, bound);
}

LayerInits layerInits(const init::Init &weight,
                      const std::optional<init::Init> &bias, int64_t fanIn) {
  auto resolve = [&](const init::Init &i) {
    return i.kind == "torch_default" ? torchDefault(fanIn) : i;
  };
  bool torchWeight = weight.kind == "torch_default";
  init::Init b = bias ? resolve(*bias)
                      : (torchWeight ? torchDefault(fanIn) : init::zeros());
  return {resolve(weight), b};
}

} // namespace dsl

//===----------------------------------------------------------------------===//
// The DSL's interface declarations
//===----------------------------------------------------------------------===//

namespace detail {
void registerModel(const char *name, ModelFn fn, const char *file, int line) {
  dsl::registry().push_back({name, fn, file, line});
}
} // namespace detail

using dsl::current;
using dsl::ModelContext;

Shape Tensor::shape() const {
  ModelContext *mc = current(Loc::current());
  Value v = mc ? mc->get(*this) : Value();
  if (!v)
    return {};
  auto s = cast<RankedTensorType>(v.getType()).getShape();
  return Shape(s.begin(), s.end());
}

int64_t Tensor::dim(int64_t d) const {
  Shape s = shape();
  if (d < 0)
    d += int64_t(s.size());
  return d >= 0 && d < int64_t(s.size()) ? s[d] : 0;
}

/// Claims `name` for an input, parameter or output.
static bool claimName(ModelContext &mc, const std::string &name,
                      const char *what, const Loc &loc) {
  if (name.empty()) {
    mc.error(loc, llvm::Twine(what) + " needs a non-empty name");
    return false;
  }
  if (!mc.names.insert(name).second) {
    mc.error(loc, llvm::Twine("the name '") + name +
                      "' is already used by another input, parameter or "
                      "output of this model");
    return false;
  }
  return true;
}

static bool checkShape(ModelContext &mc, const Shape &shape, bool allowBatch,
                       const char *what, const std::string &name,
                       const Loc &loc) {
  for (int64_t d : shape) {
    if (d == batch && allowBatch)
      continue;
    if (d < 0) {
      mc.error(loc, llvm::Twine(what) + " '" + name + "' has shape " +
                        shapeString(shape) +
                        (d == batch ? ": a parameter's shape cannot use batch"
                                    : ": dimensions must be >= 0"));
      return false;
    }
  }
  return true;
}

Tensor input(const std::string &name, const Shape &shape, Loc loc) {
  ModelContext *mc = current(loc);
  if (!mc || !claimName(*mc, name, "an input", loc) ||
      !checkShape(*mc, shape, /*allowBatch=*/true, "input", name, loc))
    return {};
  SmallVector<int64_t> dims;
  for (int64_t d : shape)
    dims.push_back(d == batch ? mc->batchSize : d);
  Value arg = mc->func.getBody().front().addArgument(
      RankedTensorType::get(dims, mc->f32()), mc->loc(loc));
  mc->argAttrs.push_back(mc->builder.getDictionaryAttr(
      {mc->builder.getNamedAttr("loom.input", mc->builder.getStringAttr(name))}));
  mc->interface.inputs.push_back({name, shape});
  return mc->wrap(arg);
}

Tensor param(const std::string &name, const Shape &shape, ParamOptions options,
             Loc loc) {
  ModelContext *mc = current(loc);
  if (!mc || !claimName(*mc, name, "a parameter", loc) ||
      !checkShape(*mc, shape, /*allowBatch=*/false, "parameter", name, loc))
    return {};
  static const char *kKinds[] = {"zeros",          "ones",
                                 "constant",       "uniform",
                                 "normal",         "xavier_uniform",
                                 "xavier_normal",  "he_uniform",
                                 "he_normal",      "values"};
  const init::Init &in = options.init;
  if (in.kind == "torch_default") {
    mc->error(loc, "parameter '" + name +
                       "': init::torch_default() needs a layer's fan-in: use "
                       "it as the init of dense, linear, conv2d, "
                       "conv2d_transpose or gcn_layer, or give "
                       "init::uniform(-b, b) here");
    return {};
  }
  if (llvm::find(kKinds, in.kind) == std::end(kKinds)) {
    mc->error(loc, "parameter '" + name + "': unknown initializer '" +
                       in.kind + "'");
    return {};
  }
  auto type = RankedTensorType::get(shape, mc->f32());
  OpBuilder &b = mc->builder;
  SmallVector<NamedAttribute> init = {
      b.getNamedAttr("kind", b.getStringAttr(in.kind)),
      b.getNamedAttr("a", b.getF64FloatAttr(in.a)),
      b.getNamedAttr("b", b.getF64FloatAttr(in.b))};
  if (in.kind == "values") {
    if (int64_t(in.values.size()) != type.getNumElements()) {
      mc->error(loc, "parameter '" + name + "' of shape " +
                         shapeString(shape) + " needs " +
                         llvm::Twine(type.getNumElements()) +
                         " initial values, got " +
                         llvm::Twine(in.values.size()));
      return {};
    }
    SmallVector<float> v(in.values.begin(), in.values.end());
    init.push_back(b.getNamedAttr(
        "values", DenseElementsAttr::get(type, ArrayRef<float>(v))));
  }
  Value arg = mc->func.getBody().front().addArgument(type, mc->loc(loc));
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("loom.param", b.getStringAttr(name)),
      b.getNamedAttr("loom.init", b.getDictionaryAttr(init))};
  if (!options.trainable)
    attrs.push_back(b.getNamedAttr("loom.trainable", b.getBoolAttr(false)));
  mc->argAttrs.push_back(b.getDictionaryAttr(attrs));
  return mc->wrap(arg);
}

void output(const std::string &name, Tensor value, Loc loc) {
  ModelContext *mc = current(loc);
  if (!mc)
    return;
  Value v = mc->get(value);
  if (!v) {
    if (!value.valid() && !mc->failed)
      mc->error(loc, "output '" + name + "' is an empty tensor handle");
    return;
  }
  if (!claimName(*mc, name, "an output", loc))
    return;
  mc->outputs.push_back({name, v});
  mc->interface.outputs.push_back(name);
}

Tensor constant(double value, Loc loc) {
  return constant(Shape{}, {value}, loc);
}

Tensor constant(const Shape &shape, const std::vector<double> &values,
                Loc loc) {
  ModelContext *mc = current(loc);
  if (!mc || !checkShape(*mc, shape, false, "constant", "", loc))
    return {};
  auto type = RankedTensorType::get(shape, mc->f32());
  if (int64_t(values.size()) != type.getNumElements()) {
    mc->error(loc, "constant of shape " + shapeString(shape) + " needs " +
                       llvm::Twine(type.getNumElements()) + " values, got " +
                       llvm::Twine(values.size()));
    return {};
  }
  SmallVector<float> v(values.begin(), values.end());
  return mc->wrap(ConstantOp::create(
      mc->builder, mc->loc(loc),
      DenseElementsAttr::get(type, ArrayRef<float>(v))));
}

} // namespace loom
