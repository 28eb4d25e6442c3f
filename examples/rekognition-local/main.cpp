// rekognition-local: a local Amazon Rekognition Custom Labels endpoint for
// demos and integration tests. Speaks awsJson1_1 on 127.0.0.1, verifies
// SigV4, validates like the service, answers from a fixture file and injects
// faults on request. The first line on stdout is its URL.
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>

#include <rekognition/detail/uuid.hpp>
#include <rekognition/version.hpp>

#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "connections.hpp"
#include "fixture_store.hpp"
#include "options.hpp"
#include "request_handler.hpp"
#include "sigv4_verifier.hpp"

namespace {

using rekognition_local::Reply;

// RFC 7231 date for the Date header, from which clients correct clock skew.
std::string HttpDate(std::chrono::system_clock::time_point time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buffer;
}

// One line per request; never a secret, a signature or a body.
class RequestLog {
 public:
  explicit RequestLog(std::FILE* out) : out_(out) {}

  void Write(const httplib::Request& request, const Reply& reply, const std::string& request_id,
             std::chrono::steady_clock::duration elapsed) {
    if (out_ == nullptr) return;
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
    std::string outcome =
        reply.drop                  ? std::string("dropped")
        : !reply.error_code.empty() ? std::to_string(reply.status) + " " + reply.error_code
        : reply.operation == "DetectCustomLabels"
            ? std::to_string(reply.status) + " labels=" + std::to_string(reply.label_count)
            : std::to_string(reply.status);
    if (reply.fault != rekognition_local::Fault::kNone)
      outcome += std::string(" fault=") + rekognition_local::ToString(reply.fault);
    // Operation and key id come from the client: print them escaped so a
    // hostile request cannot write terminal escapes into the log.
    const auto printable = [](const std::string& text) {
      std::string out;
      for (unsigned char c : text.substr(0, 64)) {
        if (c >= 0x20 && c < 0x7f) {
          out += static_cast<char>(c);
        } else {
          char hex[5];
          std::snprintf(hex, sizeof hex, "\\x%02x", c);
          out += hex;
        }
      }
      return out;
    };
    char line[768];
    std::snprintf(line, sizeof line, "%s %s:%d %s %s key=%s %.1fms id=%s\n", stamp,
                  request.remote_addr.c_str(), request.remote_port,
                  printable(reply.operation).c_str(), outcome.c_str(),
                  printable(reply.access_key_id.substr(0, 32)).c_str(), ms, request_id.c_str());
    std::lock_guard<std::mutex> lock(mutex_);
    std::fputs(line, out_);
    std::fflush(out_);
  }

  /// One line of model lifecycle news (status changes, running times).
  void Note(const std::string& text) {
    if (out_ == nullptr) return;
    std::lock_guard<std::mutex> lock(mutex_);
    std::fprintf(out_, "rekognition-local: %s\n", text.c_str());
    std::fflush(out_);
  }

 private:
  std::FILE* out_;
  std::mutex mutex_;
};

// Requests being handled right now, so a stop can let them finish.
class BusyCounter {
 public:
  class Scope {
   public:
    explicit Scope(BusyCounter& counter) : counter_(counter) { ++counter_.count_; }
    ~Scope() { --counter_.count_; }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    BusyCounter& counter_;
  };
  int Count() const { return count_.load(); }

 private:
  std::atomic<int> count_{0};
};

}  // namespace

int main(int argc, char** argv) {
  using namespace rekognition_local;
  ServerOptions options;
  CLI::App app{
      "A local Amazon Rekognition Custom Labels endpoint (DetectCustomLabels and the model "
      "lifecycle: DescribeProjects, DescribeProjectVersions, StartProjectVersion, "
      "StopProjectVersion) for demos and tests.",
      "rekognition-local"};
  app.set_version_flag("--version", std::string("rekognition-local ") + rekognition::kVersion);
  AddOptions(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  ApplyEnvironmentDefaults(options);
  if (options.access_key_id.empty() || options.secret_access_key.empty()) {
    std::fprintf(stderr,
                 "rekognition-local: no credentials to accept: pass --access-key-id and "
                 "--secret-access-key, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n");
    return 2;
  }

  FixtureStore fixtures;
  try {
    fixtures = FixtureStore::Load(options.fixtures);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rekognition-local: %s\n", e.what());
    return 2;
  }
  for (const auto& arn : options.project_version_arns) fixtures.AddProjectVersionArn(arn);

  std::FILE* log = options.quiet ? nullptr : stderr;
  if (!options.quiet && !options.log_file.empty()) {
    log = std::fopen(options.log_file.c_str(), "a");
    if (log == nullptr) {
      std::fprintf(stderr, "rekognition-local: cannot open %s\n", options.log_file.c_str());
      return 2;
    }
  }

  // Signals are taken by one thread with sigwait, so they are blocked in
  // every thread started from here on.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not kill the server

  RequestLog request_log(log);
  std::unique_ptr<RequestHandler> handler_owner;
  try {
    handler_owner = std::make_unique<RequestHandler>(
        std::move(fixtures),
        SigV4Verifier({options.access_key_id, options.secret_access_key, options.session_token},
                      "rekognition", options.region),
        options.faults, options.lifecycle,
        [&request_log](const std::string& text) { request_log.Note(text); });
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "rekognition-local: %s\n", e.what());
    return 2;
  }
  RequestHandler& handler = *handler_owner;

  // Each open connection holds a worker thread, started on demand up to
  // --threads: idle keep-alive connections are closed after 2 s (clients
  // reconnect) and a request's headers must arrive within --header-timeout,
  // so clients that send slowly hold their workers briefly and never make
  // others wait.
  ConnectionLimits limits;
  limits.head_timeout = std::chrono::milliseconds(options.header_timeout_ms);
  limits.keep_alive_timeout = std::chrono::seconds(2);
  DeadlineServer server(limits);
  const std::size_t threads = static_cast<std::size_t>(options.threads);
  server.new_task_queue = [threads] { return new OnDemandThreadPool(threads); };
  server.set_keep_alive_max_count(100000);
  server.set_payload_max_length(16u << 20);  // a 5 MB image is about 7 MB of base64
  int listen_fd = -1;
  server.set_socket_options([&listen_fd](int fd) {
    listen_fd = fd;
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    // cpp-httplib writes the headers and the body of an answer separately;
    // with Nagle on, the body waits for the client's delayed ACK (40 ms).
    // Linux hands TCP_NODELAY down to the accepted sockets.
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  });

  // cpp-httplib bounds only Content-Length bodies; a chunked body could grow
  // without limit, and the service never needs one. A body of unclear length
  // is never read: the connection is closed after the answer, so its bytes
  // cannot be taken for a next request.
  server.set_pre_routing_handler([](const httplib::Request& request, httplib::Response& response) {
    const std::optional<std::string> problem = AmbiguousFraming(request);
    if (!problem) return httplib::Server::HandlerResponse::Unhandled;
    response.status = 400;
    response.set_header("x-amzn-RequestId", rekognition::detail::RandomUuid());
    response.set_header("Connection", "close");
    response.set_content(ErrorBody("BadRequestException", *problem, true),
                         "application/x-amz-json-1.1");
    CloseAfterResponse();
    return httplib::Server::HandlerResponse::Handled;
  });
  // Every other error the HTTP layer produces (unknown method, body too
  // large, bad headers) still answers in the service's error shape.
  server.set_error_handler([](const httplib::Request&, httplib::Response& response) {
    if (!response.body.empty()) return;
    const char* type = response.status == 413   ? "RequestEntityTooLargeException"
                       : response.status == 404 ? "UnknownOperationException"
                                                : "BadRequestException";
    response.set_header("x-amzn-RequestId", rekognition::detail::RandomUuid());
    response.set_content(std::string(R"({"__type":")") + type + R"(","message":"HTTP )" +
                             std::to_string(response.status) + R"("})",
                         "application/x-amz-json-1.1");
  });

  BusyCounter busy;
  const auto serve = [&](const httplib::Request& request, httplib::Response& response) {
    const auto started = std::chrono::steady_clock::now();
    const BusyCounter::Scope in_progress(busy);
    IncomingRequest incoming;
    incoming.method = request.method;
    incoming.target = request.target.empty() ? request.path : request.target;
    for (const auto& [name, value] : request.headers) incoming.headers.emplace_back(name, value);
    incoming.body = request.body;

    Reply reply = handler.Handle(incoming);
    const std::string request_id = rekognition::detail::RandomUuid();
    if (reply.drop) DropConnection(request.local_port, request.remote_port);
    response.status = reply.status;
    response.set_header("x-amzn-RequestId", request_id);
    response.set_header("Date", HttpDate(std::chrono::system_clock::now()));
    if (!reply.error_code.empty())
      response.set_header("x-amzn-ErrorType", ErrorTypeHeader(reply.error_code));
    response.set_content(reply.body, "application/x-amz-json-1.1");
    request_log.Write(request, reply, request_id, std::chrono::steady_clock::now() - started);
  };
  server.Post(".*", serve);
  server.Get(".*", serve);
  server.Put(".*", serve);
  server.Delete(".*", serve);

  const int port = options.port == 0
                       ? server.bind_to_any_port(options.host)
                       : (server.bind_to_port(options.host, options.port) ? options.port : -1);
  if (port <= 0) {
    std::fprintf(stderr, "rekognition-local: cannot listen on %s:%d\n", options.host.c_str(),
                 options.port);
    return 1;
  }
  // cpp-httplib listens with a backlog of 5; a burst of 64 connects would
  // overflow it and stall clients for a SYN retry, so widen it.
  if (listen_fd >= 0) ::listen(listen_fd, SOMAXCONN);

  std::atomic<bool> signalled{false};
  std::thread signal_thread([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    signalled = true;
    if (log != nullptr) {
      std::fprintf(log, "rekognition-local: signal %d, stopping\n", signal_number);
      std::fflush(log);
    }
    server.stop();
    // Requests in progress get their answers; then the idle keep-alive
    // connections, which cpp-httplib would wait out, are closed.
    for (int i = 0; i < 200 && busy.Count() > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ShutdownConnections(port);
  });

  const std::string host =
      options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  std::printf("listening on http://%s:%d\n", host.c_str(), port);
  std::fflush(stdout);
  if (log != nullptr) {
    std::fprintf(
        log,
        "rekognition-local %s: serving %zu model version(s), %zu fixture image(s), key id %s\n",
        rekognition::kVersion, handler.fixtures().project_version_arns().size(),
        handler.fixtures().image_count(), options.access_key_id.c_str());
    std::fflush(log);
  }

  const bool ok = server.listen_after_bind();
  handler.models().LogStillRunning();
  // Returned without a signal (the accept loop failed): wake the signal thread.
  if (!signalled) pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  if (log != nullptr && log != stderr) std::fclose(log);
  return ok ? 0 : 1;
}
