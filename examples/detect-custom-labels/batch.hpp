// detect-custom-labels: many images through one client's asynchronous calls,
// a window of them in flight, results printed in input order as soon as
// every earlier one is out.
#ifndef DETECT_CUSTOM_LABELS_BATCH_HPP
#define DETECT_CUSTOM_LABELS_BATCH_HPP

#include <unistd.h>

#include <rekognition/errors.hpp>
#include <rekognition/operations/detect_custom_labels.hpp>
#include <rekognition/rekognition_api.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "image_inputs.hpp"
#include "progress.hpp"
#include "throughput.hpp"

namespace dcl {

/// True when `error` is the TransportError of a cancelled call.
inline bool IsCancellation(const std::exception_ptr& error) {
  if (!error) return false;
  try {
    std::rethrow_exception(error);
  } catch (const rekognition::TransportError& e) {
    return e.kind() == rekognition::TransportErrorKind::kCancelled;
  } catch (...) {
  }
  return false;
}

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

/// Called on the main thread when image `index` finished (not when
/// cancelled), with the request it sent (its image bytes, for the SVG) and
/// the outcome.
using OnFinished = std::function<void(
    std::size_t index, const rekognition::DetectCustomLabelsRequest&, const Outcome&)>;

/// Analyses every input through the one `client` with asynchronous calls:
/// at most `window.limit()` in flight (no thread per call). Images are read
/// and results handled on this thread; the client's I/O thread only sends.
/// Stops taking new images once `interrupted` is set and cancels the calls
/// in flight, which are left unfinished.
inline std::vector<Outcome> RunBatch(rekognition::RekognitionApi& client,
                                     const std::vector<ImageInput>& inputs,
                                     const RequestTemplate& shared, ConcurrencyWindow& window,
                                     const std::atomic<bool>& interrupted,
                                     const OnFinished& on_finished) {
  struct Done {
    std::size_t index;
    std::shared_ptr<rekognition::DetectCustomLabelsRequest> request;
    Outcome outcome;
  };
  std::vector<Outcome> outcomes(inputs.size());
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Done> done;  // completed calls, handled here in completion order
  std::map<std::size_t, rekognition::CallHandle> in_flight;
  std::size_t next = 0;
  bool cancelled_all = false;

  const auto finish = [&](Done& entry) {
    if (!entry.outcome.finished) return;  // cancelled by Ctrl-C
    on_finished(entry.index, *entry.request, entry.outcome);
    outcomes[entry.index] = std::move(entry.outcome);
  };

  std::unique_lock<std::mutex> lock(mutex);
  while (next < inputs.size() || !in_flight.empty() || !done.empty()) {
    if (interrupted.load() && !cancelled_all) {
      cancelled_all = true;
      next = inputs.size();  // no new images
      std::vector<rekognition::CallHandle> handles;
      for (auto& entry : in_flight) handles.push_back(entry.second);
      lock.unlock();
      for (auto& handle : handles) handle.Cancel();
      lock.lock();
    }
    if (!done.empty()) {
      Done entry = std::move(done.front());
      done.pop_front();
      lock.unlock();
      finish(entry);
      lock.lock();
      continue;
    }
    if (next < inputs.size() && in_flight.size() < static_cast<std::size_t>(window.limit())) {
      const std::size_t index = next++;
      lock.unlock();
      auto request = std::make_shared<rekognition::DetectCustomLabelsRequest>();
      request->project_version_arn = shared.project_version_arn;
      request->min_confidence = shared.min_confidence;
      request->max_results = shared.max_results;
      Outcome failed;
      try {
        if (inputs[index].path)
          request->image = rekognition::Image::FromFile(*inputs[index].path);
        else
          request->image.s3_object = inputs[index].s3_object;
      } catch (...) {
        failed.finished = true;
        failed.error = std::current_exception();
      }
      if (failed.finished) {
        Done entry{index, request, std::move(failed)};
        finish(entry);
        lock.lock();
        continue;
      }
      lock.lock();
      in_flight.emplace(index, rekognition::CallHandle());
      lock.unlock();
      rekognition::CallHandle handle = client.DetectCustomLabelsAsync(
          *request,
          [&, index, request](rekognition::Outcome<rekognition::DetectCustomLabelsResult> o) {
            Outcome outcome;
            if (o.ok()) {
              outcome.result = std::move(o).value();
              window.OnCompleted(outcome.result->attempts > 1);
            } else {
              outcome.error = std::move(o).error();
              window.OnCompleted(true);
            }
            outcome.finished = !(interrupted.load() && IsCancellation(outcome.error));
            std::lock_guard<std::mutex> guard(mutex);
            in_flight.erase(index);
            done.push_back(Done{index, request, std::move(outcome)});
            changed.notify_all();
          });
      lock.lock();
      // The call may have completed already (a request refused on the spot).
      auto it = in_flight.find(index);
      if (it != in_flight.end()) it->second = handle;
      continue;
    }
    // Wait for a completion, a free slot, or Ctrl-C (seen within 50 ms).
    changed.wait_for(lock, std::chrono::milliseconds(50));
  }
  lock.unlock();
  return outcomes;
}

}  // namespace dcl

#endif  // DETECT_CUSTOM_LABELS_BATCH_HPP
