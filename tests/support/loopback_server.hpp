// Test support: a cpp-httplib server on 127.0.0.1 and a free port, run on a
// background thread for the lifetime of the object.
#ifndef REKOGNITION_TESTS_LOOPBACK_SERVER_HPP
#define REKOGNITION_TESTS_LOOPBACK_SERVER_HPP

#include <httplib.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace testing_support {

class LoopbackServer {
 public:
  LoopbackServer() = default;
  ~LoopbackServer() { Stop(); }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  /// Register handlers on this before Start().
  httplib::Server& server() { return server_; }

  /// Binds 127.0.0.1 on a free port and starts serving.
  void Start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("cannot bind a loopback port");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // bind_to_any_port already listens, so connections queue until the loop runs.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  void Stop() {
    if (thread_.joinable()) {
      server_.stop();
      thread_.join();
    }
  }

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace testing_support

#endif  // REKOGNITION_TESTS_LOOPBACK_SERVER_HPP
