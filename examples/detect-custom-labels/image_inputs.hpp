// detect-custom-labels: turning IMAGE arguments into a list of images to analyse.
#ifndef DETECT_CUSTOM_LABELS_IMAGE_INPUTS_HPP
#define DETECT_CUSTOM_LABELS_IMAGE_INPUTS_HPP

#include <rekognition/detail/ascii.hpp>
#include <rekognition/errors.hpp>
#include <rekognition/operations/detect_custom_labels.hpp>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace dcl {

/// One image named on the command line: a local file or an S3 object.
struct ImageInput {
  std::string display;  // what the output calls it: the path or the s3:// URI
  std::optional<std::string> path;
  std::optional<rekognition::S3Object> s3_object;
};

/// Splits "s3://bucket/key[?versionId=V]". The key is taken literally (spaces,
/// unicode and '?' included), as the aws CLI does; only a trailing
/// "?versionId=" suffix is special.
inline std::optional<rekognition::S3Object> ParseS3Uri(const std::string& uri) {
  const std::string prefix = "s3://";
  if (uri.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  std::string rest = uri.substr(prefix.size());
  rekognition::S3Object object;
  const std::string version_marker = "?versionId=";
  const auto version_at = rest.rfind(version_marker);
  if (version_at != std::string::npos) {
    object.version = rest.substr(version_at + version_marker.size());
    rest.erase(version_at);
  }
  const auto slash = rest.find('/');
  if (slash == std::string::npos) return std::nullopt;
  object.bucket = rest.substr(0, slash);
  object.name = rest.substr(slash + 1);
  return object;
}

inline bool HasImageExtension(const std::filesystem::path& path) {
  const std::string ext = rekognition::detail::AsciiLower(path.extension().string());
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

/// Expands the IMAGE arguments: files as given, directories recursively
/// (PNG/JPEG by extension, sorted), s3:// URIs as S3 objects. Throws
/// ValidationError naming the argument when it is none of these.
inline std::vector<ImageInput> ExpandImageArguments(const std::vector<std::string>& arguments) {
  namespace fs = std::filesystem;
  std::vector<ImageInput> inputs;
  for (const auto& argument : arguments) {
    if (argument.rfind("s3://", 0) == 0) {
      auto object = ParseS3Uri(argument);
      if (!object)
        throw rekognition::ValidationError(
            "IMAGE", "s3://bucket/key",
            "IMAGE: '" + argument + "' is not of the form s3://bucket/key");
      inputs.push_back(ImageInput{argument, std::nullopt, std::move(object)});
      continue;
    }
    std::error_code ec;
    if (fs::is_directory(argument, ec)) {
      std::vector<std::string> found;
      // No skip_permission_denied: an unreadable subdirectory is an error
      // naming it, never a silently smaller batch.
      fs::recursive_directory_iterator it(argument, fs::directory_options::none, ec);
      for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && HasImageExtension(it->path()))
          found.push_back(it->path().string());
      }
      if (ec) {
        const std::string where =
            it != fs::recursive_directory_iterator() ? it->path().string() : argument;
        throw rekognition::ValidationError(
            "IMAGE", "readable directory",
            "IMAGE: cannot read directory '" + where + "': " + ec.message());
      }
      std::sort(found.begin(), found.end());
      for (auto& path : found) inputs.push_back(ImageInput{path, path, std::nullopt});
      continue;
    }
    if (!fs::exists(argument, ec))
      throw rekognition::ValidationError("IMAGE", "existing file",
                                         "IMAGE: cannot use '" + argument + "': " +
                                             (ec ? ec.message() : "no such file or directory"));
    inputs.push_back(ImageInput{argument, argument, std::nullopt});
  }
  return inputs;
}

}  // namespace dcl

#endif  // DETECT_CUSTOM_LABELS_IMAGE_INPUTS_HPP
