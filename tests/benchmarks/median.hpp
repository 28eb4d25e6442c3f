// The median of a benchmark's repetitions, the figure the benchmarks print
// (less swayed than the mean by a repetition the shared machine slowed).
#ifndef REKOGNITION_TESTS_BENCHMARKS_MEDIAN_HPP
#define REKOGNITION_TESTS_BENCHMARKS_MEDIAN_HPP

#include <algorithm>
#include <cstddef>
#include <vector>

namespace bench_stats {

/// The median of `samples` (the mean of the two middle ones for an even
/// count); 0 when there are none.
inline double Median(std::vector<double> samples) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const std::size_t middle = samples.size() / 2;
  return samples.size() % 2 != 0 ? samples[middle] : (samples[middle - 1] + samples[middle]) / 2;
}

}  // namespace bench_stats

#endif  // REKOGNITION_TESTS_BENCHMARKS_MEDIAN_HPP
