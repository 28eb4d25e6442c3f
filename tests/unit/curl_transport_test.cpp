// The libcurl transport against a real loopback server.
#include <rekognition/http/curl_transport.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <limits>
#include <mutex>
#include <set>
#include <thread>

#include "loopback_server.hpp"
#include "malloc_accounting.hpp"
#include "process.hpp"

using namespace rekognition;
using testing_support::LoopbackServer;

namespace curl_transport_test {

namespace {

// A one-connection raw-socket peer on 127.0.0.1: reads the request head and
// its Content-Length body, then runs `script` with the connected socket.
class ScriptedPeer {
 public:
  explicit ScriptedPeer(std::function<void(int fd)> script) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    REQUIRE(listen(listener_, 4) == 0);
    thread_ = std::thread([this, script = std::move(script)] {
      const int fd = accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      std::string request;
      char buffer[65536];
      std::size_t wanted = std::string::npos;
      while (wanted == std::string::npos || request.size() < wanted) {
        const ssize_t n = read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        request.append(buffer, static_cast<std::size_t>(n));
        const auto end = request.find("\r\n\r\n");
        if (wanted == std::string::npos && end != std::string::npos) {
          const auto at = request.find("Content-Length: ");
          const std::size_t length =
              at == std::string::npos ? 0 : std::stoul(request.substr(at + 16));
          wanted = end + 4 + length;
        }
      }
      script(fd);
      close(fd);
    });
  }
  ~ScriptedPeer() {
    shutdown(listener_, SHUT_RDWR);
    thread_.join();
    close(listener_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

void SendText(int fd, const std::string& text) { (void)!write(fd, text.data(), text.size()); }

HttpRequest Post(const std::string& url, std::string_view body) {
  HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Custom", "value 1"}};
  request.body = body;
  return request;
}
}  // namespace

TEST_CASE("curl transport sends method, headers and body, and reads the response", "[curl]") {
  LoopbackServer loopback;
  loopback.server().Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 201;
    res.set_header("X-Body-Size", std::to_string(req.body.size()));
    res.set_header("X-Got-Custom", req.get_header_value("X-Custom"));
    res.set_header("X-Got-Expect", req.get_header_value("Expect"));
    res.set_content(req.body, "text/html");
  });
  loopback.Start();
  CurlTransportOptions options;
  options.max_response_bytes = 8u << 20;  // the echo is above the 4 MiB default
  CurlTransport transport(options);
  const std::string body(5 * 1024 * 1024, 'x');  // large: no Expect: 100-continue round trip
  auto result = transport.Send(Post(loopback.url() + "/echo", body));
  REQUIRE(std::holds_alternative<HttpResponse>(result));
  const auto& response = std::get<HttpResponse>(result);
  CHECK(response.status == 201);
  CHECK(response.body == body);
  CHECK(*response.Header("x-body-size") == std::to_string(body.size()));
  CHECK(*response.Header("X-GOT-CUSTOM") == "value 1");
  CHECK(response.Header("X-Got-Expect")->empty());
}

TEST_CASE("curl transport reuses one connection for sequential calls", "[curl]") {
  LoopbackServer loopback;
  std::mutex mutex;
  std::set<int> client_ports;
  loopback.server().set_keep_alive_max_count(1000);
  loopback.server().Post("/", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    client_ports.insert(req.remote_port);
    res.set_content("{}", "application/json");
  });
  loopback.Start();
  CurlTransport transport;
  for (int i = 0; i < 20; ++i) {
    auto result = transport.Send(Post(loopback.url() + "/", "{}"));
    REQUIRE(std::holds_alternative<HttpResponse>(result));
    CHECK(std::get<HttpResponse>(result).status == 200);
  }
  CHECK(client_ports.size() == 1);
}

TEST_CASE("curl transport supports GET and PUT", "[curl]") {
  LoopbackServer loopback;
  loopback.server().Get("/thing", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("got", "text/plain");
  });
  loopback.server().Put("/thing", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content("put:" + req.get_header_value("X-Ttl"), "text/plain");
  });
  loopback.Start();
  CurlTransport transport;
  HttpRequest get;
  get.method = "GET";
  get.url = loopback.url() + "/thing";
  CHECK(std::get<HttpResponse>(transport.Send(get)).body == "got");
  HttpRequest put;
  put.method = "PUT";
  put.url = loopback.url() + "/thing";
  put.headers = {{"X-Ttl", "21600"}};
  CHECK(std::get<HttpResponse>(transport.Send(put)).body == "put:21600");
}

TEST_CASE("a pooled handle carries nothing of one request into the next", "[curl]") {
  // The transport keeps its easy handles set up between calls: each request
  // must still go out with its own method, body, headers and time bound.
  LoopbackServer loopback;
  auto echo = [](const httplib::Request& req, httplib::Response& res) {
    if (req.has_param("slow")) std::this_thread::sleep_for(std::chrono::milliseconds(400));
    res.set_content(req.method + ":" + req.body + ":" + req.get_header_value("X-Only-Once"),
                    "text/plain");
  };
  loopback.server().Get("/", echo);
  loopback.server().Post("/", echo);
  loopback.server().Put("/", echo);
  loopback.server().Delete("/", echo);
  loopback.server().Options("/", echo);
  loopback.Start();
  CurlTransport transport;
  const auto send = [&](const std::string& method, std::string_view body,
                        std::chrono::milliseconds timeout = std::chrono::milliseconds(0),
                        HttpHeaders headers = {}, const std::string& query = "") {
    HttpRequest request;
    request.method = method;
    request.url = loopback.url() + "/" + query;
    request.body = body;
    request.timeout = timeout;
    request.headers = std::move(headers);
    return transport.Send(request);
  };
  const auto text = [](const HttpResult& result) {
    REQUIRE(std::holds_alternative<HttpResponse>(result));
    return std::get<HttpResponse>(result).body;
  };
  // HEAD leaves NOBODY set, PUT a custom method, the first POST a header and
  // a short time bound: none of it may reach the calls after them.
  const auto head = send("HEAD", "");
  REQUIRE(std::holds_alternative<HttpResponse>(head));
  CHECK(std::get<HttpResponse>(head).body.empty());
  CHECK(text(send("POST", "a", std::chrono::milliseconds(200), {{"X-Only-Once", "1"}})) ==
        "POST:a:1");
  CHECK(text(send("POST", "b", std::chrono::milliseconds(0), {}, "?slow=1")) == "POST:b:");
  CHECK(text(send("PUT", "c")) == "PUT:c:");
  CHECK(text(send("POST", "d")) == "POST:d:");
  CHECK(text(send("GET", "")) == "GET::");
  CHECK(text(send("POST", "")) == "POST::");
  CHECK(text(send("DELETE", "")) == "DELETE::");
  CHECK(text(send("GET", "")) == "GET::");
}

TEST_CASE("a refused connection is kConnectFailure", "[curl]") {
  CurlTransport transport;
  const int port = testing_support::FreePort();
  auto result = transport.Send(Post("http://127.0.0.1:" + std::to_string(port) + "/", "{}"));
  REQUIRE(std::holds_alternative<TransportFailure>(result));
  CHECK(std::get<TransportFailure>(result).kind == TransportErrorKind::kConnectFailure);
  CHECK(std::get<TransportFailure>(result).native_code == CURLE_COULDNT_CONNECT);
}

TEST_CASE("a slow server hits the timeout and is kTimeout", "[curl]") {
  LoopbackServer loopback;
  loopback.server().Post("/", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    res.set_content("{}", "application/json");
  });
  loopback.Start();
  CurlTransportOptions options;
  options.request_timeout = std::chrono::milliseconds(300);
  CurlTransport transport(options);
  const auto started = std::chrono::steady_clock::now();
  auto result = transport.Send(Post(loopback.url() + "/", "{}"));
  REQUIRE(std::holds_alternative<TransportFailure>(result));
  CHECK(std::get<TransportFailure>(result).kind == TransportErrorKind::kTimeout);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(1400));
}

TEST_CASE("a connection closed without an answer is kConnectionReset", "[curl]") {
  // A raw socket server that accepts and closes at once.
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  REQUIRE(listen(listener, 4) == 0);
  std::thread closer([listener] {
    const int fd = accept(listener, nullptr, nullptr);
    char buffer[1024];
    (void)!read(fd, buffer, sizeof buffer);
    close(fd);
  });
  CurlTransport transport;
  auto result =
      transport.Send(Post("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/", "{}"));
  closer.join();
  close(listener);
  REQUIRE(std::holds_alternative<TransportFailure>(result));
  CHECK(std::get<TransportFailure>(result).kind == TransportErrorKind::kConnectionReset);
}

TEST_CASE("the cancel flag aborts a transfer in flight", "[curl][concurrency]") {
  LoopbackServer loopback;
  loopback.server().Post("/", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    res.set_content("{}", "application/json");
  });
  loopback.Start();
  CurlTransportOptions options;
  options.cancel = std::make_shared<std::atomic<bool>>(false);
  CurlTransport transport(options);
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    options.cancel->store(true);
  });
  auto result = transport.Send(Post(loopback.url() + "/", "{}"));
  canceller.join();
  REQUIRE(std::holds_alternative<TransportFailure>(result));
  CHECK(std::get<TransportFailure>(result).kind == TransportErrorKind::kCancelled);
}

TEST_CASE("TLS verification is on by default", "[curl]") {
  CurlTransport transport;
  CHECK(transport.options().verify_tls);
  CHECK(transport.options().connect_timeout.count() > 0);
}

TEST_CASE("a response that stalls longer than read_timeout is kTimeout", "[curl]") {
  LoopbackServer loopback;
  loopback.server().Post("/", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(3000));
    res.set_content("{}", "application/json");
  });
  loopback.Start();
  CurlTransportOptions options;
  options.read_timeout = std::chrono::milliseconds(500);
  CurlTransport transport(options);
  const auto started = std::chrono::steady_clock::now();
  auto result = transport.Send(Post(loopback.url() + "/", std::string(64 * 1024, 'x')));
  REQUIRE(std::holds_alternative<TransportFailure>(result));
  CHECK(std::get<TransportFailure>(result).kind == TransportErrorKind::kTimeout);
  CHECK(std::get<TransportFailure>(result).message.find("read timeout") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(2500));
}

TEST_CASE("the read timeout counts header bytes: slow headers that keep coming never trip it",
          "[curl][timeout]") {
  // One header line every 300 ms for about 2.4 s, with a 1 s read timeout:
  // bytes keep arriving, so the call succeeds.
  ScriptedPeer peer([](int fd) {
    SendText(fd, "HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 8; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      SendText(fd, "X-Slow-" + std::to_string(i) + ": y\r\n");
    }
    SendText(fd, "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
  });
  CurlTransportOptions options;
  options.read_timeout = std::chrono::milliseconds(1000);
  CurlTransport transport(options);
  auto result = transport.Send(Post(peer.url(), "{}"));
  REQUIRE(std::holds_alternative<HttpResponse>(result));
  CHECK(std::get<HttpResponse>(result).status == 200);
  CHECK(std::get<HttpResponse>(result).Header("X-Slow-7"));
}

TEST_CASE("the read timeout trips when the peer goes silent mid-headers or mid-body",
          "[curl][timeout]") {
  for (const std::string& sent :
       {std::string("HTTP/1.1 200 OK\r\nX-Partial: y\r\n"),
        std::string("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"CustomLabels\"")}) {
    INFO(sent);
    ScriptedPeer peer([sent](int fd) {
      SendText(fd, sent);
      std::this_thread::sleep_for(std::chrono::milliseconds(2700));
    });
    CurlTransportOptions options;
    options.read_timeout = std::chrono::milliseconds(1000);
    CurlTransport transport(options);
    const auto started = std::chrono::steady_clock::now();
    auto result = transport.Send(Post(peer.url(), "{}"));
    const auto elapsed = std::chrono::steady_clock::now() - started;
    REQUIRE(std::holds_alternative<TransportFailure>(result));
    CHECK(std::get<TransportFailure>(result).kind == TransportErrorKind::kTimeout);
    CHECK(std::get<TransportFailure>(result).message.find("read timeout") != std::string::npos);
    CHECK(elapsed >= std::chrono::milliseconds(1000));
    CHECK(elapsed < std::chrono::milliseconds(2600));
  }
}

TEST_CASE("a response above max_response_bytes is refused, announced or not", "[curl][limits]") {
  CHECK(CurlTransportOptions{}.max_response_bytes == std::size_t{4} << 20);
  // Announced: refused from the Content-Length header, before the body.
  ScriptedPeer announced([](int fd) {
    SendText(fd, "HTTP/1.1 200 OK\r\nContent-Length: 60000000\r\n\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  });
  CurlTransportOptions options;
  options.max_response_bytes = 1u << 20;
  CurlTransport transport(options);
  const auto started = std::chrono::steady_clock::now();
  auto result = transport.Send(Post(announced.url(), "{}"));
  REQUIRE(std::holds_alternative<TransportFailure>(result));
  CHECK(std::get<TransportFailure>(result).kind == TransportErrorKind::kOther);
  CHECK(std::get<TransportFailure>(result).message.find("1048576 bytes") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(1200));
  // Not announced (connection-delimited body): cut at the cap.
  ScriptedPeer streamed([](int fd) {
    SendText(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
    const std::string chunk(64 * 1024, 'x');
    for (int i = 0; i < 40; ++i) SendText(fd, chunk);
  });
  result = transport.Send(Post(streamed.url(), "{}"));
  REQUIRE(std::holds_alternative<TransportFailure>(result));
  CHECK(std::get<TransportFailure>(result).message.find("larger than the configured maximum") !=
        std::string::npos);
}

TEST_CASE("libcurl callbacks never throw through C frames", "[curl]") {
  detail::CurlResponseSink sink;
  sink.max_body = std::numeric_limits<std::size_t>::max();
  char byte = 'x';
  // A length the string cannot hold: append throws std::length_error, which
  // must become a stopped transfer, not an exception through libcurl.
  std::size_t written = 1;
  CHECK_NOTHROW(written = detail::CurlResponseSink::OnBody(
                    &byte, 1, std::numeric_limits<std::size_t>::max() / 2, &sink));
  CHECK(written == 0);
  CHECK(sink.out_of_memory);
  CHECK(noexcept(detail::CurlResponseSink::OnHeader(nullptr, 0, 0, nullptr)));
  CHECK(noexcept(detail::CurlTransferWatch::OnProgress(nullptr, 0, 0, 0, 0)));
}

#if REKOGNITION_TEST_MALLOC_ACCOUNTING
// Send's easy handle goes back to the pool when the transfer's setup throws
// (std::bad_alloc building the header list): the next call takes it again,
// with its open connection, and nothing the failed call built is left
// behind.
TEST_CASE("the easy handle goes back to the pool, and nothing leaks, when a call throws",
          "[curl]") {
  LoopbackServer loopback;
  std::mutex mutex;
  std::set<int> client_ports;
  int requests = 0;
  loopback.server().set_keep_alive_max_count(1000);
  loopback.server().Post("/", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    client_ports.insert(req.remote_port);
    ++requests;
    res.set_content("{}", "application/json");
  });
  loopback.Start();
  CurlTransport transport;
  const auto call = [&] {
    const auto result = transport.Send(Post(loopback.url() + "/", "{}"));
    REQUIRE(std::holds_alternative<HttpResponse>(result));
    CHECK(std::get<HttpResponse>(result).status == 200);
  };
  call();
  // A header line of 1 MiB cannot be built while allocations of 512 KiB fail.
  HttpRequest large = Post(loopback.url() + "/", "{}");
  large.headers.emplace_back("X-Large", std::string(1 << 20, 'v'));
  const auto failing_call = [&] {
    testing_support::FailLargeAllocations fail(1 << 19);
    CHECK_THROWS_AS(transport.Send(large), std::bad_alloc);
  };
  failing_call();  // the handle's options of the first call are reset here
  long long left = 0;
  {
    testing_support::HeapUse use;
    failing_call();
    left = use.current();
  }
  CHECK(left == 0);  // e.g. the header lines appended before the throw
  call();
  std::lock_guard<std::mutex> lock(mutex);
  CHECK(requests == 2);
  CHECK(client_ports.size() == 1);  // the same handle, with its connection
}
#endif

TEST_CASE("the multi driver's Run returns soon after Wake, from another thread or before it",
          "[curl][async]") {
  CurlMultiDriver driver{CurlTransportOptions{}};
  // No transfers: only the wake-up can end a 10 s wait early.
  constexpr auto kLongWait = std::chrono::milliseconds(10000);
  std::thread waker([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    driver.Wake();
  });
  auto started = std::chrono::steady_clock::now();
  driver.Run(kLongWait);
  waker.join();
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));

  driver.Wake();  // pending: the next Run returns at once
  started = std::chrono::steady_clock::now();
  driver.Run(kLongWait);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}

}  // namespace curl_transport_test
