//===- Executable.h - What the compiler hands the runtime ----------------===//
//
// The contract between Loom's two halves. A compiled model is described by
// plain data: its parameter table (name, type, initializer, trainable), its
// optimizer state table, and entry points (forward, eval, train_step), each
// with a packed function pointer and the ordered list of arguments it takes.
// The JIT fills this in-process; an AOT build will fill it from a shared
// library. Nothing here depends on LLVM or MLIR.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Tensor.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace loom::rt {

/// How a parameter gets its first value. Deterministic given the session
/// seed and the parameter's name (so adding a parameter does not change the
/// others). fan_in/fan_out for Xavier/He come from the shape: for a matrix
/// [in, out] (Loom's dense layout) fan_in = shape[0], fan_out = shape[1]; for
/// rank > 2 (convolution weights in PyTorch's layout [out, in, kh, kw], or
/// [in, out/groups, kh, kw] for transposed ones) fan_in = shape[1] and
/// fan_out = shape[0], each times the receptive field (product of dims
/// 2..), exactly as torch.nn.init computes them.
struct Initializer {
  enum class Kind {
    Zeros,
    Ones,
    Constant,      // a
    Uniform,       // U(a, b)
    Normal,        // N(mean a, stddev b)
    XavierUniform, // U(-g*sqrt(6/(in+out)), +...), gain g = a (default 1)
    XavierNormal,  // N(0, g*sqrt(2/(in+out)))
    HeUniform,     // U(-sqrt(6/in), +sqrt(6/in))
    HeNormal,      // N(0, sqrt(2/in))
    Values,        // explicit values, row-major
  };
  Kind kind = Kind::Zeros;
  double a = 0.0, b = 0.0;
  std::vector<double> values;
};

const char *initializerName(Initializer::Kind k); // "zeros", "xavier_uniform"...
bool parseInitializerKind(const std::string &name, Initializer::Kind &out);

struct ParamInfo {
  std::string name; // e.g. "fc.weight"
  TensorType type;
  Initializer init;
  bool trainable = true;
};

/// Optimizer state the session keeps next to the parameters (a moment
/// estimate "fc.weight.m", a momentum buffer "fc.weight.momentum"). Every
/// state starts at zero, which is what PyTorch's optimizers start from.
struct StateInfo {
  std::string name;
  TensorType type;
};

/// The role of one argument of an entry point's packed function.
enum class ArgKind {
  Input,  // a user-provided tensor (by name)
  Param,  // a parameter of the session (by name), never written in place
  Output, // a result buffer the function writes (by name)
  /// A result buffer receiving the new value of parameter `name`; the
  /// session adopts it after the call instead of returning it.
  ParamUpdate,
  State,       // an optimizer state of the session (by name)
  StateUpdate, // like ParamUpdate, for optimizer state `name`
  /// A rank-0 f32 run-time hyperparameter ("lr", "step"), so a schedule
  /// changes it between calls without recompiling.
  Hyper,
  /// Scratch memory for the call's temporaries: EntryPoint::workspaceBytes
  /// bytes, 64-byte aligned, owned by the caller and reused across calls
  /// (the compiler laid the temporaries out in it; see PlanBuffers.cpp).
  /// Always the last argument of a compiled entry; its `type` is unused.
  Workspace,
};

struct ArgSpec {
  ArgKind kind;
  std::string name;
  TensorType type;
};

/// A function compiled with MLIR's packed calling convention: `args[i]`
/// points at the i-th argument, and every argument of Loom's entry points is
/// a pointer to a strided memref descriptor (see MemRef.h).
using PackedFn = void (*)(void **args);

struct EntryPoint {
  std::string name; // "forward"
  PackedFn fn = nullptr;
  std::vector<ArgSpec> args; // call order
  /// Scratch memory one call still allocates on the heap for its
  /// temporaries (beyond its arguments and workspace): how many buffers and
  /// how many bytes in all (buffers inside loops, dynamic shapes).
  int64_t tempBuffers = 0;
  int64_t tempBytes = 0;
  /// Size of the Workspace argument.
  int64_t workspaceBytes = 0;
};

struct Executable {
  std::string modelName;
  std::vector<ParamInfo> params;
  std::vector<StateInfo> states;
  std::vector<EntryPoint> entries;
  /// Owns whatever keeps `fn` pointers valid (the JIT engine, a dlopen
  /// handle). Type-erased so the runtime never sees its type.
  std::shared_ptr<void> keepAlive;

  const EntryPoint *findEntry(const std::string &name) const;
  const ParamInfo *findParam(const std::string &name) const;
  const StateInfo *findState(const std::string &name) const;
};

} // namespace loom::rt
