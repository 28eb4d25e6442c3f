// The model lifecycle: DescribeProjects, DescribeProjectVersions,
// StartProjectVersion and StopProjectVersion through the shared pipeline;
// their validation, bodies and parsing; paginators, FindProjectVersion, the
// waiters and the RunningModel guard, all against the Stubber.
#include <rekognition/client.hpp>
#include "library_internals.hpp"  // also in compiled mode
#include <rekognition/testing/recording_transport.hpp>
#include <rekognition/testing/stubber.hpp>

#include <catch2/catch.hpp>

#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

using namespace rekognition;
using std::chrono::milliseconds;

namespace model_lifecycle_test {

namespace {

constexpr const char* kVersionArn =
    "arn:aws:rekognition:us-east-1:111122223333:project/shelf/version/shelf.3/1714560000000";
// The project's number is its own creation time, not the version's.
constexpr const char* kProjectArn =
    "arn:aws:rekognition:us-east-1:111122223333:project/shelf/1700000000000";

ProjectVersionDescription Version(ProjectVersionStatus status, std::string message = {}) {
  ProjectVersionDescription d;
  d.project_version_arn = kVersionArn;
  d.status = status;
  d.status_text = std::string(ToString(status));
  if (!message.empty()) d.status_message = message;
  return d;
}

DescribeProjectVersionsResult Page(ProjectVersionStatus status, std::string message = {}) {
  DescribeProjectVersionsResult page;
  page.project_version_descriptions.push_back(Version(status, std::move(message)));
  return page;
}

DescribeProjectsResult ProjectPage() {
  DescribeProjectsResult page;
  ProjectDescription project;
  project.project_arn = kProjectArn;
  project.status = "CREATED";
  page.project_descriptions.push_back(project);
  return page;
}

DescribeProjectVersionsRequest DescribeShelf3() {
  DescribeProjectVersionsRequest request;
  request.project_arn = kProjectArn;
  request.version_names = {"shelf.3"};
  return request;
}

// A clock that only the injected sleep moves.
struct FakeTime {
  std::chrono::steady_clock::time_point now{};
  std::vector<milliseconds> sleeps;
  WaiterOptions Options() {
    WaiterOptions options;
    options.clock = [this] { return now; };
    options.sleep = [this](milliseconds d) {
      sleeps.push_back(d);
      now += d;
    };
    return options;
  }
};

template <typename E, typename F>
E Capture(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e;
  }
  FAIL("expected an exception");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("lifecycle requests serialize in model order, unset members omitted", "[lifecycle]") {
  DescribeProjectsRequest projects;
  CHECK(detail::SerializeRequest(projects) == "{}");
  projects.project_names = {"shelf", "a.b-c_d"};
  projects.max_results = 100;
  projects.next_token = "tok\"en";
  CHECK(detail::SerializeRequest(projects) ==
        R"({"NextToken":"tok\"en","MaxResults":100,"ProjectNames":["shelf","a.b-c_d"]})");

  DescribeProjectVersionsRequest versions = DescribeShelf3();
  versions.max_results = 1;
  CHECK(detail::SerializeRequest(versions) ==
        std::string(R"({"ProjectArn":")") + kProjectArn +
            R"(","VersionNames":["shelf.3"],"MaxResults":1})");

  StartProjectVersionRequest start;
  start.project_version_arn = kVersionArn;
  CHECK(detail::SerializeRequest(start) ==
        std::string(R"({"ProjectVersionArn":")") + kVersionArn + R"(","MinInferenceUnits":1})");
  start.max_inference_units = 3;
  CHECK(detail::SerializeRequest(start) == std::string(R"({"ProjectVersionArn":")") + kVersionArn +
                                               R"(","MinInferenceUnits":1,"MaxInferenceUnits":3})");
  StopProjectVersionRequest stop{kVersionArn};
  CHECK(detail::SerializeRequest(stop) ==
        std::string(R"({"ProjectVersionArn":")") + kVersionArn + R"("})");

  // Server side reads back what the client writes.
  StartProjectVersionRequest read;
  std::string error;
  REQUIRE(detail::ParseRequest(detail::SerializeRequest(start), read, error));
  CHECK(read == start);
  DescribeProjectsRequest read_projects;
  REQUIRE(detail::ParseRequest(detail::SerializeRequest(projects), read_projects, error));
  CHECK(read_projects == projects);
}

TEST_CASE("lifecycle validation names the parameter and the constraint", "[lifecycle]") {
  const auto fails = [](const auto& request, const char* field, const char* constraint) {
    auto failure = CheckRequest(request);
    REQUIRE(failure);
    CHECK(failure->field == field);
    CHECK(failure->constraint == constraint);
    const auto error = Capture<ValidationError>([&] { ValidateRequest(request); });
    CHECK(error.field() == field);
  };
  DescribeProjectVersionsRequest versions = DescribeShelf3();
  CHECK_FALSE(CheckRequest(versions));
  versions.max_results = 0;
  fails(versions, "MaxResults", "integer 1-100");
  versions.max_results = 101;
  fails(versions, "MaxResults", "integer 1-100");
  versions.max_results = 100;
  CHECK_FALSE(CheckRequest(versions));
  versions.version_names = std::vector<std::string>(11, "v");
  fails(versions, "VersionNames", "1-10 items");
  versions.version_names = std::vector<std::string>(10, "v");
  CHECK_FALSE(CheckRequest(versions));
  versions.version_names = {"bad name"};
  fails(versions, "VersionNames[0]", "pattern [a-zA-Z0-9_.-]+");
  versions.version_names = {};
  versions.project_arn = kVersionArn;  // a version ARN is not a project ARN
  fails(versions, "ProjectArn", "pattern");
  versions.project_arn.clear();
  fails(versions, "ProjectArn", "required");
  versions.project_arn = kProjectArn;
  versions.next_token = std::string(1025, 'x');
  fails(versions, "NextToken", "length <= 1024");

  DescribeProjectsRequest projects;
  projects.project_names = {std::string(256, 'p')};
  fails(projects, "ProjectNames[0]", "length 1-255");
  projects.project_names = {};
  projects.features = {"FACES"};
  fails(projects, "Features[0]", "CUSTOM_LABELS or CONTENT_MODERATION");

  StartProjectVersionRequest start;
  start.project_version_arn = kVersionArn;
  start.min_inference_units = 0;
  fails(start, "MinInferenceUnits", "integer >= 1");
  start.min_inference_units = 1;
  start.max_inference_units = 0;
  fails(start, "MaxInferenceUnits", "integer >= 1");
  start.max_inference_units = 2;
  start.project_version_arn = kProjectArn;
  fails(start, "ProjectVersionArn", "pattern");
  fails(StopProjectVersionRequest{}, "ProjectVersionArn", "required");

  // The client refuses before sending anything.
  Stubber stubber;
  Client client = stubber.MakeClient();
  CHECK_THROWS_AS(client.StopProjectVersion(StopProjectVersionRequest{"nope"}), ValidationError);
  CHECK(stubber.http_requests().empty());
}

TEST_CASE("ProjectVersionStatus: 14 known values, unknown ones keep their text", "[lifecycle]") {
  const char* names[] = {"TRAINING_IN_PROGRESS",
                         "TRAINING_COMPLETED",
                         "TRAINING_FAILED",
                         "STARTING",
                         "RUNNING",
                         "FAILED",
                         "STOPPING",
                         "STOPPED",
                         "DELETING",
                         "COPYING_IN_PROGRESS",
                         "COPYING_COMPLETED",
                         "COPYING_FAILED",
                         "DEPRECATED",
                         "EXPIRED"};
  for (const char* name : names) {
    const ProjectVersionStatus status = ParseProjectVersionStatus(name);
    CHECK(status != ProjectVersionStatus::kUnknown);
    CHECK(ToString(status) == name);
  }
  CHECK(ParseProjectVersionStatus("running") == ProjectVersionStatus::kUnknown);

  DescribeProjectVersionsResult result;
  std::string error;
  REQUIRE(detail::ParseResult(
      R"({"ProjectVersionDescriptions":[{"ProjectVersionArn":"a","Status":"HIBERNATING",)"
      R"("CreationTimestamp":1714560000.25,"TrainingEndTimestamp":"2024-05-01T10:00:00Z",)"
      R"("MinInferenceUnits":2,"MaxInferenceUnits":null,"StatusMessage":null,)"
      R"("EvaluationResult":{"F1Score":0.9},"Brand":"new"},null],"NextToken":null,"Extra":[1]})",
      result, error));
  INFO(error);
  REQUIRE(result.project_version_descriptions.size() == 1);
  const auto& d = result.project_version_descriptions[0];
  CHECK(d.status == ProjectVersionStatus::kUnknown);
  CHECK(d.status_text == "HIBERNATING");
  CHECK(d.min_inference_units == 2);
  CHECK_FALSE(d.max_inference_units);
  CHECK_FALSE(d.status_message);
  CHECK_FALSE(result.next_token);
  REQUIRE(d.creation_timestamp);
  CHECK(
      std::chrono::duration_cast<milliseconds>(d.creation_timestamp->time_since_epoch()).count() ==
      1714560000250);
  REQUIRE(d.training_end_timestamp);
  CHECK(
      std::chrono::duration_cast<std::chrono::seconds>(d.training_end_timestamp->time_since_epoch())
          .count() == 1714557600);
  CHECK(d.raw_json.find("\"EvaluationResult\":{\"F1Score\":0.9}") != std::string::npos);
  CHECK(d.raw_json.find("\"Brand\":\"new\"") != std::string::npos);

  // Wrong types name the member; absurd timestamps are refused.
  CHECK_FALSE(detail::ParseResult(R"({"ProjectVersionDescriptions":[{"MinInferenceUnits":1.5}]})",
                                  result, error));
  CHECK(error.find("ProjectVersionDescriptions[0].MinInferenceUnits") != std::string::npos);
  CHECK_FALSE(detail::ParseResult(R"({"ProjectVersionDescriptions":[{"CreationTimestamp":1e300}]})",
                                  result, error));
  CHECK(error.find("out of range") != std::string::npos);
  CHECK_FALSE(detail::ParseResult(R"({"ProjectVersionDescriptions":{}})", result, error));
  CHECK_FALSE(detail::ParseResult(R"({"ProjectVersionDescriptions":[], )", result, error));

  ProjectVersionStatusResult status;
  REQUIRE(detail::ParseResult(R"({"Status":"STARTING","Other":1})", status, error));
  CHECK(status.status == ProjectVersionStatus::kStarting);
  REQUIRE(detail::ParseResult("", status, error));
  CHECK(status.status == ProjectVersionStatus::kUnknown);
}

TEST_CASE("every modeled error of every operation has its own exception type", "[lifecycle]") {
  std::vector<std::string_view> codes;
  for (auto c : DetectCustomLabelsOperation::kErrors) codes.push_back(c);
  for (auto c : DescribeProjectsOperation::kErrors) codes.push_back(c);
  for (auto c : DescribeProjectVersionsOperation::kErrors) codes.push_back(c);
  for (auto c : StartProjectVersionOperation::kErrors) codes.push_back(c);
  for (auto c : StopProjectVersionOperation::kErrors) codes.push_back(c);
  for (auto code : codes) {
    INFO(code);
    try {
      ThrowServiceError(ErrorInfo{std::string(code), "m", 400, "", 1, false});
    } catch (const ServiceError& e) {
      CHECK(typeid(e) != typeid(ServiceError));
      CHECK(e.code() == code);
    }
  }
  Stubber stubber;
  Client client = stubber.MakeClient();
  stubber.AddErrorFor<StartProjectVersionOperation>("ResourceInUseException", "busy");
  StartProjectVersionRequest start;
  start.project_version_arn = kVersionArn;
  CHECK_THROWS_AS(client.StartProjectVersion(start), ResourceInUseException);
  stubber.AddErrorFor<DescribeProjectsOperation>("InvalidPaginationTokenException");
  CHECK_THROWS_AS(client.DescribeProjects({}), InvalidPaginationTokenException);
  stubber.AssertNoPendingResponses();
}

TEST_CASE("Stubber: lifecycle calls are matched, diffed and answered", "[lifecycle][stubber]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  StartProjectVersionResult starting;
  starting.status = ProjectVersionStatus::kStarting;
  StartProjectVersionRequest start;
  start.project_version_arn = kVersionArn;
  start.min_inference_units = 2;
  stubber.AddStartResponse(starting, start);
  const StartProjectVersionResult got = client.StartProjectVersion(start);
  CHECK(got.status == ProjectVersionStatus::kStarting);
  CHECK(got.status_text == "STARTING");
  CHECK(got.attempts == 1);
  CHECK(got.request_id == "stub-request-1");
  REQUIRE(stubber.requests_of<StartProjectVersionOperation>().size() == 1);
  CHECK(stubber.requests_of<StartProjectVersionOperation>()[0] == start);
  const auto sent = stubber.http_requests();
  const std::string* target = FindHeader(sent[0].headers, "X-Amz-Target");
  REQUIRE(target);
  CHECK(*target == "RekognitionService.StartProjectVersion");

  // A mismatch names the differing member with both values.
  stubber.AddStartResponse(starting, start);
  start.min_inference_units = 5;
  StubAssertionError error("");
  try {
    client.StartProjectVersion(start);
    FAIL("no mismatch reported");
  } catch (const StubAssertionError& e) {
    error = e;
  }
  REQUIRE(error.differences().size() == 1);
  CHECK(error.differences()[0].field == "MinInferenceUnits");
  CHECK(error.differences()[0].expected == "2");
  CHECK(error.differences()[0].actual == "5");
  CHECK(std::string(error.what()).find("StartProjectVersion call #2") != std::string::npos);
  stubber.Reset();

  // Ignore() relaxes a member; a call of another operation is reported.
  ExpectedCall<DescribeProjectVersionsRequest> expected = DescribeShelf3();
  expected.Ignore("NextToken");
  CHECK_THROWS_AS(expected.Ignore("Nope"), std::invalid_argument);
  stubber.AddResponse(Page(ProjectVersionStatus::kRunning), expected);
  DescribeProjectVersionsRequest request = DescribeShelf3();
  request.next_token = "t";
  CHECK(client.DescribeProjectVersions(request).project_version_descriptions[0].status ==
        ProjectVersionStatus::kRunning);
  stubber.AddStopResponse({});
  CHECK_THROWS_AS(client.DescribeProjectVersions(request), StubAssertionError);
  CHECK(stubber.pending() == 1);
  stubber.Reset();
}

TEST_CASE("paginators follow NextToken across every page", "[lifecycle]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  DescribeProjectVersionsRequest request;
  request.project_arn = kProjectArn;
  for (int i = 0; i < 3; ++i) {
    DescribeProjectVersionsResult page = Page(ProjectVersionStatus::kStopped);
    page.project_version_descriptions[0].project_version_arn = "v" + std::to_string(i);
    if (i < 2) page.next_token = "token-" + std::to_string(i + 1);
    DescribeProjectVersionsRequest expected = request;
    if (i > 0) expected.next_token = "token-" + std::to_string(i);
    stubber.AddResponse(page, expected);
  }
  const auto all = ListProjectVersions(client, request);
  REQUIRE(all.size() == 3);
  CHECK(all[0].project_version_arn == "v0");
  CHECK(all[2].project_version_arn == "v2");
  stubber.AssertNoPendingResponses();

  // DescribeProjects pages, stopping early when asked.
  for (int i = 0; i < 3; ++i) {
    DescribeProjectsResult page = ProjectPage();
    page.next_token = "p" + std::to_string(i + 1);
    stubber.AddResponse(page);
  }
  int seen = 0;
  CHECK(ForEachDescribeProjectsPage(
            client, {}, [&](const DescribeProjectsResult&) { return ++seen < 3; }) == 3);
  stubber.AssertNoPendingResponses();

  // A repeated token would loop forever: refused.
  DescribeProjectsResult looping = ProjectPage();
  looping.next_token = "same";
  stubber.AddResponse(looping).AddResponse(looping);
  const auto error = Capture<Error>([&] { ListProjects(client); });
  CHECK(error.code() == "PaginationError");
}

TEST_CASE("FindProjectVersion asks the service for the project ARN", "[lifecycle]") {
  const auto parts = ParseProjectVersionArn(kVersionArn);
  REQUIRE(parts);
  CHECK(parts->project_name == "shelf");
  CHECK(parts->version_name == "shelf.3");
  CHECK(parts->version_number == "1714560000000");
  CHECK(parts->region == "us-east-1");
  CHECK_FALSE(ParseProjectVersionArn(kProjectArn));

  Stubber stubber;
  Client client = stubber.MakeClient();
  DescribeProjectsRequest by_name;
  by_name.project_names = {"shelf"};
  DescribeProjectsResult other = ProjectPage();
  other.project_descriptions[0].project_arn =
      "arn:aws:rekognition:us-east-1:111122223333:project/shelf-2/1700000000001";
  other.project_descriptions.push_back(ProjectPage().project_descriptions[0]);
  stubber.AddResponse(other, by_name);
  stubber.AddResponse(Page(ProjectVersionStatus::kStopped), DescribeShelf3());
  const FoundProjectVersion found = FindProjectVersion(client, kVersionArn);
  CHECK(found.project_arn == kProjectArn);
  CHECK(found.version.status == ProjectVersionStatus::kStopped);
  stubber.AssertNoPendingResponses();

  stubber.AddResponse(DescribeProjectsResult{});
  CHECK_THROWS_AS(FindProjectVersion(client, kVersionArn), ResourceNotFoundException);
  stubber.AddResponse(ProjectPage()).AddResponse(DescribeProjectVersionsResult{});
  CHECK_THROWS_AS(FindProjectVersion(client, kVersionArn), ResourceNotFoundException);
  CHECK_THROWS_AS(FindProjectVersion(client, kProjectArn), ValidationError);
  stubber.AssertNoPendingResponses();
}

TEST_CASE("waiters: success, failure, timeout and cancel with an injected clock", "[waiter]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  FakeTime time;

  SECTION("success after polling every delay, status reported each time") {
    stubber.AddResponse(Page(ProjectVersionStatus::kStarting))
        .AddResponse(Page(ProjectVersionStatus::kStarting))
        .AddResponse(Page(ProjectVersionStatus::kRunning));
    WaiterOptions options = time.Options();
    std::vector<std::string> seen;
    options.on_status = [&](const WaiterProgress& p) {
      seen.push_back(std::to_string(p.attempt) + ":" + p.descriptions[0].status_text);
    };
    const auto result = WaitUntilProjectVersionRunning(client, DescribeShelf3(), options);
    CHECK(result.project_version_descriptions[0].status == ProjectVersionStatus::kRunning);
    CHECK(time.sleeps == std::vector<milliseconds>{milliseconds(30000), milliseconds(30000)});
    CHECK(seen == std::vector<std::string>{"1:STARTING", "2:STARTING", "3:RUNNING"});
  }
  SECTION("failure: FAILED ends the wait with the status message") {
    stubber.AddResponse(Page(ProjectVersionStatus::kStarting))
        .AddResponse(Page(ProjectVersionStatus::kFailed, "not enough capacity"));
    const auto error = Capture<WaiterFailureError>(
        [&] { WaitUntilProjectVersionRunning(client, DescribeShelf3(), time.Options()); });
    CHECK(error.code() == "WaiterFailure");
    CHECK(error.message().find("not enough capacity") != std::string::npos);
    CHECK(error.attempts() == 2);
  }
  SECTION("timeout by attempts") {
    for (int i = 0; i < 3; ++i) stubber.AddResponse(Page(ProjectVersionStatus::kStarting));
    WaiterOptions options = time.Options();
    options.max_attempts = 3;
    options.delay = milliseconds(1500);
    const auto error = Capture<WaiterTimeoutError>(
        [&] { WaitUntilProjectVersionRunning(client, DescribeShelf3(), options); });
    CHECK(error.attempts() == 3);
    CHECK(time.sleeps == std::vector<milliseconds>{milliseconds(1500), milliseconds(1500)});
    CHECK(error.last_descriptions()[0].status == ProjectVersionStatus::kStarting);
  }
  SECTION("timeout by time: the last sleep ends at the deadline, with one last poll") {
    for (int i = 0; i < 4; ++i) stubber.AddResponse(Page(ProjectVersionStatus::kStarting));
    WaiterOptions options = time.Options();
    options.timeout = milliseconds(70000);
    const auto error = Capture<WaiterTimeoutError>(
        [&] { WaitUntilProjectVersionRunning(client, DescribeShelf3(), options); });
    CHECK(time.sleeps ==
          std::vector<milliseconds>{milliseconds(30000), milliseconds(30000), milliseconds(10000)});
    CHECK(error.attempts() == 4);
    CHECK(error.message().find("timed out after 70000 ms") != std::string::npos);
  }
  SECTION("cancel between polls") {
    stubber.AddResponse(Page(ProjectVersionStatus::kStarting))
        .AddResponse(Page(ProjectVersionStatus::kStarting));
    WaiterOptions options = time.Options();
    options.sleep = [&](milliseconds) { options.cancellation.Cancel(); };
    CancellationToken token = options.cancellation;
    const auto error = Capture<WaiterCancelledError>(
        [&] { WaitUntilProjectVersionRunning(client, DescribeShelf3(), options); });
    CHECK(token.cancelled());
    CHECK(error.attempts() == 1);
    CHECK(stubber.pending() == 1);
    stubber.Reset();
  }
  SECTION("the default sleep wakes up for a cancel") {
    stubber.AddResponse(Page(ProjectVersionStatus::kStarting));
    WaiterOptions options;
    options.delay = milliseconds(60000);
    std::thread canceller([token = options.cancellation] {
      std::this_thread::sleep_for(milliseconds(20));
      token.Cancel();
    });
    const auto started = std::chrono::steady_clock::now();
    CHECK_THROWS_AS(WaitUntilProjectVersionRunning(client, DescribeShelf3(), options),
                    WaiterCancelledError);
    canceller.join();
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  }
  SECTION("training completed and stopped waiters use their own states") {
    stubber.AddResponse(Page(ProjectVersionStatus::kTrainingInProgress))
        .AddResponse(Page(ProjectVersionStatus::kTrainingCompleted));
    WaitUntilProjectVersionTrainingCompleted(client, DescribeShelf3(), time.Options());
    CHECK(time.sleeps == std::vector<milliseconds>{milliseconds(120000)});
    stubber.AddResponse(Page(ProjectVersionStatus::kTrainingFailed, "bad manifest"));
    CHECK_THROWS_AS(
        WaitUntilProjectVersionTrainingCompleted(client, DescribeShelf3(), time.Options()),
        WaiterFailureError);
    stubber.AddResponse(Page(ProjectVersionStatus::kStopping))
        .AddResponse(Page(ProjectVersionStatus::kStopped));
    WaitUntilProjectVersionStopped(client, DescribeShelf3(), time.Options());
    stubber.AddResponse(DescribeProjectVersionsResult{});  // nothing described: keep waiting
    WaiterOptions once = time.Options();
    once.max_attempts = 1;
    CHECK_THROWS_AS(WaitUntilProjectVersionStopped(client, DescribeShelf3(), once),
                    WaiterTimeoutError);
  }
  stubber.AssertNoPendingResponses();
}

namespace {

// Queues what a RunningModel sees: the lookup, then `initial`, then (when it
// starts the model) the start, then STARTING and RUNNING polls.
void QueueStart(Stubber& stubber, ProjectVersionStatus initial, bool expect_start) {
  DescribeProjectsRequest by_name;
  by_name.project_names = {"shelf"};
  stubber.AddResponse(ProjectPage(), by_name);
  stubber.AddResponse(Page(initial), DescribeShelf3());
  if (expect_start) {
    StartProjectVersionRequest start;
    start.project_version_arn = kVersionArn;
    StartProjectVersionResult starting;
    starting.status = ProjectVersionStatus::kStarting;
    stubber.AddStartResponse(starting, start);
    stubber.AddResponse(Page(ProjectVersionStatus::kStarting), DescribeShelf3());
  }
  stubber.AddResponse(Page(ProjectVersionStatus::kRunning), DescribeShelf3());
}

void QueueStop(Stubber& stubber) {
  StopProjectVersionResult stopping;
  stopping.status = ProjectVersionStatus::kStopping;
  stubber.AddStopResponse(stopping, StopProjectVersionRequest{kVersionArn});
}

RunningModelOptions FastOptions(FakeTime& time, StopPolicy policy) {
  RunningModelOptions options;
  options.stop_policy = policy;
  options.wait = time.Options();
  return options;
}

}  // namespace

TEST_CASE("RunningModel: stop-if-started-here, always and never", "[running_model]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  FakeTime time;

  SECTION("default policy: starts a stopped model and stops it at scope exit") {
    QueueStart(stubber, ProjectVersionStatus::kStopped, true);
    QueueStop(stubber);
    {
      RunningModel model(client, kVersionArn, FastOptions(time, StopPolicy::kStopIfStartedHere));
      CHECK(model.started_here());
      CHECK(model.project_arn() == kProjectArn);
      CHECK(model.description().status == ProjectVersionStatus::kRunning);
      CHECK(stubber.pending() == 1);  // the stop is still queued
    }
    CHECK(stubber.requests_of<StopProjectVersionOperation>().size() == 1);
  }
  SECTION("default policy: a model already running is left running") {
    QueueStart(stubber, ProjectVersionStatus::kRunning, false);
    {
      RunningModel model(client, kVersionArn, FastOptions(time, StopPolicy::kStopIfStartedHere));
      CHECK_FALSE(model.started_here());
    }
    CHECK(stubber.requests_of<StopProjectVersionOperation>().empty());
    CHECK(stubber.requests_of<StartProjectVersionOperation>().empty());
  }
  SECTION("always: stops a model someone else started") {
    QueueStart(stubber, ProjectVersionStatus::kStarting, false);
    QueueStop(stubber);
    { RunningModel model(client, kVersionArn, FastOptions(time, StopPolicy::kAlways)); }
    CHECK(stubber.requests_of<StopProjectVersionOperation>().size() == 1);
  }
  SECTION("never: a model started here stays running") {
    QueueStart(stubber, ProjectVersionStatus::kStopped, true);
    { RunningModel model(client, kVersionArn, FastOptions(time, StopPolicy::kNever)); }
    CHECK(stubber.requests_of<StopProjectVersionOperation>().empty());
  }
  SECTION("Stop() reports errors; the destructor does not stop twice") {
    QueueStart(stubber, ProjectVersionStatus::kStopped, true);
    stubber.AddErrorFor<StopProjectVersionOperation>("ResourceInUseException", "busy");
    QueueStop(stubber);
    RunningModel model(client, kVersionArn, FastOptions(time, StopPolicy::kStopIfStartedHere));
    CHECK_THROWS_AS(model.Stop(), ResourceInUseException);
    CHECK(model.Stop());
    CHECK_FALSE(model.Stop());
  }
  stubber.AssertNoPendingResponses();
}

TEST_CASE("RunningModel stops its model while an exception unwinds the stack", "[running_model]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  FakeTime time;
  QueueStart(stubber, ProjectVersionStatus::kStopped, true);
  QueueStop(stubber);
  try {
    RunningModel model(client, kVersionArn, FastOptions(time, StopPolicy::kStopIfStartedHere));
    throw std::runtime_error("the batch failed");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == "the batch failed");
  }
  CHECK(stubber.requests_of<StopProjectVersionOperation>().size() == 1);
  stubber.AssertNoPendingResponses();
}

TEST_CASE("RunningModel: a failed stop in the destructor is logged loudly, never thrown",
          "[running_model]") {
  Stubber stubber;
  std::vector<std::string> logged;
  ClientConfig config;
  config.log = [&](const std::string& line) { logged.push_back(line); };
  Client client = stubber.MakeClient(config);
  FakeTime time;
  QueueStart(stubber, ProjectVersionStatus::kStopped, true);
  stubber.AddErrorFor<StopProjectVersionOperation>("AccessDeniedException", "no stop for you");
  try {
    RunningModel model(client, kVersionArn, FastOptions(time, StopPolicy::kStopIfStartedHere));
    throw std::runtime_error("unwinding");
  } catch (const std::runtime_error&) {
  }
  REQUIRE(logged.size() == 1);
  CHECK(logged[0].find("FAILED TO STOP model version") != std::string::npos);
  CHECK(logged[0].find("AccessDeniedException") != std::string::npos);
  CHECK(logged[0].find(std::string("--project-version-arn ") + kVersionArn) != std::string::npos);
  stubber.AssertNoPendingResponses();
}

TEST_CASE("RunningModel warns when a failed start may still have been accepted",
          "[running_model]") {
  Stubber stubber;
  std::vector<std::string> logged;
  ClientConfig config;
  config.log = [&](const std::string& line) { logged.push_back(line); };
  Client client = stubber.MakeClient(config);
  FakeTime time;
  DescribeProjectsRequest by_name;
  by_name.project_names = {"shelf"};
  // Retried until the attempts run out: the first may have started it.
  stubber.AddResponse(ProjectPage(), by_name).AddResponse(Page(ProjectVersionStatus::kStopped));
  for (int i = 0; i < 3; ++i)
    stubber.AddErrorFor<StartProjectVersionOperation>("ThrottlingException", "slow down");
  CHECK_THROWS_AS(
      RunningModel(client, kVersionArn, FastOptions(time, StopPolicy::kStopIfStartedHere)),
      ThrottlingException);
  REQUIRE(logged.size() == 1);
  CHECK(logged[0].find("StartProjectVersion failed") != std::string::npos);
  CHECK(logged[0].find(std::string("--project-version-arn ") + kVersionArn) != std::string::npos);
  stubber.AssertNoPendingResponses();

  // Refused at the first attempt: nothing was started, nothing to say.
  logged.clear();
  stubber.AddResponse(ProjectPage(), by_name).AddResponse(Page(ProjectVersionStatus::kStopped));
  stubber.AddErrorFor<StartProjectVersionOperation>("AccessDeniedException", "no");
  CHECK_THROWS_AS(
      RunningModel(client, kVersionArn, FastOptions(time, StopPolicy::kStopIfStartedHere)),
      AccessDeniedException);
  CHECK(logged.empty());
  stubber.AssertNoPendingResponses();
}

TEST_CASE("RunningModel stops a model it started when the wait times out", "[running_model]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  FakeTime time;
  DescribeProjectsRequest by_name;
  by_name.project_names = {"shelf"};
  stubber.AddResponse(ProjectPage(), by_name).AddResponse(Page(ProjectVersionStatus::kStopped));
  stubber.AddStartResponse({});
  stubber.AddResponse(Page(ProjectVersionStatus::kStarting))
      .AddResponse(Page(ProjectVersionStatus::kStarting));
  QueueStop(stubber);
  RunningModelOptions options = FastOptions(time, StopPolicy::kStopIfStartedHere);
  options.wait.max_attempts = 2;
  CHECK_THROWS_AS(RunningModel(client, kVersionArn, options), WaiterTimeoutError);
  CHECK(stubber.requests_of<StopProjectVersionOperation>().size() == 1);
  stubber.AssertNoPendingResponses();

  // A model that ended FAILED is not running: nothing to stop.
  stubber.AddResponse(ProjectPage()).AddResponse(Page(ProjectVersionStatus::kStopped));
  stubber.AddStartResponse({});
  stubber.AddResponse(Page(ProjectVersionStatus::kFailed, "no capacity"));
  CHECK_THROWS_AS(RunningModel(client, kVersionArn, FastOptions(time, StopPolicy::kAlways)),
                  WaiterFailureError);
  stubber.AssertNoPendingResponses();
}

TEST_CASE("recording and replay cover the lifecycle operations", "[lifecycle][recording]") {
  Stubber stubber;
  const std::string path =
      "/tmp/rekognition-lifecycle-recording-" + std::to_string(::getpid()) + ".json";
  auto recording = std::make_shared<RecordingTransport>(stubber.transport(), path);
  ClientConfig config;
  config.transport = recording;
  config.region = "us-east-1";
  config.endpoint_url = "https://rekognition.us-east-1.amazonaws.com";
  config.credentials = Credentials{"AKIDEXAMPLE", "secret", "", std::nullopt};
  config.environment = FixedEnvironment({});
  Client client(config);
  FakeTime time;
  QueueStart(stubber, ProjectVersionStatus::kStopped, true);
  QueueStop(stubber);
  { RunningModel model(client, kVersionArn, FastOptions(time, StopPolicy::kStopIfStartedHere)); }
  const auto interactions = recording->interactions();
  REQUIRE(interactions.size() == 6);
  CHECK(interactions[0].target == "RekognitionService.DescribeProjects");
  CHECK(interactions[2].target == "RekognitionService.StartProjectVersion");
  CHECK(interactions[5].target == "RekognitionService.StopProjectVersion");

  // Replaying the recording runs the same workflow with no service at all.
  config.transport = std::make_shared<ReplayTransport>(path);
  Client replay(config);
  {
    RunningModel model(replay, kVersionArn, FastOptions(time, StopPolicy::kStopIfStartedHere));
    CHECK(model.started_here());
  }
  std::remove(path.c_str());
}

TEST_CASE("ExpectedCall compares whole values, shows them shortened", "[lifecycle][stubber]") {
  DescribeProjectsRequest expected;
  expected.next_token = std::string(400, 'a');
  DescribeProjectsRequest actual = expected;
  (*actual.next_token)[399] = 'b';  // differs beyond what a report shows
  const auto differences = ExpectedCall<DescribeProjectsRequest>(expected).Mismatches(actual);
  REQUIRE(differences.size() == 1);
  CHECK(differences[0].field == "NextToken");
  CHECK(differences[0].actual.find("(400 chars)") != std::string::npos);
  CHECK(ExpectedCall<DescribeProjectsRequest>(expected).Mismatches(expected).empty());
  CHECK(ExpectedCall<DescribeProjectsRequest>().Mismatches(actual).empty());
}

TEST_CASE("RunningModel waits for a stopping model to stop before starting it", "[running_model]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  FakeTime time;
  stubber.AddResponse(ProjectPage()).AddResponse(Page(ProjectVersionStatus::kStopping));
  stubber.AddResponse(Page(ProjectVersionStatus::kStopping), DescribeShelf3())
      .AddResponse(Page(ProjectVersionStatus::kStopped), DescribeShelf3());
  stubber.AddStartResponse({});
  stubber.AddResponse(Page(ProjectVersionStatus::kRunning), DescribeShelf3());
  QueueStop(stubber);
  {
    RunningModel model(client, kVersionArn, FastOptions(time, StopPolicy::kStopIfStartedHere));
    CHECK(model.started_here());
  }
  CHECK(time.sleeps == std::vector<milliseconds>{milliseconds(30000)});
  stubber.AssertNoPendingResponses();
}

namespace {

// A fake that overrides only what it needs: the lifecycle defaults throw.
class OnlyDetect : public RekognitionApi {
 public:
  DetectCustomLabelsResult DetectCustomLabels(const DetectCustomLabelsRequest&) override {
    return {};
  }
};

// A fake that keeps the model's status, for a RunningModel without any client.
class FakeLifecycle : public OnlyDetect {
 public:
  ProjectVersionStatus status = ProjectVersionStatus::kStopped;
  std::vector<std::string> calls;
  std::vector<std::string> warnings;
  bool fail_stop = false;

  DescribeProjectsResult DescribeProjects(const DescribeProjectsRequest&) override {
    calls.push_back("DescribeProjects");
    return ProjectPage();
  }
  DescribeProjectVersionsResult DescribeProjectVersions(
      const DescribeProjectVersionsRequest& request) override {
    calls.push_back("DescribeProjectVersions");
    CHECK(request.project_arn == kProjectArn);
    DescribeProjectVersionsResult page = Page(status);
    if (status == ProjectVersionStatus::kStarting) status = ProjectVersionStatus::kRunning;
    return page;
  }
  StartProjectVersionResult StartProjectVersion(const StartProjectVersionRequest&) override {
    calls.push_back("StartProjectVersion");
    status = ProjectVersionStatus::kStarting;
    return {};
  }
  StopProjectVersionResult StopProjectVersion(const StopProjectVersionRequest&) override {
    calls.push_back("StopProjectVersion");
    if (fail_stop) throw std::runtime_error("network down");
    status = ProjectVersionStatus::kStopping;
    return {};
  }
  void Warn(const std::string& line) noexcept override { warnings.push_back(line); }
};

}  // namespace

TEST_CASE("RekognitionApi: lifecycle defaults throw NotImplemented; fakes drive RunningModel",
          "[running_model]") {
  OnlyDetect only;
  const auto error = Capture<Error>([&] { only.StopProjectVersion({}); });
  CHECK(error.code() == "NotImplemented");
  CHECK(error.message().find("StopProjectVersion") != std::string::npos);
  CHECK_THROWS_AS(RunningModel(only, kVersionArn), Error);

  FakeLifecycle fake;
  FakeTime time;
  {
    RunningModel model(fake, kVersionArn, FastOptions(time, StopPolicy::kStopIfStartedHere));
    CHECK(fake.status == ProjectVersionStatus::kRunning);
  }
  CHECK(fake.status == ProjectVersionStatus::kStopping);
  CHECK(fake.calls == std::vector<std::string>{"DescribeProjects", "DescribeProjectVersions",
                                               "StartProjectVersion", "DescribeProjectVersions",
                                               "DescribeProjectVersions", "StopProjectVersion"});
  // Any exception from a failed stop is caught and reported, never thrown.
  fake.status = ProjectVersionStatus::kStopped;
  fake.fail_stop = true;
  { RunningModel model(fake, kVersionArn, FastOptions(time, StopPolicy::kStopIfStartedHere)); }
  REQUIRE(fake.warnings.size() == 1);
  CHECK(fake.warnings[0].find("network down") != std::string::npos);
}

}  // namespace model_lifecycle_test
