// Sequential calls over one keep-alive connection to a server answering every
// POST at once with the same DetectCustomLabels body: our blocking
// DetectCustomLabels (prepare, sign, send, parse) against the floor, a bare
// libcurl loop sending the same signed bytes through one reused easy handle
// with every option set once. Printed per image size: calls/s of both and
// their ratio (target: ours at least 0.95x the bare loop's for 1 KiB).
//
// The server is REKOGNITION_BENCH_ENDPOINT when set (tests/benchmarks/run.sh
// starts nginx for it), else a cpp-httplib server on a thread of this process.
#include <rekognition/client.hpp>
#include <rekognition/client_core.hpp>  // the pipeline stage by stage

#include <benchmark/benchmark.h>
#include <curl/curl.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "../../examples/rekognition-bench/synthetic_png.hpp"
#include "loopback_server.hpp"
#include "median.hpp"

namespace {

constexpr const char* kArn =
    "arn:aws:rekognition:us-east-1:111122223333:project/logos/version/logos.1/1714560000000";
constexpr const char* kAnswer =
    R"({"CustomLabels":[{"Name":"logo","Confidence":98.5,"Geometry":{"BoundingBox":)"
    R"({"Width":0.25,"Height":0.5,"Left":0.125,"Top":0.25}}}]})";

// The server the calls go to, for the whole run.
class Endpoint {
 public:
  Endpoint() {
    if (const char* url = std::getenv("REKOGNITION_BENCH_ENDPOINT"); url && *url) {
      url_ = url;
      return;
    }
    server_.server().set_payload_max_length(std::size_t{16} << 20);
    server_.server().set_tcp_nodelay(true);  // else Nagle holds the body for a delayed ACK
    server_.server().Post("/", [](const httplib::Request&, httplib::Response& response) {
      response.set_content(kAnswer, "application/x-amz-json-1.1");
    });
    server_.Start();
    url_ = server_.url();
  }
  const std::string& url() const { return url_; }

 private:
  testing_support::LoopbackServer server_;
  std::string url_;
};

Endpoint& SharedEndpoint() {
  static Endpoint endpoint;
  return endpoint;
}

rekognition::ClientConfig Config() {
  rekognition::ClientConfig config;
  config.region = "us-east-1";
  config.endpoint_url = SharedEndpoint().url();
  config.credentials = rekognition::Credentials{
      "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt};
  config.retry.max_attempts = 1;  // a failure must show, not hide behind a retry
  config.environment = [](const std::string&) { return std::optional<std::string>(); };
  return config;
}

rekognition::DetectCustomLabelsRequest Request(std::size_t image_bytes) {
  rekognition::DetectCustomLabelsRequest request;
  request.project_version_arn = kArn;
  request.image = rekognition::Image::FromBytes(bench::SyntheticPng(image_bytes));
  return request;
}

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// The floor: one easy handle, every option set once, the request signed
// once by the client's own pipeline (the same bytes our calls send).
void BM_BareCurl(benchmark::State& state) {
  using Op = rekognition::DetectCustomLabelsOperation;
  const auto config = Config();
  rekognition::detail::ClientCore core(config);
  const auto call =
      core.pipeline().Prepare<Op>(Request(static_cast<std::size_t>(state.range(0))), {});
  const auto& target = core.Resolve();
  auto call_state = core.pipeline().Begin(target);
  const rekognition::HttpRequest http = core.pipeline().SignAttempt(call, target, call_state);
  curl_slist* headers = nullptr;
  for (const auto& header : http.headers)
    headers = curl_slist_append(headers, (header.first + ": " + header.second).c_str());
  headers = curl_slist_append(headers, "Expect:");
  headers = curl_slist_append(headers, "Accept:");
  CURL* easy = curl_easy_init();
  std::string body;
  curl_easy_setopt(easy, CURLOPT_URL, http.url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(http.body.size()));
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, http.body.data());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
  long status = 0;
  for (auto _ : state) {
    body.clear();
    const CURLcode code = curl_easy_perform(easy);
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    if (code != CURLE_OK || status != 200 || body != kAnswer) {
      state.SkipWithError("the bare libcurl call failed");
      break;
    }
  }
  curl_easy_cleanup(easy);
  curl_slist_free_all(headers);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// Our transport alone sending the same signed request (no prepare, no parsing).
void BM_CurlTransport(benchmark::State& state) {
  using Op = rekognition::DetectCustomLabelsOperation;
  const auto config = Config();
  rekognition::detail::ClientCore core(config);
  const auto call =
      core.pipeline().Prepare<Op>(Request(static_cast<std::size_t>(state.range(0))), {});
  const auto& target = core.Resolve();
  auto call_state = core.pipeline().Begin(target);
  const rekognition::HttpRequest http = core.pipeline().SignAttempt(call, target, call_state);
  rekognition::CurlTransport transport;
  for (auto _ : state) {
    const rekognition::HttpResult result = transport.Send(http);
    const auto* response = std::get_if<rekognition::HttpResponse>(&result);
    if (response == nullptr || response->status != 200 || response->body != kAnswer) {
      state.SkipWithError("the transport's call failed");
      break;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// Our blocking call, start to finish, over the client's pooled connection.
void BM_ClientDetectCustomLabels(benchmark::State& state) {
  rekognition::Client client(Config());
  const auto request = Request(static_cast<std::size_t>(state.range(0)));
  client.DetectCustomLabels(request);  // connects outside the timing
  for (auto _ : state) {
    const auto result = client.DetectCustomLabels(request);
    if (result.custom_labels.size() != 1) {
      state.SkipWithError("unexpected answer");
      break;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// What our call does before sending: validate, serialize, hash, sign (the
// part the bare loop skips), so the reporter can tell it from the transport.
void BM_PrepareAndSign(benchmark::State& state) {
  using Op = rekognition::DetectCustomLabelsOperation;
  const auto config = Config();
  rekognition::detail::ClientCore core(config);
  const auto request = Request(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    const auto call = core.pipeline().Prepare<Op>(request, config.validation);
    const auto& target = core.Resolve();
    auto call_state = core.pipeline().Begin(target);
    const rekognition::HttpRequest http = core.pipeline().SignAttempt(call, target, call_state);
    benchmark::DoNotOptimize(http.headers.back().second.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

BENCHMARK(BM_PrepareAndSign)->Arg(1024)->Arg(4 << 20)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_BareCurl)->Arg(1024)->Arg(4 << 20)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CurlTransport)->Arg(1024)->Arg(4 << 20)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ClientDetectCustomLabels)
    ->Arg(1024)
    ->Arg(4 << 20)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// Prints calls/s of both per image size and ours / bare: the median of the
// repetitions (run with --benchmark_repetitions=N
// --benchmark_enable_random_interleaving=true on a busy machine).
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  RatioReporter() : ConsoleReporter(OO_Tabular) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      if (run.error_occurred || run.iterations == 0 || run.run_type != Run::RT_Iteration) continue;
      const std::string name = run.benchmark_name();
      const auto slash = name.find('/');
      if (slash == std::string::npos) continue;
      const std::string size = name.substr(slash + 1, name.find('/', slash + 1) - slash - 1);
      rates_[name.substr(0, slash)][size].push_back(static_cast<double>(run.iterations) /
                                                    run.real_accumulated_time);
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    for (const auto& [size, samples] : rates_["BM_ClientDetectCustomLabels"]) {
      const double ours = bench_stats::Median(samples);
      const double bare = bench_stats::Median(rates_["BM_BareCurl"][size]);
      const double transport = bench_stats::Median(rates_["BM_CurlTransport"][size]);
      const double prepare = bench_stats::Median(rates_["BM_PrepareAndSign"][size]);
      if (bare <= 0) continue;
      const double ratio = ours / bare;
      std::printf(
          "keepalive %s bytes: ours %.0f calls/s, bare libcurl %.0f calls/s, ratio %.3fx%s\n",
          size.c_str(), ours, bare, ratio,
          size == "1024"
              ? (ratio >= 0.95 ? " (target >= 0.95x: met)" : " (target >= 0.95x: MISSED)")
              : "");
      if (transport <= 0 || prepare <= 0) continue;
      // Per call: ours = prepare and sign + transport + classifying and parsing.
      std::printf(
          "keepalive %s bytes per call: ours %.1f us = prepare and sign %.1f us + the rest "
          "%.1f us; our transport alone %.1f us; bare libcurl %.1f us\n",
          size.c_str(), 1e6 / ours, 1e6 / prepare, 1e6 / ours - 1e6 / prepare, 1e6 / transport,
          1e6 / bare);
    }
  }

 private:
  // calls/s by benchmark, then image size: one per repetition.
  std::map<std::string, std::map<std::string, std::vector<double>>> rates_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  rekognition::detail::EnsureCurlGlobalInit();
  SharedEndpoint();
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
