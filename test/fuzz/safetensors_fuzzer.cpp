//===- safetensors_fuzzer.cpp - libFuzzer target: the checkpoint loader ---===//
//
// Feeds arbitrary bytes to decodeCheckpoint (the safetensors header's JSON,
// dtypes, shapes, offsets and the data buffer) and reads the fitted
// preprocessing from whatever metadata came through, as `loomc eval` does.
//
//===----------------------------------------------------------------------===//
#include "loom/rt/core/Checkpoint.h"
#include "loom/rt/data/Preprocess.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::map<std::string, loom::rt::HostTensor> tensors;
  std::map<std::string, std::string> meta;
  std::string bytes(reinterpret_cast<const char *>(data), size);
  if (loom::rt::decodeCheckpoint("fuzz.safetensors", bytes, tensors, &meta)) {
    loom::rt::FittedPreprocessing prep;
    (void)loom::rt::FittedPreprocessing::fromMetadata(meta, "fuzz", prep);
  }
  return 0;
}
