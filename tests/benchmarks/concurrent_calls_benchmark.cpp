// Throughput with many calls in flight: N threads share one Client and call
// rekognition-local, which answers every call after 50 ms. The ideal is
// N / 50 ms (64 threads: 1280 calls/s); the target is 90% of it. Printed per
// run: calls/s, the ratio to that ideal, and the mean latency one call sees
// alone (50 ms plus our whole client and server overhead), measured in the
// same run. BM_AsyncInFlight keeps N calls in flight from one thread on the
// asynchronous client (its one I/O thread) and reports the most threads the
// process had meanwhile (target: 2, this thread and the I/O thread; 0.9x the
// ideal for 256 in flight, 0.95x for 64). BM_CliBatch does the same through
// detect-custom-labels.
#include <rekognition/client.hpp>

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "rekognition_local.hpp"

namespace {

constexpr int kLatencyMs = 50;

struct Fixture {
  testing_support::LocalEndpoint endpoint{
      {"--latency-ms", std::to_string(kLatencyMs), "--quiet", "--threads", "400"}};
  std::string image = testing_support::ReadFile(testing_support::SampleDataDir() + "/logo.png");

  rekognition::Client MakeClient() const {
    rekognition::ClientConfig config;
    config.region = "us-east-1";
    config.endpoint_url = endpoint.url();
    config.credentials = rekognition::Credentials{testing_support::kTestKeyId,
                                                  testing_support::kTestSecret, "", std::nullopt};
    config.retry.max_attempts = 1;  // a failure must show, not hide behind a retry
    return rekognition::Client(config);
  }

  rekognition::DetectCustomLabelsRequest Request() const {
    rekognition::DetectCustomLabelsRequest request;
    request.project_version_arn = testing_support::kSampleArn;
    request.image = rekognition::Image::FromBytes(image);
    return request;
  }
};

Fixture& Shared() {
  static Fixture fixture;
  return fixture;
}

// One call at a time: the latency a call sees when nothing else is going on.
void BM_SequentialLatency(benchmark::State& state) {
  auto client = Shared().MakeClient();
  const auto request = Shared().Request();
  client.DetectCustomLabels(request);  // connect outside the timing
  const auto started = std::chrono::steady_clock::now();
  for (auto _ : state) benchmark::DoNotOptimize(client.DetectCustomLabels(request));
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  state.counters["ms_per_call"] = ms / static_cast<double>(state.iterations());
  state.counters["overhead_ms"] = ms / static_cast<double>(state.iterations()) - kLatencyMs;
}
BENCHMARK(BM_SequentialLatency)->Iterations(20)->Unit(benchmark::kMillisecond)->UseRealTime();

// `threads` workers, one shared client, `threads * 20` calls per iteration.
void BM_ConcurrentCalls(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const int calls = threads * 20;
  auto client = Shared().MakeClient();
  const auto request = Shared().Request();
  std::atomic<int> failures{0};
  double total_seconds = 0;
  for (auto _ : state) {
    std::atomic<int> next{0};
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
      workers.emplace_back([&] {
        while (next.fetch_add(1) < calls) {
          try {
            if (client.DetectCustomLabels(request).custom_labels.size() != 1) ++failures;
          } catch (...) {
            ++failures;
          }
        }
      });
    for (auto& worker : workers) worker.join();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    state.SetIterationTime(seconds);
    total_seconds += seconds;
  }
  const double per_second =
      static_cast<double>(calls) * static_cast<double>(state.iterations()) / total_seconds;
  const double ideal = threads * 1000.0 / kLatencyMs;
  state.counters["calls_per_s"] = per_second;
  state.counters["ideal_per_s"] = ideal;
  state.counters["ratio_to_ideal"] = per_second / ideal;
  state.counters["failures"] = failures.load();
  if (failures.load() != 0) state.SkipWithError("calls failed");
}
BENCHMARK(BM_ConcurrentCalls)
    ->Arg(16)
    ->Arg(64)
    ->Iterations(3)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// Threads of this process now (Linux: /proc/self/task).
std::size_t ThreadCount() {
  std::error_code ec;
  std::size_t count = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/task", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++count;
  return count;
}

// CPU seconds (user + system) process `pid` has used so far; 0 if unknown.
double CpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i)
    if (i == 14 || i == 15) ticks += std::strtod(field.c_str(), nullptr);  // utime, stime
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// `in_flight` calls kept in flight by this thread on the asynchronous client
// (max_in_flight = in_flight): each completion frees a slot, which this
// thread fills with the next call. in_flight * 20 calls per iteration.
void BM_AsyncInFlight(benchmark::State& state) {
  const int in_flight = static_cast<int>(state.range(0));
  const int calls = in_flight * 20;
  rekognition::ClientConfig config = Shared().MakeClient().config();
  config.max_in_flight = static_cast<std::size_t>(in_flight);
  config.transport_options.max_idle_connections = static_cast<std::size_t>(in_flight);
  rekognition::Client client(config);
  const auto request = Shared().Request();
  std::mutex mutex;
  std::condition_variable changed;
  int outstanding = 0;
  int failures = 0;
  std::size_t most_threads = 0;
  const auto run = [&](int count) {
    for (int i = 0; i < count; ++i) {
      {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return outstanding < in_flight; });
        ++outstanding;
      }
      if (i % 64 == 0) most_threads = std::max(most_threads, ThreadCount());
      client.DetectCustomLabelsAsync(
          request, [&](rekognition::Outcome<rekognition::DetectCustomLabelsResult> outcome) {
            const bool ok = outcome.ok() && outcome.value().custom_labels.size() == 1;
            std::lock_guard<std::mutex> lock(mutex);
            if (!ok) ++failures;
            --outstanding;
            changed.notify_all();
          });
    }
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [&] { return outstanding == 0; });
  };
  run(in_flight);  // opens the connections outside the timing
  double total_seconds = 0;
  const double client_cpu = CpuSeconds(getpid());
  const double server_cpu = CpuSeconds(Shared().endpoint.pid());
  for (auto _ : state) {
    const auto started = std::chrono::steady_clock::now();
    run(calls);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    state.SetIterationTime(seconds);
    total_seconds += seconds;
  }
  const double per_second =
      static_cast<double>(calls) * static_cast<double>(state.iterations()) / total_seconds;
  const double ideal = in_flight * 1000.0 / kLatencyMs;
  // Cores each side kept busy (of the machine's): tells whose CPU runs out.
  const double client_cores = (CpuSeconds(getpid()) - client_cpu) / total_seconds;
  const double server_cores = (CpuSeconds(Shared().endpoint.pid()) - server_cpu) / total_seconds;
  state.counters["calls_per_s"] = per_second;
  state.counters["ideal_per_s"] = ideal;
  state.counters["ratio_to_ideal"] = per_second / ideal;
  state.counters["client_cores"] = client_cores;
  state.counters["server_cores"] = server_cores;
  state.counters["threads"] = static_cast<double>(most_threads);
  state.counters["failures"] = failures;
  if (failures != 0) state.SkipWithError("calls failed");
  const double target = in_flight >= 256 ? 0.9 : 0.95;
  std::printf(
      "async %d in flight: %.0f calls/s, ideal %.0f, ratio %.3fx (target >= %.2fx: %s), "
      "threads of this process: %zu (target <= 2: %s), cores busy: client %.2f, "
      "rekognition-local %.2f, of %ld\n",
      in_flight, per_second, ideal, per_second / ideal, target,
      per_second / ideal >= target ? "met" : "MISSED", most_threads,
      most_threads <= 2 ? "met" : "MISSED", client_cores, server_cores,
      sysconf(_SC_NPROCESSORS_ONLN));
}
BENCHMARK(BM_AsyncInFlight)
    ->Arg(64)
    ->Arg(256)
    ->Iterations(3)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// detect-custom-labels over a folder of threads * 20 images with
// --concurrency threads: the same ideal, now with process start, file reads
// and output included.
void BM_CliBatch(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const int images = threads * 20;
  testing_support::TempDir dir;
  for (int i = 0; i < images; ++i)
    testing_support::WriteFile(dir.path() + "/image-" + std::to_string(i) + ".png", Shared().image);
  const std::vector<std::string> argv = {testing_support::CliPath(),
                                         "--region",
                                         "us-east-1",
                                         "--endpoint-url",
                                         Shared().endpoint.url(),
                                         "--project-version-arn",
                                         testing_support::kSampleArn,
                                         "--max-attempts",
                                         "1",
                                         "--concurrency",
                                         std::to_string(threads),
                                         dir.path()};
  double total_seconds = 0;
  for (auto _ : state) {
    const auto started = std::chrono::steady_clock::now();
    const auto run = testing_support::RunProcess(argv, testing_support::CliEnvironment());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    state.SetIterationTime(seconds);
    total_seconds += seconds;
    if (run.exit_code != 0 ||
        testing_support::Lines(run.out).size() != static_cast<std::size_t>(images)) {
      state.SkipWithError(("detect-custom-labels failed: " + run.err).c_str());
      return;
    }
  }
  const double per_second =
      static_cast<double>(images) * static_cast<double>(state.iterations()) / total_seconds;
  const double ideal = threads * 1000.0 / kLatencyMs;
  state.counters["images_per_s"] = per_second;
  state.counters["ideal_per_s"] = ideal;
  state.counters["ratio_to_ideal"] = per_second / ideal;
}
BENCHMARK(BM_CliBatch)->Arg(64)->Iterations(3)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
