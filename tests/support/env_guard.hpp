// Test support: change process environment variables for one scope and put
// every one of them back (set to its old value, or unset) when it ends.
#ifndef REKOGNITION_TESTS_ENV_GUARD_HPP
#define REKOGNITION_TESTS_ENV_GUARD_HPP

#include <cstdlib>
#include <map>
#include <optional>
#include <string>

namespace testing_support {

/// Sets and unsets environment variables; the destructor restores each one
/// it touched to what it was before the first change. Not thread-safe (the
/// environment is process-wide): use it where no other thread reads it.
class ScopedEnvironment {
 public:
  ScopedEnvironment() = default;
  /// Applies `changes` at once: a value sets the variable, nullopt unsets it.
  explicit ScopedEnvironment(const std::map<std::string, std::optional<std::string>>& changes) {
    for (const auto& [name, value] : changes) {
      if (value)
        Set(name, *value);
      else
        Unset(name);
    }
  }
  ~ScopedEnvironment() {
    for (const auto& [name, value] : saved_) {
      if (value)
        ::setenv(name.c_str(), value->c_str(), 1);
      else
        ::unsetenv(name.c_str());
    }
  }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

  void Set(const std::string& name, const std::string& value) {
    Remember(name);
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  void Unset(const std::string& name) {
    Remember(name);
    ::unsetenv(name.c_str());
  }

 private:
  void Remember(const std::string& name) {
    if (saved_.count(name) != 0) return;
    const char* value = std::getenv(name.c_str());
    saved_[name] = value ? std::optional<std::string>(value) : std::nullopt;
  }
  std::map<std::string, std::optional<std::string>> saved_;
};

}  // namespace testing_support

#endif  // REKOGNITION_TESTS_ENV_GUARD_HPP
