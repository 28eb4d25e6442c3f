// rekognition-bench: what a run measured, and how it is printed.
#ifndef REKOGNITION_BENCH_REPORT_HPP
#define REKOGNITION_BENCH_REPORT_HPP

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace bench {

/// The outcomes of a run's calls. Not thread-safe: the caller guards it.
struct Tally {
  std::vector<double> latencies_ms;            // one per completed call
  std::map<std::string, std::int64_t> errors;  // by Error::code()
  std::int64_t succeeded = 0;

  std::int64_t completed() const { return static_cast<std::int64_t>(latencies_ms.size()); }
};

/// The value below which `fraction` of the sorted `values` lie (nearest
/// rank); 0 for none.
inline double Percentile(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const auto rank =
      static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<std::size_t>(rank, 1)) - 1];
}

/// Prints the run's figures as key=value lines; the last one is
/// requests_per_second=X (completed calls over the run's wall time).
inline void PrintReport(Tally tally, double seconds, int concurrency, std::size_t image_bytes) {
  std::sort(tally.latencies_ms.begin(), tally.latencies_ms.end());
  const std::int64_t completed = tally.completed();
  std::printf("requests=%lld\n", static_cast<long long>(completed));
  std::printf("succeeded=%lld\n", static_cast<long long>(tally.succeeded));
  std::printf("failed=%lld\n", static_cast<long long>(completed - tally.succeeded));
  std::printf("concurrency=%d\n", concurrency);
  std::printf("image_bytes=%zu\n", image_bytes);
  std::printf("elapsed_s=%.3f\n", seconds);
  std::printf("latency_ms_p50=%.3f\n", Percentile(tally.latencies_ms, 0.50));
  std::printf("latency_ms_p90=%.3f\n", Percentile(tally.latencies_ms, 0.90));
  std::printf("latency_ms_p99=%.3f\n", Percentile(tally.latencies_ms, 0.99));
  std::printf("latency_ms_max=%.3f\n",
              tally.latencies_ms.empty() ? 0.0 : tally.latencies_ms.back());
  for (const auto& [code, count] : tally.errors)
    std::printf("errors.%s=%lld\n", code.c_str(), static_cast<long long>(count));
  std::printf("requests_per_second=%.1f\n",
              seconds > 0 ? static_cast<double>(completed) / seconds : 0.0);
}

}  // namespace bench

#endif  // REKOGNITION_BENCH_REPORT_HPP
