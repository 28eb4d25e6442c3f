// The allocation functions the unit tests measure memory with (see
// tests/support/malloc_accounting.hpp), and a check that they count.
#include "malloc_accounting.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#if REKOGNITION_TEST_MALLOC_ACCOUNTING
#include <malloc.h>

extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
void __libc_free(void* pointer);
}

namespace {

using testing_support::t_malloc_account;

bool Refused(std::size_t size) noexcept {
  if (t_malloc_account.fail_from == 0 || size < t_malloc_account.fail_from) return false;
  errno = ENOMEM;
  return true;
}

void Count(long long bytes) noexcept {
  auto& account = t_malloc_account;
  if (!account.counting) return;
  account.current += bytes;
  if (account.current > account.peak) account.peak = account.current;
}

long long Usable(void* pointer) noexcept {
  return pointer == nullptr ? 0 : static_cast<long long>(malloc_usable_size(pointer));
}

}  // namespace

extern "C" {

void* malloc(std::size_t size) noexcept {
  if (Refused(size)) return nullptr;
  void* pointer = __libc_malloc(size);
  Count(Usable(pointer));
  return pointer;
}

void* calloc(std::size_t count, std::size_t size) noexcept {
  if (size != 0 && count > static_cast<std::size_t>(-1) / size) return __libc_calloc(count, size);
  if (Refused(count * size)) return nullptr;
  void* pointer = __libc_calloc(count, size);
  Count(Usable(pointer));
  return pointer;
}

void* realloc(void* pointer, std::size_t size) noexcept {
  if (Refused(size)) return nullptr;
  const long long before = Usable(pointer);
  void* moved = __libc_realloc(pointer, size);
  if (moved != nullptr || size == 0) Count(Usable(moved) - before);
  return moved;
}

void free(void* pointer) noexcept {
  Count(-Usable(pointer));
  __libc_free(pointer);
}

}  // extern "C"

TEST_CASE("the test allocation functions count the heap and fail on demand", "[support]") {
  using testing_support::FailLargeAllocations;
  using testing_support::HeapUse;
  {
    HeapUse use;
    {
      std::vector<char> block(1 << 20);
      CHECK(use.current() >= (1 << 20));
    }
    CHECK(use.peak() >= (1 << 20));
    CHECK(use.peak() < (1 << 20) + 4096);
    CHECK(use.current() < 4096);
  }
  {
    FailLargeAllocations fail(1 << 16);
    CHECK_THROWS_AS(std::string(1 << 16, 'x'), std::bad_alloc);
    CHECK(std::string(100, 'x').size() == 100);
  }
  CHECK(std::string(1 << 16, 'x').size() == (1u << 16));
}

#endif  // REKOGNITION_TEST_MALLOC_ACCOUNTING
