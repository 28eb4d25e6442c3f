// rekognition-cpp: a small, size-capped XML reader for service responses (STS query protocol).
#ifndef REKOGNITION_DETAIL_XML_HPP
#define REKOGNITION_DETAIL_XML_HPP

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// Replaces the five predefined XML entities and numeric character
/// references; anything else is left as written. Thread-safe; throws only
/// std::bad_alloc.
REKOGNITION_INLINE std::string UnescapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '&') {
      out += text[i++];
      continue;
    }
    const std::size_t semicolon = text.find(';', i);
    if (semicolon == std::string_view::npos || semicolon - i > 10) {
      out += text[i++];
      continue;
    }
    const std::string_view entity = text.substr(i + 1, semicolon - i - 1);
    std::uint32_t cp = 0;
    if (entity == "amp") {
      out += '&';
    } else if (entity == "lt") {
      out += '<';
    } else if (entity == "gt") {
      out += '>';
    } else if (entity == "quot") {
      out += '"';
    } else if (entity == "apos") {
      out += '\'';
    } else if (entity.size() > 1 && entity[0] == '#') {
      const bool hex = entity[1] == 'x' || entity[1] == 'X';
      const std::string_view digits = entity.substr(hex ? 2 : 1);
      const auto parsed =
          std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
      const bool numeric = !digits.empty() && parsed.ec == std::errc() &&
                           parsed.ptr == digits.data() + digits.size() && cp != 0 &&
                           cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
      if (!numeric) {
        out += text[i++];
        continue;
      }
      // Encode the code point as UTF-8.
      if (cp < 0x80) {
        out += static_cast<char>(cp);
      } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
      } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
      } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
      }
    } else {
      out += text[i++];
      continue;
    }
    i = semicolon + 1;
  }
  return out;
}

/// One element of a parsed XML document: its local name (any "prefix:"
/// removed), its unescaped character data (text and CDATA directly inside
/// it, concatenated) and its child elements in document order. Attributes
/// are read past and dropped: the responses this reads carry none that
/// matter.
struct XmlElement {
  std::string name;
  std::string text;
  std::vector<XmlElement> children;

  /// The first child called `child_name`, or nullptr. Never throws.
  const XmlElement* Child(std::string_view child_name) const noexcept {
    for (const XmlElement& child : children)
      if (child.name == child_name) return &child;
    return nullptr;
  }

  /// The element at `path` below this one (each step the first child of that
  /// name), or nullptr. Never throws.
  const XmlElement* Find(std::initializer_list<std::string_view> path) const noexcept {
    const XmlElement* at = this;
    for (std::string_view step : path) {
      at = at->Child(step);
      if (at == nullptr) return nullptr;
    }
    return at;
  }
};

/// Limits of ParseXml.
struct XmlLimits {
  std::size_t max_bytes = 256 * 1024;  ///< larger documents are refused unread
  std::size_t max_depth = 32;          ///< deeper nesting is refused
  std::size_t max_elements = 4096;     ///< more elements are refused
};

namespace xml_internal {

REKOGNITION_INLINE bool IsNameChar(char c) noexcept {
  const auto byte = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == ':' || byte >= 0x80;
}

REKOGNITION_INLINE bool IsSpace(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

REKOGNITION_INLINE std::string_view LocalName(std::string_view name) noexcept {
  const std::size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

REKOGNITION_INLINE bool Fail(std::string& error, std::string message, std::size_t at) {
  error = std::move(message) + " at byte " + std::to_string(at);
  return false;
}

}  // namespace xml_internal

/// Parses `text` as one XML document into `root` (the document element).
/// Accepts an XML declaration, processing instructions, comments, CDATA and
/// a DOCTYPE without an internal subset; refuses anything else that is not
/// well-formed (mismatched or unclosed tags, text outside the document
/// element, a second document element) and documents beyond `limits`.
/// Entities are the five predefined ones and character references; nothing
/// is ever fetched or expanded recursively. On failure returns false and sets
/// `error` to a message that names the problem and its byte offset, never
/// the document's content. Iterative: no recursion on the input's nesting.
/// Thread-safe; throws only std::bad_alloc.
REKOGNITION_INLINE bool ParseXml(std::string_view text, XmlElement& root, std::string& error,
                                 const XmlLimits& limits = {}) {
  using namespace xml_internal;
  root = XmlElement();
  if (text.size() > limits.max_bytes)
    return Fail(error,
                "XML document too large: " + std::to_string(text.size()) + " bytes (limit " +
                    std::to_string(limits.max_bytes) + ")",
                limits.max_bytes);
  std::vector<XmlElement*> open;  // the path from the root to the current element
  std::size_t elements = 0;
  bool done = false;  // the document element has been closed
  std::size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // UTF-8 byte order mark
  while (i < text.size()) {
    if (text[i] != '<') {
      const std::size_t end = std::min(text.find('<', i), text.size());
      const std::string_view chunk = text.substr(i, end - i);
      if (open.empty()) {
        for (char c : chunk)
          if (!IsSpace(c)) return Fail(error, "text outside the document element", i);
      } else {
        open.back()->text += UnescapeXml(chunk);
      }
      i = end;
      continue;
    }
    const std::string_view rest = text.substr(i);
    if (rest.substr(0, 4) == "<!--") {
      const std::size_t end = text.find("-->", i + 4);
      if (end == std::string_view::npos) return Fail(error, "unterminated comment", i);
      i = end + 3;
      continue;
    }
    if (rest.substr(0, 9) == "<![CDATA[") {
      const std::size_t end = text.find("]]>", i + 9);
      if (end == std::string_view::npos) return Fail(error, "unterminated CDATA section", i);
      if (open.empty()) return Fail(error, "CDATA outside the document element", i);
      open.back()->text.append(text.substr(i + 9, end - i - 9));
      i = end + 3;
      continue;
    }
    if (rest.substr(0, 2) == "<?") {
      const std::size_t end = text.find("?>", i + 2);
      if (end == std::string_view::npos)
        return Fail(error, "unterminated processing instruction", i);
      i = end + 2;
      continue;
    }
    if (rest.substr(0, 2) == "<!") {
      if (rest.substr(0, 9) != "<!DOCTYPE" || !open.empty() || elements != 0)
        return Fail(error, "unexpected markup declaration", i);
      const std::size_t end = text.find('>', i);
      if (end == std::string_view::npos) return Fail(error, "unterminated DOCTYPE", i);
      if (text.substr(i, end - i).find('[') != std::string_view::npos)
        return Fail(error, "DOCTYPE with an internal subset is refused", i);
      i = end + 1;
      continue;
    }
    const bool closing = rest.size() > 1 && rest[1] == '/';
    std::size_t at = i + (closing ? 2 : 1);
    const std::size_t name_start = at;
    while (at < text.size() && IsNameChar(text[at])) ++at;
    const std::string_view name = text.substr(name_start, at - name_start);
    if (LocalName(name).empty()) return Fail(error, "malformed tag", i);
    if (closing) {
      while (at < text.size() && IsSpace(text[at])) ++at;
      if (at >= text.size() || text[at] != '>') return Fail(error, "malformed closing tag", i);
      if (open.empty() || open.back()->name != LocalName(name))
        return Fail(error, "closing tag does not match the open element", i);
      open.pop_back();
      if (open.empty()) done = true;
      i = at + 1;
      continue;
    }
    // Attributes: name="value" or name='value', skipped.
    bool self_closing = false;
    for (;;) {
      while (at < text.size() && IsSpace(text[at])) ++at;
      if (at >= text.size()) return Fail(error, "unterminated tag", i);
      if (text[at] == '>') {
        ++at;
        break;
      }
      if (text[at] == '/') {
        if (at + 1 >= text.size() || text[at + 1] != '>') return Fail(error, "malformed tag", at);
        self_closing = true;
        at += 2;
        break;
      }
      const std::size_t attribute_start = at;
      while (at < text.size() && IsNameChar(text[at])) ++at;
      if (at == attribute_start) return Fail(error, "malformed attribute", at);
      while (at < text.size() && IsSpace(text[at])) ++at;
      if (at >= text.size() || text[at] != '=') return Fail(error, "malformed attribute", at);
      ++at;
      while (at < text.size() && IsSpace(text[at])) ++at;
      if (at >= text.size() || (text[at] != '"' && text[at] != '\''))
        return Fail(error, "unquoted attribute value", at);
      const std::size_t close = text.find(text[at], at + 1);
      if (close == std::string_view::npos) return Fail(error, "unterminated attribute value", at);
      at = close + 1;
    }
    if (done) return Fail(error, "a second document element", i);
    if (++elements > limits.max_elements)
      return Fail(error,
                  "XML document has more than " + std::to_string(limits.max_elements) + " elements",
                  i);
    if (open.size() + 1 > limits.max_depth)
      return Fail(error, "XML nesting deeper than " + std::to_string(limits.max_depth), i);
    XmlElement* element = &root;
    if (!open.empty()) {
      open.back()->children.emplace_back();
      element = &open.back()->children.back();
    }
    element->name = std::string(LocalName(name));
    if (self_closing) {
      if (open.empty()) done = true;
    } else {
      open.push_back(element);
    }
    i = at;
  }
  if (!open.empty()) return Fail(error, "unclosed element", i);
  if (!done) return Fail(error, "no document element", i);
  return true;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_XML_HPP
