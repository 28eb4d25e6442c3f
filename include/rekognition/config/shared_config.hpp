// rekognition-cpp: the AWS shared config and credentials files, and profile selection.
#ifndef REKOGNITION_CONFIG_SHARED_CONFIG_HPP
#define REKOGNITION_CONFIG_SHARED_CONFIG_HPP

#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rekognition/config/environment.hpp"
#include "rekognition/config/ini.hpp"
#include "rekognition/detail/posix.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// One profile's settings, merged from both shared files (the credentials
/// file wins for a key set in both). Keys are lower case, e.g. "region",
/// "aws_access_key_id", "credential_process".
struct Profile {
  std::string name;     ///< e.g. "default"
  bool exists = false;  ///< whether either file has a section for it
  std::map<std::string, std::string> values;
  /// Nested settings, e.g. subsections["s3"]["max_concurrent_requests"].
  std::map<std::string, std::map<std::string, std::string>> subsections;
  /// The `[services NAME]` section this profile names with `services = NAME`
  /// (per service id, e.g. (*services)["rekognition"]["endpoint_url"]);
  /// nullopt when it names none or names one that does not exist.
  std::optional<std::map<std::string, std::map<std::string, std::string>>> services;
  std::string config_file;       ///< the config file consulted ("" when none)
  std::string credentials_file;  ///< the credentials file consulted ("" when none)

  /// The value of `key` (lower case), or nullopt when it is unset or empty.
  /// Thread-safe for concurrent readers; never throws.
  std::optional<std::string> Get(const std::string& key) const {
    const auto found = values.find(key);
    if (found == values.end() || found->second.empty()) return std::nullopt;
    return found->second;
  }

  /// "profile 'NAME' (in FILES)", for messages. Thread-safe.
  std::string Describe() const {
    std::string files;
    if (!config_file.empty()) files = config_file;
    if (!credentials_file.empty()) files += (files.empty() ? "" : " and ") + credentials_file;
    return "profile '" + name + "'" + (files.empty() ? std::string() : " (in " + files + ")");
  }
};

/// Which profile to use and why.
struct ProfileChoice {
  std::string name;         ///< e.g. "default"
  bool explicitly = false;  ///< chosen in code or by AWS_PROFILE (then it must exist)
  std::string source;       ///< "code", "AWS_PROFILE" or "default"
};

/// Chooses the profile: `from_code` when set and non-empty, else AWS_PROFILE,
/// else "default". `env` empty means the process environment. Thread-safe;
/// never throws (except std::bad_alloc).
REKOGNITION_INLINE ProfileChoice ChooseProfile(const std::optional<std::string>& from_code,
                                               const EnvironmentLookup& env = {}) {
  if (from_code && !from_code->empty()) return ProfileChoice{*from_code, true, "code"};
  if (auto value = detail::NonEmptyEnv(env, "AWS_PROFILE"))
    return ProfileChoice{std::move(*value), true, "AWS_PROFILE"};
  return ProfileChoice{"default", false, "default"};
}

namespace detail {

// Largest shared file we read; real ones are a few KB, this only stops a
// runaway (a huge file or a device) from eating memory.
inline constexpr std::size_t kMaxSharedFileBytes = 4u << 20;

REKOGNITION_INLINE std::string ExpandHome(const std::string& path, const EnvironmentLookup& env) {
  if (path == "~" || path.rfind("~/", 0) == 0) {
    const auto home = NonEmptyEnv(env, "HOME");
    if (!home) return std::string();
    return *home + path.substr(1);
  }
  return path;
}

// The file named by `variable`, else ~/.aws/<file_name>; "" when neither can
// be formed (no HOME).
REKOGNITION_INLINE std::string SharedFilePath(const EnvironmentLookup& env, const char* variable,
                                              const char* file_name) {
  if (auto value = NonEmptyEnv(env, variable)) return ExpandHome(*value, env);
  return ExpandHome(std::string("~/.aws/") + file_name, env);
}

// Reads a shared file. Returns false when it does not exist or is not a
// regular file (both mean "empty", as for the aws CLI); throws
// ConfigurationError when it exists but cannot be read or is too large.
REKOGNITION_INLINE bool ReadSharedFile(const std::string& path, std::string& out) {
  out.clear();
  if (path.empty()) return false;
  const FileReadResult result = ReadRegularFile(path, kMaxSharedFileBytes, out);
  switch (result.status) {
    case FileReadStatus::kRead:
      return true;
    case FileReadStatus::kMissing:
    case FileReadStatus::kNotRegular:
      out.clear();
      return false;
    case FileReadStatus::kOpenFailed:
      throw ConfigurationError("cannot open " + path + ": " + std::strerror(result.error_number));
    case FileReadStatus::kReadFailed:
      throw ConfigurationError("cannot read " + path + ": " + std::strerror(result.error_number));
    case FileReadStatus::kTooLarge:
      break;
  }
  throw ConfigurationError(path + " is larger than " + std::to_string(kMaxSharedFileBytes) +
                           " bytes");
}

// For a config-file section name "<prefix> NAME" (prefix "profile", "services"
// or "sso-session"), returns NAME; nullopt when the section is something else
// or the name is malformed. NAME may be double-quoted (then it may hold blanks).
REKOGNITION_INLINE std::optional<std::string> PrefixedSectionName(std::string_view section,
                                                                  std::string_view prefix) {
  if (section.size() <= prefix.size() || section.substr(0, prefix.size()) != prefix ||
      !IniIsBlank(section[prefix.size()]))
    return std::nullopt;
  std::string_view name = IniTrim(section.substr(prefix.size()));
  const bool quoted = name.size() >= 2 && name.front() == '"' && name.back() == '"';
  if (quoted) name = name.substr(1, name.size() - 2);
  if (name.empty()) return std::nullopt;
  for (char c : name)
    if (c == '"' || (!quoted && IniIsBlank(c))) return std::nullopt;
  return std::string(name);
}

REKOGNITION_INLINE void MergeIniSection(const IniSection& from, IniSection& into) {
  for (const auto& [key, value] : from.values) {
    into.subsections.erase(key);
    into.values[key] = value;
  }
  for (const auto& [key, values] : from.subsections) {
    into.values.erase(key);
    into.subsections[key] = values;
  }
}

}  // namespace detail

/// The two shared files, parsed. In the config file, profiles are
/// `[default]` and `[profile NAME]` (for "default", `[profile default]` wins
/// over `[default]` key by key), `[services NAME]` sections hold
/// per-service settings, `[sso-session NAME]` sections IAM Identity Center
/// sessions, and other sections are not profiles. In the credentials file every `[NAME]` is profile
/// NAME. Immutable once built: thread-safe for concurrent readers.
class SharedConfig {
 public:
  /// No files: every profile is absent.
  SharedConfig() = default;

  /// Reads AWS_CONFIG_FILE (default ~/.aws/config) and
  /// AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials), `~` being HOME.
  /// A missing file is empty. Throws ConfigurationError when a file exists but
  /// cannot be read or is unreasonably large. `env` empty means the process
  /// environment. Thread-safe.
  static SharedConfig Load(const EnvironmentLookup& env = {}) {
    SharedConfig config;
    config.config_file_ = detail::SharedFilePath(env, "AWS_CONFIG_FILE", "config");
    config.credentials_file_ =
        detail::SharedFilePath(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
    std::string text;
    if (detail::ReadSharedFile(config.config_file_, text)) config.AddConfigText(text);
    if (detail::ReadSharedFile(config.credentials_file_, text)) config.AddCredentialsText(text);
    return config;
  }

  /// Builds from the files' text (either may be empty). The file names only
  /// appear in messages. Thread-safe; throws only std::bad_alloc.
  static SharedConfig Parse(std::string_view config_text, std::string_view credentials_text,
                            std::string config_file = "config",
                            std::string credentials_file = "credentials") {
    SharedConfig config;
    config.config_file_ = std::move(config_file);
    config.credentials_file_ = std::move(credentials_file);
    config.AddConfigText(config_text);
    config.AddCredentialsText(credentials_text);
    return config;
  }

  /// Whether either file has profile `name`. Never throws.
  bool HasProfile(const std::string& name) const noexcept {
    return config_profiles_.count(name) != 0 || credentials_profiles_.count(name) != 0;
  }

  /// Every profile name found in either file, sorted, without duplicates.
  std::vector<std::string> ProfileNames() const {
    std::map<std::string, bool> names;
    for (const auto& entry : config_profiles_) names[entry.first] = true;
    for (const auto& entry : credentials_profiles_) names[entry.first] = true;
    std::vector<std::string> out;
    out.reserve(names.size());
    for (const auto& entry : names) out.push_back(entry.first);
    return out;
  }

  /// Profile `name` with both files merged (credentials file wins); when
  /// neither has it, `exists` is false and it has no values. Never throws
  /// except std::bad_alloc.
  Profile GetProfile(const std::string& name) const {
    Profile profile;
    profile.name = name;
    profile.config_file = config_file_;
    profile.credentials_file = credentials_file_;
    detail::IniSection merged;
    if (auto found = config_profiles_.find(name); found != config_profiles_.end()) {
      profile.exists = true;
      detail::MergeIniSection(found->second, merged);
    }
    if (auto found = credentials_profiles_.find(name); found != credentials_profiles_.end()) {
      profile.exists = true;
      detail::MergeIniSection(found->second, merged);
    }
    profile.values = std::move(merged.values);
    profile.subsections = std::move(merged.subsections);
    if (auto services_name = profile.Get("services")) {
      if (auto found = services_.find(*services_name); found != services_.end())
        profile.services = found->second.subsections;
    }
    return profile;
  }

  /// The profile chosen by ChooseProfile(from_code, env). Throws
  /// ConfigurationError naming the profile when it was chosen explicitly (in
  /// code or by AWS_PROFILE) but neither file has it; an absent "default" is
  /// simply empty. Thread-safe.
  Profile SelectProfile(const std::optional<std::string>& from_code,
                        const EnvironmentLookup& env = {}) const {
    const ProfileChoice choice = ChooseProfile(from_code, env);
    Profile profile = GetProfile(choice.name);
    if (!profile.exists && choice.explicitly) {
      std::string files;
      for (const std::string* file : {&config_file_, &credentials_file_})
        if (!file->empty()) files += (files.empty() ? "" : " or ") + *file;
      throw ConfigurationError(
          "the config profile '" + choice.name + "' (chosen by " +
          (choice.source == "code" ? std::string("the program") : choice.source) +
          ") could not be found" + (files.empty() ? "" : " in " + files));
    }
    return profile;
  }

  /// The settings of the config file's `[sso-session NAME]` section, or
  /// nullopt when there is none. Never throws except std::bad_alloc.
  std::optional<std::map<std::string, std::string>> GetSsoSession(const std::string& name) const {
    const auto found = sso_sessions_.find(name);
    if (found == sso_sessions_.end()) return std::nullopt;
    return found->second.values;
  }

  /// Whether the config file has a `[services NAME]` section. Never throws.
  bool HasServicesSection(const std::string& name) const noexcept {
    return services_.count(name) != 0;
  }

  /// The config file this was read from ("" when none could be named).
  const std::string& config_file() const noexcept { return config_file_; }
  /// The credentials file this was read from ("" when none could be named).
  const std::string& credentials_file() const noexcept { return credentials_file_; }

 private:
  void AddConfigText(std::string_view text) {
    detail::IniDocument document = detail::ParseIni(text);
    // [default] first so that [profile default] overrides it.
    if (auto found = document.sections.find("default"); found != document.sections.end())
      detail::MergeIniSection(found->second, config_profiles_["default"]);
    for (auto& [section_name, section] : document.sections) {
      if (auto name = detail::PrefixedSectionName(section_name, "profile"))
        detail::MergeIniSection(section, config_profiles_[*name]);
      else if (auto services = detail::PrefixedSectionName(section_name, "services"))
        detail::MergeIniSection(section, services_[*services]);
      else if (auto session = detail::PrefixedSectionName(section_name, "sso-session"))
        detail::MergeIniSection(section, sso_sessions_[*session]);
      // Anything else: not a profile.
    }
  }

  void AddCredentialsText(std::string_view text) {
    detail::IniDocument document = detail::ParseIni(text);
    for (auto& [section_name, section] : document.sections)
      detail::MergeIniSection(section, credentials_profiles_[section_name]);
  }

  std::string config_file_;
  std::string credentials_file_;
  std::map<std::string, detail::IniSection> config_profiles_;
  std::map<std::string, detail::IniSection> credentials_profiles_;
  std::map<std::string, detail::IniSection> services_;
  std::map<std::string, detail::IniSection> sso_sessions_;
};

/// Reads both shared files and returns the chosen profile (see
/// SharedConfig::Load and SharedConfig::SelectProfile). Throws
/// ConfigurationError for an explicitly chosen profile that does not exist or
/// an unreadable file. Thread-safe.
REKOGNITION_INLINE Profile LoadProfile(const std::optional<std::string>& from_code = std::nullopt,
                                       const EnvironmentLookup& env = {}) {
  return SharedConfig::Load(env).SelectProfile(from_code, env);
}

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_CONFIG_SHARED_CONFIG_HPP
