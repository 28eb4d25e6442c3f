// rekognition-cpp: everything the library needs from the operating system
// beyond standard C++, in one place (POSIX: Linux, macOS, the BSDs): running
// a program without a shell and collecting its output, reading a regular
// file without blocking on FIFOs, parsing IP addresses, asking the kernel
// when a TCP connection last received data. A port to another
// system (Windows is not supported yet) replaces this file.
#ifndef REKOGNITION_DETAIL_POSIX_HPP
#define REKOGNITION_DETAIL_POSIX_HPP

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "rekognition/version.hpp"

// The process environment, passed on to the child unchanged.
extern char** environ;

REKOGNITION_NAMESPACE_BEGIN
namespace detail {

/// How a subprocess run ended.
enum class SubprocessOutcome {
  kExited,          ///< it exited by itself; see exit_code
  kSignaled,        ///< a signal ended it; see signal
  kTimedOut,        ///< it ran past the timeout and was killed
  kOutputTooLarge,  ///< it wrote more than the cap and was killed
  kSpawnFailed,     ///< it could not be started; see spawn_error (an errno)
};

/// What a run left behind.
struct SubprocessResult {
  SubprocessOutcome outcome = SubprocessOutcome::kSpawnFailed;
  int exit_code = -1;
  int signal = 0;
  int spawn_error = 0;
  std::string out;  ///< standard output (at most the cap)
  std::string err;  ///< the start of standard error (at most 4 KiB)
};

// Owns a file descriptor.
class SubprocessFd {
 public:
  SubprocessFd() = default;
  explicit SubprocessFd(int fd) : fd_(fd) {}
  SubprocessFd(const SubprocessFd&) = delete;
  SubprocessFd& operator=(const SubprocessFd&) = delete;
  SubprocessFd(SubprocessFd&& other) noexcept : fd_(other.Release()) {}
  SubprocessFd& operator=(SubprocessFd&& other) noexcept {
    Reset(other.Release());
    return *this;
  }
  ~SubprocessFd() { Reset(); }
  int get() const noexcept { return fd_; }
  void Reset(int fd = -1) noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }
  // Gives up ownership.
  int Release() noexcept {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

// A close-on-exec pipe whose ends are above the standard descriptors, so the
// child's dup2 onto 1 and 2 always clears close-on-exec on the copy.
REKOGNITION_INLINE bool MakeSubprocessPipe(SubprocessFd& read_end, SubprocessFd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  for (int& fd : fds) {
    if (fd <= 2) {
      const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
      ::close(fd);
      fd = moved;
    }
  }
  read_end.Reset(fds[0]);
  write_end.Reset(fds[1]);
  return fds[0] >= 0 && fds[1] >= 0;
}

// Waits for a child that was just killed with SIGKILL.
REKOGNITION_INLINE void ReapKilledSubprocess(pid_t pid) noexcept {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

/// How SpawnProcess starts a program.
struct SpawnOptions {
  bool capture_stdout = true;        ///< stdout on a pipe (else inherited)
  bool capture_stderr = true;        ///< stderr on a pipe (else inherited)
  bool stdin_from_dev_null = false;  ///< stdin from /dev/null (else inherited)
  /// "NAME=value" entries of the child's environment; null: this process's.
  const std::vector<std::string>* environment = nullptr;
};

/// A started program: its pid and the read ends of what was captured.
struct SpawnedProcess {
  pid_t pid = -1;
  SubprocessFd out;  ///< its stdout, when captured
  SubprocessFd err;  ///< its stderr, when captured
  int error = 0;     ///< an errno value when it could not be started (pid -1)
};

/// Starts `argv` (argv[0] looked up in PATH, as execvp does) with no shell,
/// no blocked signals and default SIGPIPE. Every descriptor made here is
/// close-on-exec, so concurrent spawns do not leak pipes into each other's
/// children. The one way every part of the project starts a program.
/// Thread-safe; throws only std::bad_alloc.
REKOGNITION_INLINE SpawnedProcess SpawnProcess(const std::vector<std::string>& argv,
                                               const SpawnOptions& options = {}) {
  SpawnedProcess process;
  if (argv.empty()) {
    process.error = EINVAL;
    return process;
  }
  SubprocessFd out_write, err_write;
  if ((options.capture_stdout && !MakeSubprocessPipe(process.out, out_write)) ||
      (options.capture_stderr && !MakeSubprocessPipe(process.err, err_write))) {
    process.error = errno != 0 ? errno : EMFILE;
    process.out.Reset();
    process.err.Reset();
    return process;
  }

  std::vector<std::string> arguments(argv);
  std::vector<char*> pointers;
  pointers.reserve(arguments.size() + 1);
  for (auto& argument : arguments) pointers.push_back(&argument[0]);
  pointers.push_back(nullptr);
  std::vector<std::string> variables;
  std::vector<char*> environment;
  if (options.environment) {
    variables = *options.environment;
    environment.reserve(variables.size() + 1);
    for (auto& variable : variables) environment.push_back(&variable[0]);
    environment.push_back(nullptr);
  }

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attributes);
  if (options.capture_stdout) posix_spawn_file_actions_adddup2(&actions, out_write.get(), 1);
  if (options.capture_stderr) posix_spawn_file_actions_adddup2(&actions, err_write.get(), 2);
  if (options.stdin_from_dev_null)
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  // The child starts with no blocked signals and default SIGPIPE, whatever
  // this process does with them.
  sigset_t empty_set, default_set;
  sigemptyset(&empty_set);
  sigemptyset(&default_set);
  sigaddset(&default_set, SIGPIPE);
  posix_spawnattr_setsigmask(&attributes, &empty_set);
  posix_spawnattr_setsigdefault(&attributes, &default_set);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  const int spawned =
      ::posix_spawnp(&process.pid, pointers[0], &actions, &attributes, pointers.data(),
                     options.environment ? environment.data() : environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    process.pid = -1;
    process.error = spawned;
    process.out.Reset();
    process.err.Reset();
  }
  return process;
}

/// Runs `argv` (argv[0] is looked up in PATH, as execvp does) with no shell,
/// the process environment, stdin inherited and stdout/stderr captured.
/// Kills it (SIGKILL) when it runs longer than `timeout` or writes more than
/// `max_output` bytes to stdout. Thread-safe: descriptors are close-on-exec,
/// so concurrent runs do not leak pipes into each other's children. Throws
/// only std::bad_alloc.
REKOGNITION_INLINE SubprocessResult RunSubprocess(const std::vector<std::string>& argv,
                                                  std::chrono::milliseconds timeout,
                                                  std::size_t max_output) {
  constexpr std::size_t kMaxStderr = 4096;
  SubprocessResult result;
  SpawnedProcess process = SpawnProcess(argv);
  if (process.pid < 0) {
    result.spawn_error = process.error;
    return result;
  }
  const pid_t pid = process.pid;
  SubprocessFd out_read = std::move(process.out);
  SubprocessFd err_read = std::move(process.err);

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool out_open = true, err_open = true;
  bool killed = false;
  char buffer[4096];
  while (out_open || err_open) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      killed = true;
      result.outcome = SubprocessOutcome::kTimedOut;
      break;
    }
    pollfd fds[2];
    nfds_t count = 0;
    if (out_open) fds[count++] = pollfd{out_read.get(), POLLIN, 0};
    if (err_open) fds[count++] = pollfd{err_read.get(), POLLIN, 0};
    const int ready = ::poll(fds, count, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) {
      ::kill(pid, SIGKILL);
      killed = true;
      result.outcome = SubprocessOutcome::kTimedOut;
      break;
    }
    if (ready <= 0) continue;
    for (nfds_t i = 0; i < count; ++i) {
      if (fds[i].revents == 0) continue;
      const bool is_out = fds[i].fd == out_read.get();
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) {
        (is_out ? out_open : err_open) = false;
        continue;
      }
      if (is_out) {
        if (result.out.size() + static_cast<std::size_t>(n) > max_output) {
          ::kill(pid, SIGKILL);
          killed = true;
          result.outcome = SubprocessOutcome::kOutputTooLarge;
          break;
        }
        result.out.append(buffer, static_cast<std::size_t>(n));
      } else if (result.err.size() < kMaxStderr) {
        result.err.append(buffer,
                          std::min(static_cast<std::size_t>(n), kMaxStderr - result.err.size()));
      }
    }
    if (killed) break;
  }
  if (killed) {
    ReapKilledSubprocess(pid);
    return result;
  }

  // Both pipes are closed; the child normally exits right after. Wait for it
  // within what is left of the timeout.
  for (;;) {
    int status = 0;
    const pid_t waited = ::waitpid(pid, &status, WNOHANG);
    if (waited == pid) {
      if (WIFEXITED(status)) {
        result.outcome = SubprocessOutcome::kExited;
        result.exit_code = WEXITSTATUS(status);
      } else {
        result.outcome = SubprocessOutcome::kSignaled;
        result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
      }
      return result;
    }
    if (waited < 0 && errno != EINTR) {
      result.outcome = SubprocessOutcome::kExited;
      result.exit_code = -1;
      return result;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ReapKilledSubprocess(pid);
      result.outcome = SubprocessOutcome::kTimedOut;
      return result;
    }
    ::poll(nullptr, 0, 5);
  }
}

/// What ReadRegularFile found.
enum class FileReadStatus {
  kRead,        ///< `out` holds the whole file
  kMissing,     ///< no such file (or a path through a non-directory, a loop, a FIFO without writer)
  kNotRegular,  ///< a directory, device or FIFO: treated as no file
  kOpenFailed,  ///< it exists but cannot be opened; see error_number
  kReadFailed,  ///< reading failed; see error_number
  kTooLarge,    ///< larger than the limit
};

/// What stat() says of a path: found (else error_number), a regular file,
/// its size.
struct PathStatus {
  bool found = false;
  int error_number = 0;
  bool regular = false;
  unsigned long long size = 0;
};

/// Looks at `path` without opening it (a FIFO never blocks). No throw.
/// Thread-safe.
REKOGNITION_INLINE PathStatus StatPath(const std::string& path) noexcept {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return {false, errno, false, 0};
  return {true, 0, S_ISREG(info.st_mode), static_cast<unsigned long long>(info.st_size)};
}

/// The status of ReadRegularFile and the errno behind a failure.
struct FileReadResult {
  FileReadStatus status = FileReadStatus::kMissing;
  int error_number = 0;
};

/// Reads the regular file at `path`, at most `max_bytes`, into `out`.
/// Opening never waits (a FIFO without writer is "missing", any non-regular
/// file "not regular"). Throws std::bad_alloc only. Thread-safe.
REKOGNITION_INLINE FileReadResult ReadRegularFile(const std::string& path, std::size_t max_bytes,
                                                  std::string& out) {
  out.clear();
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR || error == ELOOP || error == ENXIO)
      return {FileReadStatus::kMissing, error};
    return {FileReadStatus::kOpenFailed, error};
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return {FileReadStatus::kNotRegular, 0};
  }
  char buffer[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      return {FileReadStatus::kReadFailed, error};
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > max_bytes) {
      ::close(fd);
      return {FileReadStatus::kTooLarge, 0};
    }
    out.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return {FileReadStatus::kRead, 0};
}

/// Parses a dotted-quad IPv4 address into its 4 bytes (network order).
/// Returns false for anything else. Never throws. Thread-safe.
REKOGNITION_INLINE bool ParseIpv4Address(const std::string& text,
                                         unsigned char (&out)[4]) noexcept {
  in_addr address{};
  if (::inet_pton(AF_INET, text.c_str(), &address) != 1) return false;
  std::memcpy(out, &address, sizeof out);
  return true;
}

/// Parses an IPv6 address (RFC 4291 text forms) into its 16 bytes. Returns
/// false for anything else. Never throws. Thread-safe.
REKOGNITION_INLINE bool ParseIpv6Address(const std::string& text,
                                         unsigned char (&out)[16]) noexcept {
  in6_addr address{};
  if (::inet_pton(AF_INET6, text.c_str(), &address) != 1) return false;
  std::memcpy(out, &address, sizeof out);
  return true;
}

// True when `address` (from getsockname or getpeername) is `ip`:`port`.
REKOGNITION_INLINE bool SocketAddressIs(const sockaddr_storage& address, const char* ip,
                                        long port) noexcept {
  if (address.ss_family == AF_INET) {
    sockaddr_in v4{};
    std::memcpy(&v4, &address, sizeof v4);
    in_addr expected{};
    return ntohs(v4.sin_port) == port && ::inet_pton(AF_INET, ip, &expected) == 1 &&
           std::memcmp(&expected, &v4.sin_addr, sizeof expected) == 0;
  }
  if (address.ss_family == AF_INET6) {
    sockaddr_in6 v6{};
    std::memcpy(&v6, &address, sizeof v6);
    in6_addr expected{};
    return ntohs(v6.sin6_port) == port && ::inet_pton(AF_INET6, ip, &expected) == 1 &&
           std::memcmp(&expected, &v6.sin6_addr, sizeof expected) == 0;
  }
  return false;
}

/// How long ago the kernel last received data on this process's TCP
/// connection from `local_ip`:`local_port` to `peer_ip`:`peer_port` (numeric
/// addresses, as libcurl reports them), bytes not yet read by the program
/// included: Linux's TCP_INFO tcpi_last_data_recv, in milliseconds. The
/// socket is found among the process's open descriptors (/proc/self/fd), so
/// this costs a few system calls per descriptor: call it rarely. Returns
/// false when there is no such connection or the system cannot tell (any
/// other than Linux). Never throws. Thread-safe.
REKOGNITION_INLINE bool TcpReceiveIdleTime(const char* local_ip, long local_port,
                                           const char* peer_ip, long peer_port,
                                           std::chrono::milliseconds& idle) noexcept {
#if defined(__linux__)
  DIR* directory = ::opendir("/proc/self/fd");
  if (directory == nullptr) return false;
  bool found = false;
  while (const dirent* entry = ::readdir(directory)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == ::dirfd(directory)) continue;
    const int socket = static_cast<int>(fd);
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
        !SocketAddressIs(address, local_ip, local_port))
      continue;
    length = sizeof address;
    if (::getpeername(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
        !SocketAddressIs(address, peer_ip, peer_port))
      continue;
    tcp_info info{};
    length = sizeof info;
    if (::getsockopt(socket, IPPROTO_TCP, TCP_INFO, &info, &length) != 0 ||
        length < offsetof(tcp_info, tcpi_last_data_recv) + sizeof info.tcpi_last_data_recv)
      break;
    idle = std::chrono::milliseconds(info.tcpi_last_data_recv);
    found = true;
    break;
  }
  ::closedir(directory);
  return found;
#else
  (void)local_ip;
  (void)local_port;
  (void)peer_ip;
  (void)peer_port;
  (void)idle;
  return false;
#endif
}

}  // namespace detail
REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_POSIX_HPP
