// Preparing a request as every call does: RequestPipeline::Prepare (validate,
// the JSON body with the base64 image, its SHA-256) and SignAttempt (headers
// and SigV4). The baseline ("floor") is measured in the same run: OpenSSL's
// base64 of the image plus one SHA-256 of the body, the work no client can
// skip. A counting operator new reports the allocations and the peak of
// live heap bytes per prepared request.
#include <rekognition/auth/credentials.hpp>
#include <rekognition/client.hpp>
#include <rekognition/operations/detect_custom_labels_operation.hpp>
#include <rekognition/operations/pipeline.hpp>
#include <rekognition/retry/retry.hpp>

#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <new>
#include <random>
#include <string>
#include <vector>

#include "median.hpp"
#include "test_images.hpp"

namespace {

// Heap accounting: every block carries its size in a header in front of it,
// so the live total is known on delete whatever form of delete is called.
struct HeapCounters {
  std::uint64_t allocations = 0;
  std::uint64_t bytes = 0;
  std::int64_t live = 0;
  std::int64_t peak = 0;
};
HeapCounters g_heap;
constexpr std::size_t kHeader = alignof(std::max_align_t);

void* CountedAllocate(std::size_t size) {
  void* block = std::malloc(size + kHeader);
  if (block == nullptr) throw std::bad_alloc();
  *static_cast<std::size_t*>(block) = size;
  ++g_heap.allocations;
  g_heap.bytes += size;
  g_heap.live += static_cast<std::int64_t>(size);
  g_heap.peak = std::max(g_heap.peak, g_heap.live);
  return static_cast<char*>(block) + kHeader;
}

void CountedFree(void* pointer) noexcept {
  if (pointer == nullptr) return;
  void* block = static_cast<char*>(pointer) - kHeader;
  g_heap.live -= static_cast<std::int64_t>(*static_cast<std::size_t*>(block));
  std::free(block);
}

}  // namespace

void* operator new(std::size_t size) { return CountedAllocate(size); }
void* operator new[](std::size_t size) { return CountedAllocate(size); }
void operator delete(void* pointer) noexcept { CountedFree(pointer); }
void operator delete[](void* pointer) noexcept { CountedFree(pointer); }
void operator delete(void* pointer, std::size_t) noexcept { CountedFree(pointer); }
void operator delete[](void* pointer, std::size_t) noexcept { CountedFree(pointer); }

namespace {

namespace rk = rekognition;

constexpr const char* kArn =
    "arn:aws:rekognition:us-east-1:111122223333:project/logos/version/logos.1/1714560000000";

// A valid PNG header padded with random bytes to `size` (validation reads the
// header; base64 and hashing see every byte).
std::string ImageOfSize(std::size_t size) {
  std::string image = test_images::Png(1024, 768);
  std::mt19937 random(42);
  while (image.size() < size) image.push_back(static_cast<char>(random()));
  image.resize(size);
  return image;
}

// A pipeline and target as a client resolves them, with static credentials.
struct Pipeline {
  Pipeline()
      : pipeline(rk::detail::PipelineSettings{
            std::make_shared<rk::StaticCredentialsProvider>(
                "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            [] { return std::chrono::system_clock::now(); }, [](std::chrono::milliseconds) {},
            nullptr, std::chrono::milliseconds(0)}) {
    target.region = "us-east-1";
    target.url = "https://rekognition.us-east-1.amazonaws.com/";
    target.endpoint = *rk::detail::ParseUrl(target.url);
    target.retry_policy = std::make_shared<rk::StandardRetryPolicy>();
  }
  rk::detail::RequestPipeline pipeline;
  rk::detail::PipelineTarget target;
};

// One request as a call prepares it: Prepare once, then sign the attempt.
void PrepareAndSign(Pipeline& p, const rk::DetectCustomLabelsRequest& request,
                    const rk::ValidationOptions& options) {
  const rk::detail::PreparedCall call =
      p.pipeline.Prepare<rk::DetectCustomLabelsOperation>(request, options);
  rk::detail::CallState state = p.pipeline.Begin(p.target);
  rk::HttpRequest http = p.pipeline.SignAttempt(call, p.target, state);
  benchmark::DoNotOptimize(http.headers.back().second.data());
  benchmark::DoNotOptimize(http.body.data());
}

void BM_Floor_OpenSslBase64PlusSha256(benchmark::State& state) {
  const std::string image = ImageOfSize(static_cast<std::size_t>(state.range(0)));
  std::string encoded(4 * ((image.size() + 2) / 3) + 1, '\0');
  for (auto _ : state) {
    EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&encoded[0]),
                    reinterpret_cast<const unsigned char*>(image.data()),
                    static_cast<int>(image.size()));
    unsigned char digest[32];
    unsigned int length = 0;
    EVP_Digest(encoded.data(), encoded.size() - 1, digest, &length, EVP_sha256(), nullptr);
    benchmark::DoNotOptimize(digest);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void RunPrepare(benchmark::State& state, rk::DetectCustomLabelsRequest request) {
  Pipeline p;
  rk::ValidationOptions options;
  // The documented 4 MB limit would refuse the 5 MiB row the model allows.
  options.check_documented_limits = state.range(0) <= (4 << 20);
  PrepareAndSign(p, request, options);  // warm the signing key cache
  const HeapCounters before = g_heap;
  g_heap.peak = g_heap.live;
  for (auto _ : state) PrepareAndSign(p, request, options);
  const double iterations = static_cast<double>(state.iterations());
  state.counters["allocs"] =
      static_cast<double>(g_heap.allocations - before.allocations) / iterations;
  state.counters["alloc_bytes"] = static_cast<double>(g_heap.bytes - before.bytes) / iterations;
  state.counters["peak_bytes"] = static_cast<double>(g_heap.peak - before.live);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

rk::DetectCustomLabelsRequest RequestWith(rk::Image image) {
  rk::DetectCustomLabelsRequest request;
  request.project_version_arn = kArn;
  request.image = std::move(image);
  request.min_confidence = 70;
  return request;
}

void BM_PrepareRequest(benchmark::State& state) {
  RunPrepare(
      state,
      RequestWith(rk::Image::FromBytes(ImageOfSize(static_cast<std::size_t>(state.range(0))))));
}

// The two halves of a 1 KiB request's preparation, to see where time goes.
void BM_PrepareOnly(benchmark::State& state) {
  Pipeline p;
  const auto request = RequestWith(rk::Image::FromBytes(ImageOfSize(1024)));
  for (auto _ : state) {
    auto call = p.pipeline.Prepare<rk::DetectCustomLabelsOperation>(request, {});
    benchmark::DoNotOptimize(call.body.data());
  }
}
void BM_SignAttemptOnly(benchmark::State& state) {
  Pipeline p;
  const auto request = RequestWith(rk::Image::FromBytes(ImageOfSize(1024)));
  const auto call = p.pipeline.Prepare<rk::DetectCustomLabelsOperation>(request, {});
  for (auto _ : state) {
    rk::detail::CallState call_state = p.pipeline.Begin(p.target);
    rk::HttpRequest http = p.pipeline.SignAttempt(call, p.target, call_state);
    benchmark::DoNotOptimize(http.headers.back().second.data());
  }
}
BENCHMARK(BM_PrepareOnly)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SignAttemptOnly)->Unit(benchmark::kMicrosecond);

void Sizes(benchmark::internal::Benchmark* b) {
  for (const std::int64_t kib : {1, 4, 16, 64, 256, 1024, 4096, 5120}) b->Arg(kib * 1024);
  b->Unit(benchmark::kMicrosecond);
}

// The same with the image borrowed (Image::Borrow): nothing is copied when
// the request is made, and preparation must cost the same.
void BM_PrepareRequestBorrowed(benchmark::State& state) {
  const std::string image = ImageOfSize(static_cast<std::size_t>(state.range(0)));
  RunPrepare(state, RequestWith(rk::Image::Borrow(image)));
}

BENCHMARK(BM_Floor_OpenSslBase64PlusSha256)->Apply(Sizes);
BENCHMARK(BM_PrepareRequest)->Apply(Sizes);
BENCHMARK(BM_PrepareRequestBorrowed)->Arg(1024)->Arg(4 << 20)->Unit(benchmark::kMicrosecond);

// Prints, per image size, each prepare's ratio to the floor of this run and
// its time per image byte (constant when preparation is linear in size).
// With --benchmark_repetitions=N every figure is the median of the N runs.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  RatioReporter() : ConsoleReporter(OO_Tabular) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      // Aggregates (mean, median, stddev, cv) are computed below from the
      // repetitions themselves.
      if (run.error_occurred || run.iterations == 0 || run.run_type != Run::RT_Iteration) continue;
      const std::string name = run.benchmark_name();
      const std::size_t slash = name.find('/');
      if (slash == std::string::npos) continue;
      Samples& row = rows_[std::stoll(name.substr(slash + 1))];
      // CPU time: the machine may be shared, and a single-threaded
      // preparation's CPU time is its cost (in the benchmarks' unit, us).
      const double us = run.GetAdjustedCPUTime();
      const std::string family = name.substr(0, slash);
      if (family == "BM_Floor_OpenSslBase64PlusSha256") row.floor_us.push_back(us);
      if (family == "BM_PrepareRequest") {
        row.owned_us.push_back(us);
        row.allocs.push_back(run.counters.at("allocs"));
        row.peak_bytes.push_back(run.counters.at("peak_bytes"));
      }
      if (family == "BM_PrepareRequestBorrowed") {
        row.borrowed_us.push_back(us);
        row.borrowed_allocs.push_back(run.counters.at("allocs"));
        row.borrowed_peak_bytes.push_back(run.counters.at("peak_bytes"));
      }
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    std::map<long long, Row> rows;
    for (const auto& [bytes, samples] : rows_) {
      rows[bytes] = Row{bench_stats::Median(samples.floor_us),
                        bench_stats::Median(samples.owned_us),
                        bench_stats::Median(samples.borrowed_us),
                        bench_stats::Median(samples.allocs),
                        bench_stats::Median(samples.peak_bytes),
                        bench_stats::Median(samples.borrowed_allocs),
                        bench_stats::Median(samples.borrowed_peak_bytes)};
    }
    // ns/byte is the whole time per image byte; "marginal" is the time added
    // per byte above the smallest image, constant when the time is linear in
    // the size (a fixed cost plus a cost per byte).
    std::printf("\n%9s %10s %11s %7s %8s %9s %7s %11s %12s %7s %7s %11s\n", "image", "floor_us",
                "prepare_us", "ratio", "ns/byte", "marginal", "allocs", "peak_bytes", "borrowed_us",
                "ratio", "allocs", "peak_bytes");
    if (rows.empty()) return;
    const long long smallest_bytes = rows.begin()->first;
    const double smallest_us = rows.begin()->second.owned_us;
    for (const auto& [bytes, row] : rows) {
      const double marginal =
          bytes > smallest_bytes
              ? (row.owned_us - smallest_us) * 1000.0 / static_cast<double>(bytes - smallest_bytes)
              : 0.0;
      std::printf("%9lld %10.2f %11.2f %6.2fx %8.3f %9.3f %7.1f %11.0f", bytes, row.floor_us,
                  row.owned_us, row.owned_us / row.floor_us,
                  row.owned_us * 1000.0 / static_cast<double>(bytes), marginal, row.allocs,
                  row.peak_bytes);
      if (row.borrowed_us > 0)
        std::printf(" %12.2f %6.2fx %7.1f %11.0f", row.borrowed_us, row.borrowed_us / row.floor_us,
                    row.borrowed_allocs, row.borrowed_peak_bytes);
      std::printf("\n");
    }
    const auto at = [&rows](long long bytes) { return rows.count(bytes) ? &rows[bytes] : nullptr; };
    if (const Row* small = at(1024))
      std::printf("prepare 1 KiB: %.2f us (target <= 3 us), floor %.2f us\n", small->owned_us,
                  small->floor_us);
    if (const Row* large = at(4 << 20))
      std::printf(
          "prepare 4 MiB: %.0f us, floor %.0f us, ratio %.2fx the floor (target <= 0.80x)\n",
          large->owned_us, large->floor_us, large->owned_us / large->floor_us);
  }

 private:
  struct Samples {
    std::vector<double> floor_us, owned_us, borrowed_us;
    std::vector<double> allocs, peak_bytes, borrowed_allocs, borrowed_peak_bytes;
  };
  struct Row {
    double floor_us = 0, owned_us = 0, borrowed_us = 0;
    double allocs = 0, peak_bytes = 0, borrowed_allocs = 0, borrowed_peak_bytes = 0;
  };
  std::map<long long, Samples> rows_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
