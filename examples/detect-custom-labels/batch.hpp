// detect-custom-labels: many images through one client, N calls in flight,
// results printed in input order as soon as every earlier one is out.
#ifndef DETECT_CUSTOM_LABELS_BATCH_HPP
#define DETECT_CUSTOM_LABELS_BATCH_HPP

#include <unistd.h>

#include <rekognition/errors.hpp>
#include <rekognition/operations/detect_custom_labels.hpp>
#include <rekognition/rekognition_api.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "image_inputs.hpp"
#include "progress.hpp"

namespace dcl {

/// What happened to one image. Not finished: never started, or cancelled
/// by Ctrl-C while in flight (so not a result).
struct Outcome {
  bool finished = false;
  std::optional<rekognition::DetectCustomLabelsResult> result;
  std::exception_ptr error;
};

/// The request fields every image shares.
struct RequestTemplate {
  std::string project_version_arn;
  std::optional<double> min_confidence;
  std::optional<std::int64_t> max_results;
};

/// Writes finished images' text to `out` strictly in input order: text for
/// image i is held until 0..i-1 are out. Keeps the progress bar off the
/// lines when both go to one terminal. Thread-safe.
class OrderedPrinter {
 public:
  OrderedPrinter(std::size_t count, std::FILE* out, ProgressBar& progress)
      : texts_(count),
        ready_(count, false),
        out_(out),
        progress_(progress),
        out_is_terminal_(isatty(fileno(out)) == 1) {}

  /// Records image `index`'s text and prints whatever is now in order.
  void Complete(std::size_t index, std::string text) {
    std::lock_guard<std::mutex> lock(mutex_);
    texts_[index] = std::move(text);
    ready_[index] = true;
    Print(false);
  }

  /// Prints every recorded text still held back, skipping images that never
  /// finished (after an interruption). Call once the workers are done.
  void Finish() {
    std::lock_guard<std::mutex> lock(mutex_);
    Print(true);
  }

 private:
  void Print(bool skip_gaps) {
    const std::size_t before = next_;
    if (next_ < ready_.size() && (ready_[next_] || skip_gaps) && out_is_terminal_)
      progress_.Clear();
    while (next_ < ready_.size() && (ready_[next_] || skip_gaps)) {
      if (ready_[next_]) std::fputs(texts_[next_].c_str(), out_);
      texts_[next_].clear();
      texts_[next_].shrink_to_fit();
      ++next_;
    }
    if (next_ != before) {
      std::fflush(out_);
      if (out_is_terminal_) progress_.Redraw();
    }
  }

  std::vector<std::string> texts_;
  std::vector<bool> ready_;
  std::size_t next_ = 0;
  std::FILE* out_;
  ProgressBar& progress_;
  bool out_is_terminal_;
  std::mutex mutex_;
};

/// Called from a worker when image `index` finished (not when cancelled),
/// with the request it sent (its image bytes, for the SVG) and the outcome.
using OnFinished = std::function<void(
    std::size_t index, const rekognition::DetectCustomLabelsRequest&, const Outcome&)>;

/// Analyses every input with `concurrency` calls in flight through the one
/// `client` (which must be thread-safe). Stops taking new images once
/// `interrupted` is set; calls cancelled by it are left unfinished.
inline std::vector<Outcome> RunBatch(rekognition::RekognitionApi& client,
                                     const std::vector<ImageInput>& inputs,
                                     const RequestTemplate& shared, int concurrency,
                                     const std::atomic<bool>& interrupted,
                                     const OnFinished& on_finished) {
  std::vector<Outcome> outcomes(inputs.size());
  std::atomic<std::size_t> next{0};

  const auto process = [&](std::size_t index) {
    const ImageInput& input = inputs[index];
    rekognition::DetectCustomLabelsRequest request;
    request.project_version_arn = shared.project_version_arn;
    request.min_confidence = shared.min_confidence;
    request.max_results = shared.max_results;
    Outcome outcome;
    try {
      if (input.path) {
        request.image = rekognition::Image::FromFile(*input.path);
      } else {
        request.image.s3_object = input.s3_object;
      }
      outcome.result = client.DetectCustomLabels(request);
    } catch (const rekognition::TransportError& e) {
      // Aborted by Ctrl-C: not an answer about this image.
      if (e.kind() == rekognition::TransportErrorKind::kCancelled && interrupted.load()) return;
      outcome.error = std::current_exception();
    } catch (...) {
      outcome.error = std::current_exception();
    }
    outcome.finished = true;
    on_finished(index, request, outcome);
    outcomes[index] = std::move(outcome);  // each index is written by one worker only
  };

  const std::size_t workers =
      std::min<std::size_t>(static_cast<std::size_t>(std::max(concurrency, 1)), inputs.size());
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (std::size_t w = 0; w < workers; ++w) {
    threads.emplace_back([&] {
      while (!interrupted.load()) {
        const std::size_t index = next.fetch_add(1);
        if (index >= inputs.size()) break;
        process(index);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  return outcomes;
}

}  // namespace dcl

#endif  // DETECT_CUSTOM_LABELS_BATCH_HPP
