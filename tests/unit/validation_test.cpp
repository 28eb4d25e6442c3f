#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <regex>
#include <string>

#include "rekognition/errors.hpp"
#include "rekognition/operations/validation.hpp"
#include "test_images.hpp"

namespace validation_test {

namespace {

using rekognition::CheckRequest;
using rekognition::DetectCustomLabelsRequest;
using rekognition::Image;
using rekognition::ValidateRequest;
using rekognition::ValidationFailure;
using rekognition::ValidationFailureKind;
using rekognition::ValidationOptions;

const char kArn[] =
    "arn:aws:rekognition:us-east-1:111122223333:project/logos/version/logos.1/1714560000000";

DetectCustomLabelsRequest BytesRequest(std::string bytes) {
  DetectCustomLabelsRequest request;
  request.project_version_arn = kArn;
  request.image = Image::FromBytes(std::move(bytes));
  return request;
}

DetectCustomLabelsRequest S3Request(std::string bucket = "my-bucket", std::string name = "a.jpg",
                                    std::optional<std::string> version = {}) {
  DetectCustomLabelsRequest request;
  request.project_version_arn = kArn;
  request.image = Image::FromS3(std::move(bucket), std::move(name), std::move(version));
  return request;
}

DetectCustomLabelsRequest ArnRequest(std::string arn) {
  DetectCustomLabelsRequest request = S3Request();
  request.project_version_arn = std::move(arn);
  return request;
}

// An ARN that matches the pattern and is exactly `length` chars (>= 54).
std::string ArnOfLength(std::size_t length) {
  std::string arn = "arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/";
  arn += std::string(length - arn.size(), '7');
  return arn;
}

bool Passes(const DetectCustomLabelsRequest& request, const ValidationOptions& options = {}) {
  const auto failure = CheckRequest(request, options);
  if (failure) UNSCOPED_INFO("unexpected failure: " << failure->message);
  return !failure.has_value();
}

ValidationFailure Fails(const DetectCustomLabelsRequest& request,
                        const ValidationOptions& options = {}) {
  const auto failure = CheckRequest(request, options);
  REQUIRE(failure.has_value());
  INFO(failure->message);
  // Every message names its field.
  CHECK(failure->message.find(failure->field) != std::string::npos);
  CHECK_FALSE(failure->constraint.empty());
  return *failure;
}

bool Printable(const std::string& s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) return false;
  return true;
}

ValidationOptions ModelOnly() {
  ValidationOptions options;
  options.check_documented_limits = false;
  return options;
}

}  // namespace

TEST_CASE("a well-formed request passes", "[validation]") {
  CHECK(Passes(BytesRequest(test_images::Png(640, 480))));
  CHECK(Passes(BytesRequest(test_images::Jpeg(640, 480))));
  CHECK(Passes(S3Request()));
  CHECK(Passes(S3Request("b.c", "k", std::string("v1"))));
  DetectCustomLabelsRequest request = S3Request();
  request.max_results = 10;
  request.min_confidence = 70.5;
  CHECK(Passes(request));
}

TEST_CASE("ProjectVersionArn is required and 20-2048 chars long", "[validation]") {
  auto failure = Fails(ArnRequest(""));
  CHECK(failure.field == "ProjectVersionArn");
  CHECK(failure.constraint == "required");
  CHECK(failure.kind == ValidationFailureKind::kInvalidParameter);

  failure = Fails(ArnRequest(std::string(19, 'a')));
  CHECK(failure.field == "ProjectVersionArn");
  CHECK(failure.constraint == "length 20-2048");
  CHECK(failure.message.find("got 19") != std::string::npos);
  // 20 chars satisfy the length rule; no 20-char string satisfies the pattern.
  failure = Fails(ArnRequest(std::string(20, 'a')));
  CHECK(failure.constraint == "pattern");

  CHECK(Passes(ArnRequest(ArnOfLength(2048))));
  failure = Fails(ArnRequest(ArnOfLength(2049)));
  CHECK(failure.constraint == "length 20-2048");
  CHECK(failure.message.find("got 2049") != std::string::npos);
  // The value is shown but cut short.
  CHECK(failure.message.find("(2049 chars)") != std::string::npos);
  CHECK(failure.message.size() < 300);
}

TEST_CASE("ProjectVersionArn must match the model pattern", "[validation]") {
  CHECK(Passes(ArnRequest("arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/1")));
  CHECK(
      Passes(ArnRequest("arn:aws-cn:rekognition:cn-north-1:111122223333:project/A_b.c-d/"
                        "version/V.1_x-y/0")));
  CHECK(Passes(ArnRequest("arn:aws:rekognition:us-east-1:111122223333:project/" +
                          std::string(255, 'p') + "/version/" + std::string(255, 'v') + "/1")));

  const std::string bad[] = {
      "arx:aws:rekognition:us-east-1:111122223333:project/p/version/v/1",
      "arn::rekognition:us-east-1:111122223333:project/p/version/v/1",
      "arn:AWS:rekognition:us-east-1:111122223333:project/p/version/v/1",
      "arn:aws:rekognitio:us-east-1:111122223333:project/p/version/v/1",
      "arn:aws:s3:us-east-1:111122223333:project/p/version/v/1",
      "arn:aws:rekognition::111122223333:project/p/version/v/1",
      "arn:aws:rekognition:us_east_1:111122223333:project/p/version/v/1",
      "arn:aws:rekognition:us-east-1:11112222333:project/p/version/v/1",
      "arn:aws:rekognition:us-east-1:1111222233334:project/p/version/v/1",
      "arn:aws:rekognition:us-east-1:11112222333a:project/p/version/v/1",
      "arn:aws:rekognition:us-east-1:111122223333:projects/p/version/v/1",
      "arn:aws:rekognition:us-east-1:111122223333:project//version/v/1",
      "arn:aws:rekognition:us-east-1:111122223333:project/p+q/version/v/1",
      "arn:aws:rekognition:us-east-1:111122223333:project/p/versions/v/1",
      "arn:aws:rekognition:us-east-1:111122223333:project/p/version//1",
      "arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/",
      "arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/1a",
      "arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/1/",
      "arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/1\n",
      "arn:aws:rekognition:us-east-1:111122223333:project/p/version/v",
      " arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/1",
      "arn:aws:rekognition:us-east-1:111122223333:project/p/version/v\xc3\xa9/1",
      "arn:aws:rekognition:us-east-1:111122223333:project/" + std::string(256, 'p') +
          "/version/v/1",
      "arn:aws:rekognition:us-east-1:111122223333:project/p/version/" + std::string(256, 'v') +
          "/1",
  };
  for (const std::string& arn : bad) {
    INFO(arn);
    const auto failure = Fails(ArnRequest(arn));
    CHECK(failure.field == "ProjectVersionArn");
    CHECK(failure.constraint == "pattern");
    CHECK(failure.kind == ValidationFailureKind::kInvalidParameter);
    CHECK(Printable(failure.message));
  }
  const auto failure =
      Fails(ArnRequest("arn:aws:rekognition:us-east-1:11112222333:project/p/version/v/1"));
  CHECK(failure.message.find("12-digit account") != std::string::npos);
}

TEST_CASE("the hand-written ARN matcher agrees with std::regex", "[validation]") {
  const std::regex pattern(
      R"(^arn:[a-z\d-]+:rekognition:[a-z\d-]+:\d{12}:project\/[a-zA-Z0-9_.\-]{1,255}\/version\/[a-zA-Z0-9_.\-]{1,255}\/[0-9]+$)");
  const std::string seed = "arn:aws:rekognition:us-east-1:111122223333:project/p-1/version/v.2/3";
  const std::string alphabet = "arn:/-_.aZ09 rekognitionprojectversion\n";
  std::mt19937 rng(7);
  int matches = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string s = seed;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = rng() % (s.size() + 1);
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        case 1:
          if (at < s.size()) s.erase(at, 1);
          break;
        default:
          if (at < s.size()) s[at] = c;
          break;
      }
    }
    const bool expected = std::regex_search(s, pattern);
    const bool actual = !rekognition::detail::MatchProjectVersionArn(s).has_value();
    INFO(s);
    REQUIRE(actual == expected);
    if (expected) ++matches;
  }
  // The mutations must exercise both outcomes for the comparison to mean anything.
  CHECK(matches > 100);
  CHECK(matches < 2900);
}

TEST_CASE("Image needs exactly one of Bytes or S3Object", "[validation]") {
  DetectCustomLabelsRequest request = S3Request();
  request.image = Image{};
  auto failure = Fails(request);
  CHECK(failure.field == "Image");
  CHECK(failure.message.find("neither") != std::string::npos);
  request.image = Image::FromS3("bucket", "key");
  request.image.bytes = test_images::Png(100, 100);
  failure = Fails(request);
  CHECK(failure.field == "Image");
  CHECK(failure.message.find("both") != std::string::npos);
  CHECK(failure.kind == ValidationFailureKind::kInvalidParameter);
}

TEST_CASE("Image.Bytes size limits from the model", "[validation]") {
  auto failure = Fails(BytesRequest(""));
  CHECK(failure.field == "Image.Bytes");
  CHECK(failure.kind == ValidationFailureKind::kInvalidParameter);

  const std::string png = test_images::Png(100, 100);
  CHECK(Passes(BytesRequest(test_images::PadTo(png, 5242880)), ModelOnly()));
  failure = Fails(BytesRequest(test_images::PadTo(png, 5242881)), ModelOnly());
  CHECK(failure.field == "Image.Bytes");
  CHECK(failure.kind == ValidationFailureKind::kImageTooLarge);
  CHECK(failure.message.find("5242881 bytes") != std::string::npos);
  // The model limit applies with the documented limits on too.
  failure = Fails(BytesRequest(test_images::PadTo(png, 5242881)));
  CHECK(failure.kind == ValidationFailureKind::kImageTooLarge);
}

TEST_CASE("Image.Bytes must be PNG or JPEG", "[validation]") {
  const std::string not_images[] = {"GIF89a\x40\x00\x40\x00 and more bytes",
                                    "BM....",
                                    std::string(1, '\xff'),
                                    std::string("\xff\xd8", 2),
                                    std::string("\x89PNG\r\n\x1a", 7),
                                    "hello"};
  for (const std::string& bytes : not_images) {
    for (const ValidationOptions& options : {ValidationOptions{}, ModelOnly()}) {
      const auto failure = Fails(BytesRequest(bytes), options);
      CHECK(failure.field == "Image.Bytes");
      CHECK(failure.constraint == "PNG or JPEG");
      CHECK(failure.kind == ValidationFailureKind::kInvalidImageFormat);
      CHECK(failure.message.find(std::to_string(bytes.size()) + " bytes") != std::string::npos);
    }
  }
  // The message describes the image, it never contains its bytes.
  const auto failure = Fails(BytesRequest("GIF89a-secret-pixels"));
  CHECK(failure.message.find("secret") == std::string::npos);
  CHECK(failure.message.find("GIF") == std::string::npos);
}

TEST_CASE("documented limit: at most 4 MB of image bytes", "[validation]") {
  const std::string jpeg = test_images::Jpeg(100, 100);
  CHECK(Passes(BytesRequest(test_images::PadTo(jpeg, 4194304))));
  auto failure = Fails(BytesRequest(test_images::PadTo(jpeg, 4194305)));
  CHECK(failure.field == "Image.Bytes");
  CHECK(failure.kind == ValidationFailureKind::kImageTooLarge);
  CHECK(failure.message.find("4194305 bytes") != std::string::npos);
  CHECK(failure.message.find("JPEG") != std::string::npos);
  CHECK(Passes(BytesRequest(test_images::PadTo(jpeg, 4194305)), ModelOnly()));
}

TEST_CASE("documented limit: 64 to 4096 pixels a side", "[validation]") {
  for (const auto& make : {&test_images::Png, +[](std::uint32_t w, std::uint32_t h) {
                             return test_images::Jpeg(w, h);
                           }}) {
    CHECK(Passes(BytesRequest(make(64, 64))));
    CHECK(Passes(BytesRequest(make(4096, 4096))));
    CHECK(Passes(BytesRequest(make(205, 4096))));

    for (const auto& [w, h] : {std::pair{63u, 64u}, std::pair{64u, 63u}, std::pair{1u, 1u}}) {
      const auto failure = Fails(BytesRequest(make(w, h)));
      CHECK(failure.field == "Image.Bytes");
      CHECK(failure.kind == ValidationFailureKind::kInvalidParameter);
      CHECK(failure.message.find(std::to_string(w) + "x" + std::to_string(h)) != std::string::npos);
      CHECK(Passes(BytesRequest(make(w, h)), ModelOnly()));
    }
    for (const auto& [w, h] :
         {std::pair{4097u, 4096u}, std::pair{4096u, 4097u}, std::pair{65535u, 65535u}}) {
      const auto failure = Fails(BytesRequest(make(w, h)));
      CHECK(failure.field == "Image.Bytes");
      CHECK(failure.kind == ValidationFailureKind::kImageTooLarge);
      CHECK(failure.message.find(std::to_string(w) + "x" + std::to_string(h)) != std::string::npos);
      CHECK(Passes(BytesRequest(make(w, h)), ModelOnly()));
    }
  }
}

TEST_CASE("documented limit: aspect ratio at most 20:1", "[validation]") {
  for (const auto& make : {&test_images::Png, +[](std::uint32_t w, std::uint32_t h) {
                             return test_images::Jpeg(w, h);
                           }}) {
    CHECK(Passes(BytesRequest(make(64, 1280))));   // exactly 20:1
    CHECK(Passes(BytesRequest(make(4096, 205))));  // 19.98:1
    for (const auto& [w, h] : {std::pair{4000u, 100u}, std::pair{64u, 1281u}, std::pair{64u, 4096u},
                               std::pair{4096u, 204u}}) {
      const auto failure = Fails(BytesRequest(make(w, h)));
      CHECK(failure.field == "Image.Bytes");
      CHECK(failure.constraint == "aspect ratio at most 20:1");
      CHECK(failure.kind == ValidationFailureKind::kInvalidParameter);
      CHECK(failure.message.find(std::to_string(w) + "x" + std::to_string(h)) != std::string::npos);
      CHECK(Passes(BytesRequest(make(w, h)), ModelOnly()));
    }
  }
}

TEST_CASE("unreadable dimensions are an image format failure", "[validation]") {
  const std::string truncated_png = test_images::Png(100, 100).substr(0, 20);
  const std::string jpeg_without_frame("\xff\xd8\xff\xd9", 4);
  for (const std::string& bytes : {truncated_png, jpeg_without_frame}) {
    const auto failure = Fails(BytesRequest(bytes));
    CHECK(failure.field == "Image.Bytes");
    CHECK(failure.constraint == "readable dimensions");
    CHECK(failure.kind == ValidationFailureKind::kInvalidImageFormat);
    CHECK(failure.message.find("could not read the dimensions") != std::string::npos);
    // Not needed when the documented limits are off.
    CHECK(Passes(BytesRequest(bytes), ModelOnly()));
  }
}

TEST_CASE("S3Object.Bucket is 3-255 chars of [0-9A-Za-z.-_]", "[validation]") {
  CHECK(Passes(S3Request("abc")));
  CHECK(Passes(S3Request(std::string(255, 'b'))));
  CHECK(Passes(S3Request("My.Bucket-Name_09")));
  for (const std::string& bucket : {std::string("ab"), std::string(256, 'b'), std::string()}) {
    const auto failure = Fails(S3Request(bucket));
    CHECK(failure.field == "Image.S3Object.Bucket");
    CHECK(failure.constraint == "length 3-255");
    CHECK(failure.message.find("got " + std::to_string(bucket.size())) != std::string::npos);
  }
  for (const std::string& bucket :
       {std::string("my/bucket"), std::string("my bucket"), std::string("bucket\xc3\xa9"),
        std::string("a:b"), std::string("abc\n"), std::string("a\0b", 3)}) {
    const auto failure = Fails(S3Request(bucket));
    CHECK(failure.field == "Image.S3Object.Bucket");
    CHECK(failure.constraint == "pattern [0-9A-Za-z.-_]*");
    CHECK(failure.kind == ValidationFailureKind::kInvalidParameter);
    CHECK(Printable(failure.message));
  }
  const auto failure = Fails(S3Request("abc\n"));
  CHECK(failure.message.find("\\x0a") != std::string::npos);
}

TEST_CASE("S3Object.Name is 1-1024 chars and Version 1-1024 if set", "[validation]") {
  CHECK(Passes(S3Request("bucket", "k")));
  CHECK(Passes(S3Request("bucket", std::string(1024, 'k'))));
  // Length counts characters, not bytes.
  std::string accented;
  for (int i = 0; i < 1024; ++i) accented += "\xc3\xa9";
  CHECK(Passes(S3Request("bucket", accented)));
  CHECK(Passes(S3Request("bucket", "dir/with spaces/and+symbols?.jpg")));

  auto failure = Fails(S3Request("bucket", ""));
  CHECK(failure.field == "Image.S3Object.Name");
  CHECK(failure.constraint == "length 1-1024");
  failure = Fails(S3Request("bucket", std::string(1025, 'k')));
  CHECK(failure.field == "Image.S3Object.Name");
  CHECK(failure.message.find("got 1025") != std::string::npos);
  failure = Fails(S3Request("bucket", accented + "x"));
  CHECK(failure.field == "Image.S3Object.Name");
  failure = Fails(S3Request("bucket", "bad\xff utf8"));
  CHECK(failure.field == "Image.S3Object.Name");
  CHECK(failure.constraint == "valid UTF-8");

  CHECK(Passes(S3Request("bucket", "k", std::string("v"))));
  CHECK(Passes(S3Request("bucket", "k", std::string(1024, 'v'))));
  failure = Fails(S3Request("bucket", "k", std::string()));
  CHECK(failure.field == "Image.S3Object.Version");
  CHECK(failure.constraint == "length 1-1024");
  failure = Fails(S3Request("bucket", "k", std::string(1025, 'v')));
  CHECK(failure.field == "Image.S3Object.Version");
}

TEST_CASE("MaxResults is an integer from 0 to 2^31-1", "[validation]") {
  DetectCustomLabelsRequest request = S3Request();
  for (std::int64_t ok : {std::int64_t{0}, std::int64_t{1}, std::int64_t{2147483647}}) {
    request.max_results = ok;
    CHECK(Passes(request));
  }
  for (std::int64_t bad :
       {std::int64_t{-1}, std::int64_t{2147483648}, std::numeric_limits<std::int64_t>::min()}) {
    request.max_results = bad;
    const auto failure = Fails(request);
    CHECK(failure.field == "MaxResults");
    CHECK(failure.kind == ValidationFailureKind::kInvalidParameter);
    CHECK(failure.message.find(std::to_string(bad)) != std::string::npos);
  }
}

TEST_CASE("MinConfidence is a finite number in [0, 100]", "[validation]") {
  DetectCustomLabelsRequest request = S3Request();
  for (double ok : {0.0, -0.0, 0.0001, 50.0, 99.9999, 100.0}) {
    request.min_confidence = ok;
    CHECK(Passes(request));
  }
  struct Case {
    double value;
    const char* shown;
  };
  const Case bad[] = {{std::nan(""), "nan"},
                      {std::numeric_limits<double>::infinity(), "inf"},
                      {-std::numeric_limits<double>::infinity(), "-inf"},
                      {-0.0001, "-0.0001"},
                      {100.0001, "100.0001"},
                      {std::nextafter(100.0, 200.0), "100.00000000000001"},
                      {-1e-300, "-1e-300"}};
  for (const Case& c : bad) {
    request.min_confidence = c.value;
    const auto failure = Fails(request);
    CHECK(failure.field == "MinConfidence");
    CHECK(failure.kind == ValidationFailureKind::kInvalidParameter);
    CHECK(failure.message.find(c.shown) != std::string::npos);
  }
}

TEST_CASE("ValidateRequest throws ValidationError for the first broken rule", "[validation]") {
  CHECK_NOTHROW(ValidateRequest(S3Request()));
  DetectCustomLabelsRequest request = S3Request("b");
  request.project_version_arn = "short";
  request.min_confidence = 101;
  try {
    ValidateRequest(request);
    FAIL("no exception");
  } catch (const rekognition::ValidationError& e) {
    CHECK(e.field() == "ProjectVersionArn");
    CHECK(e.constraint() == "length 20-2048");
    CHECK(e.code() == "ValidationError");
    CHECK(std::string(e.what()).find("ProjectVersionArn") != std::string::npos);
    CHECK(e.http_status() == 0);
    CHECK_FALSE(e.retryable());
  }
  request.project_version_arn = kArn;
  CHECK_THROWS_AS(ValidateRequest(request), rekognition::ValidationError);
  request.image = Image::FromS3("bucket", "key");
  try {
    ValidateRequest(request);
    FAIL("no exception");
  } catch (const rekognition::ValidationError& e) {
    CHECK(e.field() == "MinConfidence");
  }
  // Options are passed through.
  CHECK_THROWS_AS(ValidateRequest(BytesRequest(test_images::Png(10, 10))),
                  rekognition::ValidationError);
  CHECK_NOTHROW(ValidateRequest(BytesRequest(test_images::Png(10, 10)), ModelOnly()));
}

TEST_CASE("failure kinds name the matching service exceptions", "[validation]") {
  CHECK(std::string(rekognition::ToString(ValidationFailureKind::kInvalidParameter)) ==
        "InvalidParameterException");
  CHECK(std::string(rekognition::ToString(ValidationFailureKind::kInvalidImageFormat)) ==
        "InvalidImageFormatException");
  CHECK(std::string(rekognition::ToString(ValidationFailureKind::kImageTooLarge)) ==
        "ImageTooLargeException");
}

}  // namespace validation_test
