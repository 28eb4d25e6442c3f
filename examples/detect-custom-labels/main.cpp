// detect-custom-labels: the command line program, shaped after
// `aws rekognition detect-custom-labels`, for one image or many.
#include <rekognition/client.hpp>

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "batch.hpp"
#include "exit_codes.hpp"
#include "image_inputs.hpp"
#include "model_control.hpp"
#include "options.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "svg.hpp"
#include "throughput.hpp"

namespace {

// What a Ctrl-C interrupts: a wait for the model (cancelled at its next
// check; the guard then stops a model it started), the images (workers stop
// taking images and transfers in flight are aborted), or the final stop of
// the model (not interrupted: a second Ctrl-C quits at once).
enum Phase : int { kPhaseWaiting, kPhaseDetecting, kPhaseStopping };

// Set from the signal handler; lock-free atomic stores are async-signal-safe.
std::atomic<bool> g_signalled{false};
std::atomic<int> g_phase{kPhaseDetecting};
std::atomic<bool>* g_interrupted = nullptr;  // aborts transfers in flight
const rekognition::CancellationToken* g_wait_cancel = nullptr;
// Written on a second Ctrl-C while a model may be left running.
std::atomic<const std::string*> g_leave_warning{nullptr};

extern "C" void OnInterrupt(int) {
  if (g_signalled.exchange(true)) {
    if (const std::string* warning = g_leave_warning.load())
      if (write(STDERR_FILENO, warning->data(), warning->size()) < 0) {
      }
    _exit(dcl::kExitInterrupted);
  }
  if (g_wait_cancel != nullptr) g_wait_cancel->Cancel();
  if (g_phase.load() == kPhaseDetecting && g_interrupted != nullptr) g_interrupted->store(true);
}

// An image whose result could not be saved (--svg): the image fails.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string ErrorCode(const std::exception_ptr& error, std::string* message) {
  try {
    std::rethrow_exception(error);
  } catch (const OutputError& e) {
    *message = e.what();
    return "OutputError";
  } catch (const rekognition::Error& e) {
    *message = e.message();
    return e.code();
  } catch (const std::exception& e) {
    *message = e.what();
    return "Error";
  }
}

// The one-image (or one-call) error report, in the aws CLI's words where it
// has them. Codes and messages may come from the peer: printed escaped.
void PrintError(const std::exception_ptr& error, const std::string& endpoint,
                const char* operation = "DetectCustomLabels") {
  using dcl::TerminalSafe;
  try {
    std::rethrow_exception(error);
  } catch (const rekognition::ServiceError& e) {
    std::fprintf(stderr, "\nAn error occurred (%s) when calling the %s operation: %s\n",
                 TerminalSafe(e.code()).c_str(), operation, TerminalSafe(e.message()).c_str());
  } catch (const rekognition::TransportError& e) {
    std::fprintf(stderr, "\nCould not connect to the endpoint URL: \"%s\" (%s: %s)\n",
                 TerminalSafe(endpoint).c_str(), TerminalSafe(e.code()).c_str(),
                 TerminalSafe(e.message()).c_str());
  } catch (const rekognition::ValidationError& e) {
    std::fprintf(stderr, "\nParameter validation failed:\n%s\n", e.message().c_str());
  } catch (const rekognition::Error& e) {
    std::fprintf(stderr, "\n%s\n", TerminalSafe(e.message()).c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "\n%s\n", TerminalSafe(e.what()).c_str());
  }
}

// What stdout gets for one finished image.
std::string FormatOutcome(const dcl::ImageInput& input, const dcl::Outcome& outcome, bool text,
                          bool batch) {
  if (outcome.result) {
    if (text) return dcl::ResultAsText(input.display, *outcome.result);
    return batch ? dcl::ResultAsJsonLine(input.display, *outcome.result) + "\n"
                 : dcl::ResultAsPrettyJson(*outcome.result) + "\n";
  }
  if (!batch) return {};  // a lone image's error goes to stderr
  std::string message;
  const std::string code = ErrorCode(outcome.error, &message);
  return text ? dcl::TerminalSafe(input.display) + "\n  error: " + dcl::TerminalSafe(code) + ": " +
                    dcl::TerminalSafe(message) + "\n"
              : dcl::ErrorAsJsonLine(input.display, code, message) + "\n";
}

// Writes `content` to `path`; throws OutputError naming the path and the reason.
void WriteFile(const std::string& path, const std::string& content) {
  errno = 0;
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) {
    const int error = errno;
    throw OutputError("cannot write the SVG to " + path +
                      (error != 0 ? std::string(": ") + std::strerror(error) : std::string()));
  }
}

// Where each image's SVG goes: PATH for one image (or PATH/<stem>.svg when it
// is a directory), DIR/<stem>.svg for several, with -2, -3 ... on clashes.
std::vector<std::string> SvgPaths(const std::string& target,
                                  const std::vector<dcl::ImageInput>& inputs, bool batch) {
  namespace fs = std::filesystem;
  std::vector<std::string> paths(inputs.size());
  if (target.empty()) return paths;
  std::error_code ec;
  const bool as_directory = batch || fs::is_directory(target, ec) || target.back() == '/';
  if (!as_directory) {
    paths[0] = target;
    return paths;
  }
  fs::create_directories(target, ec);
  // Names already taken, generated ones included: "x-2" from a second "x"
  // must not collide with a real "x-2".
  std::set<std::string> used;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::string stem = inputs[i].path ? fs::path(*inputs[i].path).stem().string()
                                      : fs::path(inputs[i].s3_object->name).stem().string();
    if (stem.empty()) stem = "image";
    std::string name = stem;
    for (int n = 2; !used.insert(name).second; ++n) name = stem + "-" + std::to_string(n);
    paths[i] = (fs::path(target) / (name + ".svg")).string();
  }
  return paths;
}

}  // namespace

int main(int argc, char** argv) {
  dcl::Options options;
  CLI::App app{"Detects custom labels in images with an Amazon Rekognition Custom Labels model.",
               "detect-custom-labels"};
  app.set_version_flag("--version", std::string("detect-custom-labels ") + rekognition::kVersion);
  dcl::AddOptions(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : dcl::kExitUsage;
  }

  if (const std::string problem = dcl::CheckOptionCombinations(options); !problem.empty()) {
    std::fprintf(stderr, "%s\n", problem.c_str());
    return dcl::kExitUsage;
  }

  std::vector<dcl::ImageInput> inputs;
  bool batch = options.images.size() > 1;
  try {
    for (const auto& image : options.images)
      if (std::error_code ec; std::filesystem::is_directory(image, ec)) batch = true;
    inputs = dcl::ExpandImageArguments(options.images);
  } catch (const rekognition::ValidationError& e) {
    std::fprintf(stderr, "%s\n", e.message().c_str());
    return dcl::kExitUsage;
  }
  if (inputs.empty() && !options.images.empty()) {
    std::fprintf(stderr, "IMAGE: no PNG or JPEG files found in the given directories\n");
    return dcl::kExitUsage;
  }

  if (options.no_verify_ssl)
    std::fprintf(stderr,
                 "warning: --no-verify-ssl: TLS certificates are not verified; the connection "
                 "can be intercepted\n");

  auto interrupted = std::make_shared<std::atomic<bool>>(false);
  g_interrupted = interrupted.get();
  const rekognition::CancellationToken wait_cancel;
  g_wait_cancel = &wait_cancel;
  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);

  std::mutex stderr_mutex;
  // Debug lines carry what the peer sent (request ids, error codes): escaped.
  const auto log_line = [&stderr_mutex](const std::string& line) {
    const std::string safe = dcl::TerminalSafe(line);
    std::lock_guard<std::mutex> lock(stderr_mutex);
    std::fprintf(stderr, "debug: %s\n", safe.c_str());
  };
  rekognition::ClientConfig config = dcl::MakeClientConfig(options, interrupted, log_line);
  // A batch keeps a window of calls in flight that shrinks on throttling; the
  // retry policy the client would build tells it when an attempt was.
  dcl::ConcurrencyWindow window(options.concurrency);
  config.max_in_flight = static_cast<std::size_t>(options.concurrency);
  auto retry_policy = std::make_shared<dcl::ThrottleCountingPolicy>(
      [settings = config.retry, profile = config.profile] {
        const auto chosen = profile.empty() ? std::nullopt : std::optional<std::string>(profile);
        return rekognition::MakeRetryPolicy(settings, rekognition::LoadProfile(chosen));
      },
      window);
  config.retry_policy = retry_policy;
  rekognition::Client client(std::move(config));
  dcl::NamedCalls api(client);
  const auto print_call_error = [&](const std::exception_ptr& error) {
    PrintError(error, client.endpoint_url(), api.last_operation());
  };

  if (options.model_status) {
    try {
      const std::string json = dcl::ModelStatusJson(api, options.project_version_arn);
      std::fwrite(json.data(), 1, json.size(), stdout);
      return dcl::kExitSuccess;
    } catch (...) {
      print_call_error(std::current_exception());
      return dcl::ExitCodeFor(std::current_exception());
    }
  }

  // A second Ctrl-C while the model may be running says how to stop it.
  const std::string leave_warning =
      "\ninterrupted again: the model version may still be running and billed; stop it with: "
      "aws rekognition stop-project-version --project-version-arn " +
      options.project_version_arn + "\n";
  std::optional<rekognition::RunningModel> model;
  if (options.start_model) {
    g_phase = kPhaseWaiting;
    if (dcl::StopPolicyOf(options) != dcl::StopPolicy::kNever) g_leave_warning = &leave_warning;
    try {
      model.emplace(api, options.project_version_arn,
                    dcl::RunningModelOptionsFor(options, wait_cancel));
    } catch (...) {
      // The guard already stopped a model it started when the policy says so.
      const int code = dcl::ReportStartFailure(std::current_exception(), options, print_call_error);
      if (code == dcl::kExitInterrupted) {
        std::fprintf(stderr, "interrupted while waiting for the model to be RUNNING\n");
        if (dcl::StopPolicyOf(options) == dcl::StopPolicy::kNever)
          std::fprintf(stderr, "%s", leave_warning.substr(leave_warning.find("the model")).c_str());
      }
      return code;
    }
    std::fprintf(stderr, "model %s: RUNNING%s\n", options.project_version_arn.c_str(),
                 model->started_here() ? " (started by this run)" : "");
  }
  g_phase = kPhaseDetecting;
  int exit_code = dcl::kExitSuccess;
  if (!options.stop_model.empty()) g_leave_warning = &leave_warning;

  if (!inputs.empty() && !g_signalled.load()) {
    const std::vector<std::string> svg_paths = SvgPaths(options.svg, inputs, batch);
    dcl::ProgressBar progress(inputs.size(), dcl::ProgressBar::ShouldShow(inputs.size()));
    dcl::OrderedPrinter printer(inputs.size(), stdout, progress);
    const bool text = options.output == "text";

    // An SVG that cannot be written fails its image (exit 255, as other I/O
    // errors): the outcome is replaced before it is printed and counted.
    std::vector<std::exception_ptr> output_errors(inputs.size());
    const auto on_finished = [&](std::size_t index,
                                 const rekognition::DetectCustomLabelsRequest& request,
                                 const dcl::Outcome& outcome) {
      dcl::Outcome shown = outcome;
      if (outcome.result && !svg_paths[index].empty()) {
        if (!request.image.bytes) {
          std::lock_guard<std::mutex> lock(stderr_mutex);
          progress.Clear();
          std::fprintf(stderr, "warning: no SVG for %s: the image is in S3, not local\n",
                       dcl::TerminalSafe(inputs[index].display).c_str());
        } else {
          try {
            WriteFile(svg_paths[index], dcl::RenderSvg(*request.image.bytes, *outcome.result));
          } catch (const OutputError&) {
            output_errors[index] = std::current_exception();
            shown.result.reset();
            shown.error = output_errors[index];
          }
        }
      }
      progress.Advance();
      printer.Complete(index, FormatOutcome(inputs[index], shown, text, batch));
    };

    dcl::RequestTemplate shared{options.project_version_arn, options.min_confidence,
                                options.max_results};
    const auto batch_started = std::chrono::steady_clock::now();
    const std::vector<dcl::Outcome> outcomes =
        dcl::RunBatch(client, inputs, shared, window, *interrupted, on_finished);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - batch_started).count();
    printer.Finish();
    progress.Finish();

    std::size_t finished = 0;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      const dcl::Outcome& outcome = outcomes[i];
      if (!outcome.finished) continue;
      ++finished;
      const std::exception_ptr error = output_errors[i] ? output_errors[i] : outcome.error;
      if (!error) continue;
      const int code = dcl::ExitCodeFor(error);
      if (!batch) PrintError(error, client.endpoint_url());
      if (dcl::Severity(code) > dcl::Severity(exit_code)) exit_code = code;
    }
    if (interrupted->load())
      std::fprintf(stderr, "interrupted: %zu of %zu images finished\n", finished, inputs.size());
    // What inference units are sized from: the rate reached and how much of
    // it the service throttled.
    if (batch) {
      const std::size_t attempts = retry_policy->attempts();
      const std::size_t throttled = retry_policy->throttled();
      std::fprintf(stderr,
                   "%zu images in %.2f s: %.1f images/s; throttled %zu of %zu attempts "
                   "(%.1f%%); %d calls in flight at the end (ceiling %d)\n",
                   finished, seconds, seconds > 0 ? static_cast<double>(finished) / seconds : 0.0,
                   throttled, attempts,
                   attempts > 0
                       ? 100.0 * static_cast<double>(throttled) / static_cast<double>(attempts)
                       : 0.0,
                   window.limit(), options.concurrency);
    }
  }

  // The run ended (done, failed or interrupted): stop the model if asked.
  g_phase = kPhaseStopping;
  interrupted->store(false);  // the stop must not be aborted
  try {
    if (model) {
      if (model->Stop()) {
        std::fprintf(stderr, "model %s: STOPPING\n", options.project_version_arn.c_str());
      } else {
        std::fprintf(stderr, "model %s: left RUNNING%s\n", options.project_version_arn.c_str(),
                     model->started_here() ? " (billed until stopped: --stop-model)"
                                           : " (it was running before this run)");
      }
    } else if (!options.stop_model.empty()) {
      dcl::StopModel(api, options.project_version_arn);
    }
  } catch (...) {
    print_call_error(std::current_exception());
    const int code = dcl::ExitCodeFor(std::current_exception());
    if (dcl::Severity(code) > dcl::Severity(exit_code)) exit_code = code;
  }
  return g_signalled.load() ? dcl::kExitInterrupted : exit_code;
}
