//===- Signature.cpp - Entry-point signatures from function attributes ----===//
//
// The DSL describes a model's interface on its entry functions:
//
//   func.func @forward(%x: tensor<8x4xf32> {loom.input = "x"},
//                      %w: tensor<4x2xf32> {loom.param = "fc.weight",
//                          loom.init = {kind = "xavier_uniform", a = 1.0 :
//                          f64}, loom.trainable = false})
//       -> (tensor<8x2xf32> {loom.output = "price"})
//
// Training entries (-loom-training-entries) add more roles:
//
//   arguments  {loom.state = "fc.weight.m"}   optimizer state (zeros at start)
//              {loom.hyper = "lr"}            run-time hyperparameter, f32[]
//   results    {loom.loss}                    the loss: an output named "loss"
//              {loom.loss = "gen"}            one of several losses: "gen_loss"
//              {loom.metric = "accuracy"}     a metric: an output of that name
//              {loom.param_update = "fc.weight"}   the parameter's new value
//              {loom.state_update = "fc.weight.m"} the state's new value
//
// An argument without attributes is an input named arg<i>, a result without
// a name is out<i>. `loom.init` is a dictionary: `kind` (an initializer name
// of the runtime), optional `a` and `b` (numbers), and `values` (elements,
// for kind "values"). A parameter without `loom.init` starts at zero. These
// are read before lowering, because bufferization rewrites the signature:
// results become trailing out-parameters, which is exactly the order the
// ArgSpecs list.
//
//===----------------------------------------------------------------------===//
#include "Target/CPU/JitCompiler.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

namespace loom {

static llvm::Error errorAt(func::FuncOp fn, const llvm::Twine &what) {
  return llvm::createStringError("function '" + fn.getName().str() +
                                 "': " + what.str());
}

static llvm::Expected<rt::TensorType> tensorTypeOf(func::FuncOp fn, Type t,
                                                   const std::string &what) {
  auto ranked = dyn_cast<RankedTensorType>(t);
  if (!ranked || !ranked.hasStaticShape())
    return errorAt(fn, what + " must be a statically shaped tensor");
  rt::TensorType out;
  Type et = ranked.getElementType();
  if (et.isF32())
    out.dtype = rt::DType::F32;
  else if (et.isF64())
    out.dtype = rt::DType::F64;
  else if (et.isInteger(1))
    out.dtype = rt::DType::I1;
  else if (et.isInteger(32))
    out.dtype = rt::DType::I32;
  else if (et.isInteger(64))
    out.dtype = rt::DType::I64;
  else
    return errorAt(fn, what + " has an element type the runtime cannot hold");
  out.shape.assign(ranked.getShape().begin(), ranked.getShape().end());
  return out;
}

static std::optional<double> numberOf(Attribute a) {
  if (auto f = dyn_cast<FloatAttr>(a))
    return f.getValueAsDouble();
  if (auto i = dyn_cast<IntegerAttr>(a))
    return double(i.getValue().getSExtValue());
  return std::nullopt;
}

static llvm::Error parseInit(func::FuncOp fn, const std::string &param,
                             DictionaryAttr dict, rt::Initializer &init) {
  std::string where = "initializer of parameter '" + param + "'";
  auto kind = dyn_cast_or_null<StringAttr>(dict.get("kind"));
  if (!kind)
    return errorAt(fn, where + " needs a string 'kind'");
  if (!rt::parseInitializerKind(kind.str(), init.kind))
    return errorAt(fn, where + " has unknown kind '" + kind.str() + "'");
  bool isXavier = init.kind == rt::Initializer::Kind::XavierUniform ||
                  init.kind == rt::Initializer::Kind::XavierNormal;
  init.a = isXavier ? 1.0 : 0.0; // Xavier's gain defaults to 1
  for (NamedAttribute entry : dict) {
    StringRef key = entry.getName().strref();
    if (key == "kind")
      continue;
    if (key == "a" || key == "b") {
      std::optional<double> v = numberOf(entry.getValue());
      if (!v)
        return errorAt(fn, where + ": '" + key + "' must be a number");
      (key == "a" ? init.a : init.b) = *v;
    } else if (key == "values") {
      auto elements = dyn_cast<DenseElementsAttr>(entry.getValue());
      if (!elements)
        return errorAt(fn, where + ": 'values' must be dense elements");
      if (isa<FloatType>(elements.getElementType())) {
        for (APFloat v : elements.getValues<APFloat>())
          init.values.push_back(v.convertToDouble());
      } else if (elements.getElementType().isInteger(1)) {
        for (bool v : elements.getValues<bool>())
          init.values.push_back(v ? 1.0 : 0.0);
      } else {
        for (APInt v : elements.getValues<APInt>())
          init.values.push_back(double(v.getSExtValue()));
      }
    } else {
      return errorAt(fn, where + " has unknown key '" + key.str() + "'");
    }
  }
  if (init.kind == rt::Initializer::Kind::Values && !dict.get("values"))
    return errorAt(fn, where + " is of kind 'values' but has no 'values'");
  return llvm::Error::success();
}

/// Adds the parameter, or checks it against an earlier entry's use of the
/// same name: all entries of a model share one parameter table.
static llvm::Error addParam(func::FuncOp fn, rt::Executable &exe,
                            rt::ParamInfo info) {
  if (const rt::ParamInfo *seen = exe.findParam(info.name)) {
    if (!(seen->type == info.type))
      return errorAt(fn, "parameter '" + info.name + "' is " + info.type.str() +
                             " here but " + seen->type.str() +
                             " in another entry");
    return llvm::Error::success();
  }
  exe.params.push_back(std::move(info));
  return llvm::Error::success();
}

/// The same for optimizer state, which all entries share too.
static llvm::Error addState(func::FuncOp fn, rt::Executable &exe,
                            rt::StateInfo info) {
  if (const rt::StateInfo *seen = exe.findState(info.name)) {
    if (!(seen->type == info.type))
      return errorAt(fn, "optimizer state '" + info.name + "' is " +
                             info.type.str() + " here but " + seen->type.str() +
                             " in another entry");
    return llvm::Error::success();
  }
  exe.states.push_back(std::move(info));
  return llvm::Error::success();
}

/// The string value of the one role attribute among `names` present in
/// `dict`, with its name; an error when there are several or one is not a
/// string (a unit attribute counts as the empty string).
static llvm::Error roleOf(func::FuncOp fn, const std::string &what,
                          DictionaryAttr dict, ArrayRef<const char *> names,
                          StringRef &role, std::string &value) {
  role = {};
  for (const char *name : names) {
    Attribute a = dict ? dict.get(name) : Attribute();
    if (!a)
      continue;
    if (!role.empty())
      return errorAt(fn, what + " has both " + role.str() + " and " + name);
    role = name;
    if (auto str = dyn_cast<StringAttr>(a))
      value = str.str();
    else if (isa<UnitAttr>(a))
      value.clear();
    else
      return errorAt(fn, what + ": " + name + " must be a string");
  }
  return llvm::Error::success();
}

static llvm::Error describeArgument(func::FuncOp fn, unsigned i,
                                    rt::Executable &exe,
                                    rt::EntryPoint &entry) {
  std::string what = "argument " + std::to_string(i);
  auto type = tensorTypeOf(fn, fn.getArgumentTypes()[i], what);
  if (!type)
    return type.takeError();
  StringRef role;
  std::string name;
  if (llvm::Error e =
          roleOf(fn, what, fn.getArgAttrDict(i),
                 {attrs::kInput, attrs::kParam, attrs::kState, attrs::kHyper},
                 role, name))
    return e;
  if ((role == attrs::kState || role == attrs::kHyper) && name.empty())
    return errorAt(fn, what + ": " + role.str() + " needs a name");
  if (role == attrs::kState) {
    entry.args.push_back({rt::ArgKind::State, name, *type});
    return addState(fn, exe, {name, *type});
  }
  if (role == attrs::kHyper) {
    if (!(*type == rt::TensorType{rt::DType::F32, {}}))
      return errorAt(fn, "hyperparameter '" + name + "' is " + type->str() +
                             ", but hyperparameters are f32[]");
    entry.args.push_back({rt::ArgKind::Hyper, name, *type});
    return llvm::Error::success();
  }
  auto input = fn.getArgAttrOfType<StringAttr>(i, attrs::kInput);
  auto param = fn.getArgAttrOfType<StringAttr>(i, attrs::kParam);
  if (!param) {
    if (fn.getArgAttr(i, attrs::kInit) || fn.getArgAttr(i, attrs::kTrainable))
      return errorAt(fn, what + " has parameter attributes but no " +
                             attrs::kParam);
    std::string name = input ? input.str() : "arg" + std::to_string(i);
    entry.args.push_back({rt::ArgKind::Input, name, *type});
    return llvm::Error::success();
  }
  rt::ParamInfo info;
  info.name = param.str();
  info.type = *type;
  if (Attribute init = fn.getArgAttr(i, attrs::kInit)) {
    auto dict = dyn_cast<DictionaryAttr>(init);
    if (!dict)
      return errorAt(fn, what + ": " + attrs::kInit + " must be a dictionary");
    if (llvm::Error e = parseInit(fn, info.name, dict, info.init))
      return e;
  }
  if (Attribute trainable = fn.getArgAttr(i, attrs::kTrainable)) {
    auto flag = dyn_cast<BoolAttr>(trainable);
    if (!flag)
      return errorAt(fn, what + ": " + attrs::kTrainable + " must be a bool");
    info.trainable = flag.getValue();
  }
  entry.args.push_back({rt::ArgKind::Param, info.name, *type});
  return addParam(fn, exe, std::move(info));
}

static llvm::Error describeResult(func::FuncOp fn, unsigned i,
                                  rt::Executable &exe, rt::EntryPoint &entry) {
  std::string what = "result " + std::to_string(i);
  auto type = tensorTypeOf(fn, fn.getResultTypes()[i], what);
  if (!type)
    return type.takeError();
  StringRef role;
  std::string name;
  if (llvm::Error e = roleOf(fn, what, fn.getResultAttrDict(i),
                             {attrs::kOutput, attrs::kLoss, attrs::kMetric,
                              attrs::kParamUpdate, attrs::kStateUpdate},
                             role, name))
    return e;
  if ((role == attrs::kParamUpdate || role == attrs::kStateUpdate) &&
      name.empty())
    return errorAt(fn, what + ": " + role.str() + " needs a name");
  if (role == attrs::kParamUpdate || role == attrs::kStateUpdate) {
    bool isParam = role == attrs::kParamUpdate;
    const rt::ParamInfo *p = exe.findParam(name);
    const rt::StateInfo *st = exe.findState(name);
    const rt::TensorType *declared =
        isParam ? (p ? &p->type : nullptr) : (st ? &st->type : nullptr);
    std::string kind = isParam ? "parameter" : "optimizer state";
    if (!declared)
      return errorAt(fn, what + " updates unknown " + kind + " '" + name + "'");
    if (!(*declared == *type))
      return errorAt(fn, what + " updates " + kind + " '" + name + "' (" +
                             declared->str() + ") with " + type->str());
    entry.args.push_back(
        {isParam ? rt::ArgKind::ParamUpdate : rt::ArgKind::StateUpdate, name,
         *type});
    return llvm::Error::success();
  }
  if (role == attrs::kLoss) {
    if (type->numElements() != 1 || !type->shape.empty())
      return errorAt(fn, what + " is the loss but is " + type->str() +
                             ", not a scalar");
    // A named loss (one of several loss groups) is "<name>_loss".
    name = name.empty() ? "loss" : name + "_loss";
  } else if (name.empty()) {
    name = "out" + std::to_string(i);
  }
  entry.args.push_back({rt::ArgKind::Output, name, *type});
  return llvm::Error::success();
}

llvm::Error describeEntryPoints(ModuleOp module, rt::Executable &exe) {
  for (auto fn : module.getOps<func::FuncOp>()) {
    if (!fn.isPublic() || fn.isExternal())
      continue;
    rt::EntryPoint entry;
    entry.name = fn.getName().str();
    for (unsigned i = 0; i < fn.getNumArguments(); ++i)
      if (llvm::Error e = describeArgument(fn, i, exe, entry))
        return e;
    for (unsigned i = 0; i < fn.getNumResults(); ++i)
      if (llvm::Error e = describeResult(fn, i, exe, entry))
        return e;
    // Added by -loom-plan-buffers after the out-parameters; its size is
    // known only after lowering (EntryPoint::workspaceBytes).
    entry.args.push_back({rt::ArgKind::Workspace, "workspace", {}});
    exe.entries.push_back(std::move(entry));
  }
  if (exe.entries.empty())
    return llvm::createStringError(
        "the module has no public function with a body to use as an entry "
        "point");
  return llvm::Error::success();
}

} // namespace loom
