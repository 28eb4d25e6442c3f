// Fault injection: the client and the CLI against a scripted raw-socket peer
// on 127.0.0.1 (tests/support/scripted_server.hpp). Every scenario asserts
// what was thrown (or the CLI's exit code), how many attempts reached the
// peer and how long the call took. Timeouts are short and backoff is not
// slept, so the suite runs in seconds.
//
// A scenario is one row of a table: the scripts the peer plays per
// connection, and what the call must end with.
#include <rekognition/client.hpp>
#include "library_internals.hpp"  // also in compiled mode

#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "peers.hpp"
#include "process.hpp"
#include "rekognition_local.hpp"
#include "scripted_server.hpp"
#include "test_images.hpp"

REKOGNITION_PEERS_MAIN((std::vector<std::string>{}), (std::vector<std::string>{}))

namespace {

using std::chrono::milliseconds;
using testing_support::ConnectionScript;
using testing_support::HttpResponseBytes;
using testing_support::JsonErrorResponse;
using testing_support::JsonOkResponse;
using testing_support::ScriptedServer;

constexpr const char* kArn =
    "arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/1700000000000";
constexpr int kMaxAttempts = 3;
constexpr milliseconds kReadTimeout{400};

// What a call ended with, in a form a table can name: "ok", the service
// error's code as "ServiceError(Code)" under its class (the HTTP status when
// the answer names no code, as botocore does), or the transport failure's
// kind as "TransportError(Kind)".
std::string Describe(const std::exception_ptr& error) {
  if (!error) return "ok";
  try {
    std::rethrow_exception(error);
  } catch (const rekognition::ThrottlingException& e) {
    return "ThrottlingException(" + e.code() + ")";
  } catch (const rekognition::InternalServerError& e) {
    return "InternalServerError(" + e.code() + ")";
  } catch (const rekognition::ServiceError& e) {
    return "ServiceError(" + e.code() + ")";
  } catch (const rekognition::TransportError& e) {
    return std::string("TransportError(") + rekognition::ToString(e.kind()) + ")";
  } catch (const rekognition::Error& e) {
    return "Error(" + e.code() + ")";
  } catch (const std::exception& e) {
    return std::string("std::exception: ") + e.what();
  }
}

// Counts the scenarios checked and prints the total when the run ends (the
// README's figure comes from this line).
struct ScenarioTally {
  std::atomic<int> checked{0};
  ~ScenarioTally() { std::printf("fault-injection scenarios checked: %d\n", checked.load()); }
};
ScenarioTally g_tally;

struct CallOutcome {
  std::exception_ptr error;
  std::string described;
  std::string what;         // the exception's message, empty on success
  int client_attempts = 0;  // as the client counted them
  std::size_t label_count = 0;
  double seconds = 0;
  std::vector<milliseconds> backoffs;  // asked for, never slept
};

// One DetectCustomLabels call against `server`, up to kMaxAttempts, with a
// short read timeout and no sleeping between attempts.
CallOutcome Call(const ScriptedServer& server,
                 const std::function<void(rekognition::ClientConfig&)>& tweak = {}) {
  CallOutcome outcome;
  rekognition::ClientConfig config;
  config.region = "us-east-1";
  config.endpoint_url = server.url();
  config.credentials =
      rekognition::Credentials{"AKIDFAULTINJECTION01", "fault-secret-0123456789", "", std::nullopt};
  config.retry.max_attempts = kMaxAttempts;
  config.transport_options.connect_timeout = milliseconds(2000);
  config.transport_options.read_timeout = kReadTimeout;
  config.sleep = [&outcome](milliseconds d) { outcome.backoffs.push_back(d); };
  config.environment = [](const std::string&) { return std::optional<std::string>(); };
  if (tweak) tweak(config);
  rekognition::Client client(config);
  rekognition::DetectCustomLabelsRequest request;
  request.project_version_arn = kArn;
  request.image = rekognition::Image::FromBytes(test_images::Png(64, 64));
  const auto started = std::chrono::steady_clock::now();
  try {
    const auto result = client.DetectCustomLabels(request);
    outcome.client_attempts = result.attempts;
    outcome.label_count = result.custom_labels.size();
  } catch (const rekognition::Error& e) {
    outcome.error = std::current_exception();
    outcome.client_attempts = e.attempts();
    outcome.what = e.what();
  } catch (const std::exception& e) {
    outcome.error = std::current_exception();
    outcome.what = e.what();
  }
  outcome.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  outcome.described = Describe(outcome.error);
  return outcome;
}

// A script that answers every connection's request with `response`.
std::vector<ConnectionScript> Always(const std::string& response) {
  return {ConnectionScript().Send(response)};
}

struct Scenario {
  const char* name;
  std::vector<ConnectionScript> scripts;
  std::string expected;  // Describe() of the outcome
  int attempts;          // requests the peer read
  double max_seconds;    // the call's wall time stays under this
  double min_seconds = 0;
  std::function<void(rekognition::ClientConfig&)> tweak = {};  // client settings
};

void CheckScenario(const Scenario& scenario) {
  ++g_tally.checked;
  INFO("scenario: " << scenario.name);
  ScriptedServer server(scenario.scripts);
  const CallOutcome outcome = Call(server, scenario.tweak);
  INFO("what: " << outcome.what);
  CHECK(outcome.described == scenario.expected);
  CHECK(server.requests() == scenario.attempts);
  if (outcome.error && outcome.described.rfind("std::", 0) != 0)
    CHECK(outcome.client_attempts == scenario.attempts);
  CHECK(outcome.seconds < scenario.max_seconds);
  CHECK(outcome.seconds >= scenario.min_seconds);
  // Backoff is asked for between attempts (and never slept here).
  if (scenario.attempts > 1) CHECK(outcome.backoffs.size() >= 1);
}

const std::string kHtml502 = HttpResponseBytes(
    502, "Bad Gateway", {{"Content-Type", "text/html"}},
    "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>");

std::string BinaryBody() {
  std::string body;
  for (int i = 0; i < 512; ++i) body += static_cast<char>((i * 131) & 0xff);
  return body;
}

}  // namespace

TEST_CASE("5xx answers are retried whatever their body, then thrown typed", "[fault][5xx]") {
  const std::vector<Scenario> scenarios = {
      {"500 with an empty body", Always(HttpResponseBytes(500, "Internal Server Error", {}, "")),
       "ServiceError(500)", kMaxAttempts, 3.0},
      {"502 with an HTML page", Always(kHtml502), "ServiceError(502)", kMaxAttempts, 3.0},
      {"500 with the service's JSON",
       Always(JsonErrorResponse(500, "InternalServerError", "Amazon Rekognition had a problem")),
       "InternalServerError(InternalServerError)", kMaxAttempts, 3.0},
      {"503 with a binary body",
       Always(HttpResponseBytes(503, "Service Unavailable",
                                {{"Content-Type", "application/octet-stream"}}, BinaryBody())),
       "ServiceError(503)", kMaxAttempts, 3.0},
      {"500 once, then 200",
       {ConnectionScript().Send(JsonErrorResponse(500, "InternalServerError")),
        ConnectionScript().Send(JsonOkResponse())},
       "ok",
       2,
       3.0},
  };
  for (const auto& scenario : scenarios) CheckScenario(scenario);
}

TEST_CASE("throttling is recognised as a JSON body, a header and a 429", "[fault][throttling]") {
  const std::vector<Scenario> scenarios = {
      {"400 ThrottlingException in the JSON body",
       Always(JsonErrorResponse(400, "ThrottlingException", "Rate exceeded")),
       "ThrottlingException(ThrottlingException)", kMaxAttempts, 3.0},
      {"400 with the code only in x-amzn-ErrorType",
       Always(HttpResponseBytes(
           400, "Bad Request",
           {{"x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/"}}, "")),
       "ThrottlingException(ThrottlingException)", kMaxAttempts, 3.0},
      {"429 with no body", Always(HttpResponseBytes(429, "Too Many Requests", {}, "")),
       "ServiceError(429)", kMaxAttempts, 3.0},
  };
  for (const auto& scenario : scenarios) CheckScenario(scenario);
}

TEST_CASE("resets, silence and short bodies are transport errors, retried", "[fault][network]") {
  const std::string ok = JsonOkResponse(
      R"({"CustomLabels":[{"Name":"a","Confidence":99.0},{"Name":"b","Confidence":98.0}]})");
  const std::vector<Scenario> scenarios = {
      {"reset before the status line",
       {ConnectionScript().Reset()},
       "TransportError(ConnectionReset)",
       kMaxAttempts,
       3.0},
      {"clean close before the status line",
       {ConnectionScript()},
       "TransportError(ConnectionReset)",
       kMaxAttempts,
       3.0},
      {"reset in the middle of the body",
       {ConnectionScript().Send(ok.substr(0, ok.size() - 20)).Pause(milliseconds(50)).Reset()},
       "TransportError(ConnectionReset)",
       kMaxAttempts,
       3.0},
      {"a Content-Length longer than the body, then close",
       {ConnectionScript().Send(
           HttpResponseBytes(200, "OK", {{"Content-Length", "500"}}, R"({"CustomLabels":[]})"))},
       "TransportError(ConnectionReset)",
       kMaxAttempts,
       3.0},
      {"never answering: the read timeout, per attempt",
       {ConnectionScript().Hang()},
       "TransportError(Timeout)",
       kMaxAttempts,
       // libcurl checks the stall about once a second while nothing arrives.
       3 * (kReadTimeout.count() / 1000.0 + 1.1) + 1.0,
       3 * kReadTimeout.count() / 1000.0 * 0.9},
      {"a reset, then an answer",
       {ConnectionScript().Reset(), ConnectionScript().Send(ok)},
       "ok",
       2,
       3.0},
  };
  for (const auto& scenario : scenarios) CheckScenario(scenario);
}

TEST_CASE("chunked answers are read, redirects are not followed, huge headers are refused",
          "[fault][http]") {
  const std::string chunked_ok = HttpResponseBytes(
      200, "OK", {{"Transfer-Encoding", "chunked"}, {"Content-Type", "application/x-amz-json-1.1"}},
      "5\r\n{\"Cus\r\n" + std::string("d\r\ntomLabels\":[]\r\n") + "1\r\n}\r\n0\r\n\r\n");
  const std::vector<Scenario> scenarios = {
      {"a chunked 200", Always(chunked_ok), "ok", 1, 2.0},
      {"a chunked 500 with the service's JSON",
       Always(HttpResponseBytes(500, "Internal Server Error", {{"Transfer-Encoding", "chunked"}},
                                "2f\r\n{\"__type\":\"InternalServerError\",\"message\":\"x\"}"
                                "\r\n0\r\n\r\n")),
       "InternalServerError(InternalServerError)", kMaxAttempts, 3.0},
      {"a 301 to elsewhere is an error, not followed",
       Always(HttpResponseBytes(301, "Moved Permanently",
                                {{"Location", "http://127.0.0.1:1/elsewhere"}}, "")),
       "ServiceError(301)", 1, 2.0},
      {"a 307 to elsewhere is an error, not followed",
       Always(HttpResponseBytes(307, "Temporary Redirect",
                                {{"Location", "http://127.0.0.1:1/elsewhere"}}, "")),
       "ServiceError(307)", 1, 2.0},
      {"a 1 MB header line",
       Always(HttpResponseBytes(200, "OK", {{"X-Huge", std::string(1 << 20, 'h')}},
                                R"({"CustomLabels":[]})")),
       "TransportError(TransportError)", 1, 3.0},
  };
  for (const auto& scenario : scenarios) CheckScenario(scenario);
}

TEST_CASE("the CLI's exit codes under faults", "[fault][cli]") {
  testing_support::TempDir dir;
  const std::string image = dir.path() + "/image.png";
  testing_support::WriteFile(image, test_images::Png(64, 64));
  struct CliScenario {
    const char* name;
    std::vector<ConnectionScript> scripts;
    int exit_code;
    int attempts;
  };
  const std::vector<CliScenario> scenarios = {
      {"5xx until the attempts run out", Always(JsonErrorResponse(500, "InternalServerError")), 254,
       kMaxAttempts},
      {"throttled until the attempts run out",
       Always(JsonErrorResponse(400, "ThrottlingException")), 254, kMaxAttempts},
      {"reset every time", {ConnectionScript().Reset()}, 255, kMaxAttempts},
      {"never answering", {ConnectionScript().Hang()}, 255, kMaxAttempts},
      {"a redirect", Always(HttpResponseBytes(302, "Found", {{"Location", "http://x/"}}, "")), 254,
       1},
  };
  for (const auto& scenario : scenarios) {
    ++g_tally.checked;
    INFO("scenario: " << scenario.name);
    ScriptedServer server(scenario.scripts);
    auto environment = testing_support::CliEnvironment();
    environment["AWS_MAX_ATTEMPTS"] = std::to_string(kMaxAttempts);
    environment["AWS_RETRY_MODE"] = "standard";
    const auto started = std::chrono::steady_clock::now();
    const auto run = testing_support::RunProcess(
        {testing_support::CliPath(), "--region", "us-east-1", "--endpoint-url", server.url(),
         "--read-timeout", "0.4", "--project-version-arn", kArn, image},
        environment, std::chrono::seconds(60));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    INFO(run.err);
    CHECK(run.exit_code == scenario.exit_code);
    CHECK(server.requests() == scenario.attempts);
    // Real backoff here (the CLI sleeps): standard mode waits at most 1 s,
    // then 2 s, between three attempts; a silent peer adds three read
    // timeouts (checked about once a second): at most about 8 s.
    CHECK(seconds < 15.0);
  }
}

namespace {

constexpr const char* kSessionToken = "FQoGZXIvYXdzEXAMPLESESSIONTOKENabcdefghijklmnop0123456789";
constexpr const char* kSecretKey = "fault-secret-0123456789";

// True when `text` holds the token or any 12-byte piece of it.
bool HoldsTokenPiece(const std::string& text) {
  const std::string token = kSessionToken;
  for (std::size_t at = 0; at + 12 <= token.size(); ++at)
    if (text.find(token.substr(at, 12)) != std::string::npos) return true;
  return text.find(kSecretKey) != std::string::npos;
}

struct EchoScenario {
  const char* name;
  std::string response;
};

void CheckNoSecretOut(const EchoScenario& scenario) {
  ++g_tally.checked;
  INFO("scenario: " << scenario.name);
  ScriptedServer server({ConnectionScript().Send(scenario.response)});
  std::vector<std::string> log;
  const CallOutcome outcome = Call(server, [&log](rekognition::ClientConfig& config) {
    config.credentials->session_token = kSessionToken;
    config.debug_log = [&log](const std::string& line) { log.push_back(line); };
  });
  REQUIRE(outcome.error);
  CHECK(server.requests() >= 1);
  CHECK(outcome.seconds < 3.0);
  try {
    std::rethrow_exception(outcome.error);
  } catch (const rekognition::Error& e) {
    INFO("what: " << e.what());
    CHECK_FALSE(HoldsTokenPiece(e.what()));
    CHECK_FALSE(HoldsTokenPiece(e.code()));
    CHECK_FALSE(HoldsTokenPiece(e.message()));
    CHECK_FALSE(HoldsTokenPiece(e.request_id()));
  }
  for (const auto& line : log) {
    INFO("log: " << line);
    CHECK_FALSE(HoldsTokenPiece(line));
  }
}

}  // namespace

TEST_CASE("a secret the peer echoes never comes out", "[fault][secrets]") {
  const std::string token = kSessionToken;
  const std::vector<EchoScenario> scenarios = {
      {"the token in the message",
       JsonErrorResponse(400, "InvalidParameterException", "your token " + token + " is odd")},
      {"the secret key in the message",
       JsonErrorResponse(400, "InvalidParameterException", std::string("key ") + kSecretKey)},
      {"the token in __type", JsonErrorResponse(400, token, "m")},
      {"the token in x-amzn-ErrorType",
       HttpResponseBytes(400, "Bad Request", {{"x-amzn-ErrorType", token + ":http://x/"}}, "")},
      {"the token in an XML Code",
       HttpResponseBytes(400, "Bad Request", {{"Content-Type", "text/xml"}},
                         "<ErrorResponse><Error><Code>" + token +
                             "</Code><Message>m</Message></Error></ErrorResponse>")},
      {"the token in x-amzn-RequestId",
       HttpResponseBytes(400, "Bad Request",
                         {{"x-amzn-RequestId", token}, {"Content-Type", "application/json"}},
                         "{\"__type\":\"InvalidParameterException\",\"message\":\"m\"}")},
      {"the token straddling the message cut-off (4096 bytes)",
       JsonErrorResponse(400, "InvalidParameterException", std::string(4096 - 20, 'a') + token)},
      {"the token straddling the excerpt cut-off (200 bytes) of a body with no message",
       HttpResponseBytes(400, "Bad Request", {{"Content-Type", "text/plain"}},
                         std::string(200 - 20, 'b') + token)},
  };
  for (const auto& scenario : scenarios) CheckNoSecretOut(scenario);
}

// The call timeout bounds the whole call whatever the peer trickles.
TEST_CASE("the call timeout is a deadline for the whole call", "[fault][timeout]") {
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 19\r\n\r\n";
  const std::string body = R"({"CustomLabels":[]})";
  const std::vector<Scenario> scenarios = {
      {"a peer that never answers, with a 800 ms call timeout and a 5 s read timeout",
       {ConnectionScript().Hang()},
       "TransportError(Timeout)",
       1,
       1.6,
       0.7,
       [](rekognition::ClientConfig& config) {
         config.transport_options.read_timeout = milliseconds(5000);
         config.call_timeout = milliseconds(800);
       }},
      {"a body trickling a byte every 100 ms, with a 1 s call timeout",
       {ConnectionScript()
            .Send(head)
            .SendSlowly(body, 1, milliseconds(100))
            .Pause(milliseconds(0))},
       "TransportError(Timeout)",
       1,
       1.8,
       0.9,
       [](rekognition::ClientConfig& config) {
         config.transport_options.read_timeout = milliseconds(5000);
         config.call_timeout = milliseconds(1000);
       }},
  };
  for (const auto& scenario : scenarios) CheckScenario(scenario);
}

// A 200 answer sent in two parts, for the read-timeout scenarios.
const std::string kSlowHead = "HTTP/1.1 200 OK\r\nContent-Length: 19\r\n\r\n";
const std::string kSlowBody = R"({"CustomLabels":[]})";

TEST_CASE("a body trickling in with gaps longer than the read timeout is a stall",
          "[fault][timeout]") {
  const std::vector<Scenario> scenarios = {
      {"a body arriving a byte every 600 ms (read timeout 400 ms) is a stall",
       {ConnectionScript().Send(kSlowHead).SendSlowly(kSlowBody, 1, milliseconds(600))},
       "TransportError(Timeout)",
       kMaxAttempts,
       6.0},
  };
  for (const auto& scenario : scenarios) CheckScenario(scenario);
}

// libcurl hands over the status line and headers a whole line at a time: a
// line trickling in still counts as activity (the transport asks the kernel
// when the connection last received a byte), so only a real stall, in the
// middle of a header line too, is a timeout.
TEST_CASE("the read timeout is a stall of any byte, headers included", "[fault][timeout]") {
  const std::vector<Scenario> scenarios = {
      {"headers arriving a byte every 50 ms (read timeout 400 ms) are not a stall",
       {ConnectionScript().SendSlowly(kSlowHead, 1, milliseconds(50)).Send(kSlowBody)},
       "ok",
       1,
       4.0},
      {"a header line arriving a byte every 500 ms (read timeout 1 s) is not a stall",
       {ConnectionScript()
            .Send("HTTP/1.1 200 OK\r\n")
            .SendSlowly("X-Slow: 12345\r\n", 1, milliseconds(500))
            .Send("Content-Length: 19\r\n\r\n" + kSlowBody)},
       "ok",
       1,
       10.0,
       6.5,
       [](rekognition::ClientConfig& config) {
         config.transport_options.read_timeout = milliseconds(1000);
       }},
      {"a header line that stops half-way is a stall (read timeout 400 ms)",
       {ConnectionScript().SendSlowly("HTTP/1.1 200 OK\r\nContent-Le", 1, milliseconds(50)).Hang()},
       "TransportError(Timeout)",
       kMaxAttempts,
       // about 1.4 s of bytes, then the stall, checked about once a second
       3 * (1.4 + kReadTimeout.count() / 1000.0 + 1.1) + 1.0,
       3 * (1.3 + kReadTimeout.count() / 1000.0 * 0.9)},
  };
  for (const auto& scenario : scenarios) CheckScenario(scenario);
}

// A 200 body bigger than the default response cap (4 MiB, fitting the real
// service) is refused, announced or not, without waiting for the rest or
// retrying.
TEST_CASE("a 200 body over the response cap is refused at once", "[fault][cap]") {
  std::string chunked_body;
  const std::string chunk(1 << 20, 'x');
  char size_line[16];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  for (int i = 0; i < 5; ++i) chunked_body += size_line + chunk + "\r\n";
  chunked_body += "0\r\n\r\n";
  const std::vector<Scenario> scenarios = {
      {"64 MiB announced, 1 MiB sent, then silence",
       {ConnectionScript()
            .Send("HTTP/1.1 200 OK\r\nContent-Length: 67108864\r\n\r\n" + std::string(1 << 20, 'x'))
            .Hang()},
       "TransportError(TransportError)",
       1,
       2.0},
      {"5 MiB chunked, not announced",
       Always(HttpResponseBytes(200, "OK", {{"Transfer-Encoding", "chunked"}}, chunked_body)),
       "TransportError(TransportError)", 1, 2.0},
  };
  for (const auto& scenario : scenarios) CheckScenario(scenario);
}

// A 2xx whose body cannot be read ends the call and gives back the retry
// quota its retry took, as a success does: 110 such calls (the 500-token
// quota pays for 100 retries) leave later 5xx retried.
TEST_CASE("an unreadable 2xx after a retry gives the quota back", "[fault][quota]") {
  constexpr int kCalls = 110;  // the 500-token quota pays for 100 retries of 5
  // Each answer says "Connection: close", as its connection ends after it, so
  // the client never reuses a connection the server is closing (a reused one
  // would cost an extra attempt whenever the close arrives late).
  const auto closing = [](std::string response) {
    return response.insert(response.find("\r\n") + 2, "Connection: close\r\n");
  };
  std::vector<ConnectionScript> scripts;
  for (int i = 0; i < kCalls; ++i) {
    scripts.push_back(
        ConnectionScript().Send(closing(JsonErrorResponse(500, "InternalServerError"))));
    scripts.push_back(ConnectionScript().Send(closing(JsonOkResponse("this is not JSON"))));
  }
  scripts.push_back(
      ConnectionScript().Send(closing(JsonErrorResponse(500, "InternalServerError"))));
  scripts.push_back(ConnectionScript().Send(closing(JsonOkResponse())));
  ScriptedServer server(scripts);
  rekognition::ClientConfig config;
  config.region = "us-east-1";
  config.endpoint_url = server.url();
  config.credentials =
      rekognition::Credentials{"AKIDFAULTINJECTION01", "fault-secret-0123456789", "", std::nullopt};
  config.retry.max_attempts = kMaxAttempts;
  config.sleep = [](milliseconds) {};
  config.environment = [](const std::string&) { return std::optional<std::string>(); };
  rekognition::Client client(config);
  rekognition::DetectCustomLabelsRequest request;
  request.project_version_arn = kArn;
  request.image = rekognition::Image::FromBytes(test_images::Png(64, 64));
  const auto started = std::chrono::steady_clock::now();
  int unreadable = 0;
  for (int i = 0; i < kCalls; ++i) {
    try {
      client.DetectCustomLabels(request);
    } catch (const rekognition::Error&) {
      ++unreadable;
    }
  }
  CHECK(unreadable == kCalls);
  // The last call's 500 is still retried.
  const auto result = client.DetectCustomLabels(request);
  CHECK(result.attempts == 2);
  CHECK(server.requests() == 2 * kCalls + 2);
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() < 20.0);
}
