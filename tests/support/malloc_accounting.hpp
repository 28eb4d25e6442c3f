// Test support: counts the heap bytes the calling thread holds, and makes its
// large allocations fail on demand. malloc, calloc, realloc and free are
// replaced for the whole unit test executable (the definitions are in
// tests/unit/malloc_accounting_test.cpp and forward to glibc's own), so
// memory taken by C libraries (RapidJSON, libcurl) counts too. Only with
// glibc and without a sanitizer (which replaces malloc itself): elsewhere
// REKOGNITION_TEST_MALLOC_ACCOUNTING is 0 and the tests using it are left out.
#ifndef REKOGNITION_TESTS_SUPPORT_MALLOC_ACCOUNTING_HPP
#define REKOGNITION_TESTS_SUPPORT_MALLOC_ACCOUNTING_HPP

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define REKOGNITION_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define REKOGNITION_TEST_SANITIZED 1
#endif
#endif

#if defined(__GLIBC__) && !defined(REKOGNITION_TEST_SANITIZED)
#define REKOGNITION_TEST_MALLOC_ACCOUNTING 1
#else
#define REKOGNITION_TEST_MALLOC_ACCOUNTING 0
#endif

namespace testing_support {

// What the replaced allocation functions do on this thread.
struct MallocAccount {
  bool counting = false;
  long long current = 0;      // bytes allocated minus bytes freed since counting began
  long long peak = 0;         // the highest `current`
  std::size_t fail_from = 0;  // when non-zero, requests of at least this many bytes fail
};
inline thread_local MallocAccount t_malloc_account;

// Counts the calling thread's heap use while it lives (usable sizes, as
// malloc_usable_size reports them). Not nestable.
class HeapUse {
 public:
  HeapUse() noexcept { t_malloc_account = MallocAccount{true, 0, 0, t_malloc_account.fail_from}; }
  ~HeapUse() { t_malloc_account.counting = false; }
  HeapUse(const HeapUse&) = delete;
  HeapUse& operator=(const HeapUse&) = delete;
  // The most held at once since construction, in bytes.
  long long peak() const noexcept { return t_malloc_account.peak; }
  // Held now, in bytes.
  long long current() const noexcept { return t_malloc_account.current; }
};

// Makes the calling thread's allocations of at least `bytes` fail (malloc
// returns null, operator new throws std::bad_alloc) while it lives.
class FailLargeAllocations {
 public:
  explicit FailLargeAllocations(std::size_t bytes) noexcept { t_malloc_account.fail_from = bytes; }
  ~FailLargeAllocations() { t_malloc_account.fail_from = 0; }
  FailLargeAllocations(const FailLargeAllocations&) = delete;
  FailLargeAllocations& operator=(const FailLargeAllocations&) = delete;
};

}  // namespace testing_support

#endif  // REKOGNITION_TESTS_SUPPORT_MALLOC_ACCOUNTING_HPP
