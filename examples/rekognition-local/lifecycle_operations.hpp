// rekognition-local: DescribeProjects, DescribeProjectVersions,
// StartProjectVersion and StopProjectVersion, answered as the service does:
// members of the wrong JSON type are SerializationException, broken model
// constraints (required, length, pattern, range, enum) are Coral's
// ValidationException listing every broken rule, and the service's own
// refusals are its modeled exceptions.
#ifndef REKOGNITION_LOCAL_LIFECYCLE_OPERATIONS_HPP
#define REKOGNITION_LOCAL_LIFECYCLE_OPERATIONS_HPP

#include <rekognition/detail/base64.hpp>
#include <rekognition/detail/crypto.hpp>
#include <rekognition/operations/json_codec.hpp>
#include <rekognition/operations/validation.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model_lifecycle.hpp"

namespace rekognition_local {

/// What one operation answered: a 200 body, or an error.
struct OperationAnswer {
  int status = 200;
  std::string body;        // on success
  std::string error_code;  // empty on success
  std::string message;
  bool front_end = false;  // raised by the framework (validation), not the service
};

namespace lifecycle_detail {

inline OperationAnswer Fail(int status, std::string code, std::string message,
                            bool front_end = false) {
  OperationAnswer answer;
  answer.status = status;
  answer.error_code = std::move(code);
  answer.message = std::move(message);
  answer.front_end = front_end;
  return answer;
}

/// The members of a request body, read with their JSON types checked.
class RequestMembers {
 public:
  /// Parses `body`; false (with `error`) when it is not a JSON object.
  bool Parse(std::string_view body, std::string& error) {
    if (!rekognition::detail::ParseJsonDocument(body, doc_, error)) return false;
    if (!doc_.IsObject())
      return rekognition::detail::JsonTypeError(error, "request body", "an object", doc_);
    return true;
  }

  bool String(const char* name, std::optional<std::string>& out, std::string& error) const {
    const rapidjson::Value* value = Find(name);
    if (value == nullptr) return true;
    out.emplace();
    return rekognition::detail::ReadJsonString(*value, name, *out, error);
  }

  /// A 32-bit integer member, as the model's "integer" type is.
  bool Integer(const char* name, std::optional<std::int64_t>& out, std::string& error) const {
    const rapidjson::Value* value = Find(name);
    if (value == nullptr) return true;
    if (!value->IsInt64() || value->GetInt64() < -2147483648LL || value->GetInt64() > 2147483647)
      return rekognition::detail::JsonTypeError(error, name, "a 32-bit integer", *value);
    out = value->GetInt64();
    return true;
  }

  bool StringList(const char* name, std::optional<std::vector<std::string>>& out,
                  std::string& error) const {
    const rapidjson::Value* value = Find(name);
    if (value == nullptr) return true;
    if (!value->IsArray())
      return rekognition::detail::JsonTypeError(error, name, "an array", *value);
    out.emplace();
    for (rapidjson::SizeType i = 0; i < value->Size(); ++i) {
      std::string item;
      if (!rekognition::detail::ReadJsonString(
              (*value)[i], std::string(name) + "[" + std::to_string(i) + "]", item, error))
        return false;
      out->push_back(std::move(item));
    }
    return true;
  }

 private:
  const rapidjson::Value* Find(const char* name) const {
    const auto it = doc_.FindMember(name);
    if (it == doc_.MemberEnd() || it->value.IsNull()) return nullptr;
    return &it->value;
  }

  rapidjson::Document doc_;
};

inline bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

/// The model's ProjectArn pattern
/// (^arn:[a-z\d-]+:rekognition:[a-z\d-]+:\d{12}:project\/[a-zA-Z0-9_.\-]{1,255}\/[0-9]+$).
inline bool MatchesProjectArn(const std::string& arn) {
  return !rekognition::detail::MatchRekognitionArn(arn, false);
}

constexpr const char* kProjectArnPattern =
    "(^arn:[a-z\\d-]+:rekognition:[a-z\\d-]+:\\d{12}:project\\/[a-zA-Z0-9_.\\-]{1,255}\\/"
    "[0-9]+$)";
constexpr const char* kProjectVersionArnPattern =
    "(^arn:[a-z\\d-]+:rekognition:[a-z\\d-]+:\\d{12}:project\\/[a-zA-Z0-9_.\\-]{1,255}\\/"
    "version\\/[a-zA-Z0-9_.\\-]{1,255}\\/[0-9]+$)";

/// Collects broken constraints as Coral words them:
/// "Value 'X' at 'memberName' failed to satisfy constraint: Member must ...".
class Violations {
 public:
  void Add(const std::string& value, const std::string& at, const std::string& rule) {
    items_.push_back("Value " + value + " at '" + at + "' failed to satisfy constraint: Member " +
                     rule);
  }
  void Required(bool present, const std::string& at) {
    if (!present) Add("null", at, "must not be null");
  }
  void Length(const std::string& value, const std::string& at, std::size_t min, std::size_t max) {
    if (value.size() < min)
      Add(Quote(value), at, "must have length greater than or equal to " + std::to_string(min));
    if (value.size() > max)
      Add(Quote(value), at, "must have length less than or equal to " + std::to_string(max));
  }
  void Pattern(bool matches, const std::string& value, const std::string& at,
               const std::string& pattern) {
    if (!matches) Add(Quote(value), at, "must satisfy regular expression pattern: " + pattern);
  }
  void Range(std::int64_t value, const std::string& at, std::optional<std::int64_t> min,
             std::optional<std::int64_t> max) {
    const std::string text = "'" + std::to_string(value) + "'";
    if (min && value < *min)
      Add(text, at, "must have value greater than or equal to " + std::to_string(*min));
    if (max && value > *max)
      Add(text, at, "must have value less than or equal to " + std::to_string(*max));
  }
  void ListSize(const std::vector<std::string>& list, const std::string& at, std::size_t min,
                std::size_t max) {
    std::string text = "'[";
    for (std::size_t i = 0; i < list.size(); ++i) text += (i ? ", " : "") + list[i];
    text += "]'";
    if (list.size() < min)
      Add(text, at, "must have length greater than or equal to " + std::to_string(min));
    if (list.size() > max)
      Add(text, at, "must have length less than or equal to " + std::to_string(max));
  }
  void Names(const std::vector<std::string>& names, const std::string& at) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string item = at + "." + std::to_string(i + 1) + ".member";
      Length(names[i], item, 1, 255);
      bool ok = !names[i].empty();
      for (char c : names[i]) ok = ok && IsNameChar(c);
      if (!names[i].empty()) Pattern(ok, names[i], item, "[a-zA-Z0-9_.\\-]+");
    }
  }

  /// The ValidationException, or nullopt when every rule held.
  std::optional<OperationAnswer> Answer() const {
    if (items_.empty()) return std::nullopt;
    std::string message = std::to_string(items_.size()) +
                          (items_.size() == 1 ? " validation error" : " validation errors") +
                          " detected: ";
    for (std::size_t i = 0; i < items_.size(); ++i) message += (i ? "; " : "") + items_[i];
    return Fail(400, "ValidationException", message, true);
  }

 private:
  static std::string Quote(const std::string& value) {
    return "'" + (value.size() > 256 ? value.substr(0, 256) + "..." : value) + "'";
  }
  std::vector<std::string> items_;
};

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

inline void Key(Writer& w, const char* key) { w.Key(key); }
inline void Str(Writer& w, const std::string& value) {
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}
inline void Timestamp(Writer& w, std::int64_t ms) {
  const std::string text = CoralTimestamp(ms);
  w.RawValue(text.c_str(), text.size(), rapidjson::kNumberType);
}

/// Pages of `total` items: the first index and the NextToken of the next
/// page. Tokens are bound to the query they came from.
struct Page {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string next_token;  // empty on the last page
};

inline std::optional<Page> Paginate(const std::string& query,
                                    const std::optional<std::string>& token,
                                    std::optional<std::int64_t> max_results, std::size_t total) {
  const std::string tag = rekognition::detail::Sha256Hex(query).substr(0, 16);
  Page page;
  if (token) {
    std::string decoded;
    if (!rekognition::detail::Base64Decode(*token, decoded) || decoded.size() < 18 ||
        decoded.compare(0, 16, tag) != 0 || decoded[16] != ':')
      return std::nullopt;
    const std::string digits = decoded.substr(17);
    if (digits.empty() || digits.size() > 9 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
    page.begin = static_cast<std::size_t>(std::stoul(digits));
    if (page.begin > total) return std::nullopt;
  }
  const std::size_t size = static_cast<std::size_t>(max_results.value_or(100));
  page.end = std::min(total, page.begin + size);
  if (page.end < total)
    page.next_token = rekognition::detail::Base64Encode(tag + ":" + std::to_string(page.end));
  return page;
}

inline OperationAnswer Body(const rapidjson::StringBuffer& buffer) {
  OperationAnswer answer;
  answer.body.assign(buffer.GetString(), buffer.GetSize());
  return answer;
}

/// {"LIST": [items of the page], "NextToken": ...}; `write_item(writer, i)`
/// writes item i.
template <typename WriteItem>
OperationAnswer PageAnswer(const char* list, const Page& page, WriteItem write_item) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Key(w, list);
  w.StartArray();
  for (std::size_t i = page.begin; i < page.end; ++i) write_item(w, i);
  w.EndArray();
  if (!page.next_token.empty()) {
    Key(w, "NextToken");
    Str(w, page.next_token);
  }
  w.EndObject();
  return Body(buffer);
}

inline OperationAnswer BadToken() {
  return Fail(400, "InvalidPaginationTokenException", "Invalid pagination token.");
}

}  // namespace lifecycle_detail

/// DescribeProjects: ProjectNames filter, Features, MaxResults, NextToken.
inline OperationAnswer DescribeProjects(std::string_view body, ModelLifecycle& models) {
  using namespace lifecycle_detail;
  RequestMembers members;
  std::string error;
  std::optional<std::string> next_token;
  std::optional<std::int64_t> max_results;
  std::optional<std::vector<std::string>> names, features;
  if (!members.Parse(body, error) || !members.String("NextToken", next_token, error) ||
      !members.Integer("MaxResults", max_results, error) ||
      !members.StringList("ProjectNames", names, error) ||
      !members.StringList("Features", features, error))
    return Fail(400, "SerializationException", error);
  Violations violations;
  if (next_token) violations.Length(*next_token, "nextToken", 0, 1024);
  if (max_results) violations.Range(*max_results, "maxResults", 1, 100);
  if (names) {
    violations.ListSize(*names, "projectNames", 1, 10);
    violations.Names(*names, "projectNames");
  }
  bool custom_labels = true;
  if (features) {
    violations.ListSize(*features, "features", 1, 2);
    custom_labels = false;
    for (std::size_t i = 0; i < features->size(); ++i) {
      const std::string& feature = (*features)[i];
      if (feature == "CUSTOM_LABELS") custom_labels = true;
      if (feature != "CUSTOM_LABELS" && feature != "CONTENT_MODERATION")
        violations.Add("'" + feature + "'", "features." + std::to_string(i + 1) + ".member",
                       "must satisfy enum value set: [CONTENT_MODERATION, CUSTOM_LABELS]");
    }
  }
  if (auto answer = violations.Answer()) return *answer;

  // Every project served is a Custom Labels project.
  auto projects = models.Projects(names.value_or(std::vector<std::string>{}));
  if (!custom_labels) projects.clear();
  std::string query = "DescribeProjects";
  for (const auto& name : names.value_or(std::vector<std::string>{})) query += "\n" + name;
  const auto page =
      Paginate(query + (custom_labels ? "" : "\n-"), next_token, max_results, projects.size());
  if (!page) return BadToken();

  return PageAnswer("ProjectDescriptions", *page, [&](Writer& w, std::size_t i) {
    const ProjectView& project = projects[i];
    w.StartObject();
    Key(w, "ProjectArn");
    Str(w, project.arn);
    Key(w, "CreationTimestamp");
    Timestamp(w, project.created_ms);
    Key(w, "Status");
    Str(w, "CREATED");
    Key(w, "Datasets");
    w.StartArray();
    w.EndArray();
    Key(w, "Feature");
    Str(w, "CUSTOM_LABELS");
    w.EndObject();
  });
}

/// DescribeProjectVersions: ProjectArn, VersionNames, MaxResults, NextToken.
inline OperationAnswer DescribeProjectVersions(std::string_view body, ModelLifecycle& models) {
  using namespace lifecycle_detail;
  RequestMembers members;
  std::string error;
  std::optional<std::string> project_arn, next_token;
  std::optional<std::int64_t> max_results;
  std::optional<std::vector<std::string>> names;
  if (!members.Parse(body, error) || !members.String("ProjectArn", project_arn, error) ||
      !members.String("NextToken", next_token, error) ||
      !members.Integer("MaxResults", max_results, error) ||
      !members.StringList("VersionNames", names, error))
    return Fail(400, "SerializationException", error);
  Violations violations;
  violations.Required(project_arn.has_value(), "projectArn");
  if (project_arn) {
    violations.Length(*project_arn, "projectArn", 20, 2048);
    violations.Pattern(MatchesProjectArn(*project_arn), *project_arn, "projectArn",
                       kProjectArnPattern);
  }
  if (names) {
    violations.ListSize(*names, "versionNames", 1, 10);
    violations.Names(*names, "versionNames");
  }
  if (next_token) violations.Length(*next_token, "nextToken", 0, 1024);
  if (max_results) violations.Range(*max_results, "maxResults", 1, 100);
  if (auto answer = violations.Answer()) return *answer;

  const auto versions = models.Versions(*project_arn, names.value_or(std::vector<std::string>{}));
  if (!versions)
    return Fail(400, "ResourceNotFoundException",
                "The project " + *project_arn + " does not exist.");
  std::string query = "DescribeProjectVersions\n" + *project_arn;
  for (const auto& name : names.value_or(std::vector<std::string>{})) query += "\n" + name;
  const auto page = Paginate(query, next_token, max_results, versions->size());
  if (!page) return BadToken();

  return PageAnswer("ProjectVersionDescriptions", *page, [&](Writer& w, std::size_t i) {
    const VersionView& version = (*versions)[i];
    w.StartObject();
    Key(w, "ProjectVersionArn");
    Str(w, version.arn);
    Key(w, "CreationTimestamp");
    Timestamp(w, version.created_ms);
    if (version.min_inference_units) {
      Key(w, "MinInferenceUnits");
      w.Int64(*version.min_inference_units);
    }
    if (version.max_inference_units) {
      Key(w, "MaxInferenceUnits");
      w.Int64(*version.max_inference_units);
    }
    Key(w, "Status");
    Str(w, version.status);
    if (!version.status_message.empty()) {
      Key(w, "StatusMessage");
      Str(w, version.status_message);
    }
    Key(w, "BillableTrainingTimeInSeconds");
    w.Int64(3600);
    Key(w, "TrainingEndTimestamp");
    Timestamp(w, version.created_ms + 3600000);
    Key(w, "Feature");
    Str(w, "CUSTOM_LABELS");
    w.EndObject();
  });
}

namespace lifecycle_detail {

inline OperationAnswer StatusAnswer(const std::string& status) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Key(w, "Status");
  Str(w, status);
  w.EndObject();
  return Body(buffer);
}

inline void CheckVersionArn(Violations& violations, const std::optional<std::string>& arn) {
  violations.Required(arn.has_value(), "projectVersionArn");
  if (!arn) return;
  violations.Length(*arn, "projectVersionArn", 20, 2048);
  violations.Pattern(!rekognition::detail::MatchProjectVersionArn(*arn), *arn, "projectVersionArn",
                     kProjectVersionArnPattern);
}

}  // namespace lifecycle_detail

/// StartProjectVersion: ProjectVersionArn, MinInferenceUnits, MaxInferenceUnits.
inline OperationAnswer StartProjectVersion(std::string_view body, ModelLifecycle& models) {
  using namespace lifecycle_detail;
  RequestMembers members;
  std::string error;
  std::optional<std::string> arn;
  std::optional<std::int64_t> min_units, max_units;
  if (!members.Parse(body, error) || !members.String("ProjectVersionArn", arn, error) ||
      !members.Integer("MinInferenceUnits", min_units, error) ||
      !members.Integer("MaxInferenceUnits", max_units, error))
    return Fail(400, "SerializationException", error);
  Violations violations;
  CheckVersionArn(violations, arn);
  violations.Required(min_units.has_value(), "minInferenceUnits");
  if (min_units) violations.Range(*min_units, "minInferenceUnits", 1, std::nullopt);
  if (max_units) violations.Range(*max_units, "maxInferenceUnits", 1, std::nullopt);
  if (auto answer = violations.Answer()) return *answer;
  if (max_units && *max_units < *min_units)
    return Fail(400, "InvalidParameterException",
                "MaxInferenceUnits (" + std::to_string(*max_units) +
                    ") must not be less than MinInferenceUnits (" + std::to_string(*min_units) +
                    ").");
  const auto [status, refusal] = models.Start(*arn, *min_units, max_units);
  if (refusal) return Fail(400, refusal->code, refusal->message);
  return StatusAnswer(status);
}

/// StopProjectVersion: ProjectVersionArn.
inline OperationAnswer StopProjectVersion(std::string_view body, ModelLifecycle& models) {
  using namespace lifecycle_detail;
  RequestMembers members;
  std::string error;
  std::optional<std::string> arn;
  if (!members.Parse(body, error) || !members.String("ProjectVersionArn", arn, error))
    return Fail(400, "SerializationException", error);
  Violations violations;
  CheckVersionArn(violations, arn);
  if (auto answer = violations.Answer()) return *answer;
  const auto [status, refusal] = models.Stop(*arn);
  if (refusal) return Fail(400, refusal->code, refusal->message);
  return StatusAnswer(status);
}

}  // namespace rekognition_local

#endif  // REKOGNITION_LOCAL_LIFECYCLE_OPERATIONS_HPP
