// detect-custom-labels: the command line program, shaped after
// `aws rekognition detect-custom-labels`, for one image or many.
#include <rekognition/client.hpp>

#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "exit_codes.hpp"
#include "image_inputs.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "svg.hpp"

namespace {

// Set from the signal handler (a lock-free atomic store is async-signal-safe);
// workers stop taking images and transfers in flight are aborted.
std::atomic<bool>* g_interrupted = nullptr;

extern "C" void OnInterrupt(int) {
  if (g_interrupted) g_interrupted->store(true);
}

struct Options {
  std::string project_version_arn;
  std::optional<double> min_confidence;
  std::optional<std::int64_t> max_results;
  std::string region;
  std::string profile;
  std::string endpoint_url;
  std::string retry_mode;
  std::optional<int> max_attempts;
  int concurrency = 8;
  std::string svg;
  std::string output = "json";
  bool debug = false;
  std::vector<std::string> images;
};

// What happened to one image.
struct Outcome {
  bool finished = false;
  std::optional<rekognition::DetectCustomLabelsResult> result;
  std::exception_ptr error;
};

std::string ErrorCode(const std::exception_ptr& error, std::string* message) {
  try {
    std::rethrow_exception(error);
  } catch (const rekognition::Error& e) {
    *message = e.message();
    return e.code();
  } catch (const std::exception& e) {
    *message = e.what();
    return "Error";
  }
}

// The one-image error report, in the aws CLI's words where it has them.
void PrintError(const std::exception_ptr& error, const std::string& endpoint) {
  try {
    std::rethrow_exception(error);
  } catch (const rekognition::ServiceError& e) {
    std::fprintf(stderr, "\nAn error occurred (%s) when calling the DetectCustomLabels operation: %s\n",
                 e.code().c_str(), e.message().c_str());
  } catch (const rekognition::TransportError& e) {
    std::fprintf(stderr, "\nCould not connect to the endpoint URL: \"%s\" (%s: %s)\n", endpoint.c_str(),
                 e.code().c_str(), e.message().c_str());
  } catch (const rekognition::ValidationError& e) {
    std::fprintf(stderr, "\nParameter validation failed:\n%s\n", e.message().c_str());
  } catch (const rekognition::Error& e) {
    std::fprintf(stderr, "\n%s\n", e.message().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "\n%s\n", e.what());
  }
}

bool WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return static_cast<bool>(out);
}

// Where each image's SVG goes: PATH for one image (or PATH/<stem>.svg when it
// is a directory), DIR/<stem>.svg for several, with -2, -3 ... on clashes.
std::vector<std::string> SvgPaths(const std::string& target, const std::vector<dcl::ImageInput>& inputs,
                                  bool batch) {
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
  std::map<std::string, int> used;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::string stem = inputs[i].path ? fs::path(*inputs[i].path).stem().string()
                                      : fs::path(inputs[i].s3_object->name).stem().string();
    if (stem.empty()) stem = "image";
    const int count = ++used[stem];
    if (count > 1) stem += "-" + std::to_string(count);
    paths[i] = (fs::path(target) / (stem + ".svg")).string();
  }
  return paths;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"Detects custom labels in images with an Amazon Rekognition Custom Labels model.",
               "detect-custom-labels"};
  app.set_version_flag("--version", std::string("detect-custom-labels ") + rekognition::kVersion);
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
  app.add_option("--concurrency", options.concurrency, "requests in flight with several images")
      ->check(CLI::Range(1, 1024));
  app.add_option("--svg", options.svg, "write an SVG with the boxes drawn (file, or directory)");
  app.add_option("--output", options.output, "json or text")->check(CLI::IsMember({"json", "text"}));
  app.add_flag("--debug", options.debug, "log each attempt to stderr");
  app.add_option("IMAGE", options.images, "PNG/JPEG file, directory of them, or s3://bucket/key")
      ->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : dcl::kExitUsage;
  }

  std::vector<dcl::ImageInput> inputs;
  bool batch = options.images.size() > 1;
  try {
    for (const auto& image : options.images)
      if (std::filesystem::is_directory(image)) batch = true;
    inputs = dcl::ExpandImageArguments(options.images);
  } catch (const rekognition::ValidationError& e) {
    std::fprintf(stderr, "%s\n", e.message().c_str());
    return dcl::kExitUsage;
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "IMAGE: no PNG or JPEG files found in the given directories\n");
    return dcl::kExitUsage;
  }

  auto interrupted = std::make_shared<std::atomic<bool>>(false);
  g_interrupted = interrupted.get();
  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);

  std::mutex stderr_mutex;
  rekognition::ClientConfig config;
  config.region = options.region;
  config.endpoint_url = options.endpoint_url;
  config.max_attempts = options.max_attempts;
  config.transport_options.cancel = interrupted;
  if (options.debug) {
    config.debug_log = [&stderr_mutex](const std::string& line) {
      std::lock_guard<std::mutex> lock(stderr_mutex);
      std::fprintf(stderr, "debug: %s\n", line.c_str());
    };
  }
  rekognition::Client client(config);

  const std::vector<std::string> svg_paths = SvgPaths(options.svg, inputs, batch);
  std::vector<Outcome> outcomes(inputs.size());
  std::vector<std::string> lines(inputs.size());
  std::atomic<std::size_t> next{0};
  std::mutex print_mutex;
  std::size_t next_to_print = 0;
  dcl::ProgressBar progress(inputs.size(), dcl::ProgressBar::ShouldShow(inputs.size()));

  // Prints finished results in input order as soon as all earlier ones are out.
  auto flush_in_order = [&](bool final_flush) {
    std::lock_guard<std::mutex> lock(print_mutex);
    while (next_to_print < inputs.size() && (outcomes[next_to_print].finished || final_flush)) {
      if (outcomes[next_to_print].finished) std::fputs(lines[next_to_print].c_str(), stdout);
      ++next_to_print;
    }
    std::fflush(stdout);
  };

  auto process = [&](std::size_t index) {
    const dcl::ImageInput& input = inputs[index];
    Outcome outcome;
    std::string bytes;
    try {
      rekognition::DetectCustomLabelsRequest request;
      request.project_version_arn = options.project_version_arn;
      request.min_confidence = options.min_confidence;
      request.max_results = options.max_results;
      if (input.path) {
        request.image = rekognition::Image::FromFile(*input.path);
      } else {
        request.image.s3_object = input.s3_object;
      }
      outcome.result = client.DetectCustomLabels(request);
      if (!svg_paths[index].empty()) {
        if (request.image.bytes) {
          if (!WriteFile(svg_paths[index], dcl::RenderSvg(*request.image.bytes, *outcome.result))) {
            std::lock_guard<std::mutex> lock(stderr_mutex);
            std::fprintf(stderr, "warning: cannot write %s\n", svg_paths[index].c_str());
          }
        } else {
          std::lock_guard<std::mutex> lock(stderr_mutex);
          std::fprintf(stderr, "warning: no SVG for %s: the image is in S3, not local\n",
                       input.display.c_str());
        }
      }
    } catch (...) {
      outcome.error = std::current_exception();
    }
    if (interrupted->load() && outcome.error) return;  // aborted mid-flight: not a result
    std::string line;
    if (outcome.result) {
      line = options.output == "text" ? dcl::ResultAsText(input.display, *outcome.result)
             : batch                  ? dcl::ResultAsJsonLine(input.display, *outcome.result) + "\n"
                                      : dcl::ResultAsPrettyJson(*outcome.result) + "\n";
    } else if (batch) {
      std::string message;
      const std::string code = ErrorCode(outcome.error, &message);
      line = options.output == "text" ? input.display + "\n  error: " + code + ": " + message + "\n"
                                      : dcl::ErrorAsJsonLine(input.display, code, message) + "\n";
    }
    {
      std::lock_guard<std::mutex> lock(print_mutex);
      lines[index] = std::move(line);
      outcomes[index] = std::move(outcome);
      outcomes[index].finished = true;
    }
    progress.Advance();
    flush_in_order(false);
  };

  const std::size_t workers = std::min<std::size_t>(static_cast<std::size_t>(options.concurrency), inputs.size());
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < workers; ++w) {
    threads.emplace_back([&] {
      for (std::size_t i = next++; i < inputs.size() && !interrupted->load(); i = next++) process(i);
    });
  }
  for (auto& thread : threads) thread.join();
  flush_in_order(true);
  progress.Finish();

  int exit_code = dcl::kExitSuccess;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (!outcomes[i].finished || !outcomes[i].error) continue;
    const int code = dcl::ExitCodeFor(outcomes[i].error);
    if (!batch) PrintError(outcomes[i].error, options.endpoint_url);
    if (dcl::Severity(code) > dcl::Severity(exit_code)) exit_code = code;
  }
  if (interrupted->load()) {
    std::size_t finished = 0;
    for (const auto& outcome : outcomes) finished += outcome.finished ? 1 : 0;
    std::fprintf(stderr, "interrupted: %zu of %zu images finished\n", finished, inputs.size());
    return dcl::kExitInterrupted;
  }
  return exit_code;
}
