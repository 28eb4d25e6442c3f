// rekognition-cpp: the small URL splitting the client needs (scheme, host, port, path).
#ifndef REKOGNITION_HTTP_URL_HPP
#define REKOGNITION_HTTP_URL_HPP

#include <optional>
#include <string>
#include <string_view>

#include "rekognition/detail/ascii.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// An absolute http(s) URL split into its parts.
struct ParsedUrl {
  std::string scheme;  ///< "http" or "https", lower case
  std::string host;    ///< without brackets for IPv6
  std::string port;    ///< empty when not given
  std::string path;    ///< "/" when empty
  bool ipv6 = false;

  /// The value of the Host header: host[:port], the port only when it is not
  /// the scheme's default.
  std::string HostHeader() const {
    std::string value = ipv6 ? "[" + host + "]" : host;
    const bool default_port =
        port.empty() || (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
    if (!default_port) value += ":" + port;
    return value;
  }
};

/// Splits `url`; nullopt unless it is an absolute http or https URL with a
/// host and a numeric port (if any). Query strings and fragments are refused:
/// an endpoint has neither.
REKOGNITION_INLINE std::optional<ParsedUrl> ParseUrl(std::string_view url) {
  ParsedUrl parsed;
  // No spaces or control characters anywhere: they are not URL characters,
  // and a transport would refuse them only at send time.
  for (char c : url)
    if (static_cast<unsigned char>(c) <= ' ' || c == '\x7f') return std::nullopt;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  parsed.scheme = detail::AsciiLower(url.substr(0, scheme_end));
  if (parsed.scheme != "http" && parsed.scheme != "https") return std::nullopt;
  std::string_view rest = url.substr(scheme_end + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) return std::nullopt;
  const auto path_start = rest.find('/');
  std::string_view authority = rest.substr(0, path_start);
  parsed.path = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  if (authority.find('@') != std::string_view::npos) return std::nullopt;  // no user info
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    parsed.host = std::string(authority.substr(1, close - 1));
    parsed.ipv6 = true;
    authority.remove_prefix(close + 1);
    if (!authority.empty()) {
      if (authority.front() != ':') return std::nullopt;
      parsed.port = std::string(authority.substr(1));
    }
  } else {
    const auto colon = authority.find(':');
    parsed.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) parsed.port = std::string(authority.substr(colon + 1));
  }
  if (parsed.host.empty()) return std::nullopt;
  for (char c : parsed.host)
    if (static_cast<unsigned char>(c) <= ' ' || c == '/' || c == '\\') return std::nullopt;
  if (parsed.port.size() > 5) return std::nullopt;
  unsigned port = 0;
  for (char c : parsed.port) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + static_cast<unsigned>(c - '0');
  }
  if (!parsed.port.empty() && (port < 1 || port > 65535)) return std::nullopt;
  return parsed;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_HTTP_URL_HPP
