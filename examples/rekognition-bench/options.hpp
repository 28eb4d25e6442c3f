// rekognition-bench: command line options.
#ifndef REKOGNITION_BENCH_OPTIONS_HPP
#define REKOGNITION_BENCH_OPTIONS_HPP

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "synthetic_png.hpp"

namespace bench {

struct Options {
  std::string endpoint_url;
  std::string project_version_arn;
  std::string image;                       // a PNG or JPEG file
  std::optional<std::size_t> image_bytes;  // or a synthetic PNG of this size
  std::optional<std::int64_t> requests;    // how many calls
  std::optional<double> duration;          // or for how many seconds
  int concurrency = 0;
  int max_attempts = 1;
  std::string region;
  std::string profile;
  bool prepare_only = false;
};

/// Registers every option on `app`, writing into `options`. CLI11 names the
/// option in every message it gives about one.
inline void AddOptions(CLI::App& app, Options& options) {
  app.add_option("--endpoint-url", options.endpoint_url, "the endpoint to load, e.g. http://h:p")
      ->required();
  app.add_option("--project-version-arn", options.project_version_arn, "ARN of the model version")
      ->required();
  CLI::Option* image =
      app.add_option("--image", options.image, "image file (PNG or JPEG) sent by every call")
          ->check(CLI::ExistingFile);
  CLI::Option* bytes =
      app.add_option("--image-bytes", options.image_bytes,
                     "send a synthetic PNG of exactly this many bytes instead of a file")
          ->check(CLI::Range(kMinSyntheticPngBytes, kMaxSyntheticPngBytes));
  image->excludes(bytes);
  CLI::Option* requests = app.add_option("--requests", options.requests, "how many calls to make")
                              ->check(CLI::Range(std::int64_t{1}, std::int64_t{1000000000}));
  CLI::Option* duration =
      app.add_option("--duration", options.duration, "or make calls for this many seconds")
          ->check(CLI::Range(0.001, 86400.0));
  requests->excludes(duration);
  app.add_option("--concurrency", options.concurrency,
                 "calls in flight at once (all on the client's one I/O thread)")
      ->required()
      ->check(CLI::Range(1, 100000));
  app.add_option("--max-attempts", options.max_attempts,
                 "attempts per call, the first included (default 1: every failure counts)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app.add_option("--region", options.region,
                 "AWS region for signing (default: the environment or profile)");
  app.add_option("--profile", options.profile, "profile from the shared config files");
  app.add_flag("--prepare-only", options.prepare_only,
               "only validate, serialize and sign the requests (nothing is sent); prints "
               "prepare_ns_per_request");
}

/// What CLI11 cannot say: the option groups of which exactly one is needed.
/// Empty when the options are usable, else a message naming the options.
inline std::string CheckOptions(const Options& options) {
  if (options.image.empty() && !options.image_bytes)
    return "one of --image FILE or --image-bytes N is required";
  if (!options.requests && !options.duration)
    return "one of --requests R or --duration S is required";
  return std::string();
}

}  // namespace bench

#endif  // REKOGNITION_BENCH_OPTIONS_HPP
