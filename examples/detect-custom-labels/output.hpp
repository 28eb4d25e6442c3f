// detect-custom-labels: printing results as JSON (the service's shape) or text.
#ifndef DETECT_CUSTOM_LABELS_OUTPUT_HPP
#define DETECT_CUSTOM_LABELS_OUTPUT_HPP

#include <rekognition/detail/utf8.hpp>
#include <rekognition/operations/detect_custom_labels.hpp>
#include <rekognition/operations/json_codec.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <string>
#include <string_view>

namespace dcl {

/// Re-indents compact JSON the way Python's json.dumps(indent=4) lays it out
/// (as the aws CLI prints): one member per line, ": " after keys, "[]" and
/// "{}" for empty containers. Strings and numbers are copied byte for byte,
/// so no number is re-parsed or re-rounded.
inline std::string IndentJson(std::string_view compact) {
  std::string out;
  out.reserve(compact.size() * 2);
  int depth = 0;
  const auto newline = [&out, &depth] {
    out += '\n';
    out.append(static_cast<std::size_t>(depth) * 4, ' ');
  };
  for (std::size_t i = 0; i < compact.size(); ++i) {
    const char c = compact[i];
    if (c == '"') {  // copy the whole string, escapes included
      const std::size_t start = i++;
      while (i < compact.size() && compact[i] != '"') i += compact[i] == '\\' ? 2 : 1;
      out.append(compact.substr(start, i - start + 1));
    } else if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      if (i + 1 < compact.size() && compact[i + 1] == close) {
        out += c;
        out += close;
        ++i;
      } else {
        out += c;
        ++depth;
        newline();
      }
    } else if (c == '}' || c == ']') {
      --depth;
      newline();
      out += c;
    } else if (c == ',') {
      out += ',';
      newline();
    } else if (c == ':') {
      out += ": ";
    } else {
      out += c;
    }
  }
  return out;
}

/// The result as the service returned it, indented like the aws CLI prints it.
inline std::string ResultAsPrettyJson(const rekognition::DetectCustomLabelsResult& result) {
  return IndentJson(rekognition::detail::SerializeResult(result));
}

/// `text` with every byte that is not part of valid UTF-8 replaced by U+FFFD,
/// so a file name in any encoding still makes valid JSON.
inline std::string ValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = rekognition::detail::Utf8SequenceLength(text, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

/// `text` made safe to print on a terminal line: printable ASCII and valid
/// UTF-8 are kept, a backslash is doubled, and what a terminal would act on
/// is written as an escape: \n \r \t, other C0 controls and DEL as \xNN,
/// C1 controls and the bidirectional overrides as \uNNNN, bytes that are not
/// UTF-8 as \xNN. A peer's text can then neither move the cursor, recolour
/// the terminal nor start a new line (so it cannot forge rows of a table).
inline std::string TerminalSafe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  char hex[8];
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = rekognition::detail::Utf8SequenceLength(text, i);
    if (length == 0) {
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
      ++i;
      continue;
    }
    if (length == 1) {
      if (c == '\\') {
        out += "\\\\";
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c < 0x20 || c == 0x7f) {
        std::snprintf(hex, sizeof hex, "\\x%02x", c);
        out += hex;
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // Decode the code point to spot C1 controls and bidi formatting characters.
    unsigned code_point = c & (0xff >> (length + 1));
    for (std::size_t k = 1; k < length; ++k)
      code_point = (code_point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3f);
    const bool c1 = code_point >= 0x80 && code_point <= 0x9f;
    const bool bidi = (code_point >= 0x202a && code_point <= 0x202e) ||
                      (code_point >= 0x2066 && code_point <= 0x2069) || code_point == 0x200e ||
                      code_point == 0x200f || code_point == 0x061c;
    if (c1 || bidi) {
      std::snprintf(hex, sizeof hex, "\\u%04x", code_point);
      out += hex;
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

/// `text` as a JSON string literal (invalid UTF-8 replaced by U+FFFD).
inline std::string JsonString(const std::string& text) {
  const std::string valid = ValidUtf8(text);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(valid.c_str(), static_cast<rapidjson::SizeType>(valid.size()));
  return std::string(buffer.GetString(), buffer.GetSize());
}

/// One line of batch output: {"Image": path, "CustomLabels": [...]}. The
/// labels are the library's serialisation, spliced in unchanged.
inline std::string ResultAsJsonLine(const std::string& image,
                                    const rekognition::DetectCustomLabelsResult& result) {
  const std::string compact =
      rekognition::detail::SerializeResult(result);  // {"CustomLabels":[...]}
  return "{\"Image\":" + JsonString(image) + "," + compact.substr(1);
}

/// One line of batch output for a failed image: {"Image": path, "Error": {"Code", "Message"}}.
inline std::string ErrorAsJsonLine(const std::string& image, const std::string& code,
                                   const std::string& message) {
  return "{\"Image\":" + JsonString(image) + ",\"Error\":{\"Code\":" + JsonString(code) +
         ",\"Message\":" + JsonString(message) + "}}";
}

/// A human-readable table of one image's labels; the image and label names
/// are escaped (TerminalSafe), one row per label whatever the names hold.
inline std::string ResultAsText(const std::string& image,
                                const rekognition::DetectCustomLabelsResult& result) {
  std::string out = TerminalSafe(image) + "\n";
  if (result.custom_labels.empty()) return out + "  (no labels)\n";
  char line[512];
  std::snprintf(line, sizeof line, "  %-28s %10s %7s %7s %7s %7s\n", "LABEL", "CONFIDENCE", "LEFT",
                "TOP", "WIDTH", "HEIGHT");
  out += line;
  for (const auto& label : result.custom_labels) {
    // Escaping can make a name up to six times longer: cut it (on a character
    // boundary) to fit the line.
    std::string name = TerminalSafe(label.name);
    if (name.size() > 256) {
      std::size_t cut = 256;
      while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xc0) == 0x80) --cut;
      name = name.substr(0, cut) + "...";
    }
    if (label.geometry && label.geometry->bounding_box) {
      const auto& box = *label.geometry->bounding_box;
      std::snprintf(line, sizeof line, "  %-28s %10.2f %7.3f %7.3f %7.3f %7.3f\n", name.c_str(),
                    label.confidence, box.left, box.top, box.width, box.height);
    } else {
      std::snprintf(line, sizeof line, "  %-28s %10.2f %7s %7s %7s %7s\n", name.c_str(),
                    label.confidence, "-", "-", "-", "-");
    }
    out += line;
  }
  return out;
}

}  // namespace dcl

#endif  // DETECT_CUSTOM_LABELS_OUTPUT_HPP
