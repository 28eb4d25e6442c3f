// Test support: run programs (the CLI, moto_server, rekognition-local) from tests.
#ifndef REKOGNITION_TESTS_PROCESS_HPP
#define REKOGNITION_TESTS_PROCESS_HPP

#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "rekognition/detail/posix.hpp"

namespace testing_support {

/// What a finished program left behind.
struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// The current environment with `overrides` applied (an empty value unsets).
inline std::vector<std::string> MakeEnvironment(
    const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> env;
  for (char** entry = environ; *entry; ++entry) {
    std::string line(*entry);
    const auto eq = line.find('=');
    if (eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  for (const auto& [name, value] : overrides) {
    if (value.empty())
      env.erase(name);
    else
      env[name] = value;
  }
  std::vector<std::string> out;
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

namespace detail {
// Starts argv with stdout and stderr on pipes and stdin from /dev/null, through
// the library's one spawning function. Returns 0 or the spawn error; the
// read ends land in out_fd/err_fd.
inline int SpawnWithPipes(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env, pid_t& pid, int& out_fd,
                          int& err_fd) {
  const std::vector<std::string> environment = MakeEnvironment(env);
  rekognition::detail::SpawnOptions options;
  options.stdin_from_dev_null = true;
  options.environment = &environment;
  rekognition::detail::SpawnedProcess process = rekognition::detail::SpawnProcess(argv, options);
  if (process.pid < 0) return process.error;
  pid = process.pid;
  out_fd = process.out.Release();
  err_fd = process.err.Release();
  return 0;
}
}  // namespace detail

/// A program running in the background with stdout/stderr on pipes; killed
/// (SIGTERM, then SIGKILL) when destroyed.
class BackgroundProcess {
 public:
  BackgroundProcess(std::vector<std::string> argv,
                    const std::map<std::string, std::string>& env = {}) {
    const int rc = detail::SpawnWithPipes(argv, env, pid_, out_fd_, err_fd_);
    if (rc != 0) {
      pid_ = -1;
      throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    }
  }
  ~BackgroundProcess() { Stop(); }
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  /// Reads stdout until a full line arrives (or the timeout); empty on timeout/EOF.
  std::string ReadLine(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      const auto newline = out_buffer_.find('\n');
      if (newline != std::string::npos) {
        std::string line = out_buffer_.substr(0, newline);
        out_buffer_.erase(0, newline + 1);
        return line;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return {};
      pollfd pfd{out_fd_, POLLIN, 0};
      if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return {};
      char buffer[4096];
      const ssize_t n = read(out_fd_, buffer, sizeof buffer);
      if (n <= 0) return {};
      out_buffer_.append(buffer, static_cast<std::size_t>(n));
    }
  }

  /// Sends `signal_number` and waits for the exit; returns the exit status
  /// (128 + signal when killed by one). Collects remaining stderr.
  int Stop(int signal_number = SIGTERM) {
    if (pid_ <= 0) return exit_status_;
    kill(pid_, signal_number);
    int status = 0;
    for (int i = 0; i < 100; ++i) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (i == 99) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
      }
    }
    pid_ = -1;
    close(out_fd_);
    close(err_fd_);
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_status_;
  }

  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  int exit_status_ = -1;
  std::string out_buffer_;
};

/// Runs a program to completion and captures its output (with a time limit).
inline ProcessResult RunProcess(std::vector<std::string> argv,
                                const std::map<std::string, std::string>& env = {},
                                std::chrono::seconds timeout = std::chrono::seconds(120)) {
  pid_t pid = -1;
  int out_fd = -1, err_fd = -1;
  const int rc = detail::SpawnWithPipes(argv, env, pid, out_fd, err_fd);
  ProcessResult result;
  if (rc != 0) {
    result.err = "cannot start " + argv[0] + ": " + std::strerror(rc);
    return result;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open_fds = 2;
  while (open_fds > 0 && std::chrono::steady_clock::now() < deadline) {
    if (poll(fds, 2, 200) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char buffer[65536];
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
      }
    }
  }
  for (auto& fd : fds)
    if (fd.fd >= 0) close(fd.fd);
  int status = 0;
  if (open_fds > 0) kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
inline int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

/// Waits up to 20 s until something accepts connections on 127.0.0.1:`port`;
/// false when nothing does.
inline bool WaitUntilListening(int port) {
  for (int i = 0; i < 200; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool up = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    if (up) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

/// True when `program` is found on PATH.
inline bool OnPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::string paths(path);
  std::size_t start = 0;
  while (start <= paths.size()) {
    const auto end = paths.find(':', start);
    const std::string dir =
        paths.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!dir.empty() && access((dir + "/" + program).c_str(), X_OK) == 0) return true;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return false;
}

}  // namespace testing_support

#endif  // REKOGNITION_TESTS_PROCESS_HPP
