//===- Csv.cpp - Numeric tables as comma-separated text -------------------===//
//
// CSV in the runtime means a rectangular table of numbers, read as f32
// [rows, cols], optionally under one header row. Numbers are parsed with
// std::from_chars, which is locale-independent (a German locale must not turn
// "1.5" into an error) and rejects trailing junk. Every error carries
// PATH:LINE so a person can jump to the bad cell.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/FileUtil.h"
#include "loom/rt/core/Io.h"

#include <charconv>
#include <cmath>
#include <exception>
#include <limits>

namespace loom::rt {

namespace {

/// Splits one line on commas, honouring double quotes ("a,b" is one cell,
/// "" inside quotes is a quote). Returns false on an unterminated quote.
bool splitCells(const std::string &line, std::vector<std::string> &cells) {
  cells.clear();
  std::string cell;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.push_back(std::move(cell));
      cell.clear();
    } else {
      cell += c;
    }
  }
  cells.push_back(std::move(cell));
  return !quoted;
}

std::string trim(const std::string &s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

enum class CellParse { Ok, NotANumber, OutOfRange };

CellParse parseCell(const std::string &raw, float &out) {
  std::string s = trim(raw);
  const char *b = s.data(), *e = s.data() + s.size();
  if (b != e && *b == '+') // from_chars does not accept a leading '+'
    ++b;
  if (b == e)
    return CellParse::NotANumber;
  /// Parse as double first: from_chars<float> reports underflow (1e-50) as
  /// out of range, but that should just become a subnormal or zero.
  double d;
  auto [p, ec] = std::from_chars(b, e, d);
  if (p != e || ec == std::errc::invalid_argument)
    return CellParse::NotANumber;
  if (ec == std::errc::result_out_of_range ||
      (std::isfinite(d) && std::fabs(d) > std::numeric_limits<float>::max()))
    return CellParse::OutOfRange;
  out = float(d);
  return CellParse::Ok;
}

bool isBlank(const std::string &line) {
  return line.find_first_not_of(" \t") == std::string::npos;
}

} // namespace

Status readCsv(const std::string &path, HostTensor &out,
               std::vector<std::string> *header) {
  std::string text;
  if (Status s = readFile(path, text); !s)
    return s;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0)
    text.erase(0, 3);

  std::vector<std::string> names, cells;
  std::vector<float> values;
  size_t cols = 0;
  int64_t rows = 0;
  bool sawFirst = false;
  size_t lineNo = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string::npos ? text.size() : nl;
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++lineNo;
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (isBlank(line))
      continue;
    std::string at = path + ":" + std::to_string(lineNo) + ": ";
    if (!splitCells(line, cells))
      return Status::error(at + "unterminated quoted cell");

    if (!sawFirst) {
      sawFirst = true;
      cols = cells.size();
      float ignored;
      for (const std::string &c : cells) {
        /// An empty cell alone does not make a header: "1,,3" is a data
        /// row with a missing value, reported as such below.
        if (!trim(c).empty() &&
            parseCell(c, ignored) == CellParse::NotANumber) {
          for (const std::string &n : cells)
            names.push_back(trim(n));
          break;
        }
      }
      if (!names.empty())
        continue;
    }
    if (cells.size() != cols)
      return Status::error(at + "expected " + std::to_string(cols) +
                           " columns, found " + std::to_string(cells.size()));
    for (size_t c = 0; c < cells.size(); ++c) {
      float v = 0;
      CellParse r = parseCell(cells[c], v);
      if (r == CellParse::Ok) {
        values.push_back(v);
        continue;
      }
      std::string column = "column " + std::to_string(c + 1);
      if (!names.empty())
        column += " ('" + names[c] + "')";
      std::string cell = trim(cells[c]);
      if (r == CellParse::OutOfRange)
        return Status::error(at + "value '" + cell + "' in " + column +
                             " is out of range for f32");
      if (cell.empty())
        return Status::error(at + "empty cell in " + column);
      return Status::error(at + "non-numeric cell '" + cell + "' in " + column);
    }
    ++rows;
  }
  if (!sawFirst)
    return Status::error(path + ": empty file");
  if (rows == 0)
    return Status::error(path + ": header but no data rows");

  try {
    HostTensor t(TensorType{DType::F32, {rows, int64_t(cols)}});
    std::copy(values.begin(), values.end(), t.as<float>());
    out = std::move(t);
  } catch (const std::exception &e) {
    return Status::error(path + ": " + e.what());
  }
  if (header)
    *header = std::move(names);
  return Status::ok();
}

/// Shortest text that parses back to the same value of the tensor's dtype.
static void appendValue(std::string &s, const HostTensor &t, int64_t i) {
  char buf[64];
  std::to_chars_result r{};
  switch (t.dtype()) {
  case DType::F32:
    r = std::to_chars(buf, buf + sizeof(buf), t.as<float>()[i]);
    break;
  case DType::F64:
    r = std::to_chars(buf, buf + sizeof(buf), t.as<double>()[i]);
    break;
  case DType::I1:
    r = std::to_chars(buf, buf + sizeof(buf), int(t.as<uint8_t>()[i] != 0));
    break;
  case DType::I32:
    r = std::to_chars(buf, buf + sizeof(buf), t.as<int32_t>()[i]);
    break;
  case DType::I64:
    r = std::to_chars(buf, buf + sizeof(buf), t.as<int64_t>()[i]);
    break;
  }
  s.append(buf, r.ptr);
}

Status writeCsv(const std::string &path, const HostTensor &tensor) {
  if (!tensor.hasStorage())
    return Status::error("cannot write " + path +
                         ": the tensor is empty (moved-from)");
  size_t rank = tensor.shape().size();
  if (rank > 2)
    return Status::error("cannot write " + path +
                         " as CSV: " + tensor.type().str() +
                         " has rank > 2 (use .npy instead)");
  int64_t rows = rank == 0 ? 1 : tensor.shape()[0];
  int64_t cols = rank == 2 ? tensor.shape()[1] : 1;
  try {
    std::string text;
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t c = 0; c < cols; ++c) {
        if (c)
          text += ',';
        appendValue(text, tensor, r * cols + c);
      }
      text += '\n';
    }
    return writeFileAtomic(path, text);
  } catch (const std::exception &e) {
    return Status::error("cannot write " + path + ": " + e.what());
  }
}

} // namespace loom::rt
