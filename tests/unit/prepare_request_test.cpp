// Preparing a request: borrowed and owned image bytes are interchangeable
// (body, payload hash, signature, validation errors, comparison, Stubber),
// a borrowed image is never copied, the body and its hash come from one
// pass, and the signer's key cache never holds the secret.
#include <rekognition/auth/credentials.hpp>
#include <rekognition/auth/sigv4.hpp>
#include <rekognition/client.hpp>
#include "library_internals.hpp"  // also in compiled mode
#include <rekognition/detail/base64.hpp>
#include <rekognition/detail/crypto.hpp>
#include <rekognition/operations/detect_custom_labels_operation.hpp>
#include <rekognition/operations/json_codec.hpp>
#include <rekognition/operations/pipeline.hpp>
#include <rekognition/operations/validation.hpp>
#include <rekognition/retry/retry.hpp>
#include <rekognition/testing/stubber.hpp>

#include <openssl/evp.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <memory>
#include <new>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "test_images.hpp"

// Records the allocations of at least g_large_threshold bytes made while
// g_counting is set (this binary's operator new; everything else is plain
// malloc).
namespace {
std::atomic<bool> g_counting{false};
std::atomic<std::size_t> g_large_threshold{0};
std::atomic<int> g_large_allocations{0};
std::atomic<std::size_t> g_largest_allocation{0};

void* Allocate(std::size_t size) {
  if (g_counting.load(std::memory_order_relaxed) &&
      size >= g_large_threshold.load(std::memory_order_relaxed)) {
    g_large_allocations.fetch_add(1, std::memory_order_relaxed);
    std::size_t largest = g_largest_allocation.load(std::memory_order_relaxed);
    while (size > largest && !g_largest_allocation.compare_exchange_weak(largest, size)) {
    }
  }
  void* block = std::malloc(size == 0 ? 1 : size);
  if (block == nullptr) throw std::bad_alloc();
  return block;
}
}  // namespace

// Every form that pairs with the plain delete is replaced, so that what one
// form allocates another never frees (AddressSanitizer checks the pairs).
void* operator new(std::size_t size) { return Allocate(size); }
void* operator new[](std::size_t size) { return Allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return Allocate(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return Allocate(size);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* block, const std::nothrow_t&) noexcept { std::free(block); }
void operator delete[](void* block, const std::nothrow_t&) noexcept { std::free(block); }
void operator delete(void* block) noexcept { std::free(block); }
void operator delete[](void* block) noexcept { std::free(block); }
void operator delete(void* block, std::size_t) noexcept { std::free(block); }
void operator delete[](void* block, std::size_t) noexcept { std::free(block); }

using namespace rekognition;

namespace {

constexpr const char* kArn =
    "arn:aws:rekognition:us-east-1:111122223333:project/logos/version/logos.1/1714560000000";

// A PNG header padded with random bytes to `size`.
std::string ImageOfSize(std::size_t size, unsigned seed = 42) {
  std::string image = test_images::Png(1024, 768);
  std::mt19937 random(seed);
  while (image.size() < size) image.push_back(static_cast<char>(random()));
  image.resize(size);
  return image;
}

DetectCustomLabelsRequest RequestWith(Image image) {
  DetectCustomLabelsRequest request;
  request.project_version_arn = kArn;
  request.image = std::move(image);
  request.min_confidence = 70;
  request.max_results = 5;
  return request;
}

// A pipeline as a client builds it, with a fixed clock and static keys.
struct TestPipeline {
  TestPipeline()
      : pipeline(detail::PipelineSettings{
            std::make_shared<StaticCredentialsProvider>("AKIDEXAMPLE",
                                                        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            [] { return std::chrono::system_clock::time_point(std::chrono::seconds(1767225600)); },
            [](std::chrono::milliseconds) {}, nullptr, std::chrono::milliseconds(0)}) {
    target.region = "us-east-1";
    target.url = "https://rekognition.us-east-1.amazonaws.com/";
    target.endpoint = *detail::ParseUrl(target.url);
    target.retry_policy = std::make_shared<StandardRetryPolicy>();
  }
  detail::PreparedCall Prepare(const DetectCustomLabelsRequest& request,
                               const ValidationOptions& options = {}) {
    return pipeline.Prepare<DetectCustomLabelsOperation>(request, options);
  }
  HttpRequest Sign(const detail::PreparedCall& call) {
    detail::CallState state = pipeline.Begin(target);
    return pipeline.SignAttempt(call, target, state);
  }
  detail::RequestPipeline pipeline;
  detail::PipelineTarget target;
};

std::optional<ValidationFailure> Check(const Image& image, const ValidationOptions& options = {}) {
  return CheckRequest(RequestWith(image), options);
}

}  // namespace

TEST_CASE("borrowed image: the same body, payload hash and signature as owned bytes",
          "[prepare][borrow]") {
  TestPipeline p;
  for (const std::size_t size : {std::size_t{100}, std::size_t{3071}, std::size_t{3072},
                                 std::size_t{3073}, std::size_t{100000}}) {
    CAPTURE(size);
    const std::string bytes = ImageOfSize(size);
    const DetectCustomLabelsRequest owned = RequestWith(Image::FromBytes(bytes));
    const DetectCustomLabelsRequest borrowed = RequestWith(Image::Borrow(bytes));
    REQUIRE(borrowed.image.bytes_view.has_value());
    REQUIRE_FALSE(borrowed.image.bytes.has_value());

    CHECK(detail::SerializeRequest(owned) == detail::SerializeRequest(borrowed));
    detail::PreparedCall owned_call = p.Prepare(owned);
    detail::PreparedCall borrowed_call = p.Prepare(borrowed);
    CHECK(owned_call.body == borrowed_call.body);
    CHECK(owned_call.body == detail::SerializeRequest(owned));
    CHECK(owned_call.payload_hash == detail::Sha256Hex(owned_call.body));
    CHECK(owned_call.payload_hash == borrowed_call.payload_hash);

    // The invocation id is random per call (and signed): give both the same.
    borrowed_call.invocation_id = owned_call.invocation_id;
    const HttpRequest owned_http = p.Sign(owned_call);
    const HttpRequest borrowed_http = p.Sign(borrowed_call);
    CHECK(owned_http.body == borrowed_http.body);
    CHECK(owned_http.headers == borrowed_http.headers);
    REQUIRE(FindHeader(owned_http.headers, "Authorization") != nullptr);
  }
}

TEST_CASE("the body and its hash from one pass match a separate hash of the body", "[prepare]") {
  // Around the encoder's chunk boundary (3072 input bytes) and its 24-byte
  // vector steps, for owned and borrowed bytes.
  std::vector<std::size_t> sizes;
  for (std::size_t size = 1; size < 64; ++size) sizes.push_back(size);
  for (const std::size_t size : {3000, 3070, 3071, 3072, 3073, 3074, 6143, 6144, 6145, 65536})
    sizes.push_back(size);
  for (const std::size_t size : sizes) {
    CAPTURE(size);
    const std::string bytes = ImageOfSize(size, static_cast<unsigned>(size));
    for (const Image& image : {Image::FromBytes(bytes), Image::Borrow(bytes)}) {
      const DetectCustomLabelsRequest request = RequestWith(image);
      detail::Sha256Digest digest{};
      const std::string body = detail::SerializeRequest(request, digest);
      CHECK(body == detail::SerializeRequest(request));
      CHECK(detail::HexEncode(digest) == detail::Sha256Hex(body));
      CHECK(body.size() == detail::SerializedRequestSize(request));
    }
  }
}

TEST_CASE("base64: the vector path encodes as OpenSSL does", "[prepare][base64]") {
  std::mt19937 random(7);
  for (std::size_t size = 0; size < 700; ++size) {
    CAPTURE(size);
    std::string input(size, '\0');
    for (char& c : input) c = static_cast<char>(random());
    std::string expected(4 * ((size + 2) / 3) + 1, '\0');
    EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&expected[0]),
                    reinterpret_cast<const unsigned char*>(input.data()), static_cast<int>(size));
    expected.pop_back();
    CHECK(detail::Base64Encode(input) == expected);
  }
}

TEST_CASE("borrowed image: validation errors are those of owned bytes", "[prepare][borrow]") {
  const std::string big(kMaxImageBytes + 1, '\0');
  const std::string documented_big = ImageOfSize(kDocumentedMaxImageBytes + 1);
  const std::vector<std::string> cases = {
      std::string(),                        // empty
      std::string("GIF89a0123456789"),      // not PNG or JPEG
      big,                                  // above the model's limit
      documented_big,                       // above the documented limit
      test_images::Png(32, 32),             // too small
      test_images::Png(4000, 100),          // aspect ratio
      std::string("\x89PNG\r\n\x1a\n", 8),  // unreadable dimensions
      test_images::Png(640, 480),           // valid
  };
  for (const std::string& bytes : cases) {
    CAPTURE(bytes.size());
    const auto owned = Check(Image::FromBytes(bytes));
    const auto borrowed = Check(Image::Borrow(bytes));
    REQUIRE(owned.has_value() == borrowed.has_value());
    if (!owned) continue;
    CHECK(owned->field == borrowed->field);
    CHECK(owned->constraint == borrowed->constraint);
    CHECK(owned->message == borrowed->message);
    CHECK(owned->kind == borrowed->kind);
  }
  CHECK_FALSE(Check(Image::Borrow(test_images::Png(640, 480))).has_value());

  // Owned and borrowed bytes at once is a mistake, named as such.
  const std::string png = test_images::Png(640, 480);
  Image both = Image::FromBytes(png);
  both.bytes_view = png;
  const auto failure = Check(both);
  REQUIRE(failure.has_value());
  CHECK(failure->field == "Image.Bytes");
  CHECK(failure->constraint == "owned or borrowed, not both");
  CHECK_THROWS_AS(ValidateRequest(RequestWith(both)), ValidationError);
  // A borrowed image and an S3 object: "both", as for owned bytes.
  Image with_s3 = Image::Borrow(png);
  with_s3.s3_object = S3Object{"bucket", "key", std::nullopt};
  Image owned_with_s3 = Image::FromBytes(png);
  owned_with_s3.s3_object = with_s3.s3_object;
  REQUIRE(Check(with_s3).has_value());
  CHECK(Check(with_s3)->message == Check(owned_with_s3)->message);
}

TEST_CASE("borrowed image: compares equal to owned bytes", "[prepare][borrow]") {
  const std::string a = test_images::Png(640, 480);
  const std::string b = test_images::Png(640, 481);
  CHECK(Image::Borrow(a) == Image::FromBytes(a));
  CHECK(Image::FromBytes(a) == Image::Borrow(a));
  CHECK_FALSE(Image::Borrow(a) == Image::FromBytes(b));
  CHECK_FALSE(Image::Borrow(a) == Image::FromS3("bucket", "key"));
  CHECK(RequestWith(Image::Borrow(a)) == RequestWith(Image::FromBytes(a)));
  const Image owned = Image::Borrow(a).ToOwned();
  REQUIRE(owned.bytes.has_value());
  CHECK_FALSE(owned.bytes_view.has_value());
  CHECK(*owned.bytes == a);
  CHECK(owned.Bytes() == std::optional<std::string_view>(a));
}

TEST_CASE("borrowed image: the Stubber matches it like owned bytes", "[prepare][borrow]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  std::string frame = test_images::Png(640, 480);
  const DetectCustomLabelsRequest borrowed = RequestWith(Image::Borrow(frame));
  // The expectation copies the borrowed bytes: reusing the buffer after
  // queuing it does not change what it expects.
  stubber.AddResponse(DetectCustomLabelsResult{}, borrowed);
  const std::string expected_frame = frame;
  frame[frame.size() - 1] = 'x';
  const DetectCustomLabelsRequest changed = RequestWith(Image::Borrow(frame));
  CHECK_THROWS_AS(client.DetectCustomLabels(changed), StubAssertionError);

  frame = expected_frame;
  if (stubber.pending() == 0)
    stubber.AddResponse(DetectCustomLabelsResult{}, RequestWith(Image::FromBytes(expected_frame)));
  CHECK_NOTHROW(client.DetectCustomLabels(RequestWith(Image::Borrow(frame))));
  CHECK(stubber.pending() == 0);
  const auto requests = stubber.requests();
  REQUIRE_FALSE(requests.empty());
  CHECK(requests.back() == RequestWith(Image::Borrow(frame)));
  CHECK(detail::expect::DescribeImage(Image::Borrow(frame)) ==
        detail::expect::DescribeImage(Image::FromBytes(frame)));
}

TEST_CASE("borrowed image: preparing copies neither the image nor the body", "[prepare][borrow]") {
  TestPipeline p;
  const std::size_t size = 1 << 20;
  const std::string bytes = ImageOfSize(size);
  for (const bool borrow : {true, false}) {
    CAPTURE(borrow);
    const DetectCustomLabelsRequest request =
        RequestWith(borrow ? Image::Borrow(bytes) : Image::FromBytes(bytes));
    g_large_threshold = size;
    g_large_allocations = 0;
    g_largest_allocation = 0;
    g_counting = true;
    {
      const detail::PreparedCall call = p.Prepare(request);
      const HttpRequest http = p.Sign(call);
      CHECK(http.body.data() == call.body.data());  // the attempt sends the call's body
    }
    g_counting = false;
    // One allocation of at least the image's size: the body, exactly its size.
    CHECK(g_large_allocations == 1);
    CHECK(g_largest_allocation == detail::SerializedRequestSize(request) + 1);  // and its NUL
  }
  // Making the request owned copies the image once; borrowing does not.
  g_large_allocations = 0;
  g_counting = true;
  { const DetectCustomLabelsRequest request = RequestWith(Image::Borrow(bytes)); }
  g_counting = false;
  CHECK(g_large_allocations == 0);
}

TEST_CASE("signing key cache: the signer never holds the secret", "[prepare][sigv4]") {
  // A secret short enough to be stored inside a std::string object itself:
  // if the cache kept it, the signer's own bytes would hold it.
  const std::string secret = "shortsecret1";
  const Credentials credentials{"AKIDEXAMPLE", secret, "", {}};
  SigV4Params params;
  params.region = "us-east-1";
  params.service = "rekognition";
  params.time = std::chrono::system_clock::time_point(std::chrono::seconds(1767225600));
  auto signer = std::make_unique<SigV4Signer>();
  HttpRequest first;
  first.url = "https://rekognition.us-east-1.amazonaws.com/";
  first.body = "{}";
  HttpRequest second = first;
  signer->Sign(first, credentials, params);
  signer->Sign(second, credentials, params);  // from the cache
  const auto authorization = [](const HttpRequest& request) {
    const std::string* value = FindHeader(request.headers, "Authorization");
    return value ? *value : std::string();
  };
  REQUIRE_FALSE(authorization(first).empty());
  REQUIRE(authorization(first) == authorization(second));
  const std::string_view object(reinterpret_cast<const char*>(signer.get()), sizeof(SigV4Signer));
  CHECK(object.find(secret) == std::string_view::npos);

  // The cached key signs as a fresh derivation does, and a different secret
  // with the same scope gets its own key.
  const SigV4Signer fresh;
  HttpRequest third;
  third.url = first.url;
  third.body = first.body;
  fresh.Sign(third, credentials, params);
  CHECK(authorization(third) == authorization(first));
  HttpRequest other = third;
  signer->Sign(other, Credentials{"AKIDEXAMPLE", "othersecret2", "", {}}, params);
  CHECK(authorization(other) != authorization(first));
}

TEST_CASE("borrowed image: an asynchronous call sends the same request as owned bytes",
          "[prepare][borrow]") {
  Stubber stubber;
  Client client = stubber.MakeClient();
  const std::string frame = test_images::Png(640, 480);
  stubber.AddResponse(DetectCustomLabelsResult{}, RequestWith(Image::FromBytes(frame)));
  // The caller keeps `frame` alive until the future is ready.
  auto future = client.DetectCustomLabelsAsync(RequestWith(Image::Borrow(frame)));
  REQUIRE(future.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK_NOTHROW(future.get());
  CHECK(stubber.pending() == 0);
  REQUIRE(stubber.requests().size() == 1);
  CHECK(stubber.requests()[0] == RequestWith(Image::FromBytes(frame)));
}
