// rekognition-local: connection handling below the HTTP requests.
//
// - Closing accepted connections from outside the HTTP server: cpp-httplib
//   does not hand its connection sockets to handlers, and it keeps idle
//   keep-alive connections open until their timeout even after stop(). Both
//   the "drop" fault and a prompt shutdown need to close such sockets, so
//   they are found by their addresses among the process's descriptors (Linux).
// - Deadlines: a request's line and headers must arrive within a deadline
//   (a client sending a byte a second cannot hold a worker for long), and
//   workers are started on demand, so slow clients never starve others.
// - Framing: a request whose body length is ambiguous (chunked, or
//   conflicting Content-Length headers) is answered 400 and its connection
//   closed, so the unread body is never parsed as a request.
#ifndef REKOGNITION_LOCAL_CONNECTIONS_HPP
#define REKOGNITION_LOCAL_CONNECTIONS_HPP

#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace rekognition_local {

namespace connections_detail {

inline int Port(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET)
    return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  if (address.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  return -1;
}

// Held while the descriptor table is scanned and while a served connection
// is closed, so a scan never looks at a descriptor being closed (or one
// reused by another connection meanwhile).
inline std::mutex& SocketTableMutex() {
  static std::mutex mutex;
  return mutex;
}

// Calls `visit(fd, local_port, peer_port)` for every connected TCP socket.
inline void ForEachConnectedSocket(const std::function<void(int, int, int)>& visit) {
  std::lock_guard<std::mutex> lock(SocketTableMutex());
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return;
  const int own = dirfd(dir);
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == own) continue;
    struct stat info {};
    if (fstat(static_cast<int>(fd), &info) != 0 || !S_ISSOCK(info.st_mode)) continue;
    sockaddr_storage local{}, peer{};
    socklen_t local_size = sizeof local, peer_size = sizeof peer;
    if (getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&local), &local_size) != 0)
      continue;
    if (getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&peer), &peer_size) != 0)
      continue;
    visit(static_cast<int>(fd), Port(local), Port(peer));
  }
  closedir(dir);
}

}  // namespace connections_detail

/// Shuts down the connection between our `local_port` and the peer's
/// `peer_port`: the peer sees the connection closed with no answer. Only
/// safe for a connection the calling thread is serving (it cannot be closed
/// and its descriptor reused meanwhile).
inline bool DropConnection(int local_port, int peer_port) {
  bool dropped = false;
  connections_detail::ForEachConnectedSocket([&](int fd, int local, int peer) {
    if (local == local_port && peer == peer_port) {
      // A zero linger turns the close into a reset, as a crashed server's would be.
      linger no_linger{1, 0};
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &no_linger, sizeof no_linger);
      dropped = shutdown(fd, SHUT_RDWR) == 0;
    }
  });
  return dropped;
}

/// Shuts down every accepted connection on `local_port` (idle keep-alive
/// ones included) so the server's workers return at once. Call after the
/// server stopped accepting.
inline void ShutdownConnections(int local_port) {
  connections_detail::ForEachConnectedSocket([&](int fd, int local, int) {
    if (local == local_port) shutdown(fd, SHUT_RDWR);
  });
}

/// Time limits of one connection.
struct ConnectionLimits {
  /// The request line and headers must all arrive within this, counted from
  /// the request's first byte.
  std::chrono::milliseconds head_timeout{5000};
  /// Longest silence while a body is read.
  std::chrono::milliseconds body_idle_timeout{5000};
  /// The whole request (head and body) must arrive within this.
  std::chrono::milliseconds request_timeout{60000};
  /// Longest wait for the client to take bytes of an answer.
  std::chrono::milliseconds write_timeout{30000};
  /// How long an idle keep-alive connection is kept.
  std::chrono::milliseconds keep_alive_timeout{2000};
};

namespace connections_detail {

// True when `fd` is readable (or hung up) within `timeout`; a negative
// timeout means none is left.
inline bool WaitFor(int fd, short events, std::chrono::milliseconds timeout) {
  if (timeout.count() < 0) return false;
  pollfd entry{fd, events, 0};
  int ready;
  do {
    ready = poll(&entry, 1, static_cast<int>(std::min<long long>(timeout.count(), 1 << 30)));
  } while (ready < 0 && errno == EINTR);
  return ready > 0;
}

inline void Address(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (address.ss_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(address).sin_addr, text, sizeof text);
  else if (address.ss_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(address).sin6_addr, text,
              sizeof text);
  ip = text;
  port = Port(address);
}

// Set by a handler on the thread serving the connection: close it after the answer.
inline thread_local bool close_after_response = false;

}  // namespace connections_detail

/// Asks the connection serving the current request to close after its
/// answer is written. Call from a cpp-httplib handler (same thread).
inline void CloseAfterResponse() { connections_detail::close_after_response = true; }

/// A socket stream for cpp-httplib that enforces ConnectionLimits: reads of
/// the request head fail once the head deadline passes, reads of the body
/// after `body_idle_timeout` of silence or at the request deadline. Not
/// thread-safe (one connection, one thread).
class DeadlineStream : public httplib::Stream {
 public:
  DeadlineStream(int fd, const ConnectionLimits& limits) : fd_(fd), limits_(limits) {}

  /// Starts the clocks of a new request on this connection.
  void StartRequest() {
    started_ = std::chrono::steady_clock::now();
    head_done_ = false;
    head_tail_ = 0;
    expired_ = false;
  }
  /// True once a deadline passed: the connection must be closed.
  bool expired() const { return expired_; }
  /// True when bytes of a next request are already buffered.
  bool HasBuffered() const { return offset_ < buffered_; }

  bool is_readable() const override {
    if (HasBuffered()) return true;
    return connections_detail::WaitFor(fd_, POLLIN, ReadBudget());
  }
  bool is_writable() const override {
    return connections_detail::WaitFor(fd_, POLLOUT, limits_.write_timeout);
  }

  ssize_t read(char* ptr, size_t size) override {
    if (!HasBuffered()) {
      if (!is_readable()) {
        expired_ = true;
        return -1;
      }
      ssize_t n;
      do {
        n = recv(fd_, buffer_, sizeof buffer_, 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      offset_ = 0;
      buffered_ = static_cast<std::size_t>(n);
    }
    std::size_t count = std::min(size, buffered_ - offset_);
    // The head ends at the first empty line: CR LF CR LF (or LF LF).
    if (!head_done_) {
      for (std::size_t i = 0; i < count; ++i) {
        const char c = buffer_[offset_ + i];
        head_tail_ = c == '\n' ? (head_tail_ == 0 ? 1 : 2) : c == '\r' ? head_tail_ : 0;
        if (head_tail_ == 2) {
          head_done_ = true;
          count = i + 1;  // the body's bytes are counted against the body's limits
          break;
        }
      }
    }
    std::memcpy(ptr, buffer_ + offset_, count);
    offset_ += count;
    return static_cast<ssize_t>(count);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n;
    do {
      n = send(fd_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t size = sizeof address;
    if (getpeername(fd_, reinterpret_cast<sockaddr*>(&address), &size) == 0)
      connections_detail::Address(address, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t size = sizeof address;
    if (getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) == 0)
      connections_detail::Address(address, ip, port);
  }
  socket_t socket() const override { return fd_; }

 private:
  // How long the next read may wait.
  std::chrono::milliseconds ReadBudget() const {
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    const auto now = std::chrono::steady_clock::now();
    const auto to_request_deadline =
        duration_cast<milliseconds>(started_ + limits_.request_timeout - now);
    if (!head_done_)
      return std::min(duration_cast<milliseconds>(started_ + limits_.head_timeout - now),
                      to_request_deadline);
    return std::min(limits_.body_idle_timeout, to_request_deadline);
  }

  int fd_;
  ConnectionLimits limits_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  bool head_done_ = false;
  int head_tail_ = 0;  // line feeds seen at the end of the head so far (CRs skipped)
  mutable bool expired_ = false;
  char buffer_[4096];
  std::size_t offset_ = 0;
  std::size_t buffered_ = 0;
};

/// A cpp-httplib task queue that starts a worker whenever none is idle, up
/// to `max_threads`, so connections waiting for slow clients never make
/// others wait while the limit is not reached. Thread-safe.
class OnDemandThreadPool : public httplib::TaskQueue {
 public:
  explicit OnDemandThreadPool(std::size_t max_threads) : max_threads_(max_threads) {}
  ~OnDemandThreadPool() override { shutdown(); }

  /// Runs `task` on an idle worker, a new one, or (at the limit) the first
  /// worker to become free.
  void enqueue(std::function<void()> task) override {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back(std::move(task));
    if (idle_ < tasks_.size() && threads_.size() < max_threads_)
      threads_.emplace_back([this] { Work(); });
    else
      ready_.notify_one();
  }

  /// Lets the workers finish the queued tasks, then joins them.
  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    ready_.notify_all();
    for (auto& thread : threads_) thread.join();
  }

 private:
  void Work() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      ++idle_;
      ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      --idle_;
      if (tasks_.empty()) return;  // stopping, nothing left
      auto task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
      lock.lock();
    }
  }

  const std::size_t max_threads_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

/// A cpp-httplib server whose connections run on DeadlineStream: the
/// keep-alive loop of cpp-httplib, with ConnectionLimits enforced and
/// CloseAfterResponse() honoured.
class DeadlineServer : public httplib::Server {
 public:
  explicit DeadlineServer(ConnectionLimits limits) : limits_(limits) {}

 private:
  bool process_and_close_socket(socket_t sock) override {
    DeadlineStream stream(sock, limits_);
    bool ok = false;
    for (std::size_t count = keep_alive_max_count_;
         svr_sock_ != INVALID_SOCKET && count > 0 && !stream.expired(); --count) {
      // An idle keep-alive connection is closed after its timeout.
      if (!stream.HasBuffered() &&
          !connections_detail::WaitFor(sock, POLLIN, limits_.keep_alive_timeout))
        break;
      stream.StartRequest();
      connections_detail::close_after_response = false;
      bool connection_closed = false;
      ok = process_request(stream, count == 1, connection_closed, nullptr);
      if (!ok || connection_closed || connections_detail::close_after_response) break;
    }
    connections_detail::close_after_response = false;
    ::shutdown(sock, SHUT_RDWR);
    {
      std::lock_guard<std::mutex> lock(connections_detail::SocketTableMutex());
      ::close(sock);
    }
    return ok;
  }

  ConnectionLimits limits_;
};

/// Why the body of `request` has no single length, or nothing when it has:
/// any Transfer-Encoding (the service takes Content-Length bodies only), or
/// Content-Length headers (or comma-separated values) that disagree.
inline std::optional<std::string> AmbiguousFraming(const httplib::Request& request) {
  if (request.has_header("Transfer-Encoding"))
    return std::string("Transfer-Encoding is not supported; send a Content-Length body");
  std::optional<std::string> length;
  const std::size_t count = request.get_header_value_count("Content-Length");
  for (std::size_t i = 0; i < count; ++i) {
    const std::string values = request.get_header_value("Content-Length", i);
    std::size_t start = 0;
    while (start <= values.size()) {
      std::size_t end = values.find(',', start);
      if (end == std::string::npos) end = values.size();
      std::string value = values.substr(start, end - start);
      value.erase(0, value.find_first_not_of(" \t"));
      value.erase(value.find_last_not_of(" \t") + 1);
      if (length && *length != value) return std::string("conflicting Content-Length headers");
      length = value;
      start = end + 1;
    }
  }
  return std::nullopt;
}

}  // namespace rekognition_local

#endif  // REKOGNITION_LOCAL_CONNECTIONS_HPP
