// rekognition-local: the labels to answer with, loaded from a JSON fixture file.
//
// {
//   "ProjectVersionArns": ["arn:aws:rekognition:...:project/p/version/v/1"],
//   "ProjectVersions": [{"ProjectVersionArn": "...", "Status": "STOPPED",
//                        "StatusMessage": "..."}],
//   "DefaultMinConfidence": 50,
//   "Images": {
//     "<sha256 hex of the image bytes>": {"CustomLabels": [...]},
//     "s3://bucket/key": {"CustomLabels": [...]}
//   },
//   "Default": {"CustomLabels": [...]}
// }
//
// Labels have the response's shape (Name, Confidence, Geometry with
// BoundingBox and Polygon). Other members ("Comment", "Source") are ignored.
// ProjectVersions gives versions a status of their own (any string, so
// clients can meet statuses they do not know); the others start with
// --initial-model-status.
#ifndef REKOGNITION_LOCAL_FIXTURE_STORE_HPP
#define REKOGNITION_LOCAL_FIXTURE_STORE_HPP

#include <rekognition/operations/detect_custom_labels.hpp>
#include <rekognition/operations/json_codec.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace rekognition_local {

class FixtureStore {
 public:
  using Labels = std::vector<rekognition::CustomLabel>;

  /// Reads and checks `path`; throws std::runtime_error naming the file and
  /// the offending member.
  static FixtureStore Load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ": cannot read the fixture file");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return Parse(text, path);
  }

  /// Parses fixture JSON; `name` is used in error messages.
  static FixtureStore Parse(const std::string& text, const std::string& name) {
    namespace rd = rekognition::detail;
    const auto fail = [&name](const std::string& what) {
      throw std::runtime_error(name + ": " + what);
    };
    rapidjson::Document doc;
    std::string error;
    if (!rd::ParseJsonDocument(text, doc, error)) fail(error);
    if (!doc.IsObject()) fail("the top level must be an object");

    FixtureStore store;
    if (doc.HasMember("ProjectVersionArns")) {
      const auto& arns = doc["ProjectVersionArns"];
      if (!arns.IsArray()) fail("ProjectVersionArns must be an array of strings");
      for (const auto& arn : arns.GetArray()) {
        if (!arn.IsString()) fail("ProjectVersionArns must be an array of strings");
        store.arns_.insert(arn.GetString());
      }
    }
    if (doc.HasMember("ProjectVersions")) {
      const auto& versions = doc["ProjectVersions"];
      if (!versions.IsArray()) fail("ProjectVersions must be an array of objects");
      for (rapidjson::SizeType i = 0; i < versions.Size(); ++i) {
        const std::string path = "ProjectVersions[" + std::to_string(i) + "]";
        const auto& entry = versions[i];
        const auto member = [&](const char* key) -> std::string {
          if (!entry.HasMember(key)) return "";
          if (!entry[key].IsString()) fail(path + "." + key + " must be a string");
          return entry[key].GetString();
        };
        if (!entry.IsObject() || !entry.HasMember("ProjectVersionArn"))
          fail(path + " must be an object with a ProjectVersionArn");
        const std::string arn = member("ProjectVersionArn");
        store.arns_.insert(arn);
        store.statuses_[arn] = {member("Status"), member("StatusMessage")};
      }
    }
    if (doc.HasMember("DefaultMinConfidence")) {
      const auto& value = doc["DefaultMinConfidence"];
      if (!value.IsNumber() || value.GetDouble() < 0 || value.GetDouble() > 100)
        fail("DefaultMinConfidence must be a number from 0 to 100");
      store.default_min_confidence_ = value.GetDouble();
    }
    if (doc.HasMember("Images")) {
      const auto& images = doc["Images"];
      if (!images.IsObject())
        fail("Images must be an object keyed by SHA-256 hex or s3://bucket/key");
      for (auto m = images.MemberBegin(); m != images.MemberEnd(); ++m) {
        const std::string key(m->name.GetString(), m->name.GetStringLength());
        store.images_[key] = ParseEntry(m->value, "Images[\"" + key + "\"]", name);
      }
    }
    if (doc.HasMember("Default"))
      store.default_labels_ = ParseEntry(doc["Default"], "Default", name);
    return store;
  }

  /// Serves `arn` as well as the fixture's own.
  void AddProjectVersionArn(const std::string& arn) { arns_.insert(arn); }
  bool Serves(const std::string& arn) const { return arns_.count(arn) != 0; }
  const std::set<std::string>& project_version_arns() const { return arns_; }
  /// Every ARN served with the status (and message) the fixture gave it;
  /// an empty status where it gave none.
  std::map<std::string, std::pair<std::string, std::string>> initial_statuses() const {
    std::map<std::string, std::pair<std::string, std::string>> out;
    for (const auto& arn : arns_) {
      const auto it = statuses_.find(arn);
      out[arn] = it == statuses_.end() ? std::pair<std::string, std::string>{} : it->second;
    }
    return out;
  }

  /// The labels stored under `key` (SHA-256 hex or s3 URI), or nullptr.
  const Labels* Find(const std::string& key) const {
    const auto it = images_.find(key);
    return it == images_.end() ? nullptr : &it->second;
  }
  /// The labels for images not in the fixture, or nullptr when it has none.
  const Labels* default_labels() const { return default_labels_ ? &*default_labels_ : nullptr; }
  double default_min_confidence() const { return default_min_confidence_; }
  std::size_t image_count() const { return images_.size(); }

 private:
  static Labels ParseEntry(const rapidjson::Value& entry, const std::string& path,
                           const std::string& name) {
    const auto fail = [&](const std::string& what) {
      throw std::runtime_error(name + ": " + path + what);
    };
    if (!entry.IsObject() || !entry.HasMember("CustomLabels") || !entry["CustomLabels"].IsArray())
      fail(" must be an object with a CustomLabels array");
    const auto& array = entry["CustomLabels"];
    Labels labels;
    for (rapidjson::SizeType i = 0; i < array.Size(); ++i) {
      const std::string label_path = path + ".CustomLabels[" + std::to_string(i) + "]";
      rekognition::CustomLabel label;
      std::string error;
      if (!rekognition::detail::ParseLabelJson(array[i], label_path, label, error))
        throw std::runtime_error(name + ": " + error);
      if (label.name.empty()) fail(".CustomLabels[" + std::to_string(i) + "].Name is missing");
      if (!(label.confidence >= 0 && label.confidence <= 100))
        fail(".CustomLabels[" + std::to_string(i) + "].Confidence must be from 0 to 100");
      labels.push_back(std::move(label));
    }
    return labels;
  }

  std::set<std::string> arns_;
  std::map<std::string, std::pair<std::string, std::string>> statuses_;  // status, message
  double default_min_confidence_ = 50;
  std::map<std::string, Labels> images_;
  std::optional<Labels> default_labels_;
};

/// What the service would return: labels at or above `min_confidence`,
/// highest confidence first (ties keep fixture order), at most `max_results`.
inline FixtureStore::Labels SelectLabels(const FixtureStore::Labels& all, double min_confidence,
                                         std::optional<std::int64_t> max_results) {
  FixtureStore::Labels labels;
  for (const auto& label : all)
    if (label.confidence >= min_confidence) labels.push_back(label);
  std::stable_sort(labels.begin(), labels.end(),
                   [](const auto& a, const auto& b) { return a.confidence > b.confidence; });
  if (max_results && static_cast<std::uint64_t>(*max_results) < labels.size())
    labels.resize(static_cast<std::size_t>(*max_results));
  return labels;
}

}  // namespace rekognition_local

#endif  // REKOGNITION_LOCAL_FIXTURE_STORE_HPP
