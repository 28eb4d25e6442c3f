// detect-custom-labels: the aws CLI's exit codes and how exceptions map onto them.
#ifndef DETECT_CUSTOM_LABELS_EXIT_CODES_HPP
#define DETECT_CUSTOM_LABELS_EXIT_CODES_HPP

#include <rekognition/errors.hpp>

#include <exception>

namespace dcl {

// The aws CLI's exit codes, so scripts written for it keep working.
constexpr int kExitSuccess = 0;
constexpr int kExitUsage = 2;            // bad usage or client-side validation
constexpr int kExitConfiguration = 253;  // credentials or configuration problem
constexpr int kExitServiceError = 254;   // the service answered with an error
constexpr int kExitOther = 255;          // anything else (network, I/O)
constexpr int kExitInterrupted = 130;    // Ctrl-C, as shells report SIGINT

/// The exit code for an exception thrown by the client.
inline int ExitCodeFor(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const rekognition::ValidationError&) {
    return kExitUsage;
  } catch (const rekognition::CredentialsError&) {
    return kExitConfiguration;
  } catch (const rekognition::ConfigurationError&) {
    return kExitConfiguration;
  } catch (const rekognition::ServiceError&) {
    return kExitServiceError;
  } catch (...) {
    return kExitOther;
  }
}

/// How bad an exit code is, so a batch exits with its worst category.
inline int Severity(int exit_code) {
  switch (exit_code) {
    case kExitSuccess:
      return 0;
    case kExitServiceError:
      return 1;
    case kExitOther:
      return 2;
    case kExitConfiguration:
      return 3;
    case kExitUsage:
      return 4;
    default:
      return 5;
  }
}

}  // namespace dcl

#endif  // DETECT_CUSTOM_LABELS_EXIT_CODES_HPP
