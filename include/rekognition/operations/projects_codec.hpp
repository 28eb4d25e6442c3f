// rekognition-cpp: validation, awsJson1_1 bodies and pipeline declarations of
// the model lifecycle operations (DescribeProjects, DescribeProjectVersions,
// StartProjectVersion, StopProjectVersion).
#ifndef REKOGNITION_OPERATIONS_PROJECTS_CODEC_HPP
#define REKOGNITION_OPERATIONS_PROJECTS_CODEC_HPP

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "rekognition/detail/double_conversion.hpp"
#include "rekognition/detail/format_double.hpp"
#include "rekognition/detail/iso8601.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/operations/json_codec.hpp"
#include "rekognition/operations/projects.hpp"
#include "rekognition/operations/validation.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

// ---------------------------------------------------------------------------
// Validation

namespace detail {

inline constexpr std::size_t kMaxPaginationTokenChars = 1024;

/// A ProjectName / VersionName: 1-255 chars of [a-zA-Z0-9_.-].
REKOGNITION_INLINE std::optional<ValidationFailure> CheckResourceName(const std::string& field,
                                                                      const std::string& value) {
  if (value.empty() || value.size() > 255)
    return MakeFailure(field, "length 1-255",
                       field + " must be 1 to 255 characters long, got " +
                           std::to_string(value.size()) +
                           (value.empty() ? std::string() : ": " + QuoteForMessage(value)));
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    c == '.' || c == '-' || c == '_';
    if (!ok)
      return MakeFailure(field, "pattern [a-zA-Z0-9_.-]+",
                         field + " may contain only a-z, A-Z, 0-9, '_', '.' and '-', got " +
                             QuoteForMessage(std::string_view(&value[i], 1)) + " at position " +
                             std::to_string(i) + ": " + QuoteForMessage(value));
  }
  return std::nullopt;
}

/// A list of names (not sent when empty): at most `max` entries, each a
/// resource name.
REKOGNITION_INLINE std::optional<ValidationFailure> CheckNameList(
    const char* field, const std::vector<std::string>& names, std::size_t max) {
  if (names.size() > max)
    return MakeFailure(field, "1-" + std::to_string(max) + " items",
                       std::string(field) + " may hold 1 to " + std::to_string(max) +
                           " names, got " + std::to_string(names.size()));
  for (std::size_t i = 0; i < names.size(); ++i)
    if (auto failure =
            CheckResourceName(std::string(field) + "[" + std::to_string(i) + "]", names[i]))
      return failure;
  return std::nullopt;
}

REKOGNITION_INLINE std::optional<ValidationFailure> CheckNextToken(
    const std::optional<std::string>& token) {
  if (token && token->size() > kMaxPaginationTokenChars)
    return MakeFailure(
        "NextToken", "length <= 1024",
        "NextToken must be at most 1024 characters long, got " + std::to_string(token->size()));
  return std::nullopt;
}

REKOGNITION_INLINE std::optional<ValidationFailure> CheckPageSize(
    const std::optional<std::int64_t>& value) {
  if (value && (*value < 1 || *value > 100))
    return MakeFailure(
        "MaxResults", "integer 1-100",
        "MaxResults must be an integer from 1 to 100, got " + std::to_string(*value));
  return std::nullopt;
}

REKOGNITION_INLINE std::optional<ValidationFailure> CheckInferenceUnits(const char* field,
                                                                        std::int64_t value) {
  if (value < 1 || value > 2147483647)
    return MakeFailure(field, "integer >= 1",
                       std::string(field) + " must be an integer from 1 to 2147483647, got " +
                           std::to_string(value));
  return std::nullopt;
}

}  // namespace detail

/// Checks a DescribeProjects request against the service model: NextToken
/// at most 1024 chars, MaxResults 1-100, ProjectNames 1-10 names of 1-255
/// [a-zA-Z0-9_.-], Features 1-2 of CUSTOM_LABELS / CONTENT_MODERATION.
/// Returns the first broken rule, or nullopt. `options` is unused (kept for
/// symmetry). Thread-safe.
REKOGNITION_INLINE std::optional<ValidationFailure> CheckRequest(
    const DescribeProjectsRequest& request, const ValidationOptions& options = {}) {
  (void)options;
  if (auto failure = detail::CheckNextToken(request.next_token)) return failure;
  if (auto failure = detail::CheckPageSize(request.max_results)) return failure;
  if (auto failure = detail::CheckNameList("ProjectNames", request.project_names, 10))
    return failure;
  if (request.features.size() > 2)
    return detail::MakeFailure(
        "Features", "1-2 items",
        "Features may hold 1 to 2 values, got " + std::to_string(request.features.size()));
  for (std::size_t i = 0; i < request.features.size(); ++i) {
    const std::string& feature = request.features[i];
    if (feature != "CUSTOM_LABELS" && feature != "CONTENT_MODERATION")
      return detail::MakeFailure(
          "Features[" + std::to_string(i) + "]", "CUSTOM_LABELS or CONTENT_MODERATION",
          "Features[" + std::to_string(i) + "] must be CUSTOM_LABELS or CONTENT_MODERATION, got " +
              detail::QuoteForMessage(feature));
  }
  return std::nullopt;
}

/// Checks a DescribeProjectVersions request: ProjectArn required (20-2048
/// chars, arn:...:project/NAME/NUMBER), VersionNames 1-10 names of 1-255
/// [a-zA-Z0-9_.-], NextToken at most 1024 chars, MaxResults 1-100. Returns
/// the first broken rule, or nullopt. Thread-safe.
REKOGNITION_INLINE std::optional<ValidationFailure> CheckRequest(
    const DescribeProjectVersionsRequest& request, const ValidationOptions& options = {}) {
  (void)options;
  if (auto failure = detail::CheckArn("ProjectArn", request.project_arn, false)) return failure;
  if (auto failure = detail::CheckNameList("VersionNames", request.version_names, 10))
    return failure;
  if (auto failure = detail::CheckNextToken(request.next_token)) return failure;
  return detail::CheckPageSize(request.max_results);
}

/// Checks a StartProjectVersion request: ProjectVersionArn required (the
/// model's pattern), MinInferenceUnits >= 1, MaxInferenceUnits >= 1 when
/// set (both 32-bit integers in the model). Thread-safe.
REKOGNITION_INLINE std::optional<ValidationFailure> CheckRequest(
    const StartProjectVersionRequest& request, const ValidationOptions& options = {}) {
  (void)options;
  if (auto failure =
          detail::CheckProjectVersionArn("ProjectVersionArn", request.project_version_arn))
    return failure;
  if (auto failure = detail::CheckInferenceUnits("MinInferenceUnits", request.min_inference_units))
    return failure;
  if (request.max_inference_units)
    return detail::CheckInferenceUnits("MaxInferenceUnits", *request.max_inference_units);
  return std::nullopt;
}

/// Checks a StopProjectVersion request: ProjectVersionArn required (the
/// model's pattern). Thread-safe.
REKOGNITION_INLINE std::optional<ValidationFailure> CheckRequest(
    const StopProjectVersionRequest& request, const ValidationOptions& options = {}) {
  (void)options;
  return detail::CheckProjectVersionArn("ProjectVersionArn", request.project_version_arn);
}

/// Like the matching CheckRequest, but throws ValidationError(field,
/// constraint, message) for the first broken rule. Thread-safe.
template <typename Request,
          typename = decltype(CheckRequest(std::declval<const Request&>(), ValidationOptions{}))>
void ValidateRequest(const Request& request, const ValidationOptions& options = {}) {
  if (auto failure = CheckRequest(request, options))
    throw ValidationError(std::move(failure->field), std::move(failure->constraint),
                          std::move(failure->message));
}

/// Splits a model version ARN into its parts, or nullopt when it does not
/// match the model's ProjectVersionArn pattern. Thread-safe, no throw
/// beyond std::bad_alloc.
REKOGNITION_INLINE std::optional<ProjectVersionArnParts> ParseProjectVersionArn(
    std::string_view arn) {
  if (detail::MatchProjectVersionArn(arn)) return std::nullopt;
  // The pattern matched, so the separators sit where the pattern puts them.
  ProjectVersionArnParts parts;
  std::size_t pos = 4;  // after "arn:"
  const auto until = [&](char separator) {
    const std::size_t end = arn.find(separator, pos);
    std::string piece(arn.substr(pos, end - pos));
    pos = end + 1;
    return piece;
  };
  parts.partition = until(':');
  until(':');  // "rekognition"
  parts.region = until(':');
  parts.account = until(':');
  until('/');  // "project"
  parts.project_name = until('/');
  until('/');  // "version"
  parts.version_name = until('/');
  parts.version_number = std::string(arn.substr(pos));
  return parts;
}

namespace detail {

// ---------------------------------------------------------------------------
// Writing

/// Appends `text` as a JSON string literal.
REKOGNITION_INLINE void AppendJsonString(std::string& out, std::string_view text) {
  EscapeJsonString(text, [&out](const char* data, std::size_t size) { out.append(data, size); });
}

/// Builds a JSON object member by member, in the order they are added.
class JsonObjectWriter {
 public:
  explicit JsonObjectWriter(std::string& out) : out_(out) { out_ += '{'; }
  void Key(std::string_view name) {
    if (!first_) out_ += ',';
    first_ = false;
    AppendJsonString(out_, name);
    out_ += ':';
  }
  void String(std::string_view name, std::string_view value) {
    Key(name);
    AppendJsonString(out_, value);
  }
  void OptionalString(std::string_view name, const std::optional<std::string>& value) {
    if (value) String(name, *value);
  }
  void Integer(std::string_view name, std::int64_t value) {
    Key(name);
    out_ += std::to_string(value);
  }
  void OptionalInteger(std::string_view name, const std::optional<std::int64_t>& value) {
    if (value) Integer(name, *value);
  }
  void StringList(std::string_view name, const std::vector<std::string>& values) {
    if (values.empty()) return;
    Key(name);
    out_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) out_ += ',';
      AppendJsonString(out_, values[i]);
    }
    out_ += ']';
  }
  void OptionalTimestamp(std::string_view name, const std::optional<Timestamp>& value) {
    if (!value) return;
    Key(name);
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(value->time_since_epoch()).count();
    char buffer[40];
    out_.append(buffer, FormatJsonDouble(static_cast<double>(micros) / 1e6, buffer));
  }
  void Raw(std::string_view name, std::string_view json) {
    Key(name);
    out_.append(json.data(), json.size());
  }
  void Close() { out_ += '}'; }

 private:
  std::string& out_;
  bool first_ = true;
};

/// The DescribeProjects body, members in model order (as boto3 sends them
/// when given in that order); unset members omitted. Thread-safe.
REKOGNITION_INLINE std::string SerializeRequest(const DescribeProjectsRequest& request) {
  std::string body;
  JsonObjectWriter json(body);
  json.OptionalString("NextToken", request.next_token);
  json.OptionalInteger("MaxResults", request.max_results);
  json.StringList("ProjectNames", request.project_names);
  json.StringList("Features", request.features);
  json.Close();
  return body;
}

/// The DescribeProjectVersions body. Thread-safe.
REKOGNITION_INLINE std::string SerializeRequest(const DescribeProjectVersionsRequest& request) {
  std::string body;
  JsonObjectWriter json(body);
  json.String("ProjectArn", request.project_arn);
  json.StringList("VersionNames", request.version_names);
  json.OptionalString("NextToken", request.next_token);
  json.OptionalInteger("MaxResults", request.max_results);
  json.Close();
  return body;
}

/// The StartProjectVersion body. Thread-safe.
REKOGNITION_INLINE std::string SerializeRequest(const StartProjectVersionRequest& request) {
  std::string body;
  JsonObjectWriter json(body);
  json.String("ProjectVersionArn", request.project_version_arn);
  json.Integer("MinInferenceUnits", request.min_inference_units);
  json.OptionalInteger("MaxInferenceUnits", request.max_inference_units);
  json.Close();
  return body;
}

/// The StopProjectVersion body. Thread-safe.
REKOGNITION_INLINE std::string SerializeRequest(const StopProjectVersionRequest& request) {
  std::string body;
  JsonObjectWriter json(body);
  json.String("ProjectVersionArn", request.project_version_arn);
  json.Close();
  return body;
}

/// A description's JSON: raw_json when it has one (so members this library
/// does not model survive a round trip), else the modeled members.
REKOGNITION_INLINE void WriteDescription(std::string& out, const ProjectDescription& project) {
  if (!project.raw_json.empty()) {
    out += project.raw_json;
    return;
  }
  JsonObjectWriter json(out);
  json.String("ProjectArn", project.project_arn);
  json.OptionalTimestamp("CreationTimestamp", project.creation_timestamp);
  json.OptionalString("Status", project.status);
  json.OptionalString("Feature", project.feature);
  json.OptionalString("AutoUpdate", project.auto_update);
  json.Close();
}

REKOGNITION_INLINE void WriteDescription(std::string& out,
                                         const ProjectVersionDescription& version) {
  if (!version.raw_json.empty()) {
    out += version.raw_json;
    return;
  }
  JsonObjectWriter json(out);
  json.String("ProjectVersionArn", version.project_version_arn);
  json.OptionalTimestamp("CreationTimestamp", version.creation_timestamp);
  json.OptionalInteger("MinInferenceUnits", version.min_inference_units);
  if (!version.status_text.empty())
    json.String("Status", version.status_text);
  else if (version.status != ProjectVersionStatus::kUnknown)
    json.String("Status", ToString(version.status));
  json.OptionalString("StatusMessage", version.status_message);
  json.OptionalInteger("BillableTrainingTimeInSeconds", version.billable_training_time_in_seconds);
  json.OptionalTimestamp("TrainingEndTimestamp", version.training_end_timestamp);
  json.OptionalString("KmsKeyId", version.kms_key_id);
  json.OptionalInteger("MaxInferenceUnits", version.max_inference_units);
  json.OptionalString("SourceProjectVersionArn", version.source_project_version_arn);
  json.OptionalString("VersionDescription", version.version_description);
  json.OptionalString("Feature", version.feature);
  json.OptionalString("BaseModelVersion", version.base_model_version);
  json.Close();
}

template <typename Description>
std::string SerializePage(std::string_view list_name, const std::vector<Description>& items,
                          const std::optional<std::string>& next_token) {
  std::string body;
  JsonObjectWriter json(body);
  json.Key(list_name);
  body += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) body += ',';
    WriteDescription(body, items[i]);
  }
  body += ']';
  json.OptionalString("NextToken", next_token);
  json.Close();
  return body;
}

/// The body of a successful DescribeProjects response (for stubs and the
/// local endpoint). Thread-safe.
REKOGNITION_INLINE std::string SerializeResult(const DescribeProjectsResult& result) {
  return SerializePage("ProjectDescriptions", result.project_descriptions, result.next_token);
}

/// The body of a successful DescribeProjectVersions response. Thread-safe.
REKOGNITION_INLINE std::string SerializeResult(const DescribeProjectVersionsResult& result) {
  return SerializePage("ProjectVersionDescriptions", result.project_version_descriptions,
                       result.next_token);
}

/// The body of a successful Start/StopProjectVersion response:
/// {"Status":"STARTING"} ({} when the status is unknown and has no text).
REKOGNITION_INLINE std::string SerializeResult(const ProjectVersionStatusResult& result) {
  std::string body;
  JsonObjectWriter json(body);
  if (!result.status_text.empty())
    json.String("Status", result.status_text);
  else if (result.status != ProjectVersionStatus::kUnknown)
    json.String("Status", ToString(result.status));
  json.Close();
  return body;
}

// ---------------------------------------------------------------------------
// Reading

/// Reads an integer member (a JSON number without fraction that fits 64 bits).
REKOGNITION_INLINE bool ReadJsonInt64(const rapidjson::Value& value, const std::string& path,
                                      std::int64_t& out, std::string& error) {
  if (value.IsInt64()) {
    out = value.GetInt64();
    return true;
  }
  if (value.IsNumber()) {
    error = path + ": expected an integer, got a number out of range or with a fraction";
    return false;
  }
  return JsonTypeError(error, path, "an integer", value);
}

/// Reads a timestamp as botocore does: epoch seconds as a JSON number (with
/// fractions), or a string holding epoch seconds or an ISO 8601 date-time.
/// Years beyond 1-9999 are refused.
REKOGNITION_INLINE bool ReadJsonTimestamp(const rapidjson::Value& value, const std::string& path,
                                          Timestamp& out, std::string& error) {
  double seconds = 0;
  if (value.IsNumber()) {
    seconds = value.GetDouble();
  } else if (value.IsString()) {
    const std::string_view text(value.GetString(), value.GetStringLength());
    if (auto parsed = ParseIso8601(text)) {
      out = *parsed;
      return true;
    }
    if (ParseDecimalDouble(text, seconds) != DecimalParse::kOk) {
      error =
          path + ": expected epoch seconds or an ISO 8601 timestamp, got " + QuoteForMessage(text);
      return false;
    }
  } else {
    return JsonTypeError(error, path, "a timestamp (number or string)", value);
  }
  // 253402300800 is 10000-01-01T00:00:00Z; the clock may hold less.
  if (!std::isfinite(seconds) || seconds <= -62135596800.0 || seconds >= 253402300800.0 ||
      !EpochToSystemTime(static_cast<std::int64_t>(std::floor(seconds)))) {
    error = path + ": timestamp out of range: " + PythonDoubleString(seconds);
    return false;
  }
  const auto micros = static_cast<std::int64_t>(std::llround(seconds * 1e6));
  out =
      Timestamp(std::chrono::duration_cast<Timestamp::duration>(std::chrono::microseconds(micros)));
  return true;
}

/// `value` re-encoded as compact JSON.
REKOGNITION_INLINE std::string CompactJson(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

/// Reads an optional string member into `out`.
REKOGNITION_INLINE bool ReadOptionalString(const rapidjson::Value& value, const std::string& path,
                                           std::optional<std::string>& out, std::string& error) {
  std::string text;
  if (!ReadJsonString(value, path, text, error)) return false;
  out = std::move(text);
  return true;
}

REKOGNITION_INLINE bool ReadOptionalInt64(const rapidjson::Value& value, const std::string& path,
                                          std::optional<std::int64_t>& out, std::string& error) {
  std::int64_t number = 0;
  if (!ReadJsonInt64(value, path, number, error)) return false;
  out = number;
  return true;
}

REKOGNITION_INLINE bool ReadOptionalTimestamp(const rapidjson::Value& value,
                                              const std::string& path,
                                              std::optional<Timestamp>& out, std::string& error) {
  Timestamp time;
  if (!ReadJsonTimestamp(value, path, time, error)) return false;
  out = time;
  return true;
}

REKOGNITION_INLINE bool ReadStatus(const rapidjson::Value& value, const std::string& path,
                                   ProjectVersionStatus& status, std::string& text,
                                   std::string& error) {
  if (!ReadJsonString(value, path, text, error)) return false;
  status = ParseProjectVersionStatus(text);
  return true;
}

REKOGNITION_INLINE bool ParseDescriptionJson(const rapidjson::Value& value, const std::string& path,
                                             ProjectDescription& out, std::string& error) {
  if (!value.IsObject()) return JsonTypeError(error, path, "an object", value);
  for (auto m = value.MemberBegin(); m != value.MemberEnd(); ++m) {
    const std::string_view name = JsonName(m->name);
    const rapidjson::Value& member = m->value;
    if (member.IsNull()) continue;
    const std::string at = path + "." + std::string(name);
    bool ok = true;
    if (name == "ProjectArn")
      ok = ReadJsonString(member, at, out.project_arn, error);
    else if (name == "CreationTimestamp")
      ok = ReadOptionalTimestamp(member, at, out.creation_timestamp, error);
    else if (name == "Status")
      ok = ReadOptionalString(member, at, out.status, error);
    else if (name == "Feature")
      ok = ReadOptionalString(member, at, out.feature, error);
    else if (name == "AutoUpdate")
      ok = ReadOptionalString(member, at, out.auto_update, error);
    if (!ok) return false;
  }
  out.raw_json = CompactJson(value);
  return true;
}

REKOGNITION_INLINE bool ParseDescriptionJson(const rapidjson::Value& value, const std::string& path,
                                             ProjectVersionDescription& out, std::string& error) {
  if (!value.IsObject()) return JsonTypeError(error, path, "an object", value);
  for (auto m = value.MemberBegin(); m != value.MemberEnd(); ++m) {
    const std::string_view name = JsonName(m->name);
    const rapidjson::Value& member = m->value;
    if (member.IsNull()) continue;
    const std::string at = path + "." + std::string(name);
    bool ok = true;
    if (name == "ProjectVersionArn")
      ok = ReadJsonString(member, at, out.project_version_arn, error);
    else if (name == "CreationTimestamp")
      ok = ReadOptionalTimestamp(member, at, out.creation_timestamp, error);
    else if (name == "MinInferenceUnits")
      ok = ReadOptionalInt64(member, at, out.min_inference_units, error);
    else if (name == "MaxInferenceUnits")
      ok = ReadOptionalInt64(member, at, out.max_inference_units, error);
    else if (name == "Status")
      ok = ReadStatus(member, at, out.status, out.status_text, error);
    else if (name == "StatusMessage")
      ok = ReadOptionalString(member, at, out.status_message, error);
    else if (name == "BillableTrainingTimeInSeconds")
      ok = ReadOptionalInt64(member, at, out.billable_training_time_in_seconds, error);
    else if (name == "TrainingEndTimestamp")
      ok = ReadOptionalTimestamp(member, at, out.training_end_timestamp, error);
    else if (name == "KmsKeyId")
      ok = ReadOptionalString(member, at, out.kms_key_id, error);
    else if (name == "SourceProjectVersionArn")
      ok = ReadOptionalString(member, at, out.source_project_version_arn, error);
    else if (name == "VersionDescription")
      ok = ReadOptionalString(member, at, out.version_description, error);
    else if (name == "Feature")
      ok = ReadOptionalString(member, at, out.feature, error);
    else if (name == "BaseModelVersion")
      ok = ReadOptionalString(member, at, out.base_model_version, error);
    if (!ok) return false;
  }
  out.raw_json = CompactJson(value);
  return true;
}

/// Parses a body that must be a JSON object (an empty body is an empty
/// object, as botocore treats it); calls `member(name, value)` for each
/// non-null member.
template <typename MemberFn>
bool ParseObjectBody(std::string_view body, const char* what, std::string& error,
                     MemberFn&& member) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return true;
  rapidjson::Document doc;
  if (!ParseJsonDocument(body, doc, error)) return false;
  if (doc.IsNull()) return true;
  if (!doc.IsObject()) return JsonTypeError(error, what, "an object", doc);
  for (auto m = doc.MemberBegin(); m != doc.MemberEnd(); ++m) {
    if (m->value.IsNull()) continue;
    if (!member(JsonName(m->name), m->value)) return false;
  }
  return true;
}

template <typename Description>
bool ParsePage(std::string_view body, std::string_view list_name, std::vector<Description>& items,
               std::optional<std::string>& next_token, std::string& error) {
  std::vector<Description> parsed;
  std::optional<std::string> token;
  const bool ok = ParseObjectBody(
      body, "response body", error, [&](std::string_view name, const rapidjson::Value& value) {
        if (name == "NextToken") return ReadOptionalString(value, "NextToken", token, error);
        if (name != list_name) return true;
        const std::string list(list_name);
        if (!value.IsArray()) return JsonTypeError(error, list, "an array", value);
        parsed.clear();
        parsed.reserve(value.Size());
        for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
          if (value[i].IsNull()) continue;
          Description description;
          if (!ParseDescriptionJson(value[i], list + "[" + std::to_string(i) + "]", description,
                                    error))
            return false;
          parsed.push_back(std::move(description));
        }
        return true;
      });
  if (!ok) return false;
  items = std::move(parsed);
  next_token = std::move(token);
  return true;
}

/// Parses a successful DescribeProjects body. Unknown members are ignored,
/// null counts as absent; a member of the wrong type fails with `error`
/// naming its path. On failure `out` is unchanged. Thread-safe.
REKOGNITION_INLINE bool ParseResult(std::string_view body, DescribeProjectsResult& out,
                                    std::string& error) {
  return ParsePage(body, "ProjectDescriptions", out.project_descriptions, out.next_token, error);
}

/// Parses a successful DescribeProjectVersions body (see the DescribeProjects
/// overload). Unknown statuses are kept in status_text. Thread-safe.
REKOGNITION_INLINE bool ParseResult(std::string_view body, DescribeProjectVersionsResult& out,
                                    std::string& error) {
  return ParsePage(body, "ProjectVersionDescriptions", out.project_version_descriptions,
                   out.next_token, error);
}

/// Parses a successful Start/StopProjectVersion body ({"Status": ...}).
REKOGNITION_INLINE bool ParseResult(std::string_view body, ProjectVersionStatusResult& out,
                                    std::string& error) {
  ProjectVersionStatus status = ProjectVersionStatus::kUnknown;
  std::string text;
  const bool ok = ParseObjectBody(
      body, "response body", error, [&](std::string_view name, const rapidjson::Value& value) {
        return name != "Status" || ReadStatus(value, "Status", status, text, error);
      });
  if (!ok) return false;
  out.status = status;
  out.status_text = std::move(text);
  return true;
}

/// Reads a list of strings.
REKOGNITION_INLINE bool ReadStringList(const rapidjson::Value& value, const std::string& path,
                                       std::vector<std::string>& out, std::string& error) {
  if (!value.IsArray()) return JsonTypeError(error, path, "an array", value);
  std::vector<std::string> items;
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
    std::string item;
    if (!ReadJsonString(value[i], path + "[" + std::to_string(i) + "]", item, error)) return false;
    items.push_back(std::move(item));
  }
  out = std::move(items);
  return true;
}

/// Parses a DescribeProjects request body (the server side of
/// SerializeRequest). Types are strict; null counts as absent; unknown
/// members are ignored; constraints are not checked (run CheckRequest). On
/// failure `out` is unchanged. Thread-safe.
REKOGNITION_INLINE bool ParseRequest(std::string_view body, DescribeProjectsRequest& out,
                                     std::string& error) {
  DescribeProjectsRequest request;
  const bool ok = ParseObjectBody(
      body, "request body", error, [&](std::string_view name, const rapidjson::Value& value) {
        if (name == "NextToken")
          return ReadOptionalString(value, "NextToken", request.next_token, error);
        if (name == "MaxResults")
          return ReadOptionalInt64(value, "MaxResults", request.max_results, error);
        if (name == "ProjectNames")
          return ReadStringList(value, "ProjectNames", request.project_names, error);
        if (name == "Features") return ReadStringList(value, "Features", request.features, error);
        return true;
      });
  if (!ok) return false;
  out = std::move(request);
  return true;
}

/// Parses a DescribeProjectVersions request body (see the DescribeProjects
/// overload). Thread-safe.
REKOGNITION_INLINE bool ParseRequest(std::string_view body, DescribeProjectVersionsRequest& out,
                                     std::string& error) {
  DescribeProjectVersionsRequest request;
  const bool ok = ParseObjectBody(
      body, "request body", error, [&](std::string_view name, const rapidjson::Value& value) {
        if (name == "ProjectArn")
          return ReadJsonString(value, "ProjectArn", request.project_arn, error);
        if (name == "VersionNames")
          return ReadStringList(value, "VersionNames", request.version_names, error);
        if (name == "NextToken")
          return ReadOptionalString(value, "NextToken", request.next_token, error);
        if (name == "MaxResults")
          return ReadOptionalInt64(value, "MaxResults", request.max_results, error);
        return true;
      });
  if (!ok) return false;
  out = std::move(request);
  return true;
}

/// Parses a StartProjectVersion request body. A missing MinInferenceUnits
/// reads as 0 (so CheckRequest reports it). Thread-safe.
REKOGNITION_INLINE bool ParseRequest(std::string_view body, StartProjectVersionRequest& out,
                                     std::string& error) {
  StartProjectVersionRequest request;
  request.min_inference_units = 0;
  const bool ok = ParseObjectBody(
      body, "request body", error, [&](std::string_view name, const rapidjson::Value& value) {
        if (name == "ProjectVersionArn")
          return ReadJsonString(value, "ProjectVersionArn", request.project_version_arn, error);
        if (name == "MinInferenceUnits")
          return ReadJsonInt64(value, "MinInferenceUnits", request.min_inference_units, error);
        if (name == "MaxInferenceUnits")
          return ReadOptionalInt64(value, "MaxInferenceUnits", request.max_inference_units, error);
        return true;
      });
  if (!ok) return false;
  out = std::move(request);
  return true;
}

/// Parses a StopProjectVersion request body. Thread-safe.
REKOGNITION_INLINE bool ParseRequest(std::string_view body, StopProjectVersionRequest& out,
                                     std::string& error) {
  StopProjectVersionRequest request;
  const bool ok = ParseObjectBody(
      body, "request body", error, [&](std::string_view name, const rapidjson::Value& value) {
        if (name == "ProjectVersionArn")
          return ReadJsonString(value, "ProjectVersionArn", request.project_version_arn, error);
        return true;
      });
  if (!ok) return false;
  out = std::move(request);
  return true;
}

/// The shared part of the four operation declarations below.
template <typename RequestT, typename ResultT>
struct ProjectsOperationBase {
  using Request = RequestT;
  using Result = ResultT;
  static void Validate(const Request& request, const ValidationOptions& options) {
    ValidateRequest(request, options);
  }
  static std::string Serialize(const Request& request) { return SerializeRequest(request); }
  static bool Parse(std::string_view body, Result& out, std::string& error) {
    return ParseResult(body, out, error);
  }
};

}  // namespace detail

// ---------------------------------------------------------------------------
// Operation declarations (see operations/pipeline.hpp)

/// DescribeProjects: lists projects, optionally only those named. Stateless.
struct DescribeProjectsOperation
    : detail::ProjectsOperationBase<DescribeProjectsRequest, DescribeProjectsResult> {
  /// The operation name.
  static constexpr std::string_view kName = "DescribeProjects";
  /// The X-Amz-Target header value.
  static constexpr std::string_view kTarget = "RekognitionService.DescribeProjects";
  /// The error codes the service model lists for the operation.
  static constexpr std::string_view kErrors[] = {"InvalidPaginationTokenException",
                                                 "InvalidParameterException",
                                                 "AccessDeniedException",
                                                 "InternalServerError",
                                                 "ThrottlingException",
                                                 "ProvisionedThroughputExceededException"};
};

/// DescribeProjectVersions: lists the versions of a project. Stateless.
struct DescribeProjectVersionsOperation
    : detail::ProjectsOperationBase<DescribeProjectVersionsRequest, DescribeProjectVersionsResult> {
  /// The operation name.
  static constexpr std::string_view kName = "DescribeProjectVersions";
  /// The X-Amz-Target header value.
  static constexpr std::string_view kTarget = "RekognitionService.DescribeProjectVersions";
  /// The error codes the service model lists for the operation.
  static constexpr std::string_view kErrors[] = {"ResourceNotFoundException",
                                                 "InvalidPaginationTokenException",
                                                 "InvalidParameterException",
                                                 "AccessDeniedException",
                                                 "InternalServerError",
                                                 "ThrottlingException",
                                                 "ProvisionedThroughputExceededException"};
};

/// StartProjectVersion: starts a model version (billed until stopped).
/// Stateless.
struct StartProjectVersionOperation
    : detail::ProjectsOperationBase<StartProjectVersionRequest, StartProjectVersionResult> {
  /// The operation name.
  static constexpr std::string_view kName = "StartProjectVersion";
  /// The X-Amz-Target header value.
  static constexpr std::string_view kTarget = "RekognitionService.StartProjectVersion";
  /// The error codes the service model lists for the operation.
  static constexpr std::string_view kErrors[] = {
      "ResourceNotFoundException", "ResourceInUseException",
      "LimitExceededException",    "InvalidParameterException",
      "AccessDeniedException",     "InternalServerError",
      "ThrottlingException",       "ProvisionedThroughputExceededException"};
};

/// StopProjectVersion: stops a running model version. Stateless.
struct StopProjectVersionOperation
    : detail::ProjectsOperationBase<StopProjectVersionRequest, StopProjectVersionResult> {
  /// The operation name.
  static constexpr std::string_view kName = "StopProjectVersion";
  /// The X-Amz-Target header value.
  static constexpr std::string_view kTarget = "RekognitionService.StopProjectVersion";
  /// The error codes the service model lists for the operation.
  static constexpr std::string_view kErrors[] = {"ResourceNotFoundException",
                                                 "ResourceInUseException",
                                                 "InvalidParameterException",
                                                 "AccessDeniedException",
                                                 "InternalServerError",
                                                 "ThrottlingException",
                                                 "ProvisionedThroughputExceededException"};
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_PROJECTS_CODEC_HPP
