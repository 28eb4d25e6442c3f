// rekognition-local: seeded fault injection (throttling, 5xx, dropped connections).
#ifndef REKOGNITION_LOCAL_FAULT_INJECTOR_HPP
#define REKOGNITION_LOCAL_FAULT_INJECTOR_HPP

#include <mutex>
#include <random>

#include "options.hpp"

namespace rekognition_local {

enum class Fault {
  kNone,
  kThrottle,            // 400 ThrottlingException
  kInternalError,       // 500 InternalServerError
  kServiceUnavailable,  // 503 ServiceUnavailableException
  kDrop,                // close the connection without answering
};

inline const char* ToString(Fault fault) {
  switch (fault) {
    case Fault::kThrottle:
      return "throttle";
    case Fault::kInternalError:
      return "error-500";
    case Fault::kServiceUnavailable:
      return "error-503";
    case Fault::kDrop:
      return "drop";
    case Fault::kNone:
      break;
  }
  return "none";
}

/// Decides the fault of each request from one seeded generator, so a run
/// that sends requests one at a time sees the same faults every time.
/// Thread-safe.
class FaultInjector {
 public:
  explicit FaultInjector(const FaultOptions& options) : options_(options), engine_(options.seed) {}

  /// The fault for the next request (one draw, two for a 5xx).
  Fault Next() {
    const double total = options_.throttle_rate + options_.error_rate + options_.drop_rate;
    if (total <= 0) return Fault::kNone;
    std::lock_guard<std::mutex> lock(mutex_);
    const double u = uniform_(engine_);
    if (u < options_.throttle_rate) return Fault::kThrottle;
    if (u < options_.throttle_rate + options_.error_rate)
      return uniform_(engine_) < 0.5 ? Fault::kInternalError : Fault::kServiceUnavailable;
    if (u < total) return Fault::kDrop;
    return Fault::kNone;
  }

  int latency_ms() const { return options_.latency_ms; }

 private:
  FaultOptions options_;
  std::mutex mutex_;
  std::mt19937_64 engine_;
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
};

}  // namespace rekognition_local

#endif  // REKOGNITION_LOCAL_FAULT_INJECTOR_HPP
