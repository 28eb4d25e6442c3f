// detect-custom-labels: command line options and the client configuration they make.
#ifndef DETECT_CUSTOM_LABELS_OPTIONS_HPP
#define DETECT_CUSTOM_LABELS_OPTIONS_HPP

#include <rekognition/client.hpp>
#include <rekognition/config/shared_config.hpp>
#include <rekognition/retry/retry_config.hpp>

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
  // The model lifecycle.
  bool start_model = false;
  std::string stop_model;  // "": keep it running; "if-started" (bare flag) or "always"
  bool model_status = false;
  std::int64_t min_inference_units = 1;
  std::optional<std::int64_t> max_inference_units;
  double wait_timeout = 1200;  // seconds
  double wait_delay = 30;      // seconds between polls, as botocore's waiter
};

/// When the run stops the model: never, if this run started it, or always.
enum class StopPolicy { kNever, kIfStarted, kAlways };

inline StopPolicy StopPolicyOf(const Options& options) {
  if (options.stop_model.empty()) return StopPolicy::kNever;
  // Without --start-model the run started nothing: --stop-model means stop it.
  if (options.stop_model == "always" || !options.start_model) return StopPolicy::kAlways;
  return StopPolicy::kIfStarted;
}

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
  CLI::Option* start =
      app.add_flag("--start-model", options.start_model,
                   "start the model unless it is STARTING or RUNNING, and wait until it is RUNNING "
                   "(status on stderr); alone, start, wait and exit");
  // A flag, so its value only comes with '=': `--stop-model IMG` keeps IMG an image.
  app.add_flag("--stop-model{if-started}", options.stop_model,
               "stop the model when the run ends (also after Ctrl-C, an error or a failed "
               "start): with --start-model only if this run started it, unless "
               "--stop-model=always; alone, stop it and exit")
      ->check(CLI::IsMember({"if-started", "always"}))
      ->option_text("[=always]");
  app.add_flag("--model-status", options.model_status,
               "print the model version's description as `aws rekognition "
               "describe-project-versions` does, and exit");
  app.add_option("--min-inference-units", options.min_inference_units,
                 "inference units to start the model with")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{2147483647}))
      ->capture_default_str()
      ->needs(start);
  app.add_option("--max-inference-units", options.max_inference_units,
                 "most inference units auto-scaling may use (not sent unless given)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{2147483647}))
      ->needs(start);
  app.add_option("--wait-timeout", options.wait_timeout,
                 "seconds to wait for the model to be RUNNING (fractions allowed)")
      ->check(CLI::Range(0.001, 31536000.0))
      ->capture_default_str()
      ->needs(start);
  app.add_option("--wait-delay", options.wait_delay,
                 "seconds between status polls while waiting (fractions allowed)")
      ->check(CLI::Range(0.001, 86400.0))
      ->capture_default_str()
      ->needs(start);
  app.add_option("IMAGE", options.images, "PNG/JPEG file, directory of them, or s3://bucket/key");
}

/// Rules across options: the message of the first broken one, or "".
inline std::string CheckOptionCombinations(const Options& options) {
  if (options.model_status && (options.start_model || !options.stop_model.empty()))
    return "--model-status only describes the model: it cannot be combined with --start-model "
           "or --stop-model";
  if (options.model_status && !options.images.empty())
    return "--model-status only describes the model: it takes no IMAGE";
  if (options.images.empty() && !options.model_status && !options.start_model &&
      options.stop_model.empty())
    return "IMAGE is required (unless --start-model, --stop-model or --model-status is given)";
  if (options.max_inference_units && *options.max_inference_units < options.min_inference_units)
    return "--max-inference-units (" + std::to_string(*options.max_inference_units) +
           ") must not be less than --min-inference-units (" +
           std::to_string(options.min_inference_units) + ")";
  return "";
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
