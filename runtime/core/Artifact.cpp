//===- Artifact.cpp - Compiled models as files: the .loom format ----------===//
//
// See Artifact.h. The metadata is JSON in the subset the runtime's strict
// parser reads (objects, arrays, strings, integers): floating-point values
// (initializer constants) are strings with 17 significant digits, flags
// are 0/1. Decoding checks every field's presence and kind, every name,
// dtype, shape and argument kind, before a byte of code is loaded.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/core/Artifact.h"

#include "Json.h"
#include "loom/rt/core/FileUtil.h"
#include "loom/rt/cpu/ObjectLoader.h"

#include <algorithm>
#include <cpuid.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>

namespace loom::rt {

namespace {

constexpr char kMagic[8] = {'L', 'O', 'O', 'M', '\0', 'A', 'R', 'T'};
constexpr size_t kHeader = 16, kEntry = 32, kMaxSections = 64;
constexpr const char *kMeta = "meta", *kCpuCode = "cpu.x86_64";

void putU32(std::string &s, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    s.push_back(char((v >> (8 * i)) & 0xff));
}
void putU64(std::string &s, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    s.push_back(char((v >> (8 * i)) & 0xff));
}
uint64_t getLE(const uint8_t *p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i)
    v = (v << 8) | p[i];
  return v;
}

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return json::quote(buf);
}

std::string shapeJson(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ',';
    s += std::to_string(shape[i]);
  }
  s += ']';
  return s;
}

std::string typeJson(const TensorType &t) {
  return "\"dtype\":" + json::quote(dtypeName(t.dtype)) +
         ",\"shape\":" + shapeJson(t.shape);
}

const char *argKindName(ArgKind k) {
  switch (k) {
  case ArgKind::Input: return "input";
  case ArgKind::Param: return "param";
  case ArgKind::Output: return "output";
  case ArgKind::ParamUpdate: return "param_update";
  case ArgKind::State: return "state";
  case ArgKind::StateUpdate: return "state_update";
  case ArgKind::Hyper: return "hyper";
  case ArgKind::Workspace: return "workspace";
  }
  return "?";
}

std::string metaJson(const Executable &exe, const ArtifactInfo &info,
                     const std::map<std::string, std::string> &symbols) {
  std::string j = "{\"format\":" + std::to_string(kArtifactFormatVersion);
  j += ",\"model\":" + json::quote(exe.modelName);
  j += ",\"target\":" + json::quote(info.target);
  j += ",\"requires\":[" + json::quote(kCpuCode) + "]";
  j += ",\"cpu\":" + json::quote(info.cpu) + ",\"cpu_features\":[";
  for (size_t i = 0; i < info.cpuFeatures.size(); ++i)
    j += (i ? "," : "") + json::quote(info.cpuFeatures[i]);
  j += "],\"batch\":" + std::to_string(info.batch);
  j += ",\"training\":" + json::quote(info.training) + ",\"extra\":{";
  bool first = true;
  for (const auto &[k, v] : info.extra) {
    j += (first ? "" : ",") + json::quote(k) + ":" + json::quote(v);
    first = false;
  }
  j += "},\"params\":[";
  for (size_t i = 0; i < exe.params.size(); ++i) {
    const ParamInfo &p = exe.params[i];
    j += std::string(i ? "," : "") + "{\"name\":" + json::quote(p.name) + "," +
         typeJson(p.type) + ",\"init\":{\"kind\":" +
         json::quote(initializerName(p.init.kind)) + ",\"a\":" + num(p.init.a) +
         ",\"b\":" + num(p.init.b) + ",\"values\":[";
    for (size_t k = 0; k < p.init.values.size(); ++k) {
      if (k)
        j += ',';
      j += num(p.init.values[k]);
    }
    j += "]},\"trainable\":" + std::string(p.trainable ? "1" : "0") + "}";
  }
  j += "],\"states\":[";
  for (size_t i = 0; i < exe.states.size(); ++i)
    j += std::string(i ? "," : "") + "{\"name\":" +
         json::quote(exe.states[i].name) + "," + typeJson(exe.states[i].type) +
         "}";
  j += "],\"entries\":[";
  for (size_t i = 0; i < exe.entries.size(); ++i) {
    const EntryPoint &e = exe.entries[i];
    auto sym = symbols.find(e.name);
    j += std::string(i ? "," : "") + "{\"name\":" + json::quote(e.name) +
         ",\"symbol\":" + json::quote(sym == symbols.end() ? "" : sym->second) +
         ",\"temp_buffers\":" + std::to_string(e.tempBuffers) +
         ",\"temp_bytes\":" + std::to_string(e.tempBytes) +
         ",\"workspace_bytes\":" + std::to_string(e.workspaceBytes) +
         ",\"args\":[";
    for (size_t k = 0; k < e.args.size(); ++k)
      j += std::string(k ? "," : "") + "{\"kind\":" +
           json::quote(argKindName(e.args[k].kind)) + ",\"name\":" +
           json::quote(e.args[k].name) + "," + typeJson(e.args[k].type) + "}";
    j += "]}";
  }
  return j + "]}";
}

/// Decoding "meta": a cursor over one JSON object with typed accessors
/// whose errors say which field of which item is wrong.
struct Reader {
  const std::string &file;
  std::string error;

  bool fail(const std::string &what) {
    if (error.empty())
      error = file + ": " + what;
    return false;
  }
  const json::Value *field(const json::Value &obj, const char *key,
                           json::Value::Kind kind, const std::string &where) {
    if (obj.kind != json::Value::Kind::Object) {
      fail(where + " is not an object");
      return nullptr;
    }
    for (const json::Member &m : obj.members)
      if (m.key == key) {
        if (m.value.kind != kind) {
          fail(where + "'s '" + key + "' is " + json::kindName(m.value.kind) +
               ", expected " + json::kindName(kind));
          return nullptr;
        }
        return &m.value;
      }
    fail(where + " has no '" + key + "'");
    return nullptr;
  }
  bool str(const json::Value &o, const char *k, const std::string &where,
           std::string &out) {
    const json::Value *v = field(o, k, json::Value::Kind::String, where);
    if (v)
      out = v->str;
    return v;
  }
  bool integer(const json::Value &o, const char *k, const std::string &where,
               int64_t &out, int64_t lo = 0) {
    const json::Value *v = field(o, k, json::Value::Kind::Integer, where);
    if (!v)
      return false;
    if (v->overflow || v->integer < lo)
      return fail(where + "'s '" + k + "' is out of range");
    out = v->integer;
    return true;
  }
  bool real(const json::Value &v, const std::string &where, double &out) {
    if (v.kind != json::Value::Kind::String)
      return fail(where + " is not a number string");
    char *end = nullptr;
    out = std::strtod(v.str.c_str(), &end);
    if (v.str.empty() || *end)
      return fail(where + " is not a number ('" + v.str + "')");
    return true;
  }
  bool type(const json::Value &o, const std::string &where, TensorType &t) {
    std::string dtype;
    if (!str(o, "dtype", where, dtype))
      return false;
    if (!parseDType(dtype, t.dtype))
      return fail(where + " has unknown dtype '" + dtype + "'");
    const json::Value *shape = field(o, "shape", json::Value::Kind::Array, where);
    if (!shape)
      return false;
    if (shape->items.size() > 16)
      return fail(where + " has rank " + std::to_string(shape->items.size()));
    t.shape.clear();
    for (const json::Value &d : shape->items) {
      if (d.kind != json::Value::Kind::Integer || d.overflow || d.integer < 0)
        return fail(where + " has a bad dimension");
      t.shape.push_back(d.integer);
    }
    size_t bytes = 0;
    if (!t.checkedByteSize(bytes) || bytes > (size_t(1) << 40))
      return fail(where + " has a shape too large");
    return true;
  }
};

bool parseArgKind(const std::string &s, ArgKind &k) {
  for (ArgKind c : {ArgKind::Input, ArgKind::Param, ArgKind::Output,
                    ArgKind::ParamUpdate, ArgKind::State, ArgKind::StateUpdate,
                    ArgKind::Hyper, ArgKind::Workspace})
    if (s == argKindName(c)) {
      k = c;
      return true;
    }
  return false;
}

bool decodeMeta(Reader &r, const json::Value &m, Executable &exe,
                ArtifactInfo &info,
                std::map<std::string, std::string> &symbols) {
  using K = json::Value::Kind;
  int64_t format = 0;
  if (!r.integer(m, "format", "the metadata", format))
    return false;
  if (format != kArtifactFormatVersion)
    return r.fail("metadata format " + std::to_string(format) +
                  " does not match the file's version");
  if (!r.str(m, "model", "the metadata", exe.modelName) ||
      !r.str(m, "target", "the metadata", info.target) ||
      !r.str(m, "cpu", "the metadata", info.cpu) ||
      !r.integer(m, "batch", "the metadata", info.batch, 1) ||
      !r.str(m, "training", "the metadata", info.training))
    return false;
  if (info.target != "cpu")
    return r.fail("built for target '" + info.target +
                  "', which this runtime cannot run");
  const json::Value *req = r.field(m, "requires", K::Array, "the metadata");
  const json::Value *features = r.field(m, "cpu_features", K::Array, "the metadata");
  const json::Value *extra = r.field(m, "extra", K::Object, "the metadata");
  const json::Value *params = r.field(m, "params", K::Array, "the metadata");
  const json::Value *states = r.field(m, "states", K::Array, "the metadata");
  const json::Value *entries = r.field(m, "entries", K::Array, "the metadata");
  if (!req || !features || !extra || !params || !states || !entries)
    return false;
  for (const json::Value &s : req->items) {
    if (s.kind != K::String)
      return r.fail("'requires' holds a non-string");
    if (s.str != kCpuCode)
      return r.fail("needs section '" + s.str +
                    "', which this runtime does not know (a newer Loom "
                    "built it)");
  }
  for (const json::Value &f : features->items) {
    if (f.kind != K::String)
      return r.fail("'cpu_features' holds a non-string");
    info.cpuFeatures.push_back(f.str);
  }
  for (const json::Member &e : extra->members) {
    if (e.value.kind != K::String)
      return r.fail("'extra' holds a non-string");
    info.extra[e.key] = e.value.str;
  }
  std::set<std::string> names;
  for (size_t i = 0; i < params->items.size(); ++i) {
    const json::Value &p = params->items[i];
    std::string where = "parameter " + std::to_string(i);
    ParamInfo pi;
    std::string kind;
    int64_t trainable = 0;
    const json::Value *init = nullptr;
    if (!r.str(p, "name", where, pi.name) || !r.type(p, where, pi.type) ||
        !(init = r.field(p, "init", K::Object, where)) ||
        !r.integer(p, "trainable", where, trainable) ||
        !r.str(*init, "kind", where + "'s init", kind))
      return false;
    if (pi.name.empty() || !names.insert(pi.name).second)
      return r.fail(where + " has an empty or repeated name");
    if (!parseInitializerKind(kind, pi.init.kind))
      return r.fail(where + " has unknown initializer '" + kind + "'");
    const json::Value *a = r.field(*init, "a", K::String, where + "'s init");
    const json::Value *b = r.field(*init, "b", K::String, where + "'s init");
    const json::Value *vals = r.field(*init, "values", K::Array, where + "'s init");
    if (!a || !b || !vals || !r.real(*a, where + "'s init a", pi.init.a) ||
        !r.real(*b, where + "'s init b", pi.init.b))
      return false;
    for (const json::Value &v : vals->items) {
      double d = 0;
      if (!r.real(v, where + "'s init values", d))
        return false;
      pi.init.values.push_back(d);
    }
    if (pi.init.kind == Initializer::Kind::Values &&
        int64_t(pi.init.values.size()) != pi.type.numElements())
      return r.fail(where + " has " + std::to_string(pi.init.values.size()) +
                    " initial values for " + pi.type.str());
    pi.trainable = trainable != 0;
    exe.params.push_back(std::move(pi));
  }
  for (size_t i = 0; i < states->items.size(); ++i) {
    std::string where = "optimizer state " + std::to_string(i);
    StateInfo s;
    if (!r.str(states->items[i], "name", where, s.name) ||
        !r.type(states->items[i], where, s.type))
      return false;
    exe.states.push_back(std::move(s));
  }
  if (entries->items.empty())
    return r.fail("has no entry points");
  std::set<std::string> entryNames;
  for (size_t i = 0; i < entries->items.size(); ++i) {
    const json::Value &e = entries->items[i];
    std::string where = "entry " + std::to_string(i);
    EntryPoint ep;
    std::string symbol;
    if (!r.str(e, "name", where, ep.name) || !r.str(e, "symbol", where, symbol) ||
        !r.integer(e, "temp_buffers", where, ep.tempBuffers) ||
        !r.integer(e, "temp_bytes", where, ep.tempBytes) ||
        !r.integer(e, "workspace_bytes", where, ep.workspaceBytes))
      return false;
    if (ep.name.empty() || !entryNames.insert(ep.name).second || symbol.empty())
      return r.fail(where + " has an empty or repeated name, or no symbol");
    if (ep.workspaceBytes > (int64_t(1) << 40))
      return r.fail(where + " asks for a workspace of " +
                    std::to_string(ep.workspaceBytes) + " bytes");
    const json::Value *args = r.field(e, "args", K::Array, where);
    if (!args)
      return false;
    for (size_t k = 0; k < args->items.size(); ++k) {
      std::string w = where + " ('" + ep.name + "') argument " + std::to_string(k);
      ArgSpec a;
      std::string kind;
      if (!r.str(args->items[k], "kind", w, kind) ||
          !r.str(args->items[k], "name", w, a.name) ||
          !r.type(args->items[k], w, a.type))
        return false;
      if (!parseArgKind(kind, a.kind))
        return r.fail(w + " has unknown kind '" + kind + "'");
      bool needsParam = a.kind == ArgKind::Param || a.kind == ArgKind::ParamUpdate;
      if (needsParam && !exe.findParam(a.name))
        return r.fail(w + " names parameter '" + a.name +
                      "', which the table does not have");
      if ((a.kind == ArgKind::State || a.kind == ArgKind::StateUpdate) &&
          !exe.findState(a.name))
        return r.fail(w + " names optimizer state '" + a.name +
                      "', which the table does not have");
      if (needsParam && !(exe.findParam(a.name)->type == a.type))
        return r.fail(w + " disagrees with the parameter table on '" + a.name +
                      "'s type");
      ep.args.push_back(std::move(a));
    }
    if (ep.args.empty() || ep.args.back().kind != ArgKind::Workspace)
      return r.fail(where + " ('" + ep.name +
                    "') does not end with its workspace argument");
    symbols[ep.name] = symbol;
    exe.entries.push_back(std::move(ep));
  }
  return true;
}

struct Section {
  std::string name;
  uint64_t offset, size;
};

Status readSections(const uint8_t *data, size_t size, const std::string &name,
                    std::vector<Section> &out) {
  auto bad = [&](const std::string &why) { return Status::error(name + ": " + why); };
  if (size < kHeader || std::memcmp(data, kMagic, 8) != 0)
    return bad(size == 0 ? "empty file, not a Loom artifact"
                         : "not a Loom artifact (no LOOM\\0ART magic)");
  uint32_t version = uint32_t(getLE(data + 8, 4));
  if (version != kArtifactFormatVersion)
    return bad("artifact format version " + std::to_string(version) +
               (version > kArtifactFormatVersion
                    ? " is newer than this runtime reads (" +
                          std::to_string(kArtifactFormatVersion) +
                          "); rebuild it with this Loom or update the runtime"
                    : " is not one this runtime reads"));
  uint32_t n = uint32_t(getLE(data + 12, 4));
  if (n == 0 || n > kMaxSections || kHeader + uint64_t(n) * kEntry > size)
    return bad("truncated or corrupt section table (" + std::to_string(n) +
               " sections)");
  uint64_t end = kHeader + uint64_t(n) * kEntry;
  std::set<std::string> seen;
  for (uint32_t i = 0; i < n; ++i) {
    const uint8_t *e = data + kHeader + i * kEntry;
    Section s;
    s.name.assign(reinterpret_cast<const char *>(e), strnlen(reinterpret_cast<const char *>(e), 16));
    s.offset = getLE(e + 16, 8);
    s.size = getLE(e + 24, 8);
    if (s.name.empty() || !seen.insert(s.name).second)
      return bad("section " + std::to_string(i) + " has an empty or repeated name");
    if (s.offset < end || s.offset > size || s.size > size - s.offset)
      return bad("section '" + s.name + "' lies outside the file (truncated?)");
    end = s.offset + s.size;
    out.push_back(std::move(s));
  }
  if (end != size)
    return bad(std::to_string(size - end) + " bytes after the last section");
  return Status::ok();
}

/// cpuid, with the OS's consent for the wide registers (XCR0).
bool hasFeature(const std::string &f) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d))
    return false;
  unsigned c1 = c, d1 = d;
  unsigned b7 = 0, c7 = 0;
  if (__get_cpuid_max(0, nullptr) >= 7) {
    __cpuid_count(7, 0, a, b, c, d);
    b7 = b;
    c7 = c;
  }
  unsigned cx = 0;
  if (__get_cpuid(0x80000001, &a, &b, &c, &d))
    cx = c;
  uint64_t xcr0 = 0;
  if (c1 & (1u << 27)) { // OSXSAVE
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    xcr0 = (uint64_t(hi) << 32) | lo;
  }
  bool ymm = (xcr0 & 6) == 6, zmm = (xcr0 & 0xe6) == 0xe6;
  auto bit = [](unsigned r, int i) { return (r >> i) & 1u; };
  if (f == "sse" ) return bit(d1, 25);
  if (f == "sse2") return bit(d1, 26);
  if (f == "sse3") return bit(c1, 0);
  if (f == "ssse3") return bit(c1, 9);
  if (f == "sse4.1") return bit(c1, 19);
  if (f == "sse4.2") return bit(c1, 20);
  if (f == "popcnt") return bit(c1, 23);
  if (f == "movbe") return bit(c1, 22);
  if (f == "cx16") return bit(c1, 13);
  if (f == "xsave") return bit(c1, 26);
  if (f == "avx") return bit(c1, 28) && ymm;
  if (f == "f16c") return bit(c1, 29) && ymm;
  if (f == "fma") return bit(c1, 12) && ymm;
  if (f == "avx2") return bit(b7, 5) && ymm;
  if (f == "bmi") return bit(b7, 3);
  if (f == "bmi2") return bit(b7, 8);
  if (f == "lzcnt") return bit(cx, 5);
  if (f == "avx512f") return bit(b7, 16) && zmm;
  if (f == "avx512dq") return bit(b7, 17) && zmm;
  if (f == "avx512cd") return bit(b7, 28) && zmm;
  if (f == "avx512bw") return bit(b7, 30) && zmm;
  if (f == "avx512vl") return bit(b7, 31) && zmm;
  if (f == "avx512vnni") return bit(c7, 11) && zmm;
  return false;
}

} // namespace

const std::vector<std::string> &checkableCpuFeatures() {
  static const std::vector<std::string> names = {
      "sse", "sse2", "sse3", "ssse3", "sse4.1", "sse4.2", "popcnt", "movbe",
      "cx16", "xsave", "avx", "f16c", "fma", "avx2", "bmi", "bmi2", "lzcnt",
      "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl",
      "avx512vnni"};
  return names;
}

std::vector<std::string> missingCpuFeatures(const std::vector<std::string> &wanted) {
  std::vector<std::string> missing;
  for (const std::string &f : wanted)
    if (!hasFeature(f))
      missing.push_back(f);
  return missing;
}

std::string encodeArtifact(const Executable &exe, const ArtifactInfo &info,
                           const std::map<std::string, std::string> &symbols,
                           const std::string &cpuObject) {
  std::vector<std::pair<std::string, std::string>> sections = {
      {kMeta, metaJson(exe, info, symbols)}, {kCpuCode, cpuObject}};
  std::string out(kMagic, 8);
  putU32(out, kArtifactFormatVersion);
  putU32(out, uint32_t(sections.size()));
  uint64_t offset = kHeader + sections.size() * kEntry;
  std::vector<uint64_t> offsets;
  for (const auto &[name, bytes] : sections) {
    offset = (offset + 63) / 64 * 64;
    offsets.push_back(offset);
    offset += bytes.size();
  }
  for (size_t i = 0; i < sections.size(); ++i) {
    std::string tag = sections[i].first;
    tag.resize(16, '\0');
    out += tag;
    putU64(out, offsets[i]);
    putU64(out, sections[i].second.size());
  }
  for (size_t i = 0; i < sections.size(); ++i) {
    out.resize(offsets[i], '\0');
    out += sections[i].second;
  }
  return out;
}

namespace {
/// The checks and the description, plus what loading needs: each entry's
/// symbol and the section table.
Status readArtifact(const uint8_t *data, size_t size, const std::string &name,
                    Executable &exe, ArtifactInfo &info,
                    std::map<std::string, std::string> &symbols,
                    std::vector<Section> &sections) {
  if (Status s = readSections(data, size, name, sections); !s)
    return s;
  const Section *meta = nullptr;
  for (const Section &s : sections) {
    info.sections.push_back(s.name);
    if (s.name == kMeta)
      meta = &s;
  }
  if (!meta)
    return Status::error(name + ": no 'meta' section");
  json::Value root;
  std::string err;
  if (!json::parse(std::string(reinterpret_cast<const char *>(data + meta->offset),
                               size_t(meta->size)),
                   root, err))
    return Status::error(name + ": corrupt metadata (" + err + ")");
  Reader r{name, {}};
  if (!decodeMeta(r, root, exe, info, symbols))
    return Status::error(r.error);
  return Status::ok();
}
} // namespace

Status readArtifactInfo(const uint8_t *data, size_t size,
                        const std::string &name, Executable &exe,
                        ArtifactInfo &info) {
  std::map<std::string, std::string> symbols;
  std::vector<Section> sections;
  return readArtifact(data, size, name, exe, info, symbols, sections);
}

Status loadArtifactFromMemory(const uint8_t *data, size_t size,
                              const std::string &name,
                              std::shared_ptr<Executable> &out,
                              ArtifactInfo *infoOut) {
  auto exe = std::make_shared<Executable>();
  ArtifactInfo info;
  std::map<std::string, std::string> symbols;
  std::vector<Section> sections;
  if (Status s = readArtifact(data, size, name, *exe, info, symbols, sections);
      !s)
    return s;
  std::vector<std::string> missing = missingCpuFeatures(info.cpuFeatures);
  if (!missing.empty()) {
    std::string list;
    for (const std::string &f : missing)
      list += (list.empty() ? "" : ", ") + f;
    return Status::error(name + ": compiled for CPU '" + info.cpu +
                         "', whose features this machine lacks: " + list +
                         " (rebuild with loomc build --cpu x86-64-v3, or "
                         "--cpu x86-64 for any x86-64)");
  }
  const Section *code = nullptr;
  for (const Section &s : sections)
    if (s.name == kCpuCode)
      code = &s;
  if (!code)
    return Status::error(name + ": no '" + std::string(kCpuCode) + "' section");
  std::unique_ptr<LoadedObject> object;
  if (Status s = LoadedObject::load(data + code->offset, size_t(code->size),
                                    name + " (" + kCpuCode + ")", object);
      !s)
    return s;
  for (EntryPoint &e : exe->entries) {
    void *fn = object->symbol(symbols[e.name]);
    if (!fn)
      return Status::error(name + ": entry '" + e.name + "' (symbol '" +
                           symbols[e.name] + "') is not in the code");
    e.fn = reinterpret_cast<PackedFn>(fn);
  }
  exe->keepAlive = std::shared_ptr<LoadedObject>(std::move(object));
  if (infoOut)
    *infoOut = std::move(info);
  out = std::move(exe);
  return Status::ok();
}

Status loadArtifact(const std::string &path, std::shared_ptr<Executable> &out,
                    ArtifactInfo *info) {
  std::string bytes;
  if (Status s = readFile(path, bytes); !s)
    return s;
  return loadArtifactFromMemory(reinterpret_cast<const uint8_t *>(bytes.data()),
                                bytes.size(), path, out, info);
}

bool looksLikeArtifact(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  char head[8] = {0};
  f.read(head, 8);
  return f.gcount() == 8 && std::memcmp(head, kMagic, 8) == 0;
}

} // namespace loom::rt
