// rekognition-local: checks the SigV4 Authorization header of a request the way
// the AWS front end does, with the same error codes and messages.
//
// The verifier recomputes the signature from what arrived on the wire, on its
// own (it does not call the library's signer), so a signing bug in the client
// shows up as a mismatch here instead of cancelling out.
#ifndef REKOGNITION_LOCAL_SIGV4_VERIFIER_HPP
#define REKOGNITION_LOCAL_SIGV4_VERIFIER_HPP

#include <rekognition/detail/ascii.hpp>
#include <rekognition/detail/crypto.hpp>
#include <rekognition/detail/http_date.hpp>
#include <rekognition/http/types.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rekognition_local {

/// What arrived: method, raw request target ("/path?query"), headers as
/// received (any case, repeats allowed) and the body.
struct IncomingRequest {
  std::string method;
  std::string target;
  rekognition::HttpHeaders headers;
  std::string_view body;
};

/// An error answer: HTTP status, error code and message.
struct ErrorReply {
  int status = 400;
  std::string code;
  std::string message;
};

/// The key pair (and optional session token) the endpoint accepts.
struct AcceptedCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
};

namespace sigv4 {

inline bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

/// RFC 3986 percent-encoding of everything but unreserved characters (and
/// '/' when `keep_slash`).
inline std::string UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

inline std::string UriDecode(std::string_view text) {
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

/// A header value as SigV4 wants it: trimmed, inner runs of spaces as one.
inline std::string TrimAndCollapse(std::string_view value) {
  std::string out;
  bool space = false;
  for (const char c : value) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

/// Canonical URI of a non-S3 service: the path as sent, encoded once more.
inline std::string CanonicalUri(std::string_view path) {
  if (path.empty()) return "/";
  return UriEncode(path, true);
}

/// Canonical query string: pairs decoded, re-encoded strictly, sorted.
inline std::string CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view item = query.substr(start, end - start);
    if (!item.empty()) {
      const std::size_t eq = item.find('=');
      const std::string_view key = item.substr(0, eq);
      const std::string_view value =
          eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
      pairs.emplace_back(UriEncode(UriDecode(key), false), UriEncode(UriDecode(value), false));
    }
    start = end + 1;
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [key, value] : pairs) {
    if (!out.empty()) out += '&';
    out += key + "=" + value;
  }
  return out;
}

/// "YYYYMMDDTHHMMSSZ" for `time`.
inline std::string AmzDate(std::chrono::system_clock::time_point time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &tm);
  return buffer;
}

/// The parts of "AWS4-HMAC-SHA256 Credential=K/D/R/S/aws4_request,
/// SignedHeaders=a;b, Signature=hex".
struct AuthorizationHeader {
  std::string algorithm;
  std::string credential;
  std::string signed_headers;
  std::string signature;
};

inline AuthorizationHeader ParseAuthorization(std::string_view value) {
  AuthorizationHeader out;
  const std::size_t space = value.find(' ');
  out.algorithm = std::string(value.substr(0, space));
  if (space == std::string_view::npos) return out;
  std::string_view rest = value.substr(space + 1);
  while (!rest.empty()) {
    std::size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = item.substr(0, eq);
    const std::string val(item.substr(eq + 1));
    if (key == "Credential")
      out.credential = val;
    else if (key == "SignedHeaders")
      out.signed_headers = val;
    else if (key == "Signature")
      out.signature = val;
  }
  return out;
}

inline std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.emplace_back(
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

}  // namespace sigv4

/// Checks SigV4 header authentication against one accepted key pair.
/// Thread-safe (const after construction).
class SigV4Verifier {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  SigV4Verifier(AcceptedCredentials accepted, std::string service, std::string region,
                Clock clock = {})
      : accepted_(std::move(accepted)),
        service_(std::move(service)),
        region_(std::move(region)),
        clock_(clock ? std::move(clock) : Clock([] { return std::chrono::system_clock::now(); })) {}

  /// nullopt when the request is authentic; otherwise the answer AWS gives.
  /// `access_key_id` receives the key id the request claims (for the log).
  std::optional<ErrorReply> Verify(const IncomingRequest& request,
                                   std::string* access_key_id = nullptr) const {
    using rekognition::FindHeader;
    const std::string* authorization = FindHeader(request.headers, "Authorization");
    if (authorization == nullptr || authorization->empty())
      return ErrorReply{400, "MissingAuthenticationTokenException", "Missing Authentication Token"};

    const sigv4::AuthorizationHeader auth = sigv4::ParseAuthorization(*authorization);
    if (auth.algorithm != "AWS4-HMAC-SHA256")
      return ErrorReply{400, "IncompleteSignatureException",
                        "Unsupported AWS 'algorithm': '" + auth.algorithm.substr(0, 40) + "'"};
    std::string missing;
    if (auth.credential.empty())
      missing += "Authorization header requires 'Credential' parameter. ";
    if (auth.signature.empty()) missing += "Authorization header requires 'Signature' parameter. ";
    if (auth.signed_headers.empty())
      missing += "Authorization header requires 'SignedHeaders' parameter. ";
    const std::string* amz_date = FindHeader(request.headers, "X-Amz-Date");
    if (amz_date == nullptr)
      missing +=
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    if (!missing.empty()) return ErrorReply{400, "IncompleteSignatureException", missing};
    // Host must be signed, and the list must be lower case and sorted, as
    // SigV4 defines it: a client that gets this wrong must not pass here.
    {
      const std::vector<std::string> names = sigv4::Split(auth.signed_headers, ';');
      bool has_host = false, ordered = true;
      for (std::size_t i = 0; i < names.size(); ++i) {
        has_host = has_host || names[i] == "host";
        for (char c : names[i]) ordered = ordered && !(c >= 'A' && c <= 'Z');
        if (i > 0 && !(names[i - 1] < names[i])) ordered = false;
      }
      if (!has_host)
        return ErrorReply{
            400, "IncompleteSignatureException",
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."};
      if (!ordered)
        return ErrorReply{400, "IncompleteSignatureException",
                          "SignedHeaders must be lower case and sorted: '" +
                              auth.signed_headers.substr(0, 200) + "'"};
    }

    const std::vector<std::string> scope = sigv4::Split(auth.credential, '/');
    if (scope.size() != 5)
      return ErrorReply{400, "IncompleteSignatureException",
                        "Credential should be scoped to a valid region, not a malformed scope. "};
    if (access_key_id) *access_key_id = scope[0];
    if (scope[4] != "aws4_request")
      return ErrorReply{
          403, "InvalidSignatureException",
          "Credential should be scoped with a valid terminator: 'aws4_request', not '" + scope[4] +
              "'. "};
    if (scope[3] != service_)
      return ErrorReply{403, "InvalidSignatureException",
                        "Credential should be scoped to correct service: '" + service_ + "'. "};
    if (!region_.empty() && scope[2] != region_)
      return ErrorReply{403, "InvalidSignatureException",
                        "Credential should be scoped to a valid region. "};
    if (!rekognition::detail::ConstantTimeEquals(scope[0], accepted_.access_key_id))
      return ErrorReply{403, "UnrecognizedClientException",
                        "The security token included in the request is invalid."};
    const std::string* token = FindHeader(request.headers, "X-Amz-Security-Token");
    if ((token != nullptr) != !accepted_.session_token.empty() ||
        (token != nullptr &&
         !rekognition::detail::ConstantTimeEquals(*token, accepted_.session_token)))
      return ErrorReply{403, "UnrecognizedClientException",
                        "The security token included in the request is invalid."};

    const auto signed_at = rekognition::detail::ParseHttpDate(*amz_date);
    if (!signed_at || amz_date->size() != 16)
      return ErrorReply{400, "IncompleteSignatureException",
                        "Date must be in ISO-8601 'basic format'. Got '" + amz_date->substr(0, 40) +
                            "'. See http://en.wikipedia.org/wiki/ISO_8601"};
    if (scope[1] != amz_date->substr(0, 8))
      return ErrorReply{403, "InvalidSignatureException",
                        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
                        "date from HTTP: '" +
                            scope[1] + "' != '" + amz_date->substr(0, 8) + "', from '" + *amz_date +
                            "'."};
    const auto now = clock_();
    constexpr auto kSkew = std::chrono::minutes(5);
    if (*signed_at < now - kSkew)
      return ErrorReply{403, "InvalidSignatureException",
                        "Signature expired: " + *amz_date + " is now earlier than " +
                            sigv4::AmzDate(now - kSkew) + " (" + sigv4::AmzDate(now) +
                            " - 5 min.)"};
    if (*signed_at > now + kSkew)
      return ErrorReply{403, "InvalidSignatureException",
                        "Signature not yet current: " + *amz_date + " is still later than " +
                            sigv4::AmzDate(now + kSkew) + " (" + sigv4::AmzDate(now) +
                            " + 5 min.)"};

    const std::string canonical = CanonicalRequest(request, auth.signed_headers);
    const std::string scope_text = scope[1] + "/" + scope[2] + "/" + scope[3] + "/aws4_request";
    const std::string string_to_sign = "AWS4-HMAC-SHA256\n" + *amz_date + "\n" + scope_text + "\n" +
                                       rekognition::detail::Sha256Hex(canonical);
    if (!rekognition::detail::ConstantTimeEquals(Signature(scope, string_to_sign), auth.signature))
      return ErrorReply{
          403, "InvalidSignatureException",
          "The request signature we calculated does not match the signature you "
          "provided. Check your AWS Secret Access Key and signing method. Consult the "
          "service documentation for details.\n\nThe Canonical String for this "
          "request should have been\n'" +
              RedactTokenLine(canonical) + "'\n\nThe String-to-Sign should have been\n'" +
              string_to_sign + "'\n"};
    return std::nullopt;
  }

  /// `canonical` with the session token's value hidden: the message goes
  /// back to the client, which may print or log it.
  static std::string RedactTokenLine(std::string canonical) {
    const std::string prefix = "x-amz-security-token:";
    for (auto at = canonical.find(prefix); at != std::string::npos;
         at = canonical.find(prefix, at + 1)) {
      if (at != 0 && canonical[at - 1] != '\n') continue;
      const auto end = canonical.find('\n', at);
      canonical.replace(at + prefix.size(),
                        (end == std::string::npos ? canonical.size() : end) - at - prefix.size(),
                        "<redacted>");
    }
    return canonical;
  }

  /// The canonical request of SigV4 for what arrived, signing `signed_headers`.
  static std::string CanonicalRequest(const IncomingRequest& request,
                                      const std::string& signed_headers) {
    const std::size_t question = request.target.find('?');
    const std::string_view target(request.target);
    std::string canonical =
        request.method + "\n" + sigv4::CanonicalUri(target.substr(0, question)) + "\n" +
        sigv4::CanonicalQuery(question == std::string::npos ? std::string_view()
                                                            : target.substr(question + 1)) +
        "\n";
    for (const std::string& name : sigv4::Split(signed_headers, ';')) {
      std::string value;
      bool first = true;
      for (const auto& header : request.headers) {
        if (!rekognition::detail::EqualsIgnoreCase(header.first, name)) continue;
        if (!first) value += ',';
        value += sigv4::TrimAndCollapse(header.second);
        first = false;
      }
      canonical += rekognition::detail::AsciiLower(name) + ":" + value + "\n";
    }
    canonical += "\n" + signed_headers + "\n" + rekognition::detail::Sha256Hex(request.body);
    return canonical;
  }

 private:
  std::string Signature(const std::vector<std::string>& scope,
                        const std::string& string_to_sign) const {
    namespace rd = rekognition::detail;
    std::string secret = "AWS4" + accepted_.secret_access_key;
    rd::Sha256Digest key = rd::HmacSha256(secret, scope[1]);
    rd::SecureWipe(&secret[0], secret.size());
    key = rd::HmacSha256(key, scope[2]);
    key = rd::HmacSha256(key, scope[3]);
    key = rd::HmacSha256(key, "aws4_request");
    return rd::HexEncode(rd::HmacSha256(key, string_to_sign));
  }

  AcceptedCredentials accepted_;
  std::string service_;
  std::string region_;
  Clock clock_;
};

}  // namespace rekognition_local

#endif  // REKOGNITION_LOCAL_SIGV4_VERIFIER_HPP
