// rekognition-cpp: reading credentials from the JSON that credential sources return.
#ifndef REKOGNITION_AUTH_CREDENTIALS_JSON_HPP
#define REKOGNITION_AUTH_CREDENTIALS_JSON_HPP

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

#include "rekognition/auth/credentials.hpp"
#include "rekognition/detail/iso8601.hpp"
#include "rekognition/detail/json.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// Parses `text` into `document` with ParseJsonDocument (size, depth, UTF-8
/// and NUL checks); false unless it is a JSON object. Thread-safe; never
/// throws except std::bad_alloc.
REKOGNITION_INLINE bool ParseCredentialsJsonObject(std::string_view text,
                                                   rapidjson::Document& document) {
  std::string ignored;
  return ParseJsonDocument(text, document, ignored) && document.IsObject();
}

// The string member `name`: nullopt when absent or null; false in `ok` when
// present with another type.
REKOGNITION_INLINE std::optional<std::string> CredentialsJsonString(const rapidjson::Value& object,
                                                                    const char* name, bool& ok) {
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd() || member->value.IsNull()) return std::nullopt;
  if (!member->value.IsString()) {
    ok = false;
    return std::nullopt;
  }
  return std::string(member->value.GetString(), member->value.GetStringLength());
}

/// Reads AccessKeyId, SecretAccessKey, the session token (member
/// `token_member`: "SessionToken" or "Token") and Expiration (ISO 8601, may be
/// absent) from a credentials document. On failure returns nullopt and sets
/// `error` to a message naming the member at fault, never a value.
/// Thread-safe; throws only std::bad_alloc.
REKOGNITION_INLINE std::optional<Credentials> ReadCredentialsJson(const rapidjson::Value& object,
                                                                  const char* token_member,
                                                                  std::string& error) {
  bool ok = true;
  Credentials credentials;
  credentials.access_key_id = CredentialsJsonString(object, "AccessKeyId", ok).value_or("");
  if (!ok || credentials.access_key_id.empty()) {
    error = "AccessKeyId is missing or not a string";
    return std::nullopt;
  }
  credentials.secret_access_key = CredentialsJsonString(object, "SecretAccessKey", ok).value_or("");
  if (!ok || credentials.secret_access_key.empty()) {
    error = "SecretAccessKey is missing or not a string";
    return std::nullopt;
  }
  credentials.session_token = CredentialsJsonString(object, token_member, ok).value_or("");
  if (!ok) {
    error = std::string(token_member) + " is not a string";
    return std::nullopt;
  }
  const std::optional<std::string> expiration = CredentialsJsonString(object, "Expiration", ok);
  if (!ok) {
    error = "Expiration is not a string";
    return std::nullopt;
  }
  if (expiration) {
    credentials.expiration = ParseIso8601(*expiration);
    if (!credentials.expiration) {
      error = "Expiration is not an ISO 8601 timestamp";
      return std::nullopt;
    }
  }
  return credentials;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_CREDENTIALS_JSON_HPP
