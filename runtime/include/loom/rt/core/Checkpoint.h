//===- Checkpoint.h - Saving and loading parameters as safetensors --------===//
//
// A checkpoint is a set of named tensors plus string metadata, stored in
// Hugging Face's safetensors format so that Python tools (safetensors,
// PyTorch, JAX) read and write Loom's checkpoints directly:
//
//   8 bytes   N, little-endian u64: the header length
//   N bytes   JSON: {"__metadata__": {"k": "v"},
//                    "fc.weight": {"dtype": "F32", "shape": [30, 1],
//                                  "data_offsets": [0, 120]}, ...}
//             padded with spaces to a multiple of 8 bytes
//   rest      the data buffer; offsets are relative to its start
//
// dtypes: F32, F64, BOOL, I32, I64 (rt::DType f32, f64, i1, i32, i64). The
// loader treats the file as untrusted: every length, offset and size is
// checked against the bytes present before anything is allocated, and each
// problem is an error naming the file (and the tensor). Functions are
// thread-safe with respect to each other as long as two threads do not
// save to the same path at once (see writeFileAtomic).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Tensor.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace loom::rt {

/// Writes `tensors` (in the given order, contiguously) and `metadata` to
/// `path` through writeFileAtomic: a crash or an error during the save
/// leaves any existing file at `path` untouched. Errors: an empty or
/// repeated name, the reserved name "__metadata__", a tensor with no
/// storage, and every I/O failure; all name the path.
Status saveCheckpoint(
    const std::string &path,
    const std::vector<std::pair<std::string, const HostTensor *>> &tensors,
    const std::map<std::string, std::string> &metadata = {});

/// Reads a safetensors file. On success `tensors` holds exactly the file's
/// tensors and `*metadata` (when non-null) its __metadata__ map (empty when
/// absent); on failure both are left unchanged. Rejected, with a message
/// naming the file: a header length beyond the file or above 100 MB (the
/// reference implementation's limit), malformed or non-UTF-8 JSON, an
/// unknown dtype (F16, BF16, U8, ... are valid safetensors but have no
/// rt::DType), a negative or overflowing dimension, data_offsets out of
/// range, overlapping, leaving gaps or not matching shape x dtype size,
/// bytes after the last tensor, duplicate tensor names, unknown fields, and
/// non-string metadata values.
Status loadCheckpoint(const std::string &path,
                      std::map<std::string, HostTensor> &tensors,
                      std::map<std::string, std::string> *metadata = nullptr);

/// Checks loaded tensors against what a model expects. Every problem is
/// reported, one per line, expected tensors first in the given order, then
/// extras in name order:
///   "PATH: tensor 'fc.weight' has shape f32[30,2], the model expects
///   f32[30,1]" "PATH: tensor 'step' has type i64[], the model expects f32[]"
///   "PATH has no tensor 'fc.bias' (the model needs it)"
///   "PATH holds 'conv1.weight', which model 'x' does not have"
/// The last only when !allowExtra; `modelName` names the model in it
/// ("the model" when empty).
/// loadCheckpoint on bytes already in memory; `path` names them in errors.
Status decodeCheckpoint(const std::string &path, const std::string &bytes,
                        std::map<std::string, HostTensor> &tensors,
                        std::map<std::string, std::string> *metadata = nullptr);

Status checkTensorsMatch(
    const std::string &path, const std::map<std::string, HostTensor> &loaded,
    const std::vector<std::pair<std::string, TensorType>> &expected,
    bool allowExtra, const std::string &modelName = "");

} // namespace loom::rt
