// detect-custom-labels: command line options and the client configuration they make.
#ifndef DETECT_CUSTOM_LABELS_OPTIONS_HPP
#define DETECT_CUSTOM_LABELS_OPTIONS_HPP

#include <rekognition/client.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dcl {

struct Options {
  std::string project_version_arn;
  std::optional<double> min_confidence;
  std::optional<std::int64_t> max_results;
  std::string region;
  std::string profile;
  std::optional<std::string> endpoint_url;  // given but empty: a configuration error
  std::string retry_mode;
  std::optional<int> max_attempts;
  std::optional<double> connect_timeout;  // seconds; 0 = no limit
  std::optional<double> read_timeout;     // seconds; 0 = no limit
  std::optional<double> call_timeout;     // seconds; 0 = no limit
  std::string ca_bundle;
  bool no_verify_ssl = false;
  int concurrency = 8;
  std::string svg;
  std::string output = "json";
  bool debug = false;
  std::vector<std::string> images;
};

/// A timeout in seconds: a finite number from 0 (no limit) to 86400, and
/// when not 0 at least 0.001 (1 ms: shorter would round to "no limit").
inline CLI::Validator TimeoutSeconds() {
  return CLI::Validator(
      [](std::string& input) -> std::string {
        char* end = nullptr;
        const double value = std::strtod(input.c_str(), &end);
        if (input.empty() || end != input.c_str() + input.size() || !std::isfinite(value) ||
            value < 0 || value > 86400)
          return "must be a number of seconds from 0 (no limit) to 86400, not '" + input + "'";
        if (value > 0 && value < 0.001)
          return "must be 0 (no limit) or at least 0.001 seconds (1 ms), not '" + input + "'";
        return std::string();
      },
      "SECONDS");
}

/// Registers every option on `app`, writing into `options`.
inline void AddOptions(CLI::App& app, Options& options) {
  app.add_option("--project-version-arn", options.project_version_arn, "ARN of the model version")
      ->required();
  app.add_option("--min-confidence", options.min_confidence, "lowest confidence (0-100) to return");
  app.add_option("--max-results", options.max_results, "most labels to return");
  app.add_option("--region", options.region, "AWS region, e.g. us-east-1");
  app.add_option("--profile", options.profile, "profile from the shared config files");
  app.add_option("--endpoint-url", options.endpoint_url, "send requests to this URL instead");
  app.add_option("--retry-mode", options.retry_mode, "standard, adaptive or legacy")
      ->check(CLI::IsMember({"standard", "adaptive", "legacy"}));
  app.add_option("--max-attempts", options.max_attempts, "total attempts per call, first included")
      ->check(CLI::Range(1, 100));
  app.add_option("--connect-timeout", options.connect_timeout,
                 "seconds to establish a connection, 0 for no limit (default 60)")
      ->check(TimeoutSeconds());
  app.add_option("--read-timeout", options.read_timeout,
                 "seconds without receiving a byte, 0 for no limit (default 60)")
      ->check(TimeoutSeconds());
  app.add_option("--call-timeout", options.call_timeout,
                 "seconds a whole call may take, retries and waits included, 0 for no limit "
                 "(default)")
      ->check(TimeoutSeconds());
  app.add_option("--ca-bundle", options.ca_bundle,
                 "PEM bundle of CAs to trust (else AWS_CA_BUNDLE)");
  app.add_flag("--no-verify-ssl", options.no_verify_ssl,
               "do not verify TLS certificates (insecure; prints a warning)");
  app.add_option("--concurrency", options.concurrency, "requests in flight with several images")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--svg", options.svg,
                 "write an SVG with the boxes drawn: a file for one image, else a directory");
  app.add_option("--output", options.output, "json or text")
      ->check(CLI::IsMember({"json", "text"}))
      ->capture_default_str();
  app.add_flag("--debug", options.debug, "log each attempt to stderr (never secrets)");
  app.add_option("IMAGE", options.images, "PNG/JPEG file, directory of them, or s3://bucket/key")
      ->required();
}

/// The client configuration for `options`. `cancel` aborts transfers in
/// flight when set; `log` receives --debug lines.
inline rekognition::ClientConfig MakeClientConfig(const Options& options,
                                                  std::shared_ptr<std::atomic<bool>> cancel,
                                                  std::function<void(const std::string&)> log) {
  rekognition::ClientConfig config;
  config.profile = options.profile;
  config.region = options.region;
  config.endpoint_url = options.endpoint_url;
  config.retry.max_attempts = options.max_attempts;
  if (!options.retry_mode.empty())
    config.retry.mode = rekognition::ParseRetryMode(options.retry_mode);
  // Validated above: 0, or at least 1 ms once rounded.
  const auto to_ms = [](double seconds) {
    return std::chrono::milliseconds(std::llround(seconds * 1000.0));
  };
  // libcurl treats a 0 connect timeout as its own default (300 s): use a day.
  if (options.connect_timeout)
    config.transport_options.connect_timeout =
        *options.connect_timeout > 0 ? to_ms(*options.connect_timeout) : std::chrono::hours(24);
  if (options.read_timeout) config.transport_options.read_timeout = to_ms(*options.read_timeout);
  if (options.call_timeout) config.call_timeout = to_ms(*options.call_timeout);
  config.transport_options.ca_bundle = options.ca_bundle;
  config.transport_options.verify_tls = !options.no_verify_ssl;
  config.transport_options.cancel = cancel;
  // One idle connection per worker, so every call of a batch reuses one.
  config.transport_options.max_idle_connections = std::max<std::size_t>(
      config.transport_options.max_idle_connections, static_cast<std::size_t>(options.concurrency));
  // Backoff waits end early on Ctrl-C; the next attempt is then cancelled.
  config.sleep = [cancel](std::chrono::milliseconds delay) {
    const auto until = std::chrono::steady_clock::now() + delay;
    while (!cancel->load() && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
          until - std::chrono::steady_clock::now(), std::chrono::milliseconds(20)));
  };
  if (options.debug) config.debug_log = std::move(log);
  return config;
}

}  // namespace dcl

#endif  // DETECT_CUSTOM_LABELS_OPTIONS_HPP
