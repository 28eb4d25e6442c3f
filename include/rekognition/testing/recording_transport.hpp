// rekognition-cpp: record real HTTP interactions to a JSON file, and replay
// them later in tests that must not reach AWS.
#ifndef REKOGNITION_TESTING_RECORDING_TRANSPORT_HPP
#define REKOGNITION_TESTING_RECORDING_TRANSPORT_HPP

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "rekognition/detail/ascii.hpp"
#include "rekognition/detail/base64.hpp"
#include "rekognition/detail/crypto.hpp"
#include "rekognition/detail/utf8.hpp"
#include "rekognition/http/transport.hpp"
#include "rekognition/http/types.hpp"
#include "rekognition/testing/expected_request.hpp"
#include "rekognition/testing/stub_assertion_error.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// A recording file could not be read, parsed or written. Not a
/// rekognition::Error: it is a problem of the test setup, not of a call.
class RecordingError : public std::runtime_error {
 public:
  /// An error with a message naming the file and the reason.
  explicit RecordingError(const std::string& message) : std::runtime_error(message) {}
};

/// One request/response pair as stored in a recording. Secrets are already
/// redacted: `request_headers` has Authorization, X-Amz-Security-Token and
/// every other secret-looking header replaced by "<redacted>", `url` has
/// presigning query parameters (X-Amz-Signature, X-Amz-Credential,
/// X-Amz-Security-Token) replaced too, and the bodies of credentials
/// exchanges (STS, IAM Identity Center) have their tokens and keys replaced.
struct RecordedInteraction {
  std::string method;
  std::string url;
  std::string target;  ///< the X-Amz-Target header, e.g. "RekognitionService.DetectCustomLabels"
  HttpHeaders request_headers;
  /// The body as sent, except that Image.Bytes is replaced by
  /// "<image omitted: N bytes, sha256 HEX>" unless the recording kept images.
  std::string request_body;
  /// SHA-256 (hex) of the body exactly as sent; the replay key.
  std::string request_body_sha256;
  /// The response as received (secret-looking headers redacted), or the
  /// transport failure.
  HttpResult result;
};

/// How a RecordingTransport writes its file.
struct RecordingOptions {
  /// Store Image.Bytes as sent (base64) instead of its size and SHA-256.
  /// Default false: recordings stay small and images stay out of the
  /// repository; replay matches on the SHA-256 of the whole body anyway, so
  /// it is unaffected.
  bool keep_image_bytes = false;
  /// More header names to redact (case-insensitive), on top of the built-in
  /// rules (Authorization, X-Amz-Security-Token, Cookie, Set-Cookie and any
  /// name containing auth, token, secret, signature, credential, password,
  /// session or api-key, and any value that carries a SigV4 signature).
  std::vector<std::string> redact_headers;
};

/// How a ReplayTransport picks the recorded answer for a request.
enum class ReplayMatching {
  /// Strictly in recorded order: request N must have the target and body
  /// SHA-256 of interaction N. Retries replay exactly as recorded.
  kInOrder,
  /// The first not-yet-replayed interaction with the same target and body
  /// SHA-256, whatever its position: for code that sends requests from
  /// several threads. Identical requests are still answered in recorded order.
  kByRequest,
};

/// How a ReplayTransport behaves.
struct ReplayOptions {
  ReplayMatching matching = ReplayMatching::kInOrder;
};

namespace detail {
// The helpers of this header get their own namespace: the amalgamated header
// puts every detail function in one translation unit.
namespace recording {

inline constexpr const char* kRecordingFormat = "rekognition-cpp/recording";
inline constexpr int kRecordingVersion = 1;
inline constexpr const char* kRedacted = "<redacted>";
inline constexpr std::string_view kOmittedPrefix = "<image omitted: ";

/// True for headers whose value must never be written to a recording.
REKOGNITION_INLINE bool IsSecretHeader(std::string_view name, std::string_view value,
                                       const std::vector<std::string>& extra) {
  const std::string lower = detail::AsciiLower(name);
  for (const std::string& other : extra)
    if (EqualsIgnoreCase(other, name)) return true;
  if (lower == "cookie" || lower == "set-cookie") return true;
  constexpr std::string_view kParts[] = {"auth",      "token",      "secret",
                                         "signature", "credential", "password",
                                         "session",   "api-key",    "apikey"};
  for (std::string_view part : kParts)
    if (lower.find(part) != std::string::npos) return true;
  // A value that carries a SigV4 signature, whatever the header is called.
  return value.find("AWS4-HMAC-SHA256") != std::string_view::npos ||
         value.find("Signature=") != std::string_view::npos;
}

REKOGNITION_INLINE HttpHeaders RedactHeaders(const HttpHeaders& headers,
                                             const std::vector<std::string>& extra) {
  HttpHeaders out = headers;
  for (auto& header : out)
    if (IsSecretHeader(header.first, header.second, extra)) header.second = kRedacted;
  return out;
}

/// The URL with the values of presigning query parameters replaced.
REKOGNITION_INLINE std::string RedactUrl(const std::string& url) {
  const std::size_t query = url.find('?');
  if (query == std::string::npos) return url;
  std::string out = url.substr(0, query + 1);
  std::size_t start = query + 1;
  while (start <= url.size()) {
    std::size_t end = url.find('&', start);
    if (end == std::string::npos) end = url.size();
    const std::string pair = url.substr(start, end - start);
    const std::size_t equals = pair.find('=');
    const std::string key = detail::AsciiLower(pair.substr(0, equals));
    if (equals != std::string::npos &&
        (key == "x-amz-signature" || key == "x-amz-credential" || key == "x-amz-security-token")) {
      out += pair.substr(0, equals + 1) + "REDACTED";
    } else {
      out += pair;
    }
    if (end < url.size()) out += '&';
    start = end + 1;
  }
  return out;
}

/// The request body with the base64 of Image.Bytes replaced by a
/// placeholder naming its decoded size and SHA-256. Bodies that are not a
/// JSON object with a string Image.Bytes, or already carry the placeholder,
/// are returned unchanged.
REKOGNITION_INLINE std::string OmitImageBytes(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::string(body);
  const auto image = doc.FindMember("Image");
  if (image == doc.MemberEnd() || !image->value.IsObject()) return std::string(body);
  const auto bytes = image->value.FindMember("Bytes");
  if (bytes == image->value.MemberEnd() || !bytes->value.IsString()) return std::string(body);
  const std::string_view encoded(bytes->value.GetString(), bytes->value.GetStringLength());
  if (encoded.substr(0, kOmittedPrefix.size()) == kOmittedPrefix) return std::string(body);
  std::string raw;
  if (!Base64Decode(encoded, raw)) raw.assign(encoded);
  const std::string placeholder = std::string(kOmittedPrefix) + std::to_string(raw.size()) +
                                  " bytes, sha256 " + Sha256Hex(raw) + ">";
  // Base64 needs no JSON escaping, so the literal appears verbatim in the body.
  const std::string literal = "\"" + std::string(encoded) + "\"";
  const std::size_t at = body.find(literal);
  if (at == std::string_view::npos) return std::string(body);
  std::string out(body.substr(0, at));
  out += "\"" + placeholder + "\"";
  out += body.substr(at + literal.size());
  return out;
}

/// A body with the secrets of credentials exchanges replaced by
/// "<redacted>": STS form parameters (WebIdentityToken, TokenCode), XML
/// elements (SecretAccessKey, SessionToken) and JSON string members (secret
/// keys, session, access and refresh tokens, client secrets) of STS, IAM
/// Identity Center, SSO OIDC and container credentials answers. Other bodies
/// come back unchanged.
REKOGNITION_INLINE std::string RedactCredentialSecrets(std::string body) {
  auto replace = [&body](std::size_t from, std::size_t to) {
    body.replace(from, to - from, kRedacted);
    return from + std::string_view(kRedacted).size();
  };
  for (std::string_view name : {"WebIdentityToken=", "TokenCode="}) {
    for (std::size_t at = body.find(name); at != std::string::npos; at = body.find(name, at)) {
      if (at != 0 && body[at - 1] != '&') {
        at += name.size();
        continue;
      }
      const std::size_t from = at + name.size();
      const std::size_t to = std::min(body.find('&', from), body.size());
      at = replace(from, to);
    }
  }
  for (std::string_view name : {"SecretAccessKey", "SessionToken"}) {
    const std::string open = "<" + std::string(name) + ">";
    const std::string close = "</" + std::string(name) + ">";
    for (std::size_t at = body.find(open); at != std::string::npos; at = body.find(open, at)) {
      const std::size_t from = at + open.size();
      const std::size_t to = body.find(close, from);
      if (to == std::string::npos) break;
      at = replace(from, to);
    }
  }
  for (std::string_view name :
       {"SecretAccessKey", "SessionToken", "Token", "secretAccessKey", "sessionToken",
        "accessToken", "refreshToken", "clientSecret", "idToken"}) {
    const std::string key = "\"" + std::string(name) + "\"";
    for (std::size_t at = body.find(key); at != std::string::npos; at = body.find(key, at)) {
      std::size_t from = at + key.size();
      while (from < body.size() && (body[from] == ' ' || body[from] == '\n' || body[from] == '\t'))
        ++from;
      if (from >= body.size() || body[from] != ':') {
        at = from;
        continue;
      }
      ++from;
      while (from < body.size() && (body[from] == ' ' || body[from] == '\n' || body[from] == '\t'))
        ++from;
      if (from >= body.size() || body[from] != '"') {
        at = from;
        continue;
      }
      std::size_t to = ++from;
      while (to < body.size() && body[to] != '"') to += body[to] == '\\' ? 2 : 1;
      if (to > body.size()) break;
      at = replace(from, to) + 1;
    }
  }
  return body;
}

/// The inverse of ToString(TransportErrorKind); kOther for unknown names.
REKOGNITION_INLINE TransportErrorKind ParseTransportErrorKind(std::string_view name) noexcept {
  constexpr TransportErrorKind kKinds[] = {
      TransportErrorKind::kDnsFailure,      TransportErrorKind::kConnectFailure,
      TransportErrorKind::kTlsFailure,      TransportErrorKind::kTimeout,
      TransportErrorKind::kConnectionReset, TransportErrorKind::kCancelled};
  for (TransportErrorKind kind : kKinds)
    if (name == ToString(kind)) return kind;
  return TransportErrorKind::kOther;
}

using RecordingWriter = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

REKOGNITION_INLINE void WriteJsonString(RecordingWriter& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

REKOGNITION_INLINE void WriteHeaders(RecordingWriter& writer, const HttpHeaders& headers) {
  writer.Key("headers");
  writer.StartArray();
  for (const auto& header : headers) {
    writer.SetFormatOptions(rapidjson::kFormatSingleLineArray);
    writer.StartArray();
    WriteJsonString(writer, header.first);
    WriteJsonString(writer, header.second);
    writer.EndArray();
  }
  writer.SetFormatOptions(rapidjson::kFormatDefault);
  writer.EndArray();
}

// Bodies are stored as text when they are valid UTF-8 (readable diffs in
// code review) and as base64 otherwise (the file must stay valid JSON).
REKOGNITION_INLINE void WriteBody(RecordingWriter& writer, std::string_view body) {
  if (Utf8CodePoints(body)) {
    writer.Key("body");
    WriteJsonString(writer, body);
  } else {
    writer.Key("body_base64");
    WriteJsonString(writer, Base64Encode(body));
  }
}

/// The whole recording file as text: pretty-printed, members in a fixed
/// order, so re-recording the same calls gives a small diff.
REKOGNITION_INLINE std::string RecordingToJson(const std::vector<RecordedInteraction>& interactions,
                                               bool keep_image_bytes) {
  rapidjson::StringBuffer buffer;
  RecordingWriter writer(buffer);
  writer.SetIndent(' ', 2);
  writer.StartObject();
  writer.Key("format");
  writer.String(kRecordingFormat);
  writer.Key("version");
  writer.Int(kRecordingVersion);
  writer.Key("image_bytes");
  writer.String(keep_image_bytes ? "kept" : "sha256");
  writer.Key("interactions");
  writer.StartArray();
  for (const RecordedInteraction& interaction : interactions) {
    writer.StartObject();
    writer.Key("request");
    writer.StartObject();
    writer.Key("method");
    WriteJsonString(writer, interaction.method);
    writer.Key("url");
    WriteJsonString(writer, interaction.url);
    writer.Key("target");
    WriteJsonString(writer, interaction.target);
    writer.Key("body_sha256");
    WriteJsonString(writer, interaction.request_body_sha256);
    WriteHeaders(writer, interaction.request_headers);
    WriteBody(writer, interaction.request_body);
    writer.EndObject();
    if (const auto* response = std::get_if<HttpResponse>(&interaction.result)) {
      writer.Key("response");
      writer.StartObject();
      writer.Key("status");
      writer.Int(response->status);
      WriteHeaders(writer, response->headers);
      WriteBody(writer, response->body);
      writer.EndObject();
    } else {
      const auto& failure = std::get<TransportFailure>(interaction.result);
      writer.Key("failure");
      writer.StartObject();
      writer.Key("kind");
      writer.String(ToString(failure.kind));
      writer.Key("native_code");
      writer.Int(failure.native_code);
      writer.Key("message");
      WriteJsonString(writer, failure.message);
      writer.EndObject();
    }
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

REKOGNITION_INLINE const rapidjson::Value& RequireMember(const rapidjson::Value& object,
                                                         const char* name,
                                                         const std::string& where) {
  if (!object.IsObject()) throw RecordingError(where + " is not a JSON object");
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd())
    throw RecordingError(where + " has no \"" + std::string(name) + "\" member");
  return member->value;
}

REKOGNITION_INLINE std::string RequireString(const rapidjson::Value& object, const char* name,
                                             const std::string& where) {
  const rapidjson::Value& value = RequireMember(object, name, where);
  if (!value.IsString()) throw RecordingError(where + "." + name + " is not a string");
  return std::string(value.GetString(), value.GetStringLength());
}

REKOGNITION_INLINE int RequireInt(const rapidjson::Value& object, const char* name,
                                  const std::string& where) {
  const rapidjson::Value& value = RequireMember(object, name, where);
  if (!value.IsInt()) throw RecordingError(where + "." + name + " is not an integer");
  return value.GetInt();
}

REKOGNITION_INLINE HttpHeaders ReadHeaders(const rapidjson::Value& object,
                                           const std::string& where) {
  const rapidjson::Value& array = RequireMember(object, "headers", where);
  if (!array.IsArray()) throw RecordingError(where + ".headers is not an array");
  HttpHeaders headers;
  for (const auto& pair : array.GetArray()) {
    if (!pair.IsArray() || pair.Size() != 2 || !pair[0].IsString() || !pair[1].IsString())
      throw RecordingError(where + ".headers has an entry that is not [name, value]");
    headers.emplace_back(std::string(pair[0].GetString(), pair[0].GetStringLength()),
                         std::string(pair[1].GetString(), pair[1].GetStringLength()));
  }
  return headers;
}

REKOGNITION_INLINE std::string ReadBody(const rapidjson::Value& object, const std::string& where) {
  if (object.IsObject() && object.HasMember("body_base64")) {
    std::string body;
    if (!Base64Decode(RequireString(object, "body_base64", where), body))
      throw RecordingError(where + ".body_base64 is not valid base64");
    return body;
  }
  return RequireString(object, "body", where);
}

/// Parses recording text; `name` labels errors. Throws RecordingError.
REKOGNITION_INLINE std::vector<RecordedInteraction> RecordingFromJson(std::string_view text,
                                                                      const std::string& name) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseFullPrecisionFlag>(
      text.data(), text.size());
  if (doc.HasParseError())
    throw RecordingError(name + ": invalid JSON at offset " + std::to_string(doc.GetErrorOffset()) +
                         ": " + rapidjson::GetParseError_En(doc.GetParseError()));
  if (RequireString(doc, "format", name) != kRecordingFormat)
    throw RecordingError(name + ": not a rekognition-cpp recording (\"format\" is not \"" +
                         std::string(kRecordingFormat) + "\")");
  const int version = RequireInt(doc, "version", name);
  if (version != kRecordingVersion)
    throw RecordingError(name + ": recording version " + std::to_string(version) +
                         " is not supported (this library reads version " +
                         std::to_string(kRecordingVersion) + ")");
  const rapidjson::Value& array = RequireMember(doc, "interactions", name);
  if (!array.IsArray()) throw RecordingError(name + ": \"interactions\" is not an array");
  std::vector<RecordedInteraction> out;
  for (rapidjson::SizeType i = 0; i < array.Size(); ++i) {
    const std::string where = name + ": interactions[" + std::to_string(i) + "]";
    const rapidjson::Value& item = array[i];
    const rapidjson::Value& request = RequireMember(item, "request", where);
    const std::string request_where = where + ".request";
    RecordedInteraction interaction;
    interaction.method = RequireString(request, "method", request_where);
    interaction.url = RequireString(request, "url", request_where);
    interaction.target = RequireString(request, "target", request_where);
    interaction.request_body_sha256 = RequireString(request, "body_sha256", request_where);
    interaction.request_headers = ReadHeaders(request, request_where);
    interaction.request_body = ReadBody(request, request_where);
    if (item.HasMember("response")) {
      const rapidjson::Value& response = item["response"];
      const std::string response_where = where + ".response";
      HttpResponse http;
      http.status = RequireInt(response, "status", response_where);
      http.headers = ReadHeaders(response, response_where);
      http.body = ReadBody(response, response_where);
      interaction.result = std::move(http);
    } else {
      const rapidjson::Value& failure = RequireMember(item, "failure", where);
      const std::string failure_where = where + ".failure";
      TransportFailure transport;
      transport.kind = ParseTransportErrorKind(RequireString(failure, "kind", failure_where));
      transport.native_code = RequireInt(failure, "native_code", failure_where);
      transport.message = RequireString(failure, "message", failure_where);
      interaction.result = std::move(transport);
    }
    out.push_back(std::move(interaction));
  }
  return out;
}

/// Writes `text` to `path` through a temporary file and a rename, so a
/// crash mid-write never leaves a half-written recording. Throws RecordingError.
REKOGNITION_INLINE void WriteFileAtomically(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw RecordingError("cannot write recording '" + temporary + "'");
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) throw RecordingError("cannot write recording '" + temporary + "'");
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    throw RecordingError("cannot rename '" + temporary + "' to '" + path + "'");
  }
}

/// The top-level members of two JSON request bodies that differ, as compact
/// JSON; a single "body" entry when either is not a JSON object.
REKOGNITION_INLINE std::vector<FieldDifference> DiffJsonBodies(std::string_view recorded,
                                                               std::string_view actual) {
  const auto compact = [](const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    std::string text(buffer.GetString(), buffer.GetSize());
    if (text.size() > expect::kDescribeMaxChars)
      text = text.substr(0, expect::kDescribeMaxChars) + "...";
    return text;
  };
  rapidjson::Document a, b;
  a.Parse(recorded.data(), recorded.size());
  b.Parse(actual.data(), actual.size());
  if (a.HasParseError() || b.HasParseError() || !a.IsObject() || !b.IsObject())
    return {{"body", QuoteForMessage(recorded, expect::kDescribeMaxChars),
             QuoteForMessage(actual, expect::kDescribeMaxChars)}};
  std::vector<FieldDifference> out;
  for (const auto& member : a.GetObject()) {
    const std::string name(member.name.GetString(), member.name.GetStringLength());
    const auto other = b.FindMember(member.name);
    if (other == b.MemberEnd()) {
      out.push_back({name, compact(member.value), "(not set)"});
    } else if (compact(member.value) != compact(other->value)) {
      out.push_back({name, compact(member.value), compact(other->value)});
    }
  }
  for (const auto& member : b.GetObject())
    if (!a.HasMember(member.name))
      out.push_back({std::string(member.name.GetString(), member.name.GetStringLength()),
                     "(not set)", compact(member.value)});
  return out;
}

}  // namespace recording
}  // namespace detail

/// Reads a recording file written by RecordingTransport or SaveRecording.
/// Throws RecordingError naming the file and what is wrong. Thread-safe.
REKOGNITION_INLINE std::vector<RecordedInteraction> LoadRecording(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RecordingError("cannot read recording '" + path + "'");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return detail::recording::RecordingFromJson(text, path);
}

/// Writes `interactions` to `path` (replacing it) in the recording format.
/// Redacts nothing itself: pass interactions made by RecordingTransport.
/// Throws RecordingError. Thread-safe for distinct paths.
REKOGNITION_INLINE void SaveRecording(const std::string& path,
                                      const std::vector<RecordedInteraction>& interactions,
                                      bool keep_image_bytes = false) {
  detail::recording::WriteFileAtomically(
      path, detail::recording::RecordingToJson(interactions, keep_image_bytes));
}

/// An HttpTransport that forwards every request to `inner` (the real
/// transport, or a local endpoint) and records each request/response pair to
/// a JSON file, rewriting the whole file after every exchange so it is
/// complete even if the test dies. Each attempt (retries included) is one
/// interaction. What is stored, and what is not:
///   - Authorization, X-Amz-Security-Token and every secret-looking header
///     are replaced by "<redacted>" (see RecordingOptions::redact_headers),
///     so no secret key, session token or signature is ever written;
///   - Image.Bytes is replaced by its size and SHA-256 unless
///     RecordingOptions::keep_image_bytes is set;
///   - the SHA-256 of the body as sent is kept, for replay matching.
/// Send throws RecordingError when the file cannot be written (not a network
/// fault: the test setup is broken). Thread-safe if `inner` is.
class RecordingTransport : public HttpTransport {
 public:
  /// Records to `path` (created or replaced at the first exchange).
  /// Throws std::invalid_argument when `inner` is null.
  RecordingTransport(std::shared_ptr<HttpTransport> inner, std::string path,
                     RecordingOptions options = {})
      : inner_(std::move(inner)), path_(std::move(path)), options_(std::move(options)) {
    if (!inner_) throw std::invalid_argument("RecordingTransport needs a transport to forward to");
  }

  /// Forwards the request, records the exchange and returns the result
  /// unchanged.
  HttpResult Send(const HttpRequest& request) override {
    HttpResult result = inner_->Send(request);
    RecordedInteraction interaction;
    interaction.method = request.method;
    interaction.url = detail::recording::RedactUrl(request.url);
    if (const std::string* target = FindHeader(request.headers, "X-Amz-Target"))
      interaction.target = *target;
    interaction.request_headers =
        detail::recording::RedactHeaders(request.headers, options_.redact_headers);
    interaction.request_body = detail::recording::RedactCredentialSecrets(
        options_.keep_image_bytes ? std::string(request.body)
                                  : detail::recording::OmitImageBytes(request.body));
    interaction.request_body_sha256 = detail::Sha256Hex(request.body);
    if (const auto* response = std::get_if<HttpResponse>(&result)) {
      HttpResponse stored = *response;
      stored.headers = detail::recording::RedactHeaders(stored.headers, options_.redact_headers);
      stored.body = detail::recording::RedactCredentialSecrets(std::move(stored.body));
      interaction.result = std::move(stored);
    } else {
      interaction.result = result;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    interactions_.push_back(std::move(interaction));
    SaveRecording(path_, interactions_, options_.keep_image_bytes);
    return result;
  }

  /// The interactions recorded so far (as stored, i.e. redacted). Thread-safe.
  std::vector<RecordedInteraction> interactions() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return interactions_;
  }

  /// The file being written.
  const std::string& path() const noexcept { return path_; }

 private:
  std::shared_ptr<HttpTransport> inner_;
  std::string path_;
  RecordingOptions options_;
  mutable std::mutex mutex_;
  std::vector<RecordedInteraction> interactions_;
};

/// An HttpTransport that answers from a recording instead of the network,
/// returning each recorded response (status, headers, body) or transport
/// failure exactly as it was received. A request matches an interaction
/// when its X-Amz-Target and the SHA-256 of its body equal the recorded
/// ones (the URL, dates, signatures and invocation ids are ignored, so a
/// recording made against one endpoint replays anywhere); which interaction
/// is tried is set by ReplayOptions::matching. A request that matches
/// nothing, or arrives after the recording is used up, throws
/// StubAssertionError listing the differing body members (image bytes by
/// size and SHA-256). When the request itself changes, record again.
/// Thread-safe.
class ReplayTransport : public HttpTransport {
 public:
  /// Replays the recording at `path`. Throws RecordingError when the file
  /// cannot be read or is not a recording.
  explicit ReplayTransport(const std::string& path, ReplayOptions options = {})
      : ReplayTransport(LoadRecording(path), options, path) {}

  /// Replays `interactions` (e.g. RecordingTransport::interactions()).
  explicit ReplayTransport(std::vector<RecordedInteraction> interactions,
                           ReplayOptions options = {}, std::string name = "recording")
      : interactions_(std::move(interactions)),
        used_(interactions_.size(), false),
        options_(options),
        name_(std::move(name)) {}

  /// Answers `request` from the recording; throws StubAssertionError when it
  /// matches nothing (see the class comment).
  REKOGNITION_INLINE HttpResult Send(const HttpRequest& request) override;

  /// Interactions not replayed yet. Thread-safe.
  std::size_t remaining() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t count = 0;
    for (bool used : used_)
      if (!used) ++count;
    return count;
  }

  /// Throws StubAssertionError when some interactions were never replayed,
  /// or when an earlier request matched nothing (even if that exception was
  /// caught by the code under test). Thread-safe.
  void AssertAllReplayed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!failures_.empty()) {
      std::string message = "ReplayTransport: " + std::to_string(failures_.size()) +
                            " request(s) matched no recorded interaction:\n";
      for (std::size_t i = 0; i < failures_.size(); ++i) message += (i ? "\n" : "") + failures_[i];
      throw StubAssertionError(message);
    }
    std::string unused;
    std::size_t count = 0;
    for (std::size_t i = 0; i < used_.size(); ++i)
      if (!used_[i]) {
        ++count;
        unused += "\n  #" + std::to_string(i + 1) + " " + interactions_[i].target;
      }
    if (count != 0)
      throw StubAssertionError("ReplayTransport: " + std::to_string(count) + " interaction(s) of " +
                               name_ + " were never replayed:" + unused);
  }

 private:
  bool Matches(const RecordedInteraction& interaction, const std::string& target,
               const std::string& sha256) const {
    return interaction.target == target && interaction.request_body_sha256 == sha256;
  }

  mutable std::mutex mutex_;
  std::vector<RecordedInteraction> interactions_;
  std::vector<bool> used_;
  ReplayOptions options_;
  std::string name_;
  std::size_t next_ = 0;
  std::size_t calls_ = 0;
  std::vector<std::string> failures_;
};

REKOGNITION_INLINE HttpResult ReplayTransport::Send(const HttpRequest& request) {
  const std::string* target_header = FindHeader(request.headers, "X-Amz-Target");
  const std::string target = target_header ? *target_header : std::string();
  const std::string sha256 = detail::Sha256Hex(request.body);

  std::lock_guard<std::mutex> lock(mutex_);
  const std::size_t call = ++calls_;
  std::optional<std::size_t> found;
  std::optional<std::size_t> closest;  // what the report compares against
  if (options_.matching == ReplayMatching::kInOrder) {
    if (next_ < interactions_.size()) {
      closest = next_;
      if (Matches(interactions_[next_], target, sha256)) found = next_;
    }
  } else {
    for (std::size_t i = 0; i < interactions_.size() && !found; ++i) {
      if (used_[i]) continue;
      if (Matches(interactions_[i], target, sha256))
        found = i;
      else if (!closest && interactions_[i].target == target)
        closest = i;
    }
  }
  if (found) {
    used_[*found] = true;
    if (options_.matching == ReplayMatching::kInOrder) ++next_;
    return interactions_[*found].result;
  }

  std::string message = "ReplayTransport: request #" + std::to_string(call) + " (" +
                        (target.empty() ? std::string("no X-Amz-Target") : target) + ") ";
  std::vector<FieldDifference> differences;
  if (!closest) {
    message += "arrived but no unreplayed interaction of " + name_ +
               (options_.matching == ReplayMatching::kInOrder ? " is left" : " has that target") +
               " (" + std::to_string(interactions_.size()) + " recorded)";
  } else {
    const RecordedInteraction& recorded = interactions_[*closest];
    message += "does not match interaction #" + std::to_string(*closest + 1) + " of " + name_;
    if (recorded.target != target) differences.push_back({"X-Amz-Target", recorded.target, target});
    // Compare in the stored form, so image bytes show as size and hash and
    // no credentials secret is quoted.
    const std::string actual_body =
        detail::recording::RedactCredentialSecrets(detail::recording::OmitImageBytes(request.body));
    const std::string recorded_body = detail::recording::OmitImageBytes(recorded.request_body);
    for (auto& difference : detail::recording::DiffJsonBodies(recorded_body, actual_body))
      differences.push_back(std::move(difference));
    if (differences.empty())
      differences.push_back({"body SHA-256", recorded.request_body_sha256, sha256});
    message +=
        " (expected = recorded, actual = sent):\n" + detail::expect::FormatDifferences(differences);
  }
  failures_.push_back(message);
  throw StubAssertionError(message, std::move(differences));
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_TESTING_RECORDING_TRANSPORT_HPP
