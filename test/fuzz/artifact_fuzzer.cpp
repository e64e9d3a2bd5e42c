//===- artifact_fuzzer.cpp - libFuzzer target: the .loom loader -----------===//
//
// Feeds arbitrary bytes to loadArtifactFromMemory: the container, the JSON
// metadata decoder, the CPU-feature check and the ELF relocatable loader
// (which maps and relocates, but never runs, the code). Any crash, leak,
// out-of-bounds access or undefined behaviour is a finding (ASan, UBSan).
//
//===----------------------------------------------------------------------===//
#include "loom/rt/core/Artifact.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::shared_ptr<loom::rt::Executable> exe;
  loom::rt::ArtifactInfo info;
  (void)loom::rt::loadArtifactFromMemory(data, size, "fuzz.loom", exe, &info);
  return 0;
}
