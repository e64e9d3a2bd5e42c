//===- Samples.cpp - A grid image of what a generative model draws --------===//
//
// See Samples.h. The sampler is the model's @forward at batch 64, pruned to
// the "samples" result; its parameters are copied in by name from the
// training session before each run.
//
//===----------------------------------------------------------------------===//
#include "Samples.h"

#include "DSL/ModelBuilder.h"
#include "Loom/ShapeInference.h"
#include "SignatureAttrs.h"
#include "Target/CPU/JitCompiler.h"
#include "Transforms/Training.h"
#include "loom/rt/core/FileUtil.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/BitVector.h"

#include <algorithm>
#include <cmath>

using namespace llvm;
using namespace mlir;
namespace rt = loom::rt;

namespace loomc {
namespace {
constexpr int64_t kGrid = 8; // 8 x 8 images
constexpr const char *kOutput = "samples";
constexpr int kBorder = 2;
constexpr uint8_t kBorderGrey = 128;

/// @forward returning only result `keep`, without the ops and the inputs
/// only the other results needed. Fails naming an input it still needs.
Error pruneTo(func::FuncOp fn, unsigned keep, const std::string &modelName) {
  auto ret = cast<func::ReturnOp>(fn.getBody().front().getTerminator());
  Value value = ret.getOperand(keep);
  DictionaryAttr attrs = fn.getResultAttrDict(keep);
  OpBuilder b(ret);
  func::ReturnOp::create(b, ret.getLoc(), ValueRange{value});
  ret.erase();
  fn.setType(b.getFunctionType(fn.getArgumentTypes(), {value.getType()}));
  fn.setAllResultAttrs(ArrayRef<DictionaryAttr>(attrs));
  Block &block = fn.getBody().front();
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(block)))
    if (isOpTriviallyDead(&op))
      op.erase();
  BitVector unused(fn.getNumArguments());
  for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
    if (fn.getArgAttr(i, loom::attrs::kParam))
      continue;
    if (!fn.getArgument(i).use_empty()) {
      auto name = fn.getArgAttrOfType<StringAttr>(i, loom::attrs::kInput);
      return createStringError(
          "model '" + modelName + "': output '" + kOutput +
          "' depends on input '" + (name ? name.str() : "?") +
          "'; --samples needs images the model makes from its parameters "
          "and noise alone (random_normal)");
    }
    unused.set(i);
  }
  (void)fn.eraseArguments(unused);
  return Error::success();
}

/// H and W of one example of `shape` [64, ...]: [64, H*W] with H = W, or
/// [64, (1,) H, W].
bool imageSize(ArrayRef<int64_t> shape, int64_t &h, int64_t &w) {
  if (shape.size() == 2) {
    auto side = int64_t(std::llround(std::sqrt(double(shape[1]))));
    h = w = side;
    return side * side == shape[1];
  }
  if (shape.size() < 3)
    return false;
  for (int64_t d : shape.drop_front().drop_back(2))
    if (d != 1)
      return false;
  h = shape[shape.size() - 2];
  w = shape.back();
  return true;
}
} // namespace

Expected<std::unique_ptr<SampleWriter>>
SampleWriter::create(CompilerContext &cc, const loom::dsl::ModelEntry &model) {
  auto module = loom::dsl::buildModel(cc.context, model, kGrid * kGrid);
  if (!module || failed(loom::pruneForward(*module)))
    return createStringError("building model '" + model.name + "' failed");
  auto fn = module->lookupSymbol<func::FuncOp>("forward");
  std::optional<unsigned> result;
  for (unsigned i = 0; i < fn.getNumResults(); ++i)
    if (auto name = fn.getResultAttrOfType<StringAttr>(i, loom::attrs::kOutput);
        name && name.getValue() == kOutput)
      result = i;
  if (!result)
    return createStringError(
        "model '" + model.name + "' has no output named '" + kOutput +
        "'; --samples writes a grid of output(\"samples\", images), e.g. a "
        "generator's [batch, 784]");
  std::unique_ptr<SampleWriter> w(new SampleWriter());
  auto shape = cast<RankedTensorType>(fn.getResultTypes()[*result]).getShape();
  if (!imageSize(shape, w->height_, w->width_))
    return createStringError(
        "model '" + model.name + "': output '" + kOutput + "' has shape " +
        loom::shapeString(shape) +
        " at batch 64; --samples needs square images [batch, H*W] or "
        "[batch, 1, H, W]");
  if (Error e = pruneTo(fn, *result, model.name))
    return std::move(e);
  loom::CompileOptions options;
  options.modelName = model.name;
  auto exe = loom::compileForCPU(*module, options);
  if (!exe)
    return exe.takeError();
  if (rt::Status st = rt::Session::create(*exe, 0, w->session_); !st)
    return createStringError(st.message());
  return w;
}

Error SampleWriter::write(const rt::Session &weights, const std::string &path) {
  for (const rt::ParamInfo &p : session_->executable().params) {
    const rt::HostTensor *value = weights.param(p.name);
    if (!value)
      return createStringError("the sampler's parameter '" + p.name +
                               "' is not in the training session");
    if (rt::Status st = session_->setParam(p.name, value->clone()); !st)
      return createStringError(st.message());
  }
  std::map<std::string, rt::HostTensor> in, out;
  if (rt::Status st = session_->run("forward", in, out); !st)
    return createStringError(st.message());
  const rt::HostTensor &images = out.at(kOutput);
  int64_t count = kGrid * kGrid, n = images.numElements();
  std::vector<float> pixels(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    pixels[size_t(i)] = float(images.at(i));
  bool tanhRange = std::any_of(pixels.begin(), pixels.end(),
                               [](float v) { return v < -0.01f; });
  for (float &v : pixels)
    v = std::clamp(tanhRange ? (v + 1.0f) / 2.0f : v, 0.0f, 1.0f);
  std::string bytes = gridPgm(pixels.data(), count, height_, width_, kGrid);
  if (rt::Status st = rt::writeFileAtomic(path, bytes); !st)
    return createStringError(st.message());
  return Error::success();
}

std::string SampleWriter::gridPgm(const float *pixels, int64_t count, int64_t h,
                                  int64_t w, int64_t cols) {
  int64_t rows = (count + cols - 1) / cols;
  int64_t width = cols * w + (cols + 1) * kBorder;
  int64_t height = rows * h + (rows + 1) * kBorder;
  std::string header =
      "P5\n" + std::to_string(width) + " " + std::to_string(height) + "\n255\n";
  std::string image(size_t(width * height), char(kBorderGrey));
  for (int64_t k = 0; k < count; ++k) {
    int64_t top = kBorder + (k / cols) * (h + kBorder);
    int64_t left = kBorder + (k % cols) * (w + kBorder);
    for (int64_t y = 0; y < h; ++y)
      for (int64_t x = 0; x < w; ++x) {
        float v = pixels[(k * h + y) * w + x];
        image[size_t((top + y) * width + left + x)] =
            char(uint8_t(std::lround(v * 255.0f)));
      }
  }
  return header + image;
}

} // namespace loomc
