// Test support: a raw-socket HTTP peer on 127.0.0.1 that plays a script per
// connection (bytes to send, pauses, a clean close, a reset, or never
// answering), for fault-injection tests. It reads each request (headers and a
// Content-Length body) before playing its connection's script, counts the
// requests it read (the client's attempts) and keeps them for inspection.
#ifndef REKOGNITION_TESTS_SCRIPTED_SERVER_HPP
#define REKOGNITION_TESTS_SCRIPTED_SERVER_HPP

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace testing_support {

/// What one connection does after reading a request: steps run in order.
class ConnectionScript {
 public:
  /// Writes `bytes` at once.
  ConnectionScript& Send(std::string bytes) {
    steps_.push_back({Kind::kSend, std::move(bytes), std::chrono::milliseconds(0)});
    return *this;
  }
  /// Writes `bytes` in pieces of `piece` bytes with `pause` between them.
  ConnectionScript& SendSlowly(const std::string& bytes, std::size_t piece,
                               std::chrono::milliseconds pause) {
    for (std::size_t at = 0; at < bytes.size(); at += piece) {
      if (at > 0) Pause(pause);
      Send(bytes.substr(at, piece));
    }
    return *this;
  }
  /// Waits (the connection stays open and silent).
  ConnectionScript& Pause(std::chrono::milliseconds duration) {
    steps_.push_back({Kind::kPause, {}, duration});
    return *this;
  }
  /// Reads the next request on the same connection (keep-alive).
  ConnectionScript& ReadRequest() {
    steps_.push_back({Kind::kReadRequest, {}, std::chrono::milliseconds(0)});
    return *this;
  }
  /// Closes with a TCP reset (SO_LINGER 0), as a crashed peer would.
  ConnectionScript& Reset() {
    steps_.push_back({Kind::kReset, {}, std::chrono::milliseconds(0)});
    return *this;
  }
  /// Never sends another byte; the connection stays open until the server stops.
  ConnectionScript& Hang() {
    steps_.push_back({Kind::kHang, {}, std::chrono::milliseconds(0)});
    return *this;
  }
  // A script that ends without Reset or Hang closes the connection cleanly.

 private:
  friend class ScriptedServer;
  enum class Kind { kSend, kPause, kReadRequest, kReset, kHang };
  struct Step {
    Kind kind;
    std::string bytes;
    std::chrono::milliseconds duration;
  };
  std::vector<Step> steps_;
};

/// An HTTP/1.1 response with a Content-Length matching `body` unless
/// `headers` already carries one (or a Transfer-Encoding).
inline std::string HttpResponseBytes(
    int status, const std::string& reason,
    const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
  bool has_length = false;
  for (const auto& [name, value] : headers) {
    out += name + ": " + value + "\r\n";
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    has_length = has_length || lower == "content-length" || lower == "transfer-encoding";
  }
  if (!has_length) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return out + "\r\n" + body;
}

/// A JSON error answer as the service sends it: {"__type", "message"} and a request id.
inline std::string JsonErrorResponse(int status, const std::string& type,
                                     const std::string& message = "it failed") {
  return HttpResponseBytes(status, "Error",
                           {{"Content-Type", "application/x-amz-json-1.1"},
                            {"x-amzn-RequestId", "11111111-2222-3333-4444-555555555555"}},
                           "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
}

/// A 200 answer carrying `body` as the operation's JSON result.
inline std::string JsonOkResponse(const std::string& body = "{\"CustomLabels\":[]}") {
  return HttpResponseBytes(200, "OK",
                           {{"Content-Type", "application/x-amz-json-1.1"},
                            {"x-amzn-RequestId", "66666666-7777-8888-9999-000000000000"}},
                           body);
}

/// Serves 127.0.0.1 on a free port. Connection i plays scripts[i], the last
/// script repeating for every later connection. Stops (and closes every
/// connection, hanging ones included) on destruction. Thread-safe accessors.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<ConnectionScript> scripts) : scripts_(std::move(scripts)) {
    if (scripts_.empty()) throw std::invalid_argument("ScriptedServer needs a script");
    if (pipe(stop_pipe_) != 0) throw std::runtime_error("pipe failed");
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
        listen(listen_fd_, SOMAXCONN) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0)
      throw std::runtime_error("cannot listen on 127.0.0.1");
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }
  ~ScriptedServer() {
    stopping_ = true;
    const char byte = 0;
    (void)!write(stop_pipe_[1], &byte, 1);
    acceptor_.join();
    for (auto& worker : workers_) worker.join();
    close(listen_fd_);
    close(stop_pipe_[0]);
    close(stop_pipe_[1]);
  }
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  /// Requests read so far: the client's attempts.
  int requests() const { return requests_.load(); }
  /// Connections accepted so far.
  int connections() const { return connections_.load(); }
  /// The raw requests read (request line, headers and body), in arrival order.
  std::vector<std::string> raw_requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return raw_requests_;
  }

 private:
  void AcceptLoop() {
    while (!stopping_) {
      pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
      if (poll(fds, 2, -1) < 0 || (fds[1].revents & POLLIN)) break;
      const int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      const int index = connections_++;
      const ConnectionScript& script =
          scripts_[std::min<std::size_t>(static_cast<std::size_t>(index), scripts_.size() - 1)];
      workers_.emplace_back([this, fd, &script] { Serve(fd, script); });
    }
  }

  // Waits for `fd` to be readable; false when the server stops first.
  bool WaitReadable(int fd, int timeout_ms) const {
    pollfd fds[2] = {{fd, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    return poll(fds, 2, timeout_ms) > 0 && !(fds[1].revents & POLLIN) && (fds[0].revents != 0);
  }

  // Reads one request (headers, then a Content-Length body); false on EOF or stop.
  bool ReadOneRequest(int fd, std::string& pending) {
    std::size_t header_end;
    while ((header_end = pending.find("\r\n\r\n")) == std::string::npos) {
      if (!ReadMore(fd, pending)) return false;
    }
    std::size_t body_length = 0;
    std::string lower = pending.substr(0, header_end);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto at = lower.find("\r\ncontent-length:");
    if (at != std::string::npos) body_length = std::strtoul(lower.c_str() + at + 17, nullptr, 10);
    const std::size_t total = header_end + 4 + body_length;
    while (pending.size() < total)
      if (!ReadMore(fd, pending)) return false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      raw_requests_.push_back(pending.substr(0, total));
    }
    pending.erase(0, total);
    ++requests_;
    return true;
  }

  bool ReadMore(int fd, std::string& pending) {
    if (!WaitReadable(fd, -1)) return false;
    char buffer[65536];
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return false;
    pending.append(buffer, static_cast<std::size_t>(n));
    return true;
  }

  void Serve(int fd, const ConnectionScript& script) {
    std::string pending;
    bool reset = false;
    // A script that ends by sending and closing cleanly sends its last bytes
    // and the close in one segment (corked): a client never sees the answer
    // without the close, so it never reuses a connection that is closing.
    const auto& steps = script.steps_;
    const bool closes_after_last_send =
        !steps.empty() && steps.back().kind == ConnectionScript::Kind::kSend &&
        std::none_of(steps.begin(), steps.end(), [](const ConnectionScript::Step& step) {
          return step.kind == ConnectionScript::Kind::kReset ||
                 step.kind == ConnectionScript::Kind::kHang;
        });
    if (ReadOneRequest(fd, pending)) {
      for (std::size_t index = 0; index < steps.size(); ++index) {
        const auto& step = steps[index];
        if (stopping_) break;
        bool go_on = true;
        switch (step.kind) {
          case ConnectionScript::Kind::kSend:
            if (closes_after_last_send && index + 1 == steps.size()) {
              int on = 1;
              setsockopt(fd, IPPROTO_TCP, TCP_CORK, &on, sizeof on);
              go_on = SendAll(fd, step.bytes);
              shutdown(fd, SHUT_WR);
              int off = 0;
              setsockopt(fd, IPPROTO_TCP, TCP_CORK, &off, sizeof off);
            } else {
              go_on = SendAll(fd, step.bytes);
            }
            break;
          case ConnectionScript::Kind::kPause:
            go_on = !WaitStop(static_cast<int>(step.duration.count()));
            break;
          case ConnectionScript::Kind::kReadRequest:
            go_on = ReadOneRequest(fd, pending);
            break;
          case ConnectionScript::Kind::kReset:
            reset = true;
            go_on = false;
            break;
          case ConnectionScript::Kind::kHang:
            // Drain whatever the client sends until it gives up or we stop.
            while (ReadMore(fd, pending)) pending.clear();
            go_on = false;
            break;
        }
        if (!go_on) break;
      }
    }
    if (reset) {
      linger no_linger{1, 0};
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &no_linger, sizeof no_linger);
    } else {
      shutdown(fd, SHUT_WR);
    }
    close(fd);
  }

  // Sleeps up to `ms`; true when the server is stopping.
  bool WaitStop(int ms) const {
    pollfd stop{stop_pipe_[0], POLLIN, 0};
    return poll(&stop, 1, ms) > 0;
  }

  bool SendAll(int fd, const std::string& bytes) {
    for (std::size_t sent = 0; sent < bytes.size();) {
      const ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  std::vector<ConnectionScript> scripts_;
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  std::vector<std::thread> workers_;  // touched by the acceptor only until it is joined
  mutable std::mutex mutex_;
  std::vector<std::string> raw_requests_;
};

}  // namespace testing_support

#endif  // REKOGNITION_TESTS_SCRIPTED_SERVER_HPP
