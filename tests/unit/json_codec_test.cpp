#include <rapidjson/document.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "rekognition/detail/format_double.hpp"
#include "rekognition/detail/utf8.hpp"
#include "rekognition/operations/json_codec.hpp"
#include "test_images.hpp"

namespace json_codec_test {

namespace {

using rekognition::BoundingBox;
using rekognition::CustomLabel;
using rekognition::DetectCustomLabelsRequest;
using rekognition::DetectCustomLabelsResult;
using rekognition::Geometry;
using rekognition::HttpHeaders;
using rekognition::Image;
using rekognition::Point;
using rekognition::detail::ErrorBody;
using rekognition::detail::ParseErrorResponse;
using rekognition::detail::ParseRequest;
using rekognition::detail::ParseResult;
using rekognition::detail::SerializedRequestSize;
using rekognition::detail::SerializeRequest;
using rekognition::detail::SerializeResult;

const char kArn[] =
    "arn:aws:rekognition:us-east-1:111122223333:project/logos/version/logos.1/1714560000000";

std::string Json(double value) {
  char buffer[32];
  return std::string(buffer, rekognition::detail::FormatJsonDouble(value, buffer));
}

bool IsValidJson(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  return !doc.HasParseError();
}

DetectCustomLabelsResult ParsedResult(const std::string& body) {
  DetectCustomLabelsResult result;
  std::string error;
  INFO(body);
  REQUIRE(ParseResult(body, result, error));
  CHECK(error.empty());
  return result;
}

std::string ResultError(const std::string& body) {
  DetectCustomLabelsResult result;
  result.custom_labels.push_back(CustomLabel{"untouched", 1, std::nullopt});
  std::string error;
  CHECK_FALSE(ParseResult(body, result, error));
  // A failed parse leaves the output alone.
  REQUIRE(result.custom_labels.size() == 1);
  CHECK(result.custom_labels[0].name == "untouched");
  return error;
}

std::string RequestError(const std::string& body) {
  DetectCustomLabelsRequest request;
  request.project_version_arn = "untouched";
  std::string error;
  CHECK_FALSE(ParseRequest(body, request, error));
  CHECK(request.project_version_arn == "untouched");
  return error;
}

DetectCustomLabelsRequest ParsedRequest(const std::string& body) {
  DetectCustomLabelsRequest request;
  std::string error;
  INFO(body);
  const bool ok = ParseRequest(body, request, error);
  INFO(error);
  REQUIRE(ok);
  return request;
}

bool AllPrintable(const std::string& s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) == 0x7f) return false;
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------
// Numbers

TEST_CASE("doubles are written exactly as Python's repr writes them", "[json_codec]") {
  // Expected strings are what CPython 3 prints for repr(value).
  const std::pair<double, const char*> cases[] = {
      {0.0, "0.0"},
      {-0.0, "-0.0"},
      {1.0, "1.0"},
      {100.0, "100.0"},
      {99.5, "99.5"},
      {0.1, "0.1"},
      {1.0 / 3, "0.3333333333333333"},
      {2.0 / 3, "0.6666666666666666"},
      {0.0001, "0.0001"},
      {0.00001, "1e-05"},
      {1.5e-7, "1.5e-07"},
      {2.5e-5, "2.5e-05"},
      {9.999999999999999e-05, "9.999999999999999e-05"},
      {0.000123, "0.000123"},
      {1.23e-18, "1.23e-18"},
      {1e15, "1000000000000000.0"},
      {1234567890123456.0, "1234567890123456.0"},
      {1e16, "1e+16"},
      {12345678901234567.0, "1.2345678901234568e+16"},
      {9007199254740992.0, "9007199254740992.0"},
      {1e22, "1e+22"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {87.12345123291016, "87.12345123291016"},
      {0.1 + 0.2, "0.30000000000000004"},
      {123456.789, "123456.789"},
      {-42.0, "-42.0"},
      {0.001, "0.001"},
  };
  for (const auto& [value, expected] : cases) {
    INFO(expected);
    CHECK(Json(value) == expected);
    CHECK(rekognition::detail::PythonDoubleString(value) == expected);
  }
  CHECK(Json(std::nan("")) == "null");
  CHECK(Json(std::numeric_limits<double>::infinity()) == "null");
  CHECK(rekognition::detail::PythonDoubleString(std::numeric_limits<double>::infinity()) == "inf");
  CHECK(rekognition::detail::PythonDoubleString(-std::numeric_limits<double>::infinity()) ==
        "-inf");
  CHECK(rekognition::detail::PythonDoubleString(std::nan("")) == "nan");
}

TEST_CASE("random doubles survive serialize and parse bit for bit", "[json_codec]") {
  std::mt19937_64 rng(99);
  DetectCustomLabelsResult result;
  for (int i = 0; i < 2000; ++i) {
    double value;
    do {
      const std::uint64_t bits = rng();
      std::memcpy(&value, &bits, sizeof value);
    } while (!std::isfinite(value));
    // strtod is the independent judge that the text reads back exactly.
    const std::string text = Json(value);
    INFO(text);
    REQUIRE(std::strtod(text.c_str(), nullptr) == value);
    result.custom_labels.push_back(CustomLabel{"n", value, std::nullopt});
  }
  const DetectCustomLabelsResult parsed = ParsedResult(SerializeResult(result));
  REQUIRE(parsed.custom_labels.size() == result.custom_labels.size());
  for (std::size_t i = 0; i < parsed.custom_labels.size(); ++i) {
    const double a = parsed.custom_labels[i].confidence, b = result.custom_labels[i].confidence;
    REQUIRE(std::memcmp(&a, &b, sizeof a) == 0);
  }
}

// ---------------------------------------------------------------------------
// Requests

TEST_CASE("SerializeRequest writes the awsJson1_1 body", "[json_codec]") {
  DetectCustomLabelsRequest request;
  request.project_version_arn = kArn;
  request.image = Image::FromBytes("foo");
  CHECK(SerializeRequest(request) ==
        std::string("{\"ProjectVersionArn\":\"") + kArn + "\",\"Image\":{\"Bytes\":\"Zm9v\"}}");

  request.image = Image::FromS3("bucket", "dir/a.jpg");
  request.max_results = 5;
  request.min_confidence = 70;
  CHECK(SerializeRequest(request) ==
        std::string("{\"ProjectVersionArn\":\"") + kArn +
            "\",\"Image\":{\"S3Object\":{\"Bucket\":\"bucket\",\"Name\":\"dir/a.jpg\"}},"
            "\"MaxResults\":5,\"MinConfidence\":70.0}");

  request.image = Image::FromS3("bucket", "k", std::string("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"));
  request.max_results.reset();
  request.min_confidence = 0.5;
  CHECK(SerializeRequest(request) ==
        std::string("{\"ProjectVersionArn\":\"") + kArn +
            "\",\"Image\":{\"S3Object\":{\"Bucket\":\"bucket\",\"Name\":\"k\",\"Version\":"
            "\"3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY\"}},\"MinConfidence\":0.5}");
}

TEST_CASE("SerializeRequest escapes strings and always produces valid JSON", "[json_codec]") {
  DetectCustomLabelsRequest request;
  request.project_version_arn = "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f";
  request.image = Image::FromS3("b", std::string("caf\xc3\xa9 \xf0\x9f\x98\x80 \xff\xc3 \0 z", 17));
  const std::string body = SerializeRequest(request);
  CHECK(body.find(R"("ProjectVersionArn":"q\"b\\s/\b\f\n\r\t\u0001\u001f)"
                  "\x7f\"") != std::string::npos);
  // Valid UTF-8 is kept, each invalid byte becomes U+FFFD, NUL is escaped.
  CHECK(body.find("\"Name\":\"caf\xc3\xa9 \xf0\x9f\x98\x80 \\ufffd\\ufffd \\u0000 z\"") !=
        std::string::npos);
  CHECK(IsValidJson(body));
  CHECK(body.size() == SerializedRequestSize(request));
}

TEST_CASE("SerializeRequest reserves the exact size up front", "[json_codec]") {
  std::mt19937 rng(5);
  for (std::size_t image_size : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{1000},
                                 std::size_t{1024 * 1024 + 1}}) {
    std::string image = test_images::PadTo(test_images::Png(100, 100), image_size);
    for (char& c : image) c = static_cast<char>(rng());
    DetectCustomLabelsRequest request;
    request.project_version_arn = kArn;
    request.image = Image::FromBytes(image);
    request.max_results = 1000;
    request.min_confidence = 12.345;
    const std::size_t expected = SerializedRequestSize(request);
    const std::string body = SerializeRequest(request);
    INFO("image size " << image_size);
    CHECK(body.size() == expected);
    CHECK(IsValidJson(body));
    if (image_size > 1000) {
      // No growth beyond the reservation (a regrowth would at least double it).
      CHECK(body.capacity() < body.size() + 64);
    }
  }
}

TEST_CASE("requests round-trip through SerializeRequest and ParseRequest", "[json_codec]") {
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes += static_cast<char>(i);
  DetectCustomLabelsRequest requests[5];
  requests[0].project_version_arn = kArn;
  requests[0].image = Image::FromBytes(test_images::Jpeg(640, 480) + all_bytes);
  requests[1].project_version_arn = kArn;
  requests[1].image = Image::FromS3("bucket", "caf\xc3\xa9/\"quoted\"\n.png", std::string("v1"));
  requests[1].max_results = 0;
  requests[1].min_confidence = 0.1;
  requests[2].project_version_arn = kArn;
  requests[2].image = Image::FromBytes("x");
  requests[2].max_results = 9007199254740993;  // beyond double precision
  requests[2].min_confidence = 100.0 / 3;
  requests[3].project_version_arn = "";
  requests[3].image = Image{};
  requests[3].max_results = -5;
  requests[4].project_version_arn = kArn;
  requests[4].image = Image::FromS3("b", "k");
  requests[4].min_confidence = 5e-324;
  for (const DetectCustomLabelsRequest& request : requests) {
    const std::string body = SerializeRequest(request);
    CHECK(IsValidJson(body));
    CHECK(ParsedRequest(body) == request);
  }
}

TEST_CASE("ParseRequest treats null as absent and ignores unknown members", "[json_codec]") {
  const DetectCustomLabelsRequest request = ParsedRequest(
      R"({"ProjectVersionArn":"arn","Extra":{"deep":[1,2,{"x":null}]},"MaxResults":null,)"
      R"("MinConfidence":null,"Image":{"Bytes":null,"S3Object":{"Bucket":"b","Name":"n",)"
      R"("Version":null,"Other":1}}})");
  CHECK(request.project_version_arn == "arn");
  CHECK_FALSE(request.max_results.has_value());
  CHECK_FALSE(request.min_confidence.has_value());
  CHECK_FALSE(request.image.bytes.has_value());
  REQUIRE(request.image.s3_object.has_value());
  CHECK(request.image.s3_object->bucket == "b");
  CHECK(request.image.s3_object->name == "n");
  CHECK_FALSE(request.image.s3_object->version.has_value());

  const DetectCustomLabelsRequest empty = ParsedRequest("{}");
  CHECK(empty.project_version_arn.empty());
  CHECK_FALSE(empty.image.bytes.has_value());
  CHECK_FALSE(empty.image.s3_object.has_value());
  CHECK(ParsedRequest(R"({"MaxResults":7,"MinConfidence":50})").min_confidence == 50.0);
  CHECK(ParsedRequest(R"({"MaxResults":7,"MinConfidence":50})").max_results == 7);
  CHECK(ParsedRequest(" {\"Image\":{\"Bytes\":\"\"}}\n").image.bytes == std::string());
}

TEST_CASE("ParseRequest is strict about types and syntax", "[json_codec]") {
  CHECK(RequestError("").find("invalid JSON") != std::string::npos);
  CHECK(RequestError("{").find("invalid JSON") != std::string::npos);
  CHECK(RequestError("{} x").find("invalid JSON") != std::string::npos);
  CHECK(RequestError(std::string("{}\0{}", 5)).find("NUL") != std::string::npos);
  CHECK(RequestError("[]") == "request body: expected an object, got an array");
  CHECK(RequestError(R"({"ProjectVersionArn":5})") ==
        "ProjectVersionArn: expected a string, got a number");
  CHECK(RequestError(R"({"Image":"abc"})") == "Image: expected an object, got a string");
  CHECK(RequestError(R"({"Image":{"Bytes":true}})") ==
        "Image.Bytes: expected a string, got a boolean");
  CHECK(RequestError(R"({"Image":{"Bytes":"Zm9v!"}})").find("Image.Bytes: not valid base64") == 0);
  CHECK(RequestError(R"({"Image":{"Bytes":"Zm9v\n"}})").find("not valid base64") !=
        std::string::npos);
  CHECK(RequestError(R"({"Image":{"S3Object":[]}})") ==
        "Image.S3Object: expected an object, got an array");
  CHECK(RequestError(R"({"Image":{"S3Object":{"Bucket":1}}})") ==
        "Image.S3Object.Bucket: expected a string, got a number");
  CHECK(RequestError(R"({"Image":{"S3Object":{"Name":{}}}})") ==
        "Image.S3Object.Name: expected a string, got an object");
  CHECK(RequestError(R"({"Image":{"S3Object":{"Version":false}}})") ==
        "Image.S3Object.Version: expected a string, got a boolean");
  CHECK(RequestError(R"({"MaxResults":5.5})") == "MaxResults: expected an integer, got a number");
  CHECK(RequestError(R"({"MaxResults":5.0})") == "MaxResults: expected an integer, got a number");
  CHECK(RequestError(R"({"MaxResults":"5"})") == "MaxResults: expected an integer, got a string");
  CHECK(RequestError(R"({"MaxResults":18446744073709551615})") ==
        "MaxResults: integer out of range");
  CHECK(RequestError(R"({"MinConfidence":"70"})") ==
        "MinConfidence: expected a number, got a string");
  CHECK(RequestError(R"({"MinConfidence":1e999})").find("invalid JSON") != std::string::npos);
  CHECK(RequestError("{\"ProjectVersionArn\":\"\xff\"}").find("invalid JSON") != std::string::npos);
}

// ---------------------------------------------------------------------------
// Results

TEST_CASE("SerializeResult writes the service's response shape", "[json_codec]") {
  DetectCustomLabelsResult result;
  CHECK(SerializeResult(result) == R"({"CustomLabels":[]})");

  result.custom_labels.push_back(CustomLabel{"Logo", 98.5, std::nullopt});
  Geometry geometry;
  geometry.bounding_box = BoundingBox{0.25, 0.5, 0.125, 1e-05};
  geometry.polygon = {Point{0.1, 0.2}, Point{0.30000000000000004, 1.0}};
  result.custom_labels.push_back(CustomLabel{"Cap \"red\"", 87.12345123291016, geometry});
  Geometry box_only;
  box_only.bounding_box = BoundingBox{1, 1, 0, 0};
  result.custom_labels.push_back(CustomLabel{"Box", 50, box_only});
  Geometry polygon_only;
  polygon_only.polygon = {Point{0, 0}};
  result.custom_labels.push_back(CustomLabel{"Poly", 0, polygon_only});
  result.custom_labels.push_back(CustomLabel{"Empty", 1, Geometry{}});
  result.request_id = "not in the body";

  CHECK(SerializeResult(result) ==
        R"({"CustomLabels":[)"
        R"({"Name":"Logo","Confidence":98.5},)"
        R"({"Name":"Cap \"red\"","Confidence":87.12345123291016,"Geometry":{"BoundingBox":)"
        R"({"Width":0.25,"Height":0.5,"Left":0.125,"Top":1e-05},"Polygon":[{"X":0.1,"Y":0.2},)"
        R"({"X":0.30000000000000004,"Y":1.0}]}},)"
        R"({"Name":"Box","Confidence":50.0,"Geometry":{"BoundingBox":)"
        R"({"Width":1.0,"Height":1.0,"Left":0.0,"Top":0.0}}},)"
        R"({"Name":"Poly","Confidence":0.0,"Geometry":{"Polygon":[{"X":0.0,"Y":0.0}]}},)"
        R"({"Name":"Empty","Confidence":1.0,"Geometry":{}}]})");

  const DetectCustomLabelsResult parsed = ParsedResult(SerializeResult(result));
  REQUIRE(parsed.custom_labels.size() == result.custom_labels.size());
  for (std::size_t i = 0; i < parsed.custom_labels.size(); ++i)
    CHECK(parsed.custom_labels[i] == result.custom_labels[i]);
}

TEST_CASE("ParseResult reads a service response", "[json_codec]") {
  const auto result = ParsedResult(R"({
    "CustomLabels": [
      {"Name": "Logo", "Confidence": 93.10199737548828,
       "Geometry": {"BoundingBox": {"Width": 0.1406, "Height": 0.2211, "Left": 0.3125, "Top": 0.4},
                    "Polygon": [{"X": 0.3125, "Y": 0.4}, {"X": 0.4531, "Y": 0.4},
                                {"X": 0.4531, "Y": 0.6211}]}},
      {"Name": "Shelf", "Confidence": 61}
    ]
  })");
  REQUIRE(result.custom_labels.size() == 2);
  const CustomLabel& logo = result.custom_labels[0];
  CHECK(logo.name == "Logo");
  CHECK(logo.confidence == 93.10199737548828);
  REQUIRE(logo.geometry.has_value());
  REQUIRE(logo.geometry->bounding_box.has_value());
  CHECK(logo.geometry->bounding_box->width == 0.1406);
  CHECK(logo.geometry->bounding_box->height == 0.2211);
  CHECK(logo.geometry->bounding_box->left == 0.3125);
  CHECK(logo.geometry->bounding_box->top == 0.4);
  REQUIRE(logo.geometry->polygon.size() == 3);
  CHECK(logo.geometry->polygon[2] == Point{0.4531, 0.6211});
  CHECK(result.custom_labels[1].name == "Shelf");
  CHECK(result.custom_labels[1].confidence == 61.0);
  CHECK_FALSE(result.custom_labels[1].geometry.has_value());
}

TEST_CASE("ParseResult ignores unknown members and treats null as absent", "[json_codec]") {
  const auto result = ParsedResult(
      R"({"ResponseMetadata":{"a":[[[{}]]]},"CustomLabels":[null,)"
      R"({"Name":"A","Confidence":null,"Unknown":[1,"x",{"y":null}],"Geometry":null},)"
      R"({"Name":null,"Confidence":5,"Geometry":{"BoundingBox":null,"Polygon":null,"Extra":1}},)"
      R"({"Name":"B","Geometry":{"BoundingBox":{"Width":null,"Left":0.5,"Depth":9},)"
      R"("Polygon":[null,{"X":0.5,"Y":null,"Z":1}]}}],"NextToken":"abc"})");
  REQUIRE(result.custom_labels.size() == 3);
  CHECK(result.custom_labels[0].name == "A");
  CHECK(result.custom_labels[0].confidence == 0);
  CHECK_FALSE(result.custom_labels[0].geometry.has_value());
  CHECK(result.custom_labels[1].name.empty());
  REQUIRE(result.custom_labels[1].geometry.has_value());
  CHECK_FALSE(result.custom_labels[1].geometry->bounding_box.has_value());
  CHECK(result.custom_labels[1].geometry->polygon.empty());
  const auto& b = result.custom_labels[2];
  REQUIRE(b.geometry.has_value());
  REQUIRE(b.geometry->bounding_box.has_value());
  CHECK(*b.geometry->bounding_box == BoundingBox{0, 0, 0.5, 0});
  REQUIRE(b.geometry->polygon.size() == 1);
  CHECK(b.geometry->polygon[0] == Point{0.5, 0});

  CHECK(ParsedResult("{}").custom_labels.empty());
  CHECK(ParsedResult(R"({"CustomLabels":null})").custom_labels.empty());
  CHECK(ParsedResult("null").custom_labels.empty());
}

TEST_CASE("ParseResult treats an empty body as an empty result", "[json_codec]") {
  DetectCustomLabelsResult result;
  result.custom_labels.push_back(CustomLabel{"stale", 1, std::nullopt});
  std::string error;
  CHECK(ParseResult("", result, error));
  CHECK(result.custom_labels.empty());
  result.custom_labels.push_back(CustomLabel{"stale", 1, std::nullopt});
  CHECK(ParseResult(" \r\n\t", result, error));
  CHECK(result.custom_labels.empty());
}

TEST_CASE("ParseResult names the member path of a wrong type", "[json_codec]") {
  CHECK(ResultError("[]") == "response body: expected an object, got an array");
  CHECK(ResultError("\"x\"") == "response body: expected an object, got a string");
  CHECK(ResultError(R"({"CustomLabels":{}})") == "CustomLabels: expected an array, got an object");
  CHECK(ResultError(R"({"CustomLabels":[{},5]})") ==
        "CustomLabels[1]: expected an object, got a number");
  CHECK(ResultError(R"({"CustomLabels":[{"Name":1}]})") ==
        "CustomLabels[0].Name: expected a string, got a number");
  CHECK(ResultError(R"({"CustomLabels":[{"Confidence":"99"}]})") ==
        "CustomLabels[0].Confidence: expected a number, got a string");
  CHECK(ResultError(R"({"CustomLabels":[{"Geometry":[]}]})") ==
        "CustomLabels[0].Geometry: expected an object, got an array");
  CHECK(ResultError(R"({"CustomLabels":[{},{},{"Geometry":{"BoundingBox":"x"}}]})") ==
        "CustomLabels[2].Geometry.BoundingBox: expected an object, got a string");
  CHECK(ResultError(R"({"CustomLabels":[{"Geometry":{"BoundingBox":{"Width":"x"}}}]})") ==
        "CustomLabels[0].Geometry.BoundingBox.Width: expected a number, got a string");
  CHECK(ResultError(R"({"CustomLabels":[{"Geometry":{"BoundingBox":{"Top":true}}}]})") ==
        "CustomLabels[0].Geometry.BoundingBox.Top: expected a number, got a boolean");
  CHECK(ResultError(R"({"CustomLabels":[{"Geometry":{"Polygon":{}}}]})") ==
        "CustomLabels[0].Geometry.Polygon: expected an array, got an object");
  CHECK(ResultError(R"({"CustomLabels":[{"Geometry":{"Polygon":[{},7]}}]})") ==
        "CustomLabels[0].Geometry.Polygon[1]: expected an object, got a number");
  CHECK(ResultError(R"({"CustomLabels":[{"Geometry":{"Polygon":[{"X":[]}]}}]})") ==
        "CustomLabels[0].Geometry.Polygon[0].X: expected a number, got an array");
}

TEST_CASE("ParseResult keeps the last CustomLabels array, each vector sized exactly",
          "[json_codec]") {
  const auto result = ParsedResult(
      R"({"CustomLabels":[{"Name":"a"},{"Name":"b"}],"CustomLabels":null,)"
      R"("CustomLabels":[{},{"Name":"c","Geometry":{"Polygon":[{"X":1},null,{"Y":2},{}]}}]})");
  REQUIRE(result.custom_labels.size() == 1);
  CHECK(result.custom_labels.capacity() == 1);
  CHECK(result.custom_labels[0].name == "c");
  const auto& polygon = result.custom_labels[0].geometry->polygon;
  REQUIRE(polygon.size() == 3);
  CHECK(polygon.capacity() == 3);
  CHECK(polygon[0] == Point{1, 0});
  CHECK(polygon[1] == Point{0, 2});
  // Duplicate members: the last one counts.
  const auto last = ParsedResult(
      R"({"CustomLabels":[{"Name":"x","Name":"y","Geometry":{"BoundingBox":{"Width":1},)"
      R"("BoundingBox":{"Top":2},"Polygon":[{}],"Polygon":[]}}]})");
  REQUIRE(last.custom_labels.size() == 1);
  CHECK(last.custom_labels[0].name == "y");
  CHECK(*last.custom_labels[0].geometry->bounding_box == BoundingBox{0, 0, 0, 2});
  CHECK(last.custom_labels[0].geometry->polygon.empty());
}

TEST_CASE("ParseResult reports invalid JSON before a member of a wrong type", "[json_codec]") {
  CHECK(ResultError(R"({"CustomLabels":[{"Name":1}],})").find("invalid JSON at offset") == 0);
  CHECK(ResultError(R"({"CustomLabels":[{"Name":1}]} x)").find("invalid JSON at offset") == 0);
  CHECK(ResultError(R"([1,)").find("invalid JSON at offset") == 0);
  CHECK(ResultError(R"({"CustomLabels":[{"Name":1}],"x":)" + std::string(200, '['))
            .find("nested deeper than") != std::string::npos);
  // The first wrong member is the one named.
  CHECK(ResultError(R"({"CustomLabels":[{"Name":"a","Confidence":"b"},{"Name":2}]})") ==
        "CustomLabels[0].Confidence: expected a number, got a string");
}

TEST_CASE("ParseLabelJson reads one label of a document, as ParseResult does", "[json_codec]") {
  rapidjson::Document doc;
  std::string error;
  REQUIRE(rekognition::detail::ParseJsonDocument(
      R"({"Name":"Logo","Confidence":12.5,"Other":[{}],)"
      R"("Geometry":{"BoundingBox":{"Width":0.5},"Polygon":[{"X":0.25,"Y":1}]}})",
      doc, error));
  CustomLabel label;
  REQUIRE(rekognition::detail::ParseLabelJson(doc, "Images[0].CustomLabels[3]", label, error));
  CHECK(label.name == "Logo");
  CHECK(label.confidence == 12.5);
  CHECK(*label.geometry->bounding_box == BoundingBox{0.5, 0, 0, 0});
  REQUIRE(label.geometry->polygon.size() == 1);
  CHECK(label.geometry->polygon[0] == Point{0.25, 1});

  REQUIRE(rekognition::detail::ParseJsonDocument(
      R"({"Name":"Logo","Geometry":{"Polygon":[{"X":"1"}]}})", doc, error));
  CHECK_FALSE(rekognition::detail::ParseLabelJson(doc, "Images[0].CustomLabels[3]", label, error));
  CHECK(error ==
        "Images[0].CustomLabels[3].Geometry.Polygon[0].X: expected a number, got a string");
  REQUIRE(rekognition::detail::ParseJsonDocument("null", doc, error));
  CHECK_FALSE(rekognition::detail::ParseLabelJson(doc, "L", label, error));
  CHECK(error == "L: expected an object, got null");
}

TEST_CASE("ParseResult rejects malformed JSON with the offset", "[json_codec]") {
  CHECK(ResultError(R"({"CustomLabels":[)").find("invalid JSON at offset 17") == 0);
  CHECK(ResultError(R"({"CustomLabels":[]} {})").find("invalid JSON") == 0);
  CHECK(ResultError(R"({'CustomLabels':[]})").find("invalid JSON") == 0);
  CHECK(ResultError(R"({"CustomLabels":[],})").find("invalid JSON") == 0);
  CHECK(ResultError("{\"CustomLabels\":[{\"Name\":\"\xc3\x28\"}]}").find("invalid JSON") == 0);
  CHECK(ResultError("\xef\xbb\xbf{}").find("invalid JSON") == 0);
  CHECK(ResultError(std::string("{}\0", 3)).find("NUL") != std::string::npos);
  CHECK(ResultError("NaN").find("invalid JSON") == 0);
  CHECK(ResultError(R"({"CustomLabels":[{"Confidence":NaN}]})").find("invalid JSON") == 0);
}

TEST_CASE("ParseResult survives deep nesting without recursion", "[json_codec]") {
  const std::string open(200000, '[');
  CHECK_FALSE(ResultError(open).empty());
  CHECK(ResultError(open + std::string(200000, ']')).find("nested deeper than") !=
        std::string::npos);
  CHECK_FALSE(ResultError(std::string(200000, '{')).empty());
  CHECK(ResultError(R"({"CustomLabels":[],"x":)" + open).find("nested deeper than") !=
        std::string::npos);
  // 128 levels are fine, 129 are not.
  const auto nested = [](int depth) {
    return R"({"Unknown":)" + std::string(static_cast<std::size_t>(depth - 1), '[') +
           std::string(static_cast<std::size_t>(depth - 1), ']') + "}";
  };
  CHECK(ParsedResult(nested(128)).custom_labels.empty());
  CHECK(ResultError(nested(129)).find("nested deeper than 128") != std::string::npos);
}

TEST_CASE("ParseResult caps the body size", "[json_codec]") {
  std::string huge = R"({"CustomLabels":[],"pad":")";
  huge += std::string(rekognition::detail::kMaxJsonBodySize, 'a');
  huge += "\"}";
  CHECK(ResultError(huge).find("body too large") == 0);
}

// ---------------------------------------------------------------------------
// Error responses

TEST_CASE("error code from JSON __type, sanitised", "[json_codec][errors]") {
  ErrorBody e = ParseErrorResponse(
      400, {},
      R"({"__type":"com.amazon.coral.service#ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.service/","message":"Rate exceeded"})");
  CHECK(e.code == "ThrottlingException");
  CHECK(e.message == "Rate exceeded");

  e = ParseErrorResponse(400, {},
                         R"({"__type":"InvalidSignatureException","Message":"Signature expired"})");
  CHECK(e.code == "InvalidSignatureException");
  CHECK(e.message == "Signature expired");

  e = ParseErrorResponse(400, {}, R"({"__type":"aws.protocoltests.restjson#FooError:http://x/y"})");
  CHECK(e.code == "FooError");
  CHECK(e.message == R"({"__type":"aws.protocoltests.restjson#FooError:http://x/y"})");

  // __type wins over the header; "message" wins over "Message".
  e = ParseErrorResponse(
      400, {{"x-amzn-ErrorType", "HeaderCode"}},
      R"({"Message":"second","__type":"ResourceNotReadyException","message":"first"})");
  CHECK(e.code == "ResourceNotReadyException");
  CHECK(e.message == "first");
}

TEST_CASE("error code from the x-amzn-ErrorType header", "[json_codec][errors]") {
  ErrorBody e = ParseErrorResponse(
      400,
      {{"Content-Type", "application/x-amz-json-1.1"},
       {"X-Amzn-ErrorType",
        "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.rekognition/"}},
      R"({"message":"The resource does not exist"})");
  CHECK(e.code == "ResourceNotFoundException");
  CHECK(e.message == "The resource does not exist");
  // An empty or non-string __type does not count.
  e = ParseErrorResponse(400, {{"x-amzn-errortype", "AccessDeniedException"}},
                         R"({"__type":"","message":"m"})");
  CHECK(e.code == "AccessDeniedException");
  e = ParseErrorResponse(400, {{"x-amzn-errortype", "AccessDeniedException"}},
                         R"({"__type":42,"message":"m"})");
  CHECK(e.code == "AccessDeniedException");
}

TEST_CASE("error code from a JSON code or Code member", "[json_codec][errors]") {
  ErrorBody e = ParseErrorResponse(403, {}, R"({"code":"AccessDeniedException","message":"no"})");
  CHECK(e.code == "AccessDeniedException");
  CHECK(e.message == "no");
  e = ParseErrorResponse(400, {}, R"({"Code":"ValidationException","Message":"bad"})");
  CHECK(e.code == "ValidationException");
  CHECK(e.message == "bad");
  // The header comes before a body code.
  e = ParseErrorResponse(400, {{"x-amzn-ErrorType", "FromHeader"}}, R"({"code":"FromBody"})");
  CHECK(e.code == "FromHeader");
}

TEST_CASE("error code and message from XML bodies", "[json_codec][errors]") {
  ErrorBody e = ParseErrorResponse(
      403, {{"Content-Type", "text/xml"}},
      "<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>The "
      "request signature we calculated does not match the signature you provided. Check your AWS "
      "Secret Access Key &amp; signing method.</Message></Error><RequestId>7a62c49f-347e-4fc4-9331-"
      "6e8eEXAMPLE</RequestId></ErrorResponse>");
  CHECK(e.code == "SignatureDoesNotMatch");
  CHECK(e.message ==
        "The request signature we calculated does not match the signature you provided. Check "
        "your AWS Secret Access Key & signing method.");

  e = ParseErrorResponse(403, {},
                         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>AccessDenied"
                         "</Code>\n  <Message>Access &lt;Denied&gt; &quot;x&quot; &apos;y&apos; "
                         "&#65;&#x42; &unknown;</Message>\n</Error>");
  CHECK(e.code == "AccessDenied");
  CHECK(e.message == "Access <Denied> \"x\" 'y' AB &unknown;");

  // Attributes, whitespace and look-alike element names.
  e = ParseErrorResponse(400, {},
                         "<Response><CodeName>no</CodeName><Code xmlns=\"x\"> ns#Throttling:u "
                         "</Code></Response>");
  CHECK(e.code == "Throttling");
  // Content-Type says JSON, the body is XML: the body decides.
  e = ParseErrorResponse(400, {{"Content-Type", "application/x-amz-json-1.1"}},
                         "<Error><Code>Foo</Code></Error>");
  CHECK(e.code == "Foo");
  CHECK(e.message == "<Error><Code>Foo</Code></Error>");
}

TEST_CASE("error code falls back to the HTTP status", "[json_codec][errors]") {
  const std::string html =
      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
      "Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
  ErrorBody e = ParseErrorResponse(502, {{"Content-Type", "text/html"}}, html);
  // A proxy's HTML 5xx: status and reason phrase, as botocore reports it.
  CHECK(e.code == "502");
  CHECK(e.message == "Bad Gateway");
  e = ParseErrorResponse(503, {{"x-amzn-ErrorType", "ServiceUnavailableException"}},
                         "<html>busy</html>");
  CHECK(e.code == "503");
  CHECK(e.message == "Service Unavailable");
  // A 5xx with a real error body is parsed as usual.
  e = ParseErrorResponse(503, {}, R"({"__type":"ServiceUnavailableException","message":"busy"})");
  CHECK(e.code == "ServiceUnavailableException");
  CHECK(e.message == "busy");
  // A 4xx HTML body keeps a printable excerpt.
  e = ParseErrorResponse(403, {}, html);
  CHECK(e.code == "403");
  CHECK(e.message.find("502 Bad Gateway") != std::string::npos);
  CHECK(e.message.find('\n') == std::string::npos);
  CHECK(AllPrintable(e.message));

  e = ParseErrorResponse(503, {}, "");
  CHECK(e.code == "503");
  CHECK(e.message == "Service Unavailable");
  e = ParseErrorResponse(599, {}, "");
  CHECK(e.code == "599");
  CHECK(e.message.empty());
  e = ParseErrorResponse(500, {}, "  \n ");
  CHECK(e.message == "Internal Server Error");

  // Truncated JSON and XML bodies still give a code and an excerpt.
  e = ParseErrorResponse(400, {}, R"({"__type":"ThrottlingException","mess)");
  CHECK(e.code == "400");
  CHECK(e.message == R"({"__type":"ThrottlingException","mess)");
  e = ParseErrorResponse(400, {}, "<Error><Code>Thrott");
  CHECK(e.code == "400");
  e = ParseErrorResponse(400, {}, "<Error><Code");
  CHECK(e.code == "400");
  e = ParseErrorResponse(400, {}, "<Error><Code/><Message/></Error>");
  CHECK(e.code == "400");
  CHECK(e.message == "<Error><Code/><Message/></Error>");
}

TEST_CASE("error parsing never fails on hostile bodies", "[json_codec][errors]") {
  std::mt19937 rng(31337);
  for (int round = 0; round < 200; ++round) {
    std::string garbage(static_cast<std::size_t>(rng() % 600), '\0');
    for (char& c : garbage) c = static_cast<char>(rng());
    if (round % 3 == 0) garbage = "<Code>" + garbage;
    if (round % 3 == 1) garbage = "{\"__type\":\"" + garbage;
    const ErrorBody e = ParseErrorResponse(500, {}, garbage);
    CHECK_FALSE(e.code.empty());
    CHECK(AllPrintable(e.code));
    CHECK(AllPrintable(e.message));
    CHECK(e.message.size() <= 203);
  }
  // The code is reduced to printable characters.
  ErrorBody e = ParseErrorResponse(400, {}, std::string("<Code>Bad\x01\xff\nCode</Code>"));
  CHECK(e.code == "Bad???Code");

  const std::string huge(3 * 1024 * 1024, 'a');
  e = ParseErrorResponse(500, {}, huge);
  CHECK(e.code == "500");
  CHECK(e.message == std::string(200, 'a') + "...");
  e = ParseErrorResponse(500, {}, "{\"message\":\"" + huge + "\"}");
  CHECK(e.code == "500");
  CHECK(e.message.size() <= 203);

  e = ParseErrorResponse(400, {}, "{\"x\":" + std::string(200000, '[') + "}");
  CHECK(e.code == "400");
  e = ParseErrorResponse(400, {{"x-amzn-ErrorType", "Throttling"}},
                         "{\"message\":" + std::string(200000, '['));
  CHECK(e.code == "Throttling");

  // A message with control characters and a multi-byte character cut safely.
  e = ParseErrorResponse(400, {}, "{\"message\":\"line1\\nline2\\u0000end \\u00e9\"}");
  CHECK(e.message == "line1 line2 end \xc3\xa9");
  e = ParseErrorResponse(500, {}, std::string(199, 'x') + "\xc3\xa9");
  CHECK(e.message == std::string(199, 'x') + "...");
}

TEST_CASE("numbers with very many digits parse safely and correctly rounded", "[json]") {
  using rekognition::DetectCustomLabelsResult;
  // A fraction with hundreds of zeros once read out of bounds in RapidJSON's
  // full-precision strtod; numbers are now converted with std::from_chars.
  const std::string tiny = "0." + std::string(400, '0') + "1";
  const std::string body = R"({"Unknown":)" + tiny +
                           R"(,"CustomLabels":[{"Name":"a","Confidence":)" + "98.5" +
                           std::string(300, '0') + R"(}]})";
  DetectCustomLabelsResult result;
  std::string error;
  REQUIRE(rekognition::detail::ParseResult(body, result, error));
  REQUIRE(result.custom_labels.size() == 1);
  CHECK(result.custom_labels[0].confidence == 98.5);
  CHECK(rekognition::detail::ParseResult(R"({"CustomLabels":[{"Name":"a","Confidence":1e-400}]})",
                                         result, error));
  CHECK(result.custom_labels[0].confidence == 0.0);
  CHECK_FALSE(rekognition::detail::ParseResult(
      R"({"CustomLabels":[{"Name":"a","Confidence":1e400}]})", result, error));
  CHECK(rekognition::detail::ParseResult(R"({"CustomLabels":[{"Name":"a","Confidence":0.1}]})",
                                         result, error));
  CHECK(result.custom_labels[0].confidence == 0.1);
  CHECK(rekognition::detail::ParseResult(
      R"({"CustomLabels":[{"Name":"a","Confidence":77.7729721069336}]})", result, error));
  CHECK(result.custom_labels[0].confidence == 77.7729721069336);
}

TEST_CASE("a \\u escape of a lone surrogate is refused; pairs are fine", "[json]") {
  rekognition::DetectCustomLabelsResult result;
  std::string error;
  CHECK_FALSE(rekognition::detail::ParseResult(
      R"({"CustomLabels":[{"Name":"a\uDFFFb","Confidence":1}]})", result, error));
  CHECK(error.find("surrogate") != std::string::npos);
  CHECK_FALSE(rekognition::detail::ParseResult(
      R"({"CustomLabels":[{"Name":"\uD800","Confidence":1}]})", result, error));
  REQUIRE(rekognition::detail::ParseResult(
      R"({"CustomLabels":[{"Name":"\uD83D\uDE00","Confidence":1}]})", result, error));
  CHECK(result.custom_labels.at(0).name == "\xF0\x9F\x98\x80");
  rekognition::DetectCustomLabelsRequest request;
  CHECK_FALSE(rekognition::detail::ParseRequest(
      R"({"ProjectVersionArn":"arn\uDFFF","Image":{"S3Object":{"Bucket":"b","Name":"k"}}})",
      request, error));
}

TEST_CASE("raw bytes that are not UTF-8 are refused in every string and key, where they sit",
          "[json]") {
  // Strings are checked 8 bytes at a time while they are ASCII: a bad
  // sequence is put at each offset of a word and in the tail.
  const std::string ascii(21, 'x');
  for (const std::string& bad :
       {std::string("\xC3\x28"), std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
        std::string("\xF4\x90\x80\x80"), std::string("\xFF"), std::string("\x80"),
        std::string("\xE2\x82")}) {
    for (std::size_t at = 0; at <= ascii.size(); ++at) {
      const std::string text = ascii.substr(0, at) + bad + ascii.substr(at);
      CAPTURE(at, text.size());
      CHECK_FALSE(rekognition::detail::IsValidUtf8(text));
      rekognition::DetectCustomLabelsResult result;
      std::string error;
      CHECK_FALSE(rekognition::detail::ParseResult(
          R"({"CustomLabels":[{"Name":")" + text + R"(","Confidence":1}]})", result, error));
      CHECK(error.find("not UTF-8") != std::string::npos);
      CHECK_FALSE(rekognition::detail::ParseResult(
          R"({"CustomLabels":[{")" + text + R"(":1,"Name":"a","Confidence":1}]})", result, error));
      CHECK(error.find("invalid JSON") == 0);
    }
  }
  // Valid sequences of every length pass, at any offset.
  for (const std::string& good :
       {std::string("\xC3\xA9"), std::string("\xE2\x82\xAC"), std::string("\xED\x9F\xBF"),
        std::string("\xF0\x9F\x98\x80"), std::string("\xF4\x8F\xBF\xBF")}) {
    for (std::size_t at = 0; at <= ascii.size(); ++at) {
      const std::string text = ascii.substr(0, at) + good + ascii.substr(at);
      CAPTURE(at);
      CHECK(rekognition::detail::IsValidUtf8(text));
      rekognition::DetectCustomLabelsResult result;
      std::string error;
      REQUIRE(rekognition::detail::ParseResult(
          R"({"CustomLabels":[{"Name":")" + text + R"(","Confidence":1}]})", result, error));
      CHECK(result.custom_labels.at(0).name == text);
    }
  }
  CHECK(rekognition::detail::IsValidUtf8(""));
}

TEST_CASE("ParseResult drops label objects that carry nothing, so memory follows the body",
          "[json_codec][limits]") {
  const auto result = ParsedResult(
      R"({"CustomLabels":[{},{"Unknown":1},{"Name":null},{"Name":"a","Confidence":5},{}]})");
  REQUIRE(result.custom_labels.size() == 1);
  CHECK(result.custom_labels[0].name == "a");
  CHECK(ParsedResult(R"({"CustomLabels":[{"Confidence":0}]})").custom_labels.size() == 1);
  CHECK(ParsedResult(R"({"CustomLabels":[{"Geometry":{}}]})").custom_labels.size() == 1);
  // A million empty labels (3 MB) yield no result to hold, and no capacity
  // reserved for them.
  std::string body = R"({"CustomLabels":[{})";
  for (int i = 1; i < 1000000; ++i) body += ",{}";
  body += "]}";
  const auto many = ParsedResult(body);
  CHECK(many.custom_labels.empty());
  CHECK(many.custom_labels.capacity() == 0);
}

}  // namespace json_codec_test
