//===- Io.h - Reading and writing tensors as .npy and .csv files ---------===//
//
// The file formats a Loom app reads data from and writes results to. NPY is
// exact and typed (numpy's own format, so Python tools read it directly);
// CSV is for numeric tables people edit by hand and is always read as f32.
// Readers never crash on bad input: truncated or corrupt files, unknown
// dtypes and ragged tables are errors that name the file (and line). Writers
// are atomic (see FileUtil.h).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "loom/rt/core/Tensor.h"

#include <string>
#include <vector>

namespace loom::rt {

/// Reads an NPY file, format version 1, 2 or 3. Supported dtypes: <f4, <f8,
/// |b1, <i4, <i8 (f32, f64, i1, i32, i64); anything else, and
/// fortran_order arrays, are errors naming the file and the dtype.
Status readNpy(const std::string &path, HostTensor &out);

/// Writes an NPY file (version 1.0, or 2.0 when the header needs it) that
/// numpy.load reads back with the same dtype and shape.
Status writeNpy(const std::string &path, const HostTensor &tensor);

/// Encodes/decodes NPY in memory; `name` only labels error messages.
Status decodeNpy(const std::string &bytes, const std::string &name,
                 HostTensor &out);
std::string encodeNpy(const HostTensor &tensor);

/// Reads a comma-separated numeric table as f32 [rows, cols]. The first row
/// is a header when any of its cells is not a number; its cells go to
/// `header` (cleared when there is none). Blank lines are skipped, cells may
/// be double-quoted, CRLF and a UTF-8 BOM are accepted. Errors:
///   "PATH:LINE: non-numeric cell 'abc' in column 3 ('name')"
///   "PATH:LINE: expected 3 columns, found 2"
///   "PATH: empty file", "PATH: header but no data rows",
///   "cannot open PATH: No such file or directory".
Status readCsv(const std::string &path, HostTensor &out,
               std::vector<std::string> *header = nullptr);

/// Writes a rank 0-2 tensor as CSV with no header: a scalar as one cell, a
/// vector as one column (so readCsv gives [n, 1]), a matrix row by row.
/// Floats use the shortest text that reads back to the same value.
Status writeCsv(const std::string &path, const HostTensor &tensor);

/// Dispatch on the extension: ".npy" or ".csv" (case-insensitive); any
/// other extension is an error naming the supported ones.
Status readTensorFile(const std::string &path, HostTensor &out);
Status writeTensorFile(const std::string &path, const HostTensor &tensor);

} // namespace loom::rt
