// rekognition-cpp: credentials from an external program (the credential_process setting).
#ifndef REKOGNITION_AUTH_PROCESS_CREDENTIALS_PROVIDER_HPP
#define REKOGNITION_AUTH_PROCESS_CREDENTIALS_PROVIDER_HPP

#include <rapidjson/document.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rekognition/auth/credentials.hpp"
#include "rekognition/auth/credentials_json.hpp"
#include "rekognition/auth/shell_split.hpp"
#include "rekognition/config/environment.hpp"
#include "rekognition/config/shared_config.hpp"
#include "rekognition/detail/posix.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Settings of ProcessCredentialsProvider.
struct ProcessCredentialsOptions {
  /// The profile whose credential_process runs (else AWS_PROFILE, else "default").
  std::optional<std::string> profile;
  /// A command line to run instead of the profile's credential_process.
  std::optional<std::string> command;
  /// The program is killed when it takes longer than this.
  std::chrono::milliseconds timeout{60000};
  /// The program is killed when it writes more than this to stdout.
  std::size_t max_output_bytes = std::size_t{64} * 1024;
  /// Where variables are read (empty: the process environment).
  EnvironmentLookup environment;
  /// The current time, to refuse expired credentials (empty: the system clock).
  std::function<std::chrono::system_clock::time_point()> clock;
};

/// Runs the profile's `credential_process` command (or a given command line)
/// and reads credentials from its stdout, as the aws CLI does: the command
/// line is split with shell-like quoting but never given to a shell; the
/// program runs with this process's environment, its stdin inherited and its
/// stderr captured; it must exit 0 and print
/// `{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...,
/// "SessionToken": ..., "Expiration": "ISO 8601"}` (the last two optional).
/// Credentials with an Expiration are refreshed by a caching provider.
/// Nothing runs before the first GetCredentials call. Thread-safe (each call
/// runs the program once; put a CachingCredentialsProvider in front).
class ProcessCredentialsProvider : public CredentialsProvider {
 public:
  explicit ProcessCredentialsProvider(ProcessCredentialsOptions options = {})
      : options_(std::move(options)) {
    options_.environment = detail::EnvironmentOrProcess(std::move(options_.environment));
    if (!options_.clock) options_.clock = [] { return std::chrono::system_clock::now(); };
  }

  /// Runs the program. Throws CredentialsError when no command is
  /// configured, and CredentialsSourceError (a chain stops there, as
  /// botocore's does) when the command line is malformed, the program cannot start,
  /// fails, times out, prints too much or prints anything but valid, unexpired
  /// version 1 credentials; ConfigurationError when an explicitly chosen
  /// profile does not exist. Messages name the program, never its output
  /// (stdout or stderr) nor its arguments.
  Credentials GetCredentials() override {
    std::string command;
    std::string origin;
    if (options_.command) {
      command = *options_.command;
      origin = "the configured command";
    } else {
      const Profile profile = LoadProfile(options_.profile, options_.environment);
      auto configured = profile.Get("credential_process");
      if (!configured)
        throw CredentialsError("credential_process: " + profile.Describe() +
                               " has no credential_process");
      command = std::move(*configured);
      origin = "credential_process of profile '" + profile.name + "'";
    }

    std::string error;
    const auto arguments = detail::SplitCommandLine(command, error);
    if (!arguments)
      throw CredentialsSourceError("credential_process: cannot split " + origin + ": " + error);
    if (arguments->empty())
      throw CredentialsSourceError("credential_process: " + origin + " is empty");
    // Only the program name goes into messages: arguments may hold secrets.
    const std::string program = "credential_process '" + arguments->front() + "'";

    const detail::SubprocessResult run =
        detail::RunSubprocess(*arguments, options_.timeout, options_.max_output_bytes);
    switch (run.outcome) {
      case detail::SubprocessOutcome::kSpawnFailed:
        throw CredentialsSourceError(program +
                                     " could not be started: " + std::strerror(run.spawn_error));
      case detail::SubprocessOutcome::kTimedOut:
        throw CredentialsSourceError(program + " did not finish within " +
                                     std::to_string(options_.timeout.count()) +
                                     " ms and was killed");
      case detail::SubprocessOutcome::kOutputTooLarge:
        throw CredentialsSourceError(program + " wrote more than " +
                                     std::to_string(options_.max_output_bytes) +
                                     " bytes and was killed");
      case detail::SubprocessOutcome::kSignaled:
        throw CredentialsSourceError(program + " was killed by signal " +
                                     std::to_string(run.signal));
      case detail::SubprocessOutcome::kExited:
        break;
    }
    if (run.exit_code != 0) {
      // Its stderr stays out of the message: a failing credential program may
      // print the very secrets it was meant to hand over.
      throw CredentialsSourceError(program + " exited with status " +
                                   std::to_string(run.exit_code) +
                                   " (run it yourself to see its error output)");
    }

    rapidjson::Document document;
    if (!detail::ParseCredentialsJsonObject(run.out, document))
      throw CredentialsSourceError(program + " did not print a JSON object");
    const auto version = document.FindMember("Version");
    if (version == document.MemberEnd() || !version->value.IsInt() || version->value.GetInt() != 1)
      throw CredentialsSourceError(program +
                                   " printed an unsupported Version (expected the number 1)");
    auto credentials = detail::ReadCredentialsJson(document, "SessionToken", error);
    if (!credentials)
      throw CredentialsSourceError(program + " printed invalid credentials: " + error);
    if (credentials->expiration && *credentials->expiration <= options_.clock())
      throw CredentialsSourceError(program + " returned credentials that have already expired");
    return std::move(*credentials);
  }

 private:
  ProcessCredentialsOptions options_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_AUTH_PROCESS_CREDENTIALS_PROVIDER_HPP
