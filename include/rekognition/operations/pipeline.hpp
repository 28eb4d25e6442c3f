// rekognition-cpp: the request pipeline every operation runs through:
// prepare (validate, serialize), then per attempt sign, send, classify, retry
// and correct clock skew, then parse the answer or throw the modeled error.
#ifndef REKOGNITION_OPERATIONS_PIPELINE_HPP
#define REKOGNITION_OPERATIONS_PIPELINE_HPP

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "rekognition/auth/credentials.hpp"
#include "rekognition/auth/sigv4.hpp"
#include "rekognition/detail/crypto.hpp"
#include "rekognition/detail/http_date.hpp"
#include "rekognition/detail/redact.hpp"
#include "rekognition/detail/uuid.hpp"
#include "rekognition/error_codes.hpp"
#include "rekognition/errors.hpp"
#include "rekognition/http/transport.hpp"
#include "rekognition/http/types.hpp"
#include "rekognition/http/url.hpp"
#include "rekognition/operations/json_codec.hpp"
#include "rekognition/operations/validation.hpp"
#include "rekognition/retry/retry.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

// An operation is described to the pipeline by a traits struct:
//
//   struct StopProjectVersionOperation {
//     using Request = StopProjectVersionRequest;
//     using Result = StopProjectVersionResult;  // has request_id and attempts
//     static constexpr std::string_view kName = "StopProjectVersion";
//     static constexpr std::string_view kTarget = "RekognitionService.StopProjectVersion";
//     static constexpr std::string_view kErrors[] = {"ResourceNotFoundException", ...};
//     static void Validate(const Request&, const ValidationOptions&);  // throws ValidationError
//     static std::string Serialize(const Request&);                     // the awsJson1_1 body
//     static bool Parse(std::string_view body, Result&, std::string& error);
//   };
//
// Everything else (endpoint, signing, retries, clock skew, error mapping) is
// shared, in RequestPipeline below.

namespace detail {

/// Where and how calls are sent, resolved once per client.
struct PipelineTarget {
  std::string region;
  ParsedUrl endpoint;
  std::string url;
  std::shared_ptr<HttpTransport> transport;
  std::shared_ptr<RetryPolicy> retry_policy;
};

/// The machinery a pipeline borrows from its client.
struct PipelineSettings {
  std::shared_ptr<CredentialsProvider> credentials_provider;
  std::function<std::chrono::system_clock::time_point()> clock;
  std::function<void(std::chrono::milliseconds)> sleep;
  std::function<void(const std::string&)> log;
  /// Bound on a whole call, attempts and waits included; 0: none.
  std::chrono::milliseconds call_timeout{0};
};

/// A validated, serialized request: what stays the same across attempts.
struct PreparedCall {
  std::string_view operation;  ///< e.g. "DetectCustomLabels"
  std::string_view target;     ///< the X-Amz-Target header
  std::string body;            ///< the awsJson1_1 body
  std::string payload_hash;    ///< SHA-256 hex of body, computed once per call
  std::string invocation_id;   ///< amz-sdk-invocation-id, one per call
};

/// The state of one call across its attempts.
struct CallState {
  int attempt = 0;              ///< the current attempt, from 1
  int max_attempts = 0;         ///< the policy's attempts
  bool skew_corrected = false;  ///< the one clock-skew retry was used
  RetryToken token;
  std::chrono::system_clock::time_point signed_at;
  Credentials credentials;  ///< of the current attempt (for redaction)
  /// When the call must be over (PipelineSettings::call_timeout), if bounded.
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

/// A 2xx answer, not yet parsed.
struct CallOutcome {
  HttpResponse response;
  std::string request_id;
  std::chrono::milliseconds elapsed{0};
};

/// "503 ServiceUnavailable" or the transport failure's name, for the log.
REKOGNITION_INLINE std::string DescribeFailure(const AttemptFailure& failure) {
  if (failure.transport) return ToString(*failure.transport);
  return std::to_string(failure.http_status) + " " + failure.code;
}

/// The credentials' secrets: what must never leave in a message or a log.
REKOGNITION_INLINE std::vector<std::string_view> SecretsOf(const Credentials& credentials) {
  return {credentials.secret_access_key, credentials.session_token};
}

/// `text` with every occurrence of the credentials' secret key and session
/// token replaced by "<redacted>" (see RedactAll). Thread-safe.
REKOGNITION_INLINE std::string RedactSecrets(std::string text, const Credentials& credentials) {
  return RedactAll(std::move(text), SecretsOf(credentials));
}

/// True when Op has Serialize(request, Sha256Digest&), which writes the body
/// and hashes it in one pass.
template <typename Op, typename = void>
struct SerializesAndHashes : std::false_type {};
template <typename Op>
struct SerializesAndHashes<
    Op, std::void_t<decltype(Op::Serialize(std::declval<const typename Op::Request&>(),
                                           std::declval<Sha256Digest&>()))>> : std::true_type {};

/// The shared request machinery of a client. Its stages can be run one by
/// one (Prepare, then SignAttempt / HandleAttempt per attempt, then Finish),
/// or all at once with Call. Thread-safe: one pipeline serves every call of
/// a client; the clock-skew correction is shared by them.
class RequestPipeline {
 public:
  explicit RequestPipeline(PipelineSettings settings) : settings_(std::move(settings)) {}

  /// Validates and serializes `request` (throws ValidationError, nothing
  /// sent).
  template <typename Op>
  PreparedCall Prepare(const typename Op::Request& request, const ValidationOptions& options) {
    Op::Validate(request, options);
    PreparedCall call;
    call.operation = Op::kName;
    call.target = Op::kTarget;
    // The payload hash is computed once per call, not per attempt.
    if constexpr (SerializesAndHashes<Op>::value) {
      Sha256Digest digest;
      call.body = Op::Serialize(request, digest);
      call.payload_hash = HexEncode(digest);
    } else {
      call.body = Op::Serialize(request);
      call.payload_hash = Sha256Hex(call.body);
    }
    call.invocation_id = RandomUuid();
    return call;
  }

  /// Starts the attempts of `call` (and its deadline, when bounded).
  CallState Begin(const PipelineTarget& target) const {
    CallState state;
    state.max_attempts = target.retry_policy->max_attempts();
    if (settings_.call_timeout.count() > 0)
      state.deadline = std::chrono::steady_clock::now() + settings_.call_timeout;
    return state;
  }

  /// Throws TransportError (kTimeout) when the call's deadline leaves less
  /// than `wait` before the next attempt; does nothing for unbounded calls.
  void CheckDeadline(const CallState& state, std::chrono::milliseconds wait) const;

  /// The signed HTTP request of the next attempt (advances state.attempt).
  /// Throws CredentialsError when no credentials can be had.
  HttpRequest SignAttempt(const PreparedCall& call, const PipelineTarget& target, CallState& state);

  /// What to do after an attempt's result.
  struct Verdict {
    enum Kind { kSuccess, kRetry } kind = kSuccess;
    std::chrono::milliseconds delay{0};  ///< kRetry: wait this long first (may be 0)
    bool wait = false;                   ///< kRetry: whether to call sleep (skew retries do not)
  };

  /// Classifies the answer of an attempt: a 2xx is kSuccess (moved into
  /// `outcome`), a retryable failure kRetry, anything else throws the
  /// TransportError or the ServiceError subclass of its code.
  Verdict HandleAttempt(const PipelineTarget& target, CallState& state, HttpResult result,
                        std::chrono::milliseconds elapsed, CallOutcome& outcome);

  /// Parses a successful outcome into the operation's result, records the
  /// success with the retry policy, and fills request_id and attempts.
  /// Throws ServiceError "MalformedResponse" for an unreadable body.
  template <typename Op>
  typename Op::Result Finish(const PipelineTarget& target, CallState& state, CallOutcome outcome);

  /// Runs every stage of one call synchronously.
  template <typename Op>
  typename Op::Result Call(const typename Op::Request& request, const ValidationOptions& options,
                           const std::function<const PipelineTarget&()>& resolve) {
    const PreparedCall call = Prepare<Op>(request, options);  // throws before anything is sent
    const PipelineTarget& target = resolve();
    CallState state = Begin(target);
    CallOutcome outcome = Attempts(call, target, state);
    return Finish<Op>(target, state, std::move(outcome));
  }

  /// Sends the attempts of a prepared call, with their waits, until one gets
  /// a 2xx answer (returned); throws what the last attempt's failure maps to.
  CallOutcome Attempts(const PreparedCall& call, const PipelineTarget& target, CallState& state);

  /// What Finish does besides parsing (shared by every operation): logs,
  /// records the success with the retry policy, and throws ServiceError
  /// "MalformedResponse" when `parse_error` is set.
  void Finished(const PipelineTarget& target, const CallState& state, const CallOutcome& outcome,
                const std::string* parse_error);

 private:
  bool Logging() const noexcept { return static_cast<bool>(settings_.log); }
  void Log(const std::string& line) const {
    if (settings_.log) settings_.log(line);
  }
  std::chrono::system_clock::time_point SigningTime() const {
    return settings_.clock() + std::chrono::milliseconds(skew_ms_.load(std::memory_order_relaxed));
  }
  // Applies a clock-skew correction when the service says our clock is off and
  // its Date header agrees (4 minutes or more). True when the call should be
  // retried at once with the corrected time.
  bool CorrectClockSkew(const std::string& code, const HttpResponse& response,
                        std::chrono::system_clock::time_point signed_at);
  std::string AttemptPrefix(const CallState& state) const {
    return "attempt " + std::to_string(state.attempt) + "/" + std::to_string(state.max_attempts);
  }

  PipelineSettings settings_;
  SigV4Signer signer_;
  std::atomic<long long> skew_ms_{0};  // server time minus local time, shared by all calls
};

REKOGNITION_INLINE bool RequestPipeline::CorrectClockSkew(
    const std::string& code, const HttpResponse& response,
    std::chrono::system_clock::time_point signed_at) {
  if (!IsClockSkewError(code)) return false;
  const std::string* date = response.Header("Date");
  if (!date) return false;
  const auto server_time = ParseHttpDate(*date);
  if (!server_time) return false;
  // Judge the attempt by the time it was signed with: another call may have
  // corrected the shared offset since, and this one still deserves its retry.
  if (std::chrono::abs(*server_time - signed_at) < std::chrono::minutes(4)) return false;
  const auto skew =
      std::chrono::duration_cast<std::chrono::milliseconds>(*server_time - settings_.clock());
  if (std::chrono::abs(skew - std::chrono::milliseconds(skew_ms_.load())) >=
      std::chrono::minutes(4)) {
    skew_ms_.store(skew.count());
    Log("clock skew: the service's clock is " + std::to_string(skew.count() / 1000) +
        " s ahead of ours; re-signing with the corrected time");
  }
  return true;
}

REKOGNITION_INLINE HttpRequest RequestPipeline::SignAttempt(const PreparedCall& call,
                                                            const PipelineTarget& target,
                                                            CallState& state) {
  ++state.attempt;
  state.credentials = settings_.credentials_provider->GetCredentials();
  HttpRequest http;
  http.method = "POST";
  http.url = target.url;
  http.body = call.body;
  http.headers.reserve(10);
  if (state.deadline) {
    // The attempt gets what is left of the call (at least 1 ms: 0 is "none").
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(
        *state.deadline - std::chrono::steady_clock::now());
    http.timeout = std::max(left, std::chrono::milliseconds(1));
  }
  http.headers.emplace_back("Host", target.endpoint.HostHeader());
  http.headers.emplace_back("Content-Type", "application/x-amz-json-1.1");
  http.headers.emplace_back("X-Amz-Target", std::string(call.target));
  http.headers.emplace_back("User-Agent", kUserAgent);
  http.headers.emplace_back("amz-sdk-invocation-id", call.invocation_id);
  std::string attempt_header;
  attempt_header.reserve(32);
  attempt_header.append("attempt=").append(std::to_string(state.attempt)).append("; max=");
  attempt_header.append(std::to_string(state.max_attempts + (state.skew_corrected ? 1 : 0)));
  http.headers.emplace_back("amz-sdk-request", std::move(attempt_header));
  // Each thread reuses its parameters: assigning the payload hash and the
  // region then reuses their storage instead of allocating per attempt.
  thread_local SigV4Params params;
  params.region = target.region;
  params.service = "rekognition";
  params.time = SigningTime();
  if (call.payload_hash.empty())
    params.payload_hash.reset();
  else
    params.payload_hash = call.payload_hash;
  state.signed_at = params.time;
  signer_.Sign(http, state.credentials, params);
  return http;
}

REKOGNITION_INLINE RequestPipeline::Verdict RequestPipeline::HandleAttempt(
    const PipelineTarget& target, CallState& state, HttpResult result,
    std::chrono::milliseconds elapsed, CallOutcome& outcome) {
  RetryPolicy& policy = *target.retry_policy;
  const int attempt = state.attempt;
  AttemptFailure failure;
  std::string request_id;
  std::string message;
  if (auto* response = std::get_if<HttpResponse>(&result)) {
    // The request id is printed and logged: a peer may echo a secret in it.
    if (const std::string* id = response->Header("x-amzn-RequestId"))
      request_id = RedactSecrets(*id, state.credentials);
    if (response->status >= 200 && response->status < 300) {
      outcome.response = std::move(*response);
      outcome.request_id = std::move(request_id);
      outcome.elapsed = elapsed;
      return Verdict{Verdict::kSuccess, std::chrono::milliseconds(0), false};
    }
    // Some services and peers echo the canonical request, which carries the
    // session token, in signature errors, or anything else anywhere: every
    // string taken from the answer is redacted before it is cut or used.
    ErrorBody error = ParseErrorResponse(response->status, response->headers, response->body,
                                         SecretsOf(state.credentials));
    failure.code = std::move(error.code);
    failure.http_status = response->status;
    message = std::move(error.message);
    if (const std::string* after = response->Header("x-amz-retry-after")) {
      char* end = nullptr;
      const long long ms = std::strtoll(after->c_str(), &end, 10);
      if (end != after->c_str() && ms >= 0) failure.retry_after = std::chrono::milliseconds(ms);
    }
    if (!state.skew_corrected && CorrectClockSkew(failure.code, *response, state.signed_at)) {
      state.skew_corrected = true;  // once per call, at once, outside the retry budget
      policy.OnAttemptResult(false);
      return Verdict{Verdict::kRetry, std::chrono::milliseconds(0), false};
    }
  } else {
    const auto& transport_failure = std::get<TransportFailure>(result);
    failure.transport = transport_failure.kind;
    message = transport_failure.message;
  }
  policy.OnAttemptResult(ClassifyFailure(failure) == FailureClass::kThrottling);

  // The clock-skew retry does not count against the policy's attempts.
  const auto delay =
      policy.OnFailure(failure, state.skew_corrected ? attempt - 1 : attempt, state.token);
  if (Logging())
    Log(AttemptPrefix(state) + ": " + DescribeFailure(failure) + " in " +
        std::to_string(elapsed.count()) + " ms" +
        (request_id.empty() ? "" : ", request id " + request_id) +
        (delay ? "; retrying in " + std::to_string(delay->count()) + " ms" : "; giving up"));
  // Every retry has exactly one wait, also for 0 ms.
  if (delay) return Verdict{Verdict::kRetry, *delay, true};
  if (failure.transport) throw TransportError(std::get<TransportFailure>(result), attempt);
  ThrowServiceError(
      ErrorInfo{failure.code, message, failure.http_status, request_id, attempt, false});
}

template <typename Op>
typename Op::Result RequestPipeline::Finish(const PipelineTarget& target, CallState& state,
                                            CallOutcome outcome) {
  typename Op::Result parsed;
  std::string error;
  const bool readable = Op::Parse(outcome.response.body, parsed, error);
  Finished(target, state, outcome, readable ? nullptr : &error);
  parsed.request_id = std::move(outcome.request_id);
  parsed.attempts = state.attempt;
  return parsed;
}

REKOGNITION_INLINE void RequestPipeline::Finished(const PipelineTarget& target,
                                                  const CallState& state,
                                                  const CallOutcome& outcome,
                                                  const std::string* parse_error) {
  const int status = outcome.response.status;
  RetryPolicy& policy = *target.retry_policy;
  if (parse_error) {
    Log(AttemptPrefix(state) + ": HTTP " + std::to_string(status) +
        " with an unreadable body: " + *parse_error);
    // The service answered: what the retries took from the quota goes back,
    // or a run of such answers would leave the client without retries.
    policy.OnAttemptResult(false);
    policy.OnSuccess(state.token);
    throw ServiceError(ErrorInfo{"MalformedResponse",
                                 "the service's response could not be read: " + *parse_error,
                                 status, outcome.request_id, state.attempt, false});
  }
  // Built only when someone reads it: a call that succeeds should cost no
  // string work beyond its result.
  if (Logging())
    Log(AttemptPrefix(state) + ": HTTP " + std::to_string(status) + " in " +
        std::to_string(outcome.elapsed.count()) + " ms, request id " + outcome.request_id);
  policy.OnAttemptResult(false);
  policy.OnSuccess(state.token);
}

REKOGNITION_INLINE CallOutcome RequestPipeline::Attempts(const PreparedCall& call,
                                                         const PipelineTarget& target,
                                                         CallState& state) {
  RetryPolicy& policy = *target.retry_policy;
  for (;;) {
    const auto wait = policy.BeforeAttempt();
    CheckDeadline(state, wait);
    if (wait.count() > 0) settings_.sleep(wait);
    HttpRequest http = SignAttempt(call, target, state);
    const auto started = std::chrono::steady_clock::now();
    HttpResult result = target.transport->Send(http);
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    CallOutcome outcome;
    const Verdict verdict = HandleAttempt(target, state, std::move(result), elapsed, outcome);
    if (verdict.kind == Verdict::kSuccess) return outcome;
    CheckDeadline(state, verdict.delay);
    if (verdict.wait) settings_.sleep(verdict.delay);
  }
}

REKOGNITION_INLINE void RequestPipeline::CheckDeadline(const CallState& state,
                                                       std::chrono::milliseconds wait) const {
  if (!state.deadline) return;
  const auto now = std::chrono::steady_clock::now();
  // Like a context deadline: a wait that would end past it is not started.
  if (now + wait < *state.deadline) return;
  const long long attempts = state.attempt;
  Log("call timeout: " + std::to_string(settings_.call_timeout.count()) + " ms over after " +
      std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts"));
  TransportFailure failure;
  failure.kind = TransportErrorKind::kTimeout;
  failure.message = "call timeout: the call did not finish within " +
                    std::to_string(settings_.call_timeout.count()) + " ms (" +
                    std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts") + ")";
  throw TransportError(std::move(failure), state.attempt);
}

}  // namespace detail

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_OPERATIONS_PIPELINE_HPP
