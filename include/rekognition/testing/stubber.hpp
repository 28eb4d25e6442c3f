// rekognition-cpp: the Stubber, a queue of expected calls and their answers
// that plugs in as the client's transport.
#ifndef REKOGNITION_TESTING_STUBBER_HPP
#define REKOGNITION_TESTING_STUBBER_HPP

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rekognition/client.hpp"
#include "rekognition/config/environment.hpp"
#include "rekognition/http/transport.hpp"
#include "rekognition/http/types.hpp"
#include "rekognition/operations/detect_custom_labels.hpp"
#include "rekognition/operations/json_codec.hpp"
#include "rekognition/operations/projects.hpp"
#include "rekognition/operations/projects_codec.hpp"
#include "rekognition/testing/expected_request.hpp"
#include "rekognition/testing/stub_assertion_error.hpp"
#include "rekognition/testing/stub_transport.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Extra details of a stubbed HTTP answer.
struct StubResponseOptions {
  /// The x-amzn-RequestId to answer with. Empty: the result's request_id if
  /// it has one, else "stub-request-N" (N = the call's number, from 1).
  std::string request_id;
  /// Headers added to (or replacing those of) the stubbed response, e.g.
  /// {"x-amz-retry-after", "1500"} or a server "Date".
  HttpHeaders headers;
};

namespace detail {

/// The operation the Stubber answers by default.
inline constexpr std::string_view kStubbedTarget = "RekognitionService.DetectCustomLabels";

/// Reads a request body of operation `Op`: returns false with `error` set
/// when the service would not read it, else fills `description` (one line
/// naming every member).
template <typename Op>
bool ReadStubbedRequest(std::string_view body, std::string& description, std::string& error) {
  typename Op::Request request;
  if (!ParseRequest(body, request, error)) return false;
  description = expect::DescribeFields(request);
  return true;
}

/// A lifecycle operation the Stubber answers, and how to read its requests.
struct StubbedOperation {
  std::string_view name;
  std::string_view target;
  bool (*read)(std::string_view body, std::string& description, std::string& error);
};

inline constexpr StubbedOperation kStubbedOperations[] = {
    {DescribeProjectsOperation::kName, DescribeProjectsOperation::kTarget,
     &ReadStubbedRequest<DescribeProjectsOperation>},
    {DescribeProjectVersionsOperation::kName, DescribeProjectVersionsOperation::kTarget,
     &ReadStubbedRequest<DescribeProjectVersionsOperation>},
    {StartProjectVersionOperation::kName, StartProjectVersionOperation::kTarget,
     &ReadStubbedRequest<StartProjectVersionOperation>},
    {StopProjectVersionOperation::kName, StopProjectVersionOperation::kTarget,
     &ReadStubbedRequest<StopProjectVersionOperation>},
};

/// The state shared by a Stubber, its copies and every client it made. It is
/// the HttpTransport: each Send decodes the real, signed request body with
/// the production parser, checks it against the next queued expectation and
/// answers with a real HTTP response built by the production serializer.
class StubberTransport : public HttpTransport {
 public:
  enum class Kind { kResult, kError, kRaw, kFailure };

  struct Entry {
    Kind kind = Kind::kResult;
    std::string_view target = kStubbedTarget;  // the operation it answers
    ExpectedRequest expected;                  // DetectCustomLabels
    // Other operations: compares the parsed request with the expectation.
    std::function<std::vector<FieldDifference>(std::string_view body)> mismatches;
    std::string result_body;  // other operations: the serialized result
    DetectCustomLabelsResult result;
    std::string error_code;
    std::string error_message;
    int http_status = 0;
    StubResponseOptions options;
    HttpResponse raw;
    TransportFailure failure;
    std::string label;  // for reports: "a response", "an error (ThrottlingException)"
  };

  void Push(Entry entry) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(entry));
  }

  REKOGNITION_INLINE HttpResult Send(const HttpRequest& http) override;

  std::size_t pending() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return queue_.size();
  }
  std::vector<DetectCustomLabelsRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  std::vector<RecordedRequest> http_requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return http_requests_;
  }
  std::vector<std::string> failures() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return failures_;
  }
  std::vector<std::chrono::milliseconds> sleeps() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sleeps_;
  }
  void RecordSleep(std::chrono::milliseconds delay) {
    std::lock_guard<std::mutex> lock(mutex_);
    sleeps_.push_back(delay);
  }
  std::vector<std::string> PendingLabels() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> labels;
    for (const Entry& entry : queue_) labels.push_back(entry.label);
    return labels;
  }
  void Reset() {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.clear();
    requests_.clear();
    http_requests_.clear();
    failures_.clear();
    sleeps_.clear();
    calls_ = 0;
  }

 private:
  // Notes the failure (so AssertNoPendingResponses can report it even if the
  // code under test swallowed the exception) and returns the exception.
  StubAssertionError Fail(std::string message, std::vector<FieldDifference> differences = {}) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      failures_.push_back(message);
    }
    return StubAssertionError(message, std::move(differences));
  }

  static HttpResult Answer(const Entry& entry, std::size_t call_number);
  HttpResult SendOther(const HttpRequest& http, const StubbedOperation& operation);

  mutable std::mutex mutex_;
  std::deque<Entry> queue_;
  std::vector<DetectCustomLabelsRequest> requests_;
  std::vector<RecordedRequest> http_requests_;
  std::vector<std::string> failures_;
  std::vector<std::chrono::milliseconds> sleeps_;
  std::size_t calls_ = 0;
};

/// The awsJson1_1 error body the service sends: {"__type":CODE,"Message":MSG}.
REKOGNITION_INLINE std::string StubErrorBody(const std::string& code, const std::string& message) {
  std::string body = "{\"__type\":";
  const auto sink = [&body](const char* data, std::size_t size) { body.append(data, size); };
  EscapeJsonString(code, sink);
  body += ",\"Message\":";
  EscapeJsonString(message, sink);
  body += "}";
  return body;
}

REKOGNITION_INLINE HttpResult StubberTransport::Answer(const Entry& entry,
                                                       std::size_t call_number) {
  if (entry.kind == Kind::kFailure) return entry.failure;
  if (entry.kind == Kind::kRaw) return entry.raw;
  HttpResponse response;
  std::string request_id = entry.options.request_id;
  if (request_id.empty() && entry.kind == Kind::kResult) request_id = entry.result.request_id;
  if (request_id.empty()) request_id = "stub-request-" + std::to_string(call_number);
  response.headers.emplace_back("Content-Type", "application/x-amz-json-1.1");
  response.headers.emplace_back("x-amzn-RequestId", request_id);
  if (entry.kind == Kind::kResult) {
    response.status = 200;
    response.body =
        entry.target == kStubbedTarget ? SerializeResult(entry.result) : entry.result_body;
  } else {
    response.status = entry.http_status;
    response.headers.emplace_back("x-amzn-ErrorType", entry.error_code);
    response.body = StubErrorBody(entry.error_code, entry.error_message);
  }
  response.headers.emplace_back("Content-Length", std::to_string(response.body.size()));
  for (const auto& header : entry.options.headers)
    SetHeader(response.headers, header.first, header.second);
  return response;
}

REKOGNITION_INLINE HttpResult StubberTransport::Send(const HttpRequest& http) {
  const std::string* target = FindHeader(http.headers, "X-Amz-Target");
  if (target && *target != kStubbedTarget) {
    for (const StubbedOperation& operation : kStubbedOperations)
      if (*target == operation.target) return SendOther(http, operation);
  }
  DetectCustomLabelsRequest actual;
  std::string parse_error;
  const bool parsed = ParseRequest(http.body, actual, parse_error);

  std::size_t call_number = 0;
  Entry entry;
  bool have_entry = false;
  bool queue_empty_for_call = true;
  std::string_view next_target;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    call_number = ++calls_;
    http_requests_.push_back(
        RecordedRequest{http.method, http.url, http.headers, std::string(http.body)});
    if (parsed) requests_.push_back(actual);
    queue_empty_for_call = queue_.empty();
    if (!queue_.empty()) next_target = queue_.front().target;
    if (!queue_.empty() && target && *target == kStubbedTarget && parsed &&
        queue_.front().target == kStubbedTarget) {
      entry = std::move(queue_.front());
      queue_.pop_front();
      have_entry = true;
    }
  }
  const std::string call = "DetectCustomLabels call #" + std::to_string(call_number);
  if (!target || *target != kStubbedTarget)
    throw Fail("Stubber: call #" + std::to_string(call_number) + " is for operation '" +
               (target ? *target : std::string("(no X-Amz-Target header)")) + "'; only " +
               std::string(kStubbedTarget) +
               " and the model lifecycle operations (DescribeProjects, "
               "DescribeProjectVersions, StartProjectVersion, StopProjectVersion) are stubbed");
  if (!queue_empty_for_call && next_target != kStubbedTarget)
    throw Fail("Stubber: " + std::string("DetectCustomLabels call #") +
               std::to_string(call_number) + " arrived, but the next queued answer is for " +
               std::string(next_target));
  if (!parsed)
    throw Fail("Stubber: " + call + " sent a body the service would not read: " + parse_error);
  if (!have_entry)
    throw Fail("Stubber: unexpected " + call +
               ": nothing is queued (add a response or error for every attempt, retries "
               "included). The request was: " +
               detail::expect::DescribeRequest(actual));
  std::vector<FieldDifference> differences = entry.expected.Mismatches(actual);
  if (!differences.empty()) {
    const std::string count = std::to_string(differences.size());
    std::string message = "Stubber: " + call + " does not match the request expected with " +
                          entry.label + " (" + count +
                          (differences.size() == 1 ? " field differs" : " fields differ") + "):\n" +
                          detail::expect::FormatDifferences(differences);
    throw Fail(std::move(message), std::move(differences));
  }
  return Answer(entry, call_number);
}

REKOGNITION_INLINE HttpResult StubberTransport::SendOther(const HttpRequest& http,
                                                          const StubbedOperation& operation) {
  std::string description;
  std::string parse_error;
  const bool parsed = operation.read(http.body, description, parse_error);
  std::size_t call_number = 0;
  Entry entry;
  bool have_entry = false;
  bool queue_empty = true;
  std::string next_label;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    call_number = ++calls_;
    http_requests_.push_back(
        RecordedRequest{http.method, http.url, http.headers, std::string(http.body)});
    queue_empty = queue_.empty();
    if (!queue_empty) next_label = queue_.front().label;
    if (!queue_empty && parsed && queue_.front().target == operation.target) {
      entry = std::move(queue_.front());
      queue_.pop_front();
      have_entry = true;
    }
  }
  const std::string call = std::string(operation.name) + " call #" + std::to_string(call_number);
  if (!parsed)
    throw Fail("Stubber: " + call + " sent a body the service would not read: " + parse_error);
  if (queue_empty)
    throw Fail("Stubber: unexpected " + call +
               ": nothing is queued (add a response or error for every attempt, retries "
               "included). The request was: " +
               description);
  if (!have_entry)
    throw Fail("Stubber: " + call + " arrived, but the next queued answer is " + next_label +
               ". The request was: " + description);
  std::vector<FieldDifference> differences =
      entry.mismatches ? entry.mismatches(http.body) : std::vector<FieldDifference>{};
  if (!differences.empty()) {
    const std::string count = std::to_string(differences.size());
    std::string message = "Stubber: " + call + " does not match the request expected with " +
                          entry.label + " (" + count +
                          (differences.size() == 1 ? " field differs" : " fields differ") + "):\n" +
                          detail::expect::FormatDifferences(differences);
    throw Fail(std::move(message), std::move(differences));
  }
  return Answer(entry, call_number);
}

}  // namespace detail

/// Queues expected DetectCustomLabels calls and their answers, in order, for
/// unit tests of code that calls Rekognition; in the spirit of botocore's
/// Stubber. It plugs in at the transport, so every stubbed answer goes
/// through the real request serializer and signer, the real response parser,
/// error mapping and retry logic: what a test sees is what production would
/// see. Each HTTP attempt consumes one queued entry, so a retried call needs
/// one entry per attempt (e.g. a ThrottlingException, then a response).
///
///     rekognition::Stubber stubber;
///     rekognition::Client client = stubber.MakeClient();
///     stubber.AddResponse(result, expected_request);
///     ... run the code under test with `client` ...
///     stubber.AssertNoPendingResponses();
///
/// A call that does not match its expectation, or finds nothing queued,
/// throws StubAssertionError out of Client::DetectCustomLabels (it is not a
/// rekognition::Error, so production catch clauses do not swallow it) and is
/// also remembered, so AssertNoPendingResponses reports it even if the code
/// under test caught it anyway. Independent of any test framework.
///
/// Copies share one queue. Thread-safe: calls may come from many threads
/// (they consume entries in the order they reach the transport).
class Stubber {
 public:
  /// An empty stubber.
  Stubber() : transport_(std::make_shared<detail::StubberTransport>()) {}

  /// Queues a successful answer carrying `result` (its custom_labels, and
  /// its request_id if set; attempts is computed by the client). The call
  /// that consumes it must match `expected` (default: any request). Returns
  /// *this for chaining. Throws std::bad_alloc only. Thread-safe.
  Stubber& AddResponse(DetectCustomLabelsResult result, ExpectedRequest expected = {},
                       StubResponseOptions options = {}) {
    detail::StubberTransport::Entry entry;
    entry.kind = detail::StubberTransport::Kind::kResult;
    entry.result = std::move(result);
    entry.expected = std::move(expected);
    entry.options = std::move(options);
    entry.label = "a response";
    transport_->Push(std::move(entry));
    return *this;
  }

  /// Queues a successful answer to a model lifecycle call: `result` is a
  /// DescribeProjectsResult, DescribeProjectVersionsResult or
  /// ProjectVersionStatusResult (for StartProjectVersion, pass
  /// `expected` of that request type, or use AddStartResponse /
  /// AddStopResponse). The answering call must be of the operation whose
  /// result type it is and match `expected` (default: any request).
  /// Descriptions with raw_json are sent as that JSON. Thread-safe.
  Stubber& AddResponse(const DescribeProjectsResult& result,
                       ExpectedCall<DescribeProjectsRequest> expected = {},
                       StubResponseOptions options = {}) {
    return Queue<DescribeProjectsOperation>(detail::SerializeResult(result), result.request_id,
                                            std::move(expected), std::move(options));
  }
  /// See the DescribeProjectsResult overload.
  Stubber& AddResponse(const DescribeProjectVersionsResult& result,
                       ExpectedCall<DescribeProjectVersionsRequest> expected = {},
                       StubResponseOptions options = {}) {
    return Queue<DescribeProjectVersionsOperation>(detail::SerializeResult(result),
                                                   result.request_id, std::move(expected),
                                                   std::move(options));
  }
  /// Queues a StartProjectVersion answer ({"Status": ...}). Thread-safe.
  Stubber& AddStartResponse(const StartProjectVersionResult& result,
                            ExpectedCall<StartProjectVersionRequest> expected = {},
                            StubResponseOptions options = {}) {
    return Queue<StartProjectVersionOperation>(detail::SerializeResult(result), result.request_id,
                                               std::move(expected), std::move(options));
  }
  /// Queues a StopProjectVersion answer ({"Status": ...}). Thread-safe.
  Stubber& AddStopResponse(const StopProjectVersionResult& result,
                           ExpectedCall<StopProjectVersionRequest> expected = {},
                           StubResponseOptions options = {}) {
    return Queue<StopProjectVersionOperation>(detail::SerializeResult(result), result.request_id,
                                              std::move(expected), std::move(options));
  }

  /// Queues a service error answer to a call of operation `Op` (e.g.
  /// rekognition::StartProjectVersionOperation): like AddError, but the
  /// answering call must be of that operation and match `expected`.
  /// Thread-safe.
  template <typename Op>
  Stubber& AddErrorFor(std::string code, std::string message = {}, int http_status = 0,
                       ExpectedCall<typename Op::Request> expected = {},
                       StubResponseOptions options = {}) {
    detail::StubberTransport::Entry entry;
    entry.kind = detail::StubberTransport::Kind::kError;
    entry.target = Op::kTarget;
    entry.label = "an error (" + code + ") for " + std::string(Op::kName);
    entry.error_code = std::move(code);
    entry.error_message = std::move(message);
    entry.http_status = http_status != 0 ? http_status : DefaultStatusFor(entry.error_code);
    entry.mismatches = Matcher<Op>(std::move(expected));
    entry.options = std::move(options);
    transport_->Push(std::move(entry));
    return *this;
  }

  /// The HTTP status the service answers `code` with: 500 for the errors the
  /// model marks as server faults (InternalServerError, ThrottlingException),
  /// 400 for the rest.
  static int DefaultStatusFor(const std::string& code) {
    return code == "InternalServerError" || code == "ThrottlingException" ? 500 : 400;
  }

  /// Queues a service error answer: HTTP `http_status` (0: DefaultStatusFor
  /// the code) with the awsJson1_1 error body {"__type": code, "Message": message}. The client maps
  /// it like any service error: AddError("ResourceNotReadyException", ...) makes the call throw
  /// rekognition::ResourceNotReadyException; a throttling code or a 5xx status is retried (queue
  /// the next attempt's answer too). The call must match `expected`. Thread-safe.
  Stubber& AddError(std::string code, std::string message = {}, int http_status = 0,
                    ExpectedRequest expected = {}, StubResponseOptions options = {}) {
    detail::StubberTransport::Entry entry;
    entry.kind = detail::StubberTransport::Kind::kError;
    entry.label = "an error (" + code + ")";
    entry.error_code = std::move(code);
    entry.error_message = std::move(message);
    entry.http_status = http_status != 0 ? http_status : DefaultStatusFor(entry.error_code);
    entry.expected = std::move(expected);
    entry.options = std::move(options);
    transport_->Push(std::move(entry));
    return *this;
  }

  /// Queues a failure below HTTP (timeout, connection reset, ...): the client
  /// sees no response at all, retries it if the kind is retryable, and
  /// finally throws rekognition::TransportError. Thread-safe.
  Stubber& AddTransportFailure(TransportErrorKind kind,
                               std::string message = "stubbed transport failure",
                               ExpectedRequest expected = {}) {
    detail::StubberTransport::Entry entry;
    entry.kind = detail::StubberTransport::Kind::kFailure;
    entry.label = std::string("a transport failure (") + ToString(kind) + ")";
    entry.failure = TransportFailure{kind, 0, std::move(message)};
    entry.expected = std::move(expected);
    transport_->Push(std::move(entry));
    return *this;
  }

  /// Queues an HTTP response exactly as given (status, headers, body), for
  /// testing how odd answers are handled (an HTML 502 from a proxy, a
  /// truncated body). Thread-safe.
  Stubber& AddHttpResponse(HttpResponse response, ExpectedRequest expected = {}) {
    detail::StubberTransport::Entry entry;
    entry.kind = detail::StubberTransport::Kind::kRaw;
    entry.label = "an HTTP " + std::to_string(response.status) + " response";
    entry.raw = std::move(response);
    entry.expected = std::move(expected);
    transport_->Push(std::move(entry));
    return *this;
  }

  /// Throws StubAssertionError when queued answers were not consumed (naming
  /// them), or when an earlier call failed an expectation, even if the code
  /// under test caught that exception. Call it at the end of each test.
  /// Thread-safe.
  void AssertNoPendingResponses() const {
    const std::vector<std::string> failures = transport_->failures();
    if (!failures.empty()) {
      std::string message = "Stubber: " + std::to_string(failures.size()) +
                            " call(s) failed their expectations earlier (the exception may "
                            "have been caught by the code under test):\n";
      for (std::size_t i = 0; i < failures.size(); ++i) message += (i ? "\n" : "") + failures[i];
      throw StubAssertionError(message);
    }
    const std::vector<std::string> pending = transport_->PendingLabels();
    if (!pending.empty()) {
      std::string message =
          "Stubber: " + std::to_string(pending.size()) + " queued answer(s) were never requested:";
      for (const std::string& label : pending) message += "\n  " + label;
      throw StubAssertionError(message);
    }
  }

  /// How many queued answers have not been consumed yet. Thread-safe.
  std::size_t pending() const { return transport_->pending(); }

  /// Every request that reached the stubber, decoded from the wire body by
  /// the production parser, oldest first (one per attempt). Thread-safe.
  std::vector<DetectCustomLabelsRequest> requests() const { return transport_->requests(); }

  /// The same requests as sent on the wire (signed headers, JSON body), for
  /// tests that inspect headers. Thread-safe.
  std::vector<RecordedRequest> http_requests() const { return transport_->http_requests(); }

  /// The waits the client asked for between attempts (backoff), when it was
  /// made by MakeClient without a sleep of its own; nothing actually waits.
  /// Thread-safe.
  std::vector<std::chrono::milliseconds> sleeps() const { return transport_->sleeps(); }

  /// The assertion failures seen so far (the messages). Thread-safe.
  std::vector<std::string> failures() const { return transport_->failures(); }

  /// Forgets every queued answer, recorded request, failure and sleep.
  /// Thread-safe.
  void Reset() { transport_->Reset(); }

  /// Every lifecycle request of operation `Op` that reached the stubber,
  /// decoded from the wire body, oldest first. Thread-safe.
  template <typename Op>
  std::vector<typename Op::Request> requests_of() const {
    std::vector<typename Op::Request> out;
    for (const RecordedRequest& http : transport_->http_requests()) {
      const std::string* target = FindHeader(http.headers, "X-Amz-Target");
      typename Op::Request request;
      std::string error;
      if (target && *target == Op::kTarget && detail::ParseRequest(http.body, request, error))
        out.push_back(std::move(request));
    }
    return out;
  }

  /// The stubber as an HttpTransport, for wiring a ClientConfig by hand.
  /// Thread-safe.
  std::shared_ptr<HttpTransport> transport() const { return transport_; }

  /// A Client whose transport is this stubber, built from `config` with the
  /// gaps a unit test should not have to fill: region "us-east-1" and a
  /// matching endpoint URL (nothing is looked up in the environment),
  /// dummy static credentials (unless `config` has credentials or a
  /// provider), an empty environment (unless `config` has one: so AWS_*
  /// variables and ~/.aws of the machine running the tests change nothing,
  /// retry mode and attempts included), and a sleep that records the delay
  /// instead of waiting (unless `config` has one). The transport in `config`
  /// is replaced. Never touches the network or the file system. Thread-safe.
  Client MakeClient(ClientConfig config = {}) const {
    config.transport = transport_;
    if (!config.environment) config.environment = FixedEnvironment({});
    if (config.region.empty()) config.region = "us-east-1";
    if (!config.endpoint_url)
      config.endpoint_url = "https://rekognition." + config.region + ".amazonaws.com";
    if (!config.credentials && !config.credentials_provider)
      config.credentials =
          Credentials{"AKIDSTUBBEREXAMPLE", "stubber-dummy-secret-key", "", std::nullopt};
    if (!config.sleep) {
      std::weak_ptr<detail::StubberTransport> weak = transport_;
      config.sleep = [weak](std::chrono::milliseconds delay) {
        if (auto transport = weak.lock()) transport->RecordSleep(delay);
      };
    }
    return Client(std::move(config));
  }

 private:
  template <typename Op>
  static std::function<std::vector<FieldDifference>(std::string_view)> Matcher(
      ExpectedCall<typename Op::Request> expected) {
    return [expected = std::move(expected)](std::string_view body) {
      typename Op::Request request;
      std::string error;
      if (!detail::ParseRequest(body, request, error)) return std::vector<FieldDifference>{};
      return expected.Mismatches(request);
    };
  }

  template <typename Op>
  Stubber& Queue(std::string body, const std::string& request_id,
                 ExpectedCall<typename Op::Request> expected, StubResponseOptions options) {
    detail::StubberTransport::Entry entry;
    entry.kind = detail::StubberTransport::Kind::kResult;
    entry.target = Op::kTarget;
    entry.result_body = std::move(body);
    entry.result.request_id = request_id;
    entry.mismatches = Matcher<Op>(std::move(expected));
    entry.options = std::move(options);
    entry.label = "a " + std::string(Op::kName) + " response";
    transport_->Push(std::move(entry));
    return *this;
  }

  std::shared_ptr<detail::StubberTransport> transport_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_TESTING_STUBBER_HPP
