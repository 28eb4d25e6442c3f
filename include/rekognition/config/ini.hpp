// rekognition-cpp: the INI dialect of the AWS shared config and credentials files.
#ifndef REKOGNITION_CONFIG_INI_HPP
#define REKOGNITION_CONFIG_INI_HPP

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "rekognition/detail/ascii.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// One `[section]`: its settings (keys lower-cased, values trimmed) and its
/// nested sub-sections, e.g. `s3 =` followed by indented `key = value` lines
/// (sub-keys kept as written, as the aws CLI does).
struct IniSection {
  std::map<std::string, std::string> values;
  std::map<std::string, std::map<std::string, std::string>> subsections;
};

/// A parsed file: sections by their trimmed name, e.g. "default",
/// "profile dev", "services local". Repeated sections are merged, a later
/// setting replacing an earlier one.
struct IniDocument {
  std::map<std::string, IniSection> sections;
};

REKOGNITION_INLINE bool IniIsBlank(char c) noexcept { return c == ' ' || c == '\t'; }

REKOGNITION_INLINE std::string_view IniTrim(std::string_view text) noexcept {
  // \f and \v count as blank too: Python's str.strip() removes them.
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

/// Parses the text of a shared config or credentials file the way the aws CLI
/// reads it: `[section]` headers (a trailing comment is allowed), `key = value`
/// or `key: value` settings, full-line comments starting with '#' or ';'
/// (a '#' or ';' later in a value is part of it, as botocore reads it, so a
/// secret or command is never cut short), indented continuation lines, nested
/// sub-sections (a key with an empty value followed by more-indented
/// `sub = value` lines), LF, CRLF or CR line ends and a UTF-8 BOM. Lines that
/// are not understood (a setting before any section, a line without '=',
/// a broken header) are skipped; the settings under a broken header are
/// dropped rather than attached to the previous section. Runs in linear time
/// on any bytes. Thread-safe; throws only std::bad_alloc.
REKOGNITION_INLINE IniDocument ParseIni(std::string_view text) {
  IniDocument document;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  IniSection* section = nullptr;  // null: before any header, or under a broken one
  std::string key;                // the setting that indented lines continue
  std::size_t key_indent = 0;
  bool key_is_nested = false;  // the key's own value was empty: expect sub-settings

  std::size_t position = 0;
  while (position <= text.size()) {
    // Next line, ending at LF, CRLF or a lone CR.
    std::size_t end = position;
    while (end < text.size() && text[end] != '\n' && text[end] != '\r') ++end;
    std::string_view line = text.substr(position, end - position);
    if (end < text.size() && text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n')
      position = end + 2;
    else
      position = end + 1;

    std::size_t indent = 0;
    while (indent < line.size() && IniIsBlank(line[indent])) ++indent;
    const std::string_view content = IniTrim(line);
    if (content.empty() || content.front() == '#' || content.front() == ';') continue;

    if (section != nullptr && !key.empty() && indent > key_indent) {
      // A continuation of the current setting.
      if (key_is_nested) {
        const auto equals = content.find('=');
        if (equals == std::string_view::npos) continue;  // not `sub = value`: skipped
        const std::string_view sub_key = IniTrim(content.substr(0, equals));
        if (sub_key.empty()) continue;
        section->values.erase(key);
        section->subsections[key][std::string(sub_key)] =
            std::string(IniTrim(content.substr(equals + 1)));
      } else {
        std::string& value = section->values[key];
        value += '\n';
        value += IniTrim(content);
      }
      continue;
    }

    key.clear();
    if (content.front() == '[') {
      section = nullptr;
      const auto close = content.find(']');
      if (close == std::string_view::npos) continue;
      const std::string_view after = IniTrim(content.substr(close + 1));
      if (!after.empty() && after.front() != '#' && after.front() != ';') continue;
      const std::string_view name = IniTrim(content.substr(1, close - 1));
      if (name.empty()) continue;
      section = &document.sections[std::string(name)];
      continue;
    }

    if (section == nullptr) continue;
    const auto delimiter = content.find_first_of("=:");
    if (delimiter == std::string_view::npos) continue;
    const std::string_view name = IniTrim(content.substr(0, delimiter));
    if (name.empty()) continue;
    key = AsciiLower(name);
    key_indent = indent;
    std::string value(IniTrim(content.substr(delimiter + 1)));
    key_is_nested = value.empty();
    section->subsections.erase(key);  // a repeated key replaces what it had
    section->values[key] = std::move(value);
  }
  return document;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_CONFIG_INI_HPP
