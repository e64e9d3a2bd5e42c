//===- ObjectLoader.h - Loads compiled model code without a system linker -===//
//
// An ahead-of-time artifact carries its CPU code as one x86-64 ELF
// relocatable object (ET_REL), compiled by LLVM with the large code model
// and static relocations, so every reference is a 64-bit absolute (or
// 64-bit PC-relative) relocation and no GOT, PLT or trampolines are needed.
// This loader maps the object's allocated sections into fresh pages,
// applies its relocations, resolves its undefined symbols against the
// runtime's own table (the loom_rt_* kernels, memrefCopy, the libc and
// libm functions generated code calls) and then makes the code pages
// read+execute and the rest read-only or read+write (never writable and
// executable at once). The object comes from an untrusted file: every
// offset, size, index and string is checked against the bytes present
// before it is used, and anything unexpected is an error naming the object,
// never a wild read or write. Thread-safe: a LoadedObject is immutable once
// loaded.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Tensor.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace loom::rt {

class LoadedObject {
public:
  /// Loads `size` bytes of an ELF relocatable object; `name` prefixes
  /// errors. Undefined symbols are resolved with runtimeSymbol().
  static Status load(const uint8_t *data, size_t size, const std::string &name,
                     std::unique_ptr<LoadedObject> &out);
  ~LoadedObject();
  LoadedObject(const LoadedObject &) = delete;
  LoadedObject &operator=(const LoadedObject &) = delete;

  /// The address of a defined global symbol, or nullptr.
  void *symbol(const std::string &name) const;
  /// Bytes mapped for the object's sections.
  size_t mappedBytes() const { return size_; }

private:
  LoadedObject() = default;
  void *base_ = nullptr;
  size_t size_ = 0;
  std::map<std::string, void *> symbols_;
};

/// The functions compiled model code may call, by symbol name, or nullptr.
/// The JIT resolves the loom_rt_* ones from the same table.
void *runtimeSymbol(const std::string &name);

} // namespace loom::rt
