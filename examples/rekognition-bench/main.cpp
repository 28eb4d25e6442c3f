// rekognition-bench: a load generator for DetectCustomLabels. Keeps
// --concurrency calls in flight on the asynchronous client (one I/O thread,
// however many calls) and prints throughput, latency percentiles and errors
// by code; --prepare-only measures building and signing requests alone.
#include <rekognition/client.hpp>
#include <rekognition/client_core.hpp>  // the pipeline stage by stage

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "../detect-custom-labels/exit_codes.hpp"
#include "options.hpp"
#include "report.hpp"
#include "synthetic_png.hpp"

namespace {

using Clock = std::chrono::steady_clock;

rekognition::ClientConfig MakeConfig(const bench::Options& options) {
  rekognition::ClientConfig config;
  config.endpoint_url = options.endpoint_url;
  config.region = options.region;
  config.profile = options.profile;
  config.retry.max_attempts = options.max_attempts;
  config.max_in_flight = static_cast<std::size_t>(options.concurrency);
  // Keep an easy handle per call in flight instead of making new ones.
  config.transport_options.max_idle_connections =
      std::max<std::size_t>(config.transport_options.max_idle_connections, config.max_in_flight);
  return config;
}

// The code an error is counted under (Error::code(); "Error" for others).
std::string CodeOf(const std::exception_ptr& error, std::string* message = nullptr) {
  try {
    std::rethrow_exception(error);
  } catch (const rekognition::Error& e) {
    if (message) *message = e.what();
    return e.code();
  } catch (const std::exception& e) {
    if (message) *message = e.what();
    return "Error";
  }
}

// Whether the run should make one more call.
class Budget {
 public:
  explicit Budget(const bench::Options& options) : requests_(options.requests) {
    if (options.duration)
      deadline_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(*options.duration));
  }
  bool Next() {
    if (requests_) return made_++ < *requests_;
    return Clock::now() < deadline_;
  }

 private:
  std::optional<std::int64_t> requests_;
  std::int64_t made_ = 0;
  Clock::time_point deadline_;
};

// Builds and signs requests on this thread without sending them.
int PrepareOnly(const bench::Options& options,
                const rekognition::DetectCustomLabelsRequest& request, std::size_t image_bytes) {
  using Op = rekognition::DetectCustomLabelsOperation;
  const rekognition::ClientConfig config = MakeConfig(options);
  rekognition::detail::ClientCore core(config);
  rekognition::detail::RequestPipeline& pipeline = core.pipeline();
  std::size_t signed_bytes = 0;  // keeps the work observable
  const auto prepare_once = [&] {
    const rekognition::detail::PreparedCall call = pipeline.Prepare<Op>(request, config.validation);
    const rekognition::detail::PipelineTarget& target = core.Resolve();
    rekognition::detail::CallState state = pipeline.Begin(target);
    const rekognition::HttpRequest http = pipeline.SignAttempt(call, target, state);
    signed_bytes += http.headers.back().second.size() + http.body.size();
  };
  try {
    prepare_once();  // resolves the endpoint and the credentials outside the timing
  } catch (...) {
    std::string message;
    CodeOf(std::current_exception(), &message);
    std::fprintf(stderr, "rekognition-bench: %s\n", message.c_str());
    return dcl::ExitCodeFor(std::current_exception());
  }
  Budget budget(options);
  std::int64_t count = 0;
  const auto started = Clock::now();
  while (budget.Next()) {
    prepare_once();
    ++count;
  }
  const double ns = std::chrono::duration<double, std::nano>(Clock::now() - started).count();
  std::printf("requests=%lld\n", static_cast<long long>(count));
  std::printf("image_bytes=%zu\n", image_bytes);
  std::printf("signed_bytes=%zu\n", signed_bytes);
  std::printf("elapsed_s=%.3f\n", ns / 1e9);
  std::printf("prepare_ns_per_request=%.0f\n", count > 0 ? ns / static_cast<double>(count) : 0.0);
  return dcl::kExitSuccess;
}

// Sends the calls: this thread prepares and submits while fewer than
// --concurrency are in flight; each completion frees a slot.
int Send(const bench::Options& options, const rekognition::DetectCustomLabelsRequest& request,
         std::size_t image_bytes) {
  // Declared before the client, so they outlive the completions it runs.
  std::mutex mutex;
  std::condition_variable slot_free;
  int in_flight = 0;
  bench::Tally tally;
  int exit_code = dcl::kExitSuccess;
  std::string first_error;
  Clock::time_point last_done;

  rekognition::Client client(MakeConfig(options));
  Budget budget(options);
  const auto started = Clock::now();
  last_done = started;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex);
      slot_free.wait(lock, [&] { return in_flight < options.concurrency; });
      if (!budget.Next()) break;
      ++in_flight;
    }
    const auto submitted = Clock::now();
    client.DetectCustomLabelsAsync(
        request, [&, submitted](rekognition::Outcome<rekognition::DetectCustomLabelsResult> o) {
          const auto done = Clock::now();
          std::string code, message;
          if (!o.ok()) code = CodeOf(o.error(), &message);
          std::lock_guard<std::mutex> lock(mutex);
          tally.latencies_ms.push_back(
              std::chrono::duration<double, std::milli>(done - submitted).count());
          if (o.ok()) {
            ++tally.succeeded;
          } else {
            ++tally.errors[code];
            if (first_error.empty()) first_error = message;
            const int call_exit = dcl::ExitCodeFor(o.error());
            if (dcl::Severity(call_exit) > dcl::Severity(exit_code)) exit_code = call_exit;
          }
          last_done = std::max(last_done, done);
          --in_flight;
          slot_free.notify_one();  // under the lock: the waiter may end the run
        });
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    slot_free.wait(lock, [&] { return in_flight == 0; });
  }
  const double seconds = std::chrono::duration<double>(last_done - started).count();
  if (!first_error.empty())
    std::fprintf(stderr, "rekognition-bench: first error: %s\n", first_error.c_str());
  bench::PrintReport(std::move(tally), seconds, options.concurrency, image_bytes);
  return exit_code;
}

// The bytes of the file `path`; throws std::runtime_error naming it.
std::string ReadImageFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) throw std::runtime_error("cannot read " + path);
  return bytes;
}

}  // namespace

int main(int argc, char** argv) {
  bench::Options options;
  CLI::App app{
      "Loads a DetectCustomLabels endpoint with many calls in flight and prints "
      "requests per second, latency percentiles and errors by code.",
      "rekognition-bench"};
  app.set_version_flag("--version", std::string("rekognition-bench ") + rekognition::kVersion);
  bench::AddOptions(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : dcl::kExitUsage;
  }
  if (const std::string problem = bench::CheckOptions(options); !problem.empty()) {
    std::fprintf(stderr, "%s\n", problem.c_str());
    return dcl::kExitUsage;
  }

  rekognition::DetectCustomLabelsRequest request;
  request.project_version_arn = options.project_version_arn;
  std::size_t image_bytes = 0;
  try {
    std::string image = options.image_bytes ? bench::SyntheticPng(*options.image_bytes)
                                            : ReadImageFile(options.image);
    image_bytes = image.size();
    request.image = rekognition::Image::FromBytes(std::move(image));
    rekognition::ValidateRequest(request);
  } catch (const rekognition::ValidationError& e) {
    std::fprintf(stderr, "%s: %s\n", options.image_bytes ? "--image-bytes" : "--image",
                 e.message().c_str());
    return dcl::kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", options.image_bytes ? "--image-bytes" : "--image", e.what());
    return dcl::kExitUsage;
  }
  return options.prepare_only ? PrepareOnly(options, request, image_bytes)
                              : Send(options, request, image_bytes);
}
