// Test support: start build/bin/rekognition-local on a free port, a temporary
// directory, and the sample data's constants.
#ifndef REKOGNITION_TESTS_REKOGNITION_LOCAL_HPP
#define REKOGNITION_TESTS_REKOGNITION_LOCAL_HPP

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "process.hpp"

namespace testing_support {

/// The model version the sample fixture serves.
constexpr const char* kSampleArn =
    "arn:aws:rekognition:us-east-1:111122223333:project/shelf-products/version/"
    "shelf-products.2024-05-01/1714560000000";
constexpr const char* kTestKeyId = "AKIAREKOGNITIONTEST1";
constexpr const char* kTestSecret = "rekognition-local-test-secret-0123456789";

inline std::string SampleDataDir() {
  return std::string(REKOGNITION_SOURCE_DIR) + "/examples/data";
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

/// A fresh directory under $TMPDIR, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/rekognition-test-XXXXXX";
    if (mkdtemp(&pattern[0]) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// rekognition-local running for the lifetime of the object, accepting
/// kTestKeyId / kTestSecret, logging to a file (a log on an unread pipe would
/// block the server once the pipe fills).
class LocalEndpoint {
 public:
  explicit LocalEndpoint(std::vector<std::string> extra_args = {}) {
    std::vector<std::string> argv = {std::string(REKOGNITION_BIN_DIR) + "/rekognition-local",
                                     "--port",
                                     "0",
                                     "--access-key-id",
                                     kTestKeyId,
                                     "--secret-access-key",
                                     kTestSecret,
                                     "--log-file",
                                     log_path()};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    process_ = std::make_unique<BackgroundProcess>(argv, std::map<std::string, std::string>{});
    const std::string first = process_->ReadLine(std::chrono::seconds(20));
    const std::string prefix = "listening on ";
    if (first.compare(0, prefix.size(), prefix) != 0)
      throw std::runtime_error("rekognition-local did not start: first line '" + first +
                               "', log: " + Log());
    url_ = first.substr(prefix.size());
  }

  const std::string& url() const { return url_; }
  std::string log_path() const { return dir_.path() + "/server.log"; }
  std::string Log() const {
    std::ifstream in(log_path(), std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  /// Stops the server with `signal_number`; returns its exit status.
  int Stop(int signal_number = SIGTERM) { return process_->Stop(signal_number); }
  pid_t pid() const { return process_->pid(); }

 private:
  TempDir dir_;
  std::unique_ptr<BackgroundProcess> process_;
  std::string url_;
};

/// The environment for detect-custom-labels against an endpoint: the test
/// credentials and nothing from the caller's AWS configuration.
inline std::map<std::string, std::string> CliEnvironment() {
  return {{"AWS_ACCESS_KEY_ID", kTestKeyId},
          {"AWS_SECRET_ACCESS_KEY", kTestSecret},
          {"AWS_SESSION_TOKEN", ""},
          {"AWS_PROFILE", ""},
          {"AWS_REGION", ""},
          {"AWS_DEFAULT_REGION", ""},
          {"AWS_ENDPOINT_URL", ""},
          {"AWS_ENDPOINT_URL_REKOGNITION", ""},
          {"AWS_MAX_ATTEMPTS", ""},
          {"AWS_RETRY_MODE", ""},
          {"AWS_CONFIG_FILE", "/dev/null"},
          {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"}};
}

inline std::string CliPath() { return std::string(REKOGNITION_BIN_DIR) + "/detect-custom-labels"; }

/// Splits `text` into lines (without the newlines).
inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace testing_support

#endif  // REKOGNITION_TESTS_REKOGNITION_LOCAL_HPP
