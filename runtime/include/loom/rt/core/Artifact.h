//===- Artifact.h - Compiled models as files: the .loom format ------------===//
//
// `loomc build` writes a model compiled ahead of time as one file that the
// runtime loads without LLVM or MLIR:
//
//   offset 0   8 bytes   magic "LOOM\0ART"
//          8   u32       format version (kArtifactFormatVersion)
//         12   u32       N, the number of sections (1..64)
//         16   N x 32    section table: name (16 bytes, NUL-padded), u64
//                        offset, u64 size; sections lie inside the file, in
//                        offset order, without overlapping
//   then the sections, each starting on a 64-byte boundary.
//
// Sections, by name: "meta" (JSON: the model, the target and the CPU
// features its code needs, the batch size and the training settings it was
// built with, the parameter table with initializers, the optimizer state,
// and every entry point with its packed symbol, argument list and buffer
// plan) and "cpu.x86_64" (the code: one ELF relocatable object, see
// ObjectLoader.h). Other targets add sections of their own (the CUDA
// backend: PTX/CUBIN module images and a kernel table) without a format
// break: a loader skips sections it does not know, and "meta" lists the
// sections a loader must understand to run the file ("requires"), so an old
// runtime refuses a file it cannot run with a message naming what is
// missing instead of running half of it. The version changes only when the
// layout above or the meaning of an existing field changes.
//
// Little-endian integers throughout; no timestamps or paths, so building
// the same model twice gives the same bytes. Loading treats the file as
// untrusted (every offset, size, count and field is checked); errors name
// the file. Thread-safe: the functions share no state.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Executable.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace loom::rt {

constexpr uint32_t kArtifactFormatVersion = 1;

/// What "meta" says besides the Executable itself.
struct ArtifactInfo {
  uint32_t formatVersion = kArtifactFormatVersion;
  std::string target = "cpu";
  /// The CPU the code was compiled for ("x86-64-v3", or the host's name
  /// for --cpu native) and the ISA features it may use; a machine lacking
  /// any of them is refused at load time.
  std::string cpu;
  std::vector<std::string> cpuFeatures;
  /// The batch size the shapes were specialized for.
  int64_t batch = 0;
  /// The optimizer and its compile-time hyper-parameters, as text
  /// ("adam beta1=0.9 beta2=0.999 ..."), empty when built without training.
  std::string training;
  /// Free-form settings the builder wants to keep (e.g. the loomc version).
  std::map<std::string, std::string> extra;
  /// Sections present in the file, in file order (filled when loading).
  std::vector<std::string> sections;
};

/// The bytes of an artifact holding `exe`'s description (its entries'
/// `fn` are ignored; each entry's packed symbol is `symbols[name]`) and the
/// CPU object code.
std::string encodeArtifact(const Executable &exe, const ArtifactInfo &info,
                           const std::map<std::string, std::string> &symbols,
                           const std::string &cpuObject);

/// Reads and checks an artifact, checks the CPU features against this
/// machine, loads its code and returns a runnable Executable (its
/// keepAlive owns the loaded code). `name` labels errors.
Status loadArtifactFromMemory(const uint8_t *data, size_t size,
                              const std::string &name,
                              std::shared_ptr<Executable> &out,
                              ArtifactInfo *info = nullptr);
Status loadArtifact(const std::string &path, std::shared_ptr<Executable> &out,
                    ArtifactInfo *info = nullptr);

/// Only the checks and the description, without loading any code (for
/// `loomc` to describe a file, and for the fuzzer).
Status readArtifactInfo(const uint8_t *data, size_t size,
                        const std::string &name, Executable &exe,
                        ArtifactInfo &info);

/// The ISA features this runtime can check ("avx2", "fma", "avx512f", ...),
/// and those of `wanted` this machine lacks (a name the runtime does not
/// know counts as lacking).
const std::vector<std::string> &checkableCpuFeatures();
std::vector<std::string> missingCpuFeatures(const std::vector<std::string> &wanted);

/// True when the file starts with the artifact magic.
bool looksLikeArtifact(const std::string &path);

} // namespace loom::rt
