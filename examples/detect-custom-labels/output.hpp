// detect-custom-labels: printing results as JSON (the service's shape) or text.
#ifndef DETECT_CUSTOM_LABELS_OUTPUT_HPP
#define DETECT_CUSTOM_LABELS_OUTPUT_HPP

#include <rekognition/detail/json_codec.hpp>
#include <rekognition/model.hpp>

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <string>

namespace dcl {

/// The result as the service returned it, indented like the aws CLI prints it.
inline std::string ResultAsPrettyJson(const rekognition::DetectCustomLabelsResult& result) {
  rapidjson::Document document;
  const std::string compact = rekognition::detail::SerializeResult(result);
  document.Parse(compact.data(), compact.size());
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 4);
  document.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

/// One line of batch output: {"Image": path, "CustomLabels": [...]}.
inline std::string ResultAsJsonLine(const std::string& image,
                                    const rekognition::DetectCustomLabelsResult& result) {
  rapidjson::Document parsed;
  const std::string compact = rekognition::detail::SerializeResult(result);
  parsed.Parse(compact.data(), compact.size());
  rapidjson::Document line(rapidjson::kObjectType);
  auto& alloc = line.GetAllocator();
  line.AddMember(
      "Image",
      rapidjson::Value(image.c_str(), static_cast<rapidjson::SizeType>(image.size()), alloc),
      alloc);
  rapidjson::Value labels(rapidjson::kArrayType);
  if (parsed.IsObject() && parsed.HasMember("CustomLabels"))
    labels.CopyFrom(parsed["CustomLabels"], alloc);
  line.AddMember("CustomLabels", labels, alloc);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  line.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

/// One line of batch output for a failed image: {"Image": path, "Error": {"Code", "Message"}}.
inline std::string ErrorAsJsonLine(const std::string& image, const std::string& code,
                                   const std::string& message) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("Image");
  writer.String(image.c_str(), static_cast<rapidjson::SizeType>(image.size()));
  writer.Key("Error");
  writer.StartObject();
  writer.Key("Code");
  writer.String(code.c_str(), static_cast<rapidjson::SizeType>(code.size()));
  writer.Key("Message");
  writer.String(message.c_str(), static_cast<rapidjson::SizeType>(message.size()));
  writer.EndObject();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

/// A human-readable table of one image's labels.
inline std::string ResultAsText(const std::string& image,
                                const rekognition::DetectCustomLabelsResult& result) {
  std::string out = image + "\n";
  if (result.custom_labels.empty()) return out + "  (no labels)\n";
  char line[512];
  std::snprintf(line, sizeof line, "  %-28s %10s %7s %7s %7s %7s\n", "LABEL", "CONFIDENCE", "LEFT",
                "TOP", "WIDTH", "HEIGHT");
  out += line;
  for (const auto& label : result.custom_labels) {
    if (label.geometry && label.geometry->bounding_box) {
      const auto& box = *label.geometry->bounding_box;
      std::snprintf(line, sizeof line, "  %-28s %10.2f %7.3f %7.3f %7.3f %7.3f\n",
                    label.name.c_str(), label.confidence, box.left, box.top, box.width, box.height);
    } else {
      std::snprintf(line, sizeof line, "  %-28s %10.2f %7s %7s %7s %7s\n", label.name.c_str(),
                    label.confidence, "-", "-", "-", "-");
    }
    out += line;
  }
  return out;
}

}  // namespace dcl

#endif  // DETECT_CUSTOM_LABELS_OUTPUT_HPP
