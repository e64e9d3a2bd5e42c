//===- Json.cpp - A strict parser for the JSON a checkpoint header holds --===//
//
// A recursive-descent parser over the JSON subset in Json.h. It works on
// untrusted bytes: every read is bounds-checked, recursion is capped, and
// integers are accumulated with overflow checks, so no input can crash it.
//
//===----------------------------------------------------------------------===//

#include "Json.h"

#include <limits>

namespace loom::rt::json {

namespace {

constexpr int kMaxDepth = 64;

class Parser {
public:
  explicit Parser(const std::string &s) : s_(s) {}

  bool run(Value &out) {
    skipSpace();
    if (!value(out, 0))
      return false;
    skipSpace();
    if (pos_ != s_.size())
      return fail("unexpected text after the top-level value");
    return true;
  }

  std::string error;

private:
  bool fail(const std::string &msg) {
    error = msg + " at byte " + std::to_string(pos_);
    return false;
  }
  bool atEnd() const { return pos_ >= s_.size(); }
  char peek() const { return atEnd() ? '\0' : s_[pos_]; }
  void skipSpace() {
    while (!atEnd() && (s_[pos_] == ' ' || s_[pos_] == '\t' ||
                        s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  bool eat(char c) {
    if (peek() != c || atEnd())
      return false;
    ++pos_;
    return true;
  }

  bool value(Value &v, int depth) {
    if (depth > kMaxDepth)
      return fail("nesting deeper than " + std::to_string(kMaxDepth));
    if (atEnd())
      return fail("unexpected end of JSON");
    char c = peek();
    if (c == '{')
      return object(v, depth);
    if (c == '[')
      return array(v, depth);
    if (c == '"') {
      v.kind = Value::Kind::String;
      return string(v.str);
    }
    if (c == '-' || (c >= '0' && c <= '9'))
      return integer(v);
    if (c == 't' || c == 'f' || c == 'n')
      return fail("true, false and null are not allowed here");
    return fail(std::string("unexpected character '") + c + "'");
  }

  bool object(Value &v, int depth) {
    v.kind = Value::Kind::Object;
    ++pos_; // '{'
    skipSpace();
    if (eat('}'))
      return true;
    for (;;) {
      skipSpace();
      if (peek() != '"' || atEnd())
        return fail("expected a string key");
      Member member;
      if (!string(member.key))
        return false;
      skipSpace();
      if (!eat(':'))
        return fail("expected ':'");
      skipSpace();
      if (!value(member.value, depth + 1))
        return false;
      v.members.push_back(std::move(member));
      skipSpace();
      if (eat(','))
        continue;
      if (eat('}'))
        return true;
      return fail("expected ',' or '}'");
    }
  }

  bool array(Value &v, int depth) {
    v.kind = Value::Kind::Array;
    ++pos_; // '['
    skipSpace();
    if (eat(']'))
      return true;
    for (;;) {
      skipSpace();
      Value item;
      if (!value(item, depth + 1))
        return false;
      v.items.push_back(std::move(item));
      skipSpace();
      if (eat(','))
        continue;
      if (eat(']'))
        return true;
      return fail("expected ',' or ']'");
    }
  }

  /// JSON numbers restricted to integers: -?(0|[1-9][0-9]*), no fraction
  /// or exponent (a dimension or offset is never "2.0").
  bool integer(Value &v) {
    v.kind = Value::Kind::Integer;
    bool negative = eat('-');
    if (atEnd() || peek() < '0' || peek() > '9')
      return fail("expected a digit");
    if (peek() == '0' && pos_ + 1 < s_.size() && s_[pos_ + 1] >= '0' &&
        s_[pos_ + 1] <= '9')
      return fail("leading zeros are not allowed");
    uint64_t mag = 0;
    const uint64_t limit = uint64_t(std::numeric_limits<int64_t>::max()) + 1;
    while (!atEnd() && peek() >= '0' && peek() <= '9') {
      uint64_t d = uint64_t(peek() - '0');
      if (mag > (limit - d) / 10)
        v.overflow = true;
      else
        mag = mag * 10 + d;
      ++pos_;
    }
    if (peek() == '.' || peek() == 'e' || peek() == 'E')
      return fail("only integers are allowed, not fractions or exponents");
    if (!negative && mag == limit)
      v.overflow = true;
    if (!v.overflow)
      v.integer = negative ? int64_t(0 - mag) : int64_t(mag);
    return true;
  }

  bool hex4(uint32_t &out) {
    if (s_.size() - pos_ < 4)
      return fail("truncated \\u escape");
    out = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_++];
      uint32_t d;
      if (c >= '0' && c <= '9')
        d = uint32_t(c - '0');
      else if (c >= 'a' && c <= 'f')
        d = uint32_t(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        d = uint32_t(c - 'A' + 10);
      else
        return fail("bad hex digit in \\u escape");
      out = out * 16 + d;
    }
    return true;
  }

  static void appendUtf8(std::string &s, uint32_t cp) {
    if (cp < 0x80) {
      s += char(cp);
    } else if (cp < 0x800) {
      s += char(0xC0 | (cp >> 6));
      s += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += char(0xE0 | (cp >> 12));
      s += char(0x80 | ((cp >> 6) & 0x3F));
      s += char(0x80 | (cp & 0x3F));
    } else {
      s += char(0xF0 | (cp >> 18));
      s += char(0x80 | ((cp >> 12) & 0x3F));
      s += char(0x80 | ((cp >> 6) & 0x3F));
      s += char(0x80 | (cp & 0x3F));
    }
  }

  bool string(std::string &out) {
    ++pos_; // '"'
    for (;;) {
      if (atEnd())
        return fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20)
        return fail("raw control character in a string");
      if (c != '\\') {
        out += char(c);
        ++pos_;
        continue;
      }
      ++pos_;
      if (atEnd())
        return fail("unterminated escape");
      char e = s_[pos_++];
      switch (e) {
      case '"':
      case '\\':
      case '/':
        out += e;
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        uint32_t cp;
        if (!hex4(cp))
          return false;
        if (cp >= 0xDC00 && cp <= 0xDFFF)
          return fail("unpaired low surrogate in \\u escape");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t lo;
          if (!(eat('\\') && eat('u')))
            return fail("unpaired high surrogate in \\u escape");
          if (!hex4(lo))
            return false;
          if (lo < 0xDC00 || lo > 0xDFFF)
            return fail("unpaired high surrogate in \\u escape");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        appendUtf8(out, cp);
        break;
      }
      default:
        --pos_;
        return fail(std::string("unknown escape '\\") + e + "'");
      }
    }
  }

  const std::string &s_;
  size_t pos_ = 0;
};

} // namespace

const char *kindName(Value::Kind k) {
  switch (k) {
  case Value::Kind::Object:
    return "an object";
  case Value::Kind::Array:
    return "an array";
  case Value::Kind::String:
    return "a string";
  case Value::Kind::Integer:
    return "an integer";
  }
  return "?";
}

bool parse(const std::string &text, Value &out, std::string &error) {
  Parser p(text);
  Value v;
  if (!p.run(v)) {
    error = p.error;
    return false;
  }
  out = std::move(v);
  return true;
}

std::string quote(const std::string &s) {
  static const char kHex[] = "0123456789abcdef";
  std::string q = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      q += '\\';
      q += char(c);
    } else if (c == '\n') {
      q += "\\n";
    } else if (c == '\t') {
      q += "\\t";
    } else if (c == '\r') {
      q += "\\r";
    } else if (c < 0x20) {
      q += "\\u00";
      q += kHex[c >> 4];
      q += kHex[c & 15];
    } else {
      q += char(c);
    }
  }
  return q + "\"";
}

} // namespace loom::rt::json
