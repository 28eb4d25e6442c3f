// Preparing a request: validate, JSON with base64 image, SigV4 with payload
// hash. The baseline ("floor") is measured in the same run: OpenSSL's base64
// of the image plus one SHA-256 of the body — the work no client can skip.
#include <rekognition/auth/sigv4.hpp>
#include <rekognition/client.hpp>
#include <rekognition/detail/crypto.hpp>
#include <rekognition/operations/json_codec.hpp>
#include <rekognition/operations/validation.hpp>

#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <cstdio>
#include <map>
#include <random>
#include <string>

#include "test_images.hpp"

namespace {

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

rekognition::DetectCustomLabelsRequest RequestWithImage(std::size_t size) {
  rekognition::DetectCustomLabelsRequest request;
  request.project_version_arn = kArn;
  request.image = rekognition::Image::FromBytes(ImageOfSize(size));
  request.min_confidence = 70;
  return request;
}

// What a request preparation does, start to finish, with the library's parts.
void Prepare(const rekognition::DetectCustomLabelsRequest& request,
             const rekognition::SigV4Signer& signer, const rekognition::Credentials& credentials,
             const rekognition::SigV4Params& params) {
  rekognition::ValidateRequest(request);
  const std::string body = rekognition::detail::SerializeRequest(request);
  rekognition::HttpRequest http;
  http.url = "https://rekognition.us-east-1.amazonaws.com/";
  http.body = body;
  http.headers = {{"Host", "rekognition.us-east-1.amazonaws.com"},
                  {"Content-Type", "application/x-amz-json-1.1"},
                  {"X-Amz-Target", "RekognitionService.DetectCustomLabels"}};
  signer.Sign(http, credentials, params);
  benchmark::DoNotOptimize(http.headers.back().second.data());
}

rekognition::SigV4Params Params() {
  rekognition::SigV4Params params;
  params.region = "us-east-1";
  params.service = "rekognition";
  params.time = std::chrono::system_clock::now();
  return params;
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

void BM_PrepareRequest(benchmark::State& state) {
  const auto request = RequestWithImage(static_cast<std::size_t>(state.range(0)));
  const rekognition::SigV4Signer signer;
  const rekognition::Credentials credentials{
      "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", {}};
  const auto params = Params();
  for (auto _ : state) Prepare(request, signer, credentials, params);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

BENCHMARK(BM_Floor_OpenSslBase64PlusSha256)->Arg(4 << 20)->Arg(1024)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PrepareRequest)->Arg(4 << 20)->Arg(1024)->Unit(benchmark::kMicrosecond);

// Prints each prepare/floor ratio measured in this run.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  RatioReporter() : ConsoleReporter(OO_Tabular) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      const std::string name = run.benchmark_name();
      const double ns = run.GetAdjustedRealTime();  // in the run's time unit (us)
      if (name.rfind("BM_Floor", 0) == 0) floor_[name.substr(name.find('/'))] = ns;
      if (name.rfind("BM_PrepareRequest", 0) == 0) prepare_[name.substr(name.find('/'))] = ns;
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    for (const auto& [size, ns] : prepare_) {
      const auto floor = floor_.find(size);
      if (floor == floor_.end()) continue;
      // Both are in the benchmarks' unit, microseconds.
      std::printf(
          "prepare%s bytes: %.2f us, floor %.2f us, ratio %.2fx the floor (target <= 1.00x for 4 "
          "MB)\n",
          size.c_str(), ns, floor->second, ns / floor->second);
    }
  }

 private:
  std::map<std::string, double> floor_, prepare_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
