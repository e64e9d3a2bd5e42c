//===- Json.h - A strict parser for the JSON a checkpoint header holds ----===//
//
// safetensors headers are JSON objects of objects, arrays of integers and
// strings. This parser accepts exactly that subset (objects, arrays,
// strings with every JSON escape, integers) and rejects everything else
// with a message carrying the byte offset: floats, true/false/null, bad
// escapes, raw control characters, unpaired surrogates, trailing text,
// nesting deeper than 64. Objects keep their members in file order and keep
// duplicates, so callers decide what a repeated key means. Private to the
// runtime.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace loom::rt::json {

struct Member;

struct Value {
  enum class Kind { Object, Array, String, Integer };
  Kind kind = Kind::Object;
  std::vector<Member> members; // Object, in order
  std::vector<Value> items;    // Array
  std::string str;             // String (UTF-8)
  int64_t integer = 0;         // Integer
  /// Integers beyond int64's range parse, but are flagged (they are
  /// never a valid offset or dimension, and the caller reports them).
  bool overflow = false;
};

struct Member {
  std::string key;
  Value value;
};

const char *kindName(Value::Kind k); // "an object", "a string", ...

/// Parses `text` (surrounding whitespace allowed). On failure returns false
/// with `error` like "expected ':' at byte 17".
bool parse(const std::string &text, Value &out, std::string &error);

/// `s` as a JSON string literal, quotes included; control characters, '"'
/// and '\\' are escaped, other bytes (UTF-8) are copied.
std::string quote(const std::string &s);

} // namespace loom::rt::json
