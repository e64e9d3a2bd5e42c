//===- Checkpoint.cpp - safetensors writer, validating reader, matching ---===//
//
// The writer lays tensors out back to back in the caller's order and emits
// the compact JSON header the reference implementation writes (metadata
// first, no spaces, padded with spaces to 8 bytes). The reader parses the
// header with the strict JSON subset parser, validates every entry, then
// checks that the tensors tile the data buffer exactly (sorted by offset:
// no overlap, no gap, nothing after the last one), as the reference
// implementation does. Only then does it allocate: every size it allocates
// has been checked against bytes actually in the file.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/Checkpoint.h"

#include "Json.h"
#include "loom/rt/core/FileUtil.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <exception>
#include <set>
#include <tuple>

namespace loom::rt {

static_assert(std::endian::native == std::endian::little,
              "safetensors data is little-endian; so must the host be");

namespace {

/// The reference implementation refuses larger headers; so do we, which
/// also bounds what a hostile header can make the parser allocate.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;
constexpr const char *kMetadataKey = "__metadata__";

struct DTypeCode {
  DType dtype;
  const char *code;
};
constexpr DTypeCode kDTypeCodes[] = {
    {DType::F32, "F32"}, {DType::F64, "F64"}, {DType::I1, "BOOL"},
    {DType::I32, "I32"}, {DType::I64, "I64"},
};

const char *codeOf(DType t) {
  for (const DTypeCode &c : kDTypeCodes)
    if (c.dtype == t)
      return c.code;
  return "?";
}

bool dtypeOf(const std::string &code, DType &out) {
  for (const DTypeCode &c : kDTypeCodes)
    if (code == c.code) {
      out = c.dtype;
      return true;
    }
  return false;
}

std::string quoted(const std::string &name) { return "'" + name + "'"; }

/// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above
/// U+10FFFF. JSON text must be UTF-8, and tensor names come from it.
bool isValidUtf8(const std::string &s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (n - i < len)
      return false;
    for (size_t k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80)
        return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

/// One validated header entry.
struct Entry {
  std::string name;
  TensorType type;
  uint64_t begin = 0, end = 0;
};

std::string range(uint64_t b, uint64_t e) {
  return "[" + std::to_string(b) + ", " + std::to_string(e) + "]";
}

/// Reads a non-negative integer that fits in int64.
bool nonNegative(const json::Value &v, uint64_t &out) {
  if (v.kind != json::Value::Kind::Integer || v.overflow || v.integer < 0)
    return false;
  out = uint64_t(v.integer);
  return true;
}

/// Validates one tensor entry of the header; `dataSize` is the length of
/// the data buffer. Errors are prefixed by the caller.
Status parseEntry(const std::string &name, const json::Value &v,
                  uint64_t dataSize, Entry &out) {
  using Kind = json::Value::Kind;
  if (v.kind != Kind::Object)
    return Status::error(std::string("is ") + json::kindName(v.kind) +
                         ", expected an object with dtype, shape and "
                         "data_offsets");
  const json::Value *dtype = nullptr, *shape = nullptr, *offsets = nullptr;
  for (const auto &[key, value] : v.members) {
    const json::Value **slot = key == "dtype"          ? &dtype
                               : key == "shape"        ? &shape
                               : key == "data_offsets" ? &offsets
                                                       : nullptr;
    if (!slot)
      return Status::error("unknown field " + quoted(key));
    if (*slot)
      return Status::error("field " + quoted(key) + " appears twice");
    *slot = &value;
  }
  for (auto [field, ptr] :
       {std::pair{"dtype", dtype}, {"shape", shape}, {"data_offsets", offsets}})
    if (!ptr)
      return Status::error(std::string("missing field '") + field + "'");

  out.name = name;
  if (dtype->kind != Kind::String)
    return Status::error("dtype must be a string");
  if (!dtypeOf(dtype->str, out.type.dtype))
    return Status::error("unsupported dtype " + quoted(dtype->str) +
                         " (Loom reads F32, F64, BOOL, I32 and I64)");
  if (shape->kind != Kind::Array)
    return Status::error("shape must be an array of non-negative integers");
  for (const json::Value &d : shape->items) {
    uint64_t dim;
    if (!nonNegative(d, dim))
      return Status::error("shape must be an array of non-negative integers");
    out.type.shape.push_back(int64_t(dim));
  }
  size_t bytes = 0;
  if (!out.type.checkedByteSize(bytes))
    return Status::error("shape " + out.type.str() + " is too large");
  if (offsets->kind != Kind::Array || offsets->items.size() != 2 ||
      !nonNegative(offsets->items[0], out.begin) ||
      !nonNegative(offsets->items[1], out.end))
    return Status::error(
        "data_offsets must be an array of two non-negative integers");
  if (out.end < out.begin)
    return Status::error("data_offsets " + range(out.begin, out.end) +
                         " end before they begin");
  if (out.end > dataSize)
    return Status::error("data_offsets " + range(out.begin, out.end) +
                         " go past the end of the data (" +
                         std::to_string(dataSize) + " bytes)");
  if (out.end - out.begin != bytes)
    return Status::error("data_offsets " + range(out.begin, out.end) +
                         " hold " + std::to_string(out.end - out.begin) +
                         " bytes, but " + out.type.str() + " needs " +
                         std::to_string(bytes));
  return Status::ok();
}

Status decode(const std::string &path, const std::string &bytes,
              std::map<std::string, HostTensor> &tensors,
              std::map<std::string, std::string> &metadata) {
  auto fail = [&](const std::string &msg) {
    return Status::error(path + ": " + msg);
  };
  if (bytes.size() < 8)
    return fail("file is " + std::to_string(bytes.size()) +
                " bytes, too short for a safetensors header");
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  uint64_t avail = bytes.size() - 8;
  if (n > avail)
    return fail("header length " + std::to_string(n) +
                " is larger than the rest of the file (" +
                std::to_string(avail) +
                " bytes); truncated or not a "
                "safetensors file?");
  if (n > kMaxHeaderBytes)
    return fail("header length " + std::to_string(n) + " exceeds the " +
                std::to_string(kMaxHeaderBytes) + "-byte limit");
  std::string header = bytes.substr(8, size_t(n));
  uint64_t dataSize = avail - n;
  if (!isValidUtf8(header))
    return fail("header is not valid UTF-8");

  json::Value root;
  std::string jsonError;
  if (!json::parse(header, root, jsonError))
    return fail("malformed JSON header: " + jsonError);
  if (root.kind != json::Value::Kind::Object)
    return fail(std::string("header is ") + json::kindName(root.kind) +
                ", expected a JSON object");

  std::vector<Entry> entries;
  std::set<std::string> names;
  bool sawMetadata = false;
  for (const auto &[key, value] : root.members) {
    if (key == kMetadataKey) {
      if (sawMetadata)
        return fail("__metadata__ appears twice");
      sawMetadata = true;
      if (value.kind != json::Value::Kind::Object)
        return fail("__metadata__ must be an object of strings");
      for (const auto &[k, v] : value.members) {
        if (v.kind != json::Value::Kind::String)
          return fail("__metadata__ value of " + quoted(k) + " is " +
                      json::kindName(v.kind) + ", expected a string");
        if (!metadata.emplace(k, v.str).second)
          return fail("__metadata__ key " + quoted(k) + " appears twice");
      }
      continue;
    }
    if (!names.insert(key).second)
      return fail("duplicate tensor " + quoted(key));
    Entry e;
    if (Status s = parseEntry(key, value, dataSize, e); !s)
      return fail("tensor " + quoted(key) + ": " + s.message());
    entries.push_back(std::move(e));
  }

  /// The tensors must tile the data buffer exactly. Zero-byte tensors may
  /// share an offset with each other and with a tensor's start.
  std::vector<const Entry *> order;
  for (const Entry &e : entries)
    order.push_back(&e);
  std::sort(order.begin(), order.end(), [](const Entry *a, const Entry *b) {
    return std::tie(a->begin, a->end, a->name) <
           std::tie(b->begin, b->end, b->name);
  });
  uint64_t covered = 0;
  const Entry *prev = nullptr;
  for (const Entry *e : order) {
    if (e->begin < covered)
      return fail("tensor " + quoted(e->name) + " (data_offsets " +
                  range(e->begin, e->end) + ") overlaps tensor " +
                  quoted(prev->name) + " (data_offsets " +
                  range(prev->begin, prev->end) + ")");
    if (e->begin > covered)
      return fail("data bytes [" + std::to_string(covered) + ", " +
                  std::to_string(e->begin) +
                  ") belong to no tensor (a gap before tensor " +
                  quoted(e->name) + ")");
    covered = e->end;
    prev = e;
  }
  if (covered != dataSize)
    return fail(std::to_string(dataSize - covered) +
                " bytes of trailing data after the last tensor");

  for (const Entry &e : entries) {
    HostTensor t(e.type);
    if (e.end > e.begin)
      std::memcpy(t.data(), bytes.data() + 8 + n + e.begin, e.end - e.begin);
    tensors.emplace(e.name, std::move(t));
  }
  return Status::ok();
}

} // namespace

Status saveCheckpoint(
    const std::string &path,
    const std::vector<std::pair<std::string, const HostTensor *>> &tensors,
    const std::map<std::string, std::string> &metadata) {
  auto fail = [&](const std::string &msg) {
    return Status::error("cannot save checkpoint " + path + ": " + msg);
  };
  std::set<std::string> seen;
  for (const auto &[name, t] : tensors) {
    if (name.empty())
      return fail("a tensor has an empty name");
    if (name == kMetadataKey)
      return fail("'__metadata__' is reserved and cannot name a tensor");
    if (!seen.insert(name).second)
      return fail("tensor " + quoted(name) + " is listed twice");
    if (!t || !t->hasStorage())
      return fail("tensor " + quoted(name) + " has no storage");
  }
  try {
    std::string header = "{";
    if (!metadata.empty()) {
      header += json::quote(kMetadataKey) + ":{";
      bool first = true;
      for (const auto &[k, v] : metadata) {
        header += (first ? "" : ",") + json::quote(k) + ":" + json::quote(v);
        first = false;
      }
      header += "}";
    }
    size_t offset = 0;
    for (const auto &[name, t] : tensors) {
      if (header.size() > 1)
        header += ',';
      header += json::quote(name) + ":{\"dtype\":\"" + codeOf(t->dtype()) +
                "\",\"shape\":[";
      for (size_t i = 0; i < t->shape().size(); ++i)
        header += (i ? "," : "") + std::to_string(t->shape()[i]);
      size_t end = offset + t->byteSize();
      header += "],\"data_offsets\":[" + std::to_string(offset) + "," +
                std::to_string(end) + "]}";
      offset = end;
    }
    header += '}';
    header.append((8 - header.size() % 8) % 8, ' ');

    std::string bytes;
    bytes.reserve(8 + header.size() + offset);
    uint64_t n = header.size();
    bytes.append(reinterpret_cast<const char *>(&n), 8);
    bytes += header;
    for (const auto &entry : tensors)
      bytes.append(static_cast<const char *>(entry.second->data()),
                   entry.second->byteSize());
    return writeFileAtomic(path, bytes);
  } catch (const std::exception &e) {
    return fail(e.what());
  }
}

Status loadCheckpoint(const std::string &path,
                      std::map<std::string, HostTensor> &tensors,
                      std::map<std::string, std::string> *metadata) {
  std::string bytes;
  if (Status s = readFile(path, bytes); !s)
    return s;
  return decodeCheckpoint(path, bytes, tensors, metadata);
}

Status decodeCheckpoint(const std::string &path, const std::string &bytes,
                        std::map<std::string, HostTensor> &tensors,
                        std::map<std::string, std::string> *metadata) {
  std::map<std::string, HostTensor> t;
  std::map<std::string, std::string> m;
  try {
    if (Status s = decode(path, bytes, t, m); !s)
      return s;
  } catch (const std::exception &e) {
    return Status::error(path + ": " + e.what());
  }
  tensors = std::move(t);
  if (metadata)
    *metadata = std::move(m);
  return Status::ok();
}

Status checkTensorsMatch(
    const std::string &path, const std::map<std::string, HostTensor> &loaded,
    const std::vector<std::pair<std::string, TensorType>> &expected,
    bool allowExtra, const std::string &modelName) {
  std::string model =
      modelName.empty() ? "the model" : "model '" + modelName + "'";
  std::vector<std::string> problems;
  std::set<std::string> wanted;
  for (const auto &[name, type] : expected) {
    wanted.insert(name);
    auto it = loaded.find(name);
    if (it == loaded.end()) {
      problems.push_back(path + " has no tensor " + quoted(name) + " (" +
                         model + " needs it)");
      continue;
    }
    const TensorType &have = it->second.type();
    if (have == type)
      continue;
    const char *what = have.dtype == type.dtype ? "shape" : "type";
    problems.push_back(path + ": tensor " + quoted(name) + " has " + what +
                       " " + have.str() + ", " + model + " expects " +
                       type.str());
  }
  if (!allowExtra)
    for (const auto &entry : loaded)
      if (!wanted.count(entry.first))
        problems.push_back(path + " holds " + quoted(entry.first) + ", which " +
                           model + " does not have");
  if (problems.empty())
    return Status::ok();
  std::string msg;
  for (const std::string &p : problems)
    msg += (msg.empty() ? "" : "\n") + p;
  return Status::error(msg);
}

} // namespace loom::rt
