// rekognition-cpp: a scripted HttpTransport for unit tests.
#ifndef REKOGNITION_TESTING_STUB_TRANSPORT_HPP
#define REKOGNITION_TESTING_STUB_TRANSPORT_HPP

#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "rekognition/http/transport.hpp"
#include "rekognition/http/types.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// A request as the stub transport saw it; owns a copy of the body so tests
/// can inspect it after the call returned.
struct RecordedRequest {
  std::string method;
  std::string url;
  HttpHeaders headers;
  std::string body;

  /// The header's value or nullptr (case-insensitive lookup).
  const std::string* Header(std::string_view name) const noexcept {
    return FindHeader(headers, name);
  }
};

/// An HttpTransport that answers from a script instead of the network: each
/// Send pops the next queued response, failure or handler, in order, and
/// records the request. With nothing queued, Send returns a kOther failure
/// saying so (never blocks, never throws). Thread-safe.
class StubTransport : public HttpTransport {
 public:
  using Handler = std::function<HttpResult(const HttpRequest&)>;

  /// Queues an HTTP response (any status).
  StubTransport& Respond(int status, std::string body, HttpHeaders headers = {}) {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.headers = std::move(headers);
    return Push(std::move(response));
  }
  /// Queues a prepared response.
  StubTransport& Respond(HttpResponse response) { return Push(std::move(response)); }
  /// Queues a failure below HTTP (timeout, reset, DNS ...).
  StubTransport& Fail(TransportErrorKind kind, std::string message = "stubbed transport failure") {
    return Push(TransportFailure{kind, 0, std::move(message)});
  }
  /// Queues a function that computes the answer from the request.
  StubTransport& Handle(Handler handler) { return Push(std::move(handler)); }

  /// Every request sent so far, oldest first (copies).
  std::vector<RecordedRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  /// How many answers are still queued.
  std::size_t pending() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return script_.size();
  }
  /// Sends that found nothing queued.
  std::size_t unexpected_calls() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return unexpected_calls_;
  }

  HttpResult Send(const HttpRequest& request) override {
    Entry entry;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(
          RecordedRequest{request.method, request.url, request.headers, std::string(request.body)});
      if (script_.empty()) {
        ++unexpected_calls_;
        return TransportFailure{TransportErrorKind::kOther, 0,
                                "StubTransport: request sent but no response was queued"};
      }
      entry = std::move(script_.front());
      script_.pop_front();
    }
    if (auto* handler = std::get_if<Handler>(&entry)) return (*handler)(request);
    if (auto* failure = std::get_if<TransportFailure>(&entry)) return *failure;
    return std::get<HttpResponse>(entry);
  }

 private:
  using Entry = std::variant<HttpResponse, TransportFailure, Handler>;

  StubTransport& Push(Entry entry) {
    std::lock_guard<std::mutex> lock(mutex_);
    script_.push_back(std::move(entry));
    return *this;
  }

  mutable std::mutex mutex_;
  std::deque<Entry> script_;
  std::vector<RecordedRequest> requests_;
  std::size_t unexpected_calls_ = 0;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_TESTING_STUB_TRANSPORT_HPP
