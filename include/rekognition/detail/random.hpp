// rekognition-cpp: the random source behind invocation ids and retry jitter.
#ifndef REKOGNITION_DETAIL_RANDOM_HPP
#define REKOGNITION_DETAIL_RANDOM_HPP

#include <pthread.h>

#include <array>
#include <atomic>
#include <random>

#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

// Counts fork() calls of this process: a child sees a number its parent's
// per-thread engines were not seeded under, and reseeds them.
REKOGNITION_INLINE std::atomic<unsigned>& ForkGeneration() noexcept {
  static std::atomic<unsigned> generation{0};
  return generation;
}

REKOGNITION_INLINE void RegisterForkHandler() noexcept {
  static const bool registered = [] {
    return ::pthread_atfork(nullptr, nullptr,
                            [] { ForkGeneration().fetch_add(1, std::memory_order_relaxed); }) == 0;
  }();
  (void)registered;
}

/// This thread's random engine: a 64-bit Mersenne Twister seeded with 256
/// bits from the operating system (std::random_device), and reseeded in a
/// child process after fork(), so pre-forked workers never repeat their
/// parent's or each other's numbers. Thread-safe (one engine per thread);
/// throws std::system_error only when the OS has no random source.
REKOGNITION_INLINE std::mt19937_64& RandomEngine() {
  struct Seeded {
    std::mt19937_64 engine;
    unsigned generation = 0;
    bool seeded = false;
  };
  thread_local Seeded state;
  RegisterForkHandler();
  const unsigned generation = ForkGeneration().load(std::memory_order_relaxed);
  if (!state.seeded || state.generation != generation) {
    std::random_device device;
    std::array<std::random_device::result_type, 8> words;
    for (auto& word : words) word = device();
    std::seed_seq seed(words.begin(), words.end());
    state.engine.seed(seed);
    state.generation = generation;
    state.seeded = true;
  }
  return state.engine;
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_RANDOM_HPP
