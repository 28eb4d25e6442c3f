// detect-custom-labels: --model-status prints a model version's description
// byte for byte as `aws rekognition describe-project-versions` prints it.
//
// The aws CLI parses the response with botocore, which keeps only the
// members of the service model, in the model's order, and then writes it
// with json.dumps(indent=4, ensure_ascii=False). Timestamps stay the numbers
// the service sent (the CLI's default timestamp format), numbers print as
// Python prints them, and values the model does not list (a new status)
// pass through unchanged.
#ifndef DETECT_CUSTOM_LABELS_MODEL_STATUS_HPP
#define DETECT_CUSTOM_LABELS_MODEL_STATUS_HPP

#include <rekognition/detail/format_double.hpp>

#include <rapidjson/document.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "output.hpp"

namespace dcl {

namespace model_status_detail {

// The members of each structure of DescribeProjectVersionsResponse, in the
// order of testdata/model/rekognition-service-2.json. A member's type is
// "" for a scalar, a structure's name, or "[Name]" for a list of them.
using Members = std::vector<std::pair<const char*, const char*>>;

inline const std::map<std::string, Members>& Shapes() {
  static const std::map<std::string, Members> kShapes = {
      {"DescribeProjectVersionsResponse",
       {{"ProjectVersionDescriptions", "[ProjectVersionDescription]"}, {"NextToken", ""}}},
      {"ProjectVersionDescription",
       {{"ProjectVersionArn", ""},
        {"CreationTimestamp", ""},
        {"MinInferenceUnits", ""},
        {"Status", ""},
        {"StatusMessage", ""},
        {"BillableTrainingTimeInSeconds", ""},
        {"TrainingEndTimestamp", ""},
        {"OutputConfig", "OutputConfig"},
        {"TrainingDataResult", "TrainingDataResult"},
        {"TestingDataResult", "TestingDataResult"},
        {"EvaluationResult", "EvaluationResult"},
        {"ManifestSummary", "GroundTruthManifest"},
        {"KmsKeyId", ""},
        {"MaxInferenceUnits", ""},
        {"SourceProjectVersionArn", ""},
        {"VersionDescription", ""},
        {"Feature", ""},
        {"BaseModelVersion", ""},
        {"FeatureConfig", "CustomizationFeatureConfig"}}},
      {"OutputConfig", {{"S3Bucket", ""}, {"S3KeyPrefix", ""}}},
      {"TrainingDataResult",
       {{"Input", "TrainingData"}, {"Output", "TrainingData"}, {"Validation", "ValidationData"}}},
      {"TrainingData", {{"Assets", "[Asset]"}}},
      {"Asset", {{"GroundTruthManifest", "GroundTruthManifest"}}},
      {"GroundTruthManifest", {{"S3Object", "S3Object"}}},
      {"S3Object", {{"Bucket", ""}, {"Name", ""}, {"Version", ""}}},
      {"ValidationData", {{"Assets", "[Asset]"}}},
      {"TestingDataResult",
       {{"Input", "TestingData"}, {"Output", "TestingData"}, {"Validation", "ValidationData"}}},
      {"TestingData", {{"Assets", "[Asset]"}, {"AutoCreate", ""}}},
      {"EvaluationResult", {{"F1Score", ""}, {"Summary", "Summary"}}},
      {"Summary", {{"S3Object", "S3Object"}}},
      {"CustomizationFeatureConfig",
       {{"ContentModeration", "CustomizationFeatureContentModerationConfig"}}},
      {"CustomizationFeatureContentModerationConfig", {{"ConfidenceThreshold", ""}}},
  };
  return kShapes;
}

/// `text` as json.dumps(ensure_ascii=False) writes a string.
inline void AppendPythonString(std::string& out, std::string_view text) {
  out += '"';
  for (char c : ValidUtf8(text)) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned char>(c));
          out += escape;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

/// Any JSON value as json.dumps writes what json.loads made of it.
inline void AppendGeneric(std::string& out, const rapidjson::Value& value);

inline void AppendNumber(std::string& out, const rapidjson::Value& value) {
  if (value.IsInt64()) {
    out += std::to_string(value.GetInt64());
  } else if (value.IsUint64()) {
    out += std::to_string(value.GetUint64());
  } else {
    const double d = value.GetDouble();
    out += std::isnan(d)   ? "NaN"
           : std::isinf(d) ? (d > 0 ? "Infinity" : "-Infinity")
                           : rekognition::detail::PythonDoubleString(d);
  }
}

inline void AppendGeneric(std::string& out, const rapidjson::Value& value) {
  if (value.IsString()) {
    AppendPythonString(out, std::string_view(value.GetString(), value.GetStringLength()));
  } else if (value.IsNumber()) {
    AppendNumber(out, value);
  } else if (value.IsBool()) {
    out += value.GetBool() ? "true" : "false";
  } else if (value.IsNull()) {
    out += "null";
  } else if (value.IsArray()) {
    out += '[';
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      if (i) out += ',';
      AppendGeneric(out, value[i]);
    }
    out += ']';
  } else {
    out += '{';
    bool first = true;
    for (auto m = value.MemberBegin(); m != value.MemberEnd(); ++m) {
      if (!first) out += ',';
      first = false;
      AppendPythonString(out, std::string_view(m->name.GetString(), m->name.GetStringLength()));
      out += ':';
      AppendGeneric(out, m->value);
    }
    out += '}';
  }
}

/// `value` parsed as botocore parses a member of type `type`.
inline void AppendShaped(std::string& out, const rapidjson::Value& value, const std::string& type) {
  if (type.empty()) return AppendGeneric(out, value);
  if (type.front() == '[') {
    if (!value.IsArray()) return AppendGeneric(out, value);
    const std::string item = type.substr(1, type.size() - 2);
    out += '[';
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      if (i) out += ',';
      if (value[i].IsNull()) {
        out += "null";  // botocore keeps null list items
      } else {
        AppendShaped(out, value[i], item);
      }
    }
    out += ']';
    return;
  }
  if (!value.IsObject()) return AppendGeneric(out, value);
  out += '{';
  bool first = true;
  for (const auto& [name, member_type] : Shapes().at(type)) {
    const auto it = value.FindMember(name);
    if (it == value.MemberEnd() || it->value.IsNull()) continue;  // botocore drops nulls
    if (!first) out += ',';
    first = false;
    AppendPythonString(out, name);
    out += ':';
    AppendShaped(out, it->value, member_type);
  }
  out += '}';
}

}  // namespace model_status_detail

/// The aws CLI's output for DescribeProjectVersions whose pages carried
/// `descriptions` (each a ProjectVersionDescription as the service sent it,
/// compact JSON): {"ProjectVersionDescriptions": [...]}, indented by 4,
/// with a trailing newline. A description that is not valid JSON is written
/// as null.
inline std::string AwsCliProjectVersionsJson(const std::vector<std::string>& descriptions) {
  std::string compact = "{\"ProjectVersionDescriptions\":[";
  for (std::size_t i = 0; i < descriptions.size(); ++i) {
    if (i) compact += ',';
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseFullPrecisionFlag>(descriptions[i].data(), descriptions[i].size());
    if (doc.HasParseError()) {
      compact += "null";
    } else {
      model_status_detail::AppendShaped(compact, doc, "ProjectVersionDescription");
    }
  }
  compact += "]}";
  return IndentJson(compact) + "\n";
}

}  // namespace dcl

#endif  // DETECT_CUSTOM_LABELS_MODEL_STATUS_HPP
