//===- Npy.cpp - numpy's .npy format
//---------------------------------------===//
//
// An NPY file is a magic string, a version, a little-endian header length,
// a Python dict literal ({'descr': '<f4', 'fortran_order': False,
// 'shape': (2, 3), }) padded with spaces to a 64-byte boundary, then the raw
// row-major data. The reader parses the dict with a small literal parser
// rather than pattern matching, and checks every length against the bytes
// actually present, so a corrupt or truncated file is an error, not a crash.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/FileUtil.h"
#include "loom/rt/core/Io.h"

#include <bit>
#include <cstring>
#include <exception>
#include <limits>
#include <map>
#include <optional>

namespace loom::rt {

static_assert(std::endian::native == std::endian::little,
              "the NPY reader and writer assume a little-endian host");

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;

struct DTypeCode {
  DType dtype;
  const char *descr;
};
constexpr DTypeCode kDTypeCodes[] = {
    {DType::F32, "<f4"}, {DType::F64, "<f8"}, {DType::I1, "|b1"},
    {DType::I32, "<i4"}, {DType::I64, "<i8"},
};

const char *descrOf(DType t) {
  for (const DTypeCode &c : kDTypeCodes)
    if (c.dtype == t)
      return c.descr;
  return "?";
}

/// One value of the header dict: a string, a bool or a tuple of integers,
/// which is all the NPY header ever holds.
struct Literal {
  enum Kind { Str, Bool, Tuple } kind = Str;
  std::string str;
  bool flag = false;
  std::vector<int64_t> tuple;
};

/// Parses the Python dict literal of an NPY header. Returns false with
/// `error` set on anything it does not understand.
class HeaderParser {
public:
  explicit HeaderParser(std::string text) : s_(std::move(text)) {}

  bool parseDict(std::map<std::string, Literal> &dict) {
    skipSpace();
    if (!eat('{'))
      return fail("expected '{'");
    for (;;) {
      skipSpace();
      if (eat('}'))
        break;
      Literal key;
      if (!parseString(key.str))
        return false;
      skipSpace();
      if (!eat(':'))
        return fail("expected ':' after '" + key.str + "'");
      Literal value;
      if (!parseValue(value))
        return false;
      dict[key.str] = std::move(value);
      skipSpace();
      if (eat(','))
        continue;
      if (eat('}'))
        break;
      return fail("expected ',' or '}'");
    }
    skipSpace();
    if (pos_ != s_.size())
      return fail("unexpected text after the dict");
    return true;
  }

  const std::string &error() const { return error_; }

private:
  bool fail(std::string msg) {
    error_ = std::move(msg) + " at offset " + std::to_string(pos_);
    return false;
  }
  void skipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' ||
                                s_[pos_] == '\t' || s_[pos_] == '\r'))
      ++pos_;
  }
  bool eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool eatWord(const char *w) {
    size_t n = std::strlen(w);
    if (s_.compare(pos_, n, w) == 0) {
      pos_ += n;
      return true;
    }
    return false;
  }
  bool parseString(std::string &out) {
    if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"'))
      return fail("expected a string");
    char q = s_[pos_++];
    size_t end = s_.find(q, pos_);
    if (end == std::string::npos)
      return fail("unterminated string");
    out = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return true;
  }
  bool parseInt(int64_t &out) {
    size_t start = pos_;
    int64_t v = 0;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      int digit = s_[pos_++] - '0';
      if (v > (std::numeric_limits<int64_t>::max() - digit) / 10)
        return fail("dimension too large");
      v = v * 10 + digit;
    }
    if (pos_ == start)
      return fail("expected a non-negative integer");
    eat('L'); // Python 2 era writers spelled longs "3L"
    out = v;
    return true;
  }
  bool parseValue(Literal &v) {
    skipSpace();
    if (pos_ < s_.size() && (s_[pos_] == '\'' || s_[pos_] == '"')) {
      v.kind = Literal::Str;
      return parseString(v.str);
    }
    if (eatWord("True") || eatWord("False")) {
      v.kind = Literal::Bool;
      v.flag = s_.compare(pos_ - 4, 4, "True") == 0;
      return true;
    }
    if (!eat('('))
      return fail("expected a string, True, False or a tuple");
    v.kind = Literal::Tuple;
    for (;;) {
      skipSpace();
      if (eat(')'))
        return true;
      int64_t d = 0;
      if (!parseInt(d))
        return false;
      v.tuple.push_back(d);
      skipSpace();
      if (eat(','))
        continue;
      if (eat(')'))
        return true;
      return fail("expected ',' or ')' in the shape");
    }
  }

  std::string s_;
  size_t pos_ = 0;
  std::string error_;
};

uint64_t readLE(const std::string &b, size_t at, size_t width) {
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i)
    v |= uint64_t(uint8_t(b[at + i])) << (8 * i);
  return v;
}

} // namespace

Status decodeNpy(const std::string &bytes, const std::string &name,
                 HostTensor &out) {
  auto err = [&](const std::string &msg) {
    return Status::error(name + ": " + msg);
  };
  if (bytes.empty())
    return err("empty file (not an NPY file)");
  size_t prefix = std::min(bytes.size(), kMagicLen);
  if (std::memcmp(bytes.data(), kMagic, prefix) != 0)
    return err("not an NPY file (bad magic)");
  if (bytes.size() < 10)
    return err("truncated NPY file (" + std::to_string(bytes.size()) +
               " bytes)");
  int major = uint8_t(bytes[6]), minor = uint8_t(bytes[7]);
  if (major < 1 || major > 3)
    return err("unsupported NPY version " + std::to_string(major) + "." +
               std::to_string(minor));
  size_t lenWidth = major == 1 ? 2 : 4;
  size_t headerStart = 8 + lenWidth;
  if (bytes.size() < headerStart)
    return err("truncated NPY header");
  uint64_t headerLen = readLE(bytes, 8, lenWidth);
  if (headerLen > bytes.size() - headerStart)
    return err("truncated NPY header: it claims " + std::to_string(headerLen) +
               " bytes, the file has " +
               std::to_string(bytes.size() - headerStart));

  std::map<std::string, Literal> dict;
  HeaderParser parser(bytes.substr(headerStart, headerLen));
  if (!parser.parseDict(dict))
    return err("corrupt NPY header: " + parser.error());
  auto field = [&](const char *key, Literal::Kind kind) -> const Literal * {
    auto it = dict.find(key);
    return it != dict.end() && it->second.kind == kind ? &it->second : nullptr;
  };
  const Literal *descr = field("descr", Literal::Str);
  const Literal *fortran = field("fortran_order", Literal::Bool);
  const Literal *shape = field("shape", Literal::Tuple);
  if (!descr || !fortran || !shape)
    return err("corrupt NPY header: needs 'descr', 'fortran_order' and "
               "'shape'");

  std::optional<DType> dtype;
  for (const DTypeCode &c : kDTypeCodes)
    if (descr->str == c.descr)
      dtype = c.dtype;
  if (!dtype)
    return err("unsupported NPY dtype '" + descr->str +
               "' (supported: <f4, <f8, |b1, <i4, <i8)");
  if (fortran->flag)
    return err("fortran_order arrays are not supported; save a C-contiguous "
               "array (numpy.ascontiguousarray)");

  /// Check the claimed size against the bytes present before allocating:
  /// a corrupt header must not make us allocate (and zero) terabytes.
  TensorType type{*dtype, shape->tuple};
  size_t need = 0;
  if (!type.checkedByteSize(need))
    return err("corrupt NPY header: impossible shape " + type.str());
  size_t dataStart = headerStart + headerLen;
  size_t have = bytes.size() - dataStart;
  if (have < need)
    return err("truncated NPY data: " + type.str() + " needs " +
               std::to_string(need) + " bytes, the file has " +
               std::to_string(have));
  if (have > need)
    return err("corrupt NPY file: " + std::to_string(have - need) +
               " unexpected bytes after the " + type.str() + " data");
  HostTensor t;
  try {
    t = HostTensor(type);
  } catch (const std::exception &e) {
    return err(std::string("cannot allocate ") + type.str() + ": " + e.what());
  }
  if (need)
    std::memcpy(t.data(), bytes.data() + dataStart, need);
  /// numpy bools are one byte, but only 0 and 1 are valid; normalize so
  /// generated code that assumes 0/1 never sees another value.
  if (*dtype == DType::I1)
    for (int64_t i = 0; i < t.numElements(); ++i)
      t.as<uint8_t>()[i] = t.as<uint8_t>()[i] != 0;
  out = std::move(t);
  return Status::ok();
}

std::string encodeNpy(const HostTensor &tensor) {
  std::string dict = "{'descr': '";
  dict += descrOf(tensor.dtype());
  dict += "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < tensor.shape().size(); ++i) {
    dict += std::to_string(tensor.shape()[i]);
    if (i + 1 < tensor.shape().size() || tensor.shape().size() == 1)
      dict += ',';
    if (i + 1 < tensor.shape().size())
      dict += ' ';
  }
  dict += "), }";

  /// Pad with spaces and a final newline so the data starts on a 64-byte
  /// boundary, as numpy does (it lets readers mmap aligned data).
  /// Version 1.0 stores the header length in 16 bits; larger headers
  /// (very high rank) need version 2.0's 32 bits.
  auto paddedTotal = [&](size_t prefixLen) {
    return (prefixLen + dict.size() + 1 + 63) / 64 * 64;
  };
  size_t lenWidth = paddedTotal(10) - 10 > 65535 ? 4 : 2;
  size_t prefixLen = 8 + lenWidth;
  dict.append(paddedTotal(prefixLen) - prefixLen - dict.size() - 1, ' ');
  dict += '\n';

  std::string out(kMagic, kMagicLen);
  out += char(lenWidth == 2 ? 1 : 2);
  out += char(0);
  for (size_t i = 0; i < lenWidth; ++i)
    out += char((dict.size() >> (8 * i)) & 0xff);
  out += dict;
  if (tensor.hasStorage())
    out.append(static_cast<const char *>(tensor.data()), tensor.byteSize());
  return out;
}

Status readNpy(const std::string &path, HostTensor &out) {
  std::string bytes;
  if (Status s = readFile(path, bytes); !s)
    return s;
  return decodeNpy(bytes, path, out);
}

Status writeNpy(const std::string &path, const HostTensor &tensor) {
  if (!tensor.hasStorage())
    return Status::error("cannot write " + path +
                         ": the tensor is empty "
                         "(moved-from)");
  try {
    return writeFileAtomic(path, encodeNpy(tensor));
  } catch (const std::exception &e) {
    return Status::error("cannot write " + path + ": " + e.what());
  }
}

} // namespace loom::rt
