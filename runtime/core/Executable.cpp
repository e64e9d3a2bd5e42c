//===- Executable.cpp - Look-ups on the compiler/runtime contract ---------===//
//
// The Executable is plain data filled in by the compiler (JIT) or by a loaded
// shared library (AOT). This file holds its small look-ups and the spelling of
// initializer kinds, which the compiler's attributes and the runtime share.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/Executable.h"

namespace loom::rt {

namespace {
struct KindName {
  Initializer::Kind kind;
  const char *name;
};
/// One table so that printing and parsing can never disagree.
constexpr KindName kKindNames[] = {
    {Initializer::Kind::Zeros, "zeros"},
    {Initializer::Kind::Ones, "ones"},
    {Initializer::Kind::Constant, "constant"},
    {Initializer::Kind::Uniform, "uniform"},
    {Initializer::Kind::Normal, "normal"},
    {Initializer::Kind::XavierUniform, "xavier_uniform"},
    {Initializer::Kind::XavierNormal, "xavier_normal"},
    {Initializer::Kind::HeUniform, "he_uniform"},
    {Initializer::Kind::HeNormal, "he_normal"},
    {Initializer::Kind::Values, "values"},
};
} // namespace

const char *initializerName(Initializer::Kind k) {
  for (const KindName &kn : kKindNames)
    if (kn.kind == k)
      return kn.name;
  return "?";
}

bool parseInitializerKind(const std::string &name, Initializer::Kind &out) {
  for (const KindName &kn : kKindNames) {
    if (name == kn.name) {
      out = kn.kind;
      return true;
    }
  }
  return false;
}

const EntryPoint *Executable::findEntry(const std::string &name) const {
  for (const EntryPoint &e : entries)
    if (e.name == name)
      return &e;
  return nullptr;
}

const ParamInfo *Executable::findParam(const std::string &name) const {
  for (const ParamInfo &p : params)
    if (p.name == name)
      return &p;
  return nullptr;
}

const StateInfo *Executable::findState(const std::string &name) const {
  for (const StateInfo &st : states)
    if (st.name == name)
      return &st;
  return nullptr;
}

} // namespace loom::rt
