// rekognition-cpp: everything a Client can be told.
#ifndef REKOGNITION_CLIENT_CONFIG_HPP
#define REKOGNITION_CLIENT_CONFIG_HPP

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "rekognition/auth/credentials.hpp"
#include "rekognition/config/environment.hpp"
#include "rekognition/http/curl_options.hpp"
#include "rekognition/http/transport.hpp"
#include "rekognition/operations/validation_options.hpp"
#include "rekognition/retry/retry.hpp"
#include "rekognition/retry/retry_settings.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Everything a Client can be told. Every member is optional: what is left
/// empty is resolved the way the AWS SDKs do it, at the first call (the
/// constructor never touches the network, the files or the environment).
struct ClientConfig {
  /// Shared-config profile. Empty: AWS_PROFILE, else "default".
  std::string profile;
  /// AWS region, e.g. "us-east-1". Empty: AWS_REGION, AWS_DEFAULT_REGION,
  /// then the profile's `region`; none is a ConfigurationError.
  std::string region;
  /// Endpoint URL, e.g. "http://127.0.0.1:8080". Unset:
  /// AWS_ENDPOINT_URL_REKOGNITION, AWS_ENDPOINT_URL, the profile's
  /// endpoint_url, else derived from the region by the endpoint rules. Set
  /// but empty is a ConfigurationError at the first call.
  std::optional<std::string> endpoint_url;
  /// Use the FIPS / dual-stack endpoint. Unset: AWS_USE_FIPS_ENDPOINT /
  /// AWS_USE_DUALSTACK_ENDPOINT, then the profile, else false.
  std::optional<bool> use_fips;
  std::optional<bool> use_dual_stack;
  /// Explicit credentials; take precedence over everything else.
  std::optional<Credentials> credentials;
  /// Where credentials come from. Null: the default chain (environment,
  /// assume-role profile, web identity, IAM Identity Center, shared files,
  /// credential_process, container, instance metadata).
  std::shared_ptr<CredentialsProvider> credentials_provider;
  /// How requests are sent. Null: a CurlTransport built from `transport_options`.
  std::shared_ptr<HttpTransport> transport;
#if REKOGNITION_WITH_CURL
  /// Options of the default libcurl transport (timeouts, TLS, CA bundle;
  /// an empty ca_bundle is taken from AWS_CA_BUNDLE, then the profile).
  CurlTransportOptions transport_options;
#endif
  /// Retry policy shared by every call of the client. Null: built from
  /// `retry` (mode and attempts from code, environment or profile).
  std::shared_ptr<RetryPolicy> retry_policy;
  /// Retry mode and total attempts per call for the default policy.
  RetrySettings retry;
  /// Which client-side checks run before sending.
  ValidationOptions validation;
  /// Where environment variables are read. Null: the process environment.
  EnvironmentLookup environment;
  /// Longest a whole call may take: every attempt, backoff wait and rate
  /// limiter wait included, like a Go context deadline. An attempt in flight
  /// is cut off when it runs out, and a wait that would end past it is not
  /// started; the call then throws TransportError (kTimeout) with the
  /// attempts made. 0 (the default): unbounded.
  std::chrono::milliseconds call_timeout{0};
  /// Most asynchronous calls in flight at once; more wait in a queue, in
  /// order, and start as earlier ones complete. Must be at least 1 (0 is a
  /// ConfigurationError at the first asynchronous call).
  std::size_t max_in_flight = 64;
  /// Current time, for signing. Null: std::chrono::system_clock::now.
  std::function<std::chrono::system_clock::time_point()> clock;
  /// Waits between attempts. Null: std::this_thread::sleep_for. Tests inject
  /// a recorder so they never sleep.
  std::function<void(std::chrono::milliseconds)> sleep;
  /// The steady clock the I/O thread's timers (backoff and rate-limiter
  /// waits of asynchronous calls) run on. Null: std::chrono::steady_clock.
  /// Tests inject a manual clock and move it forward instead of waiting.
  std::function<std::chrono::steady_clock::time_point()> timer_clock;
  /// Receives one line per attempt (never secrets). Null: no logging.
  std::function<void(const std::string&)> debug_log;
  /// Receives warnings that cannot be thrown, e.g. a RunningModel that
  /// failed to stop its model in its destructor (the model may still be
  /// running, and billed). Must not throw. Null: one line on stderr.
  std::function<void(const std::string&)> log;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_CLIENT_CONFIG_HPP
