#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <string>

#include "rekognition/errors.hpp"
#include "rekognition/operations/detect_custom_labels.hpp"
#include "temp_dir.hpp"

namespace image_file_test {

namespace {

using rekognition::Image;
using rekognition::kMaxImageBytes;
using rekognition::ValidationError;

// The ValidationError Image::FromFile throws for `path` (fails the test when
// it returns instead).
ValidationError FromFileError(const std::string& path) {
  try {
    Image::FromFile(path);
  } catch (const ValidationError& e) {
    return e;
  }
  FAIL("Image::FromFile(\"" << path << "\") did not throw");
  return ValidationError("", "", "");
}

TEST_CASE("Image::FromFile reads every byte of a regular file") {
  testing_support::TempDir dir;
  const std::string bytes("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff", 17);
  const Image image = Image::FromFile(dir.Write("logo.png", bytes));
  REQUIRE(image.bytes.has_value());
  CHECK(*image.bytes == bytes);
  CHECK_FALSE(image.bytes_view.has_value());
  CHECK_FALSE(image.s3_object.has_value());
  CHECK(Image::FromFile(dir.Write("empty.png", "")).bytes == std::string());
}

TEST_CASE("Image::FromFile reads a file of exactly kMaxImageBytes") {
  testing_support::TempDir dir;
  const std::string path = dir.Write("largest.jpg", "");
  REQUIRE(::truncate(path.c_str(), static_cast<off_t>(kMaxImageBytes)) == 0);
  const Image image = Image::FromFile(path);
  REQUIRE(image.bytes.has_value());
  CHECK(image.bytes->size() == kMaxImageBytes);
}

TEST_CASE("Image::FromFile names the path and the reason when it cannot read") {
  testing_support::TempDir dir;
  SECTION("missing file") {
    const std::string path = dir.path() + "/missing.png";
    const ValidationError e = FromFileError(path);
    CHECK(e.field() == "Image");
    CHECK(e.constraint() == "readable file");
    CHECK(std::string(e.what()) ==
          "ValidationError: Image: cannot read file '" + path + "': No such file or directory");
  }
  SECTION("a path through a regular file") {
    const std::string path = dir.Write("file", "x") + "/child.png";
    CHECK(std::string(FromFileError(path).what()) ==
          "ValidationError: Image: cannot read file '" + path + "': Not a directory");
  }
  SECTION("a directory") {
    const ValidationError e = FromFileError(dir.path());
    CHECK(e.field() == "Image");
    CHECK(std::string(e.what()) ==
          "ValidationError: Image: cannot read file '" + dir.path() + "': not a regular file");
  }
  SECTION("a FIFO is refused without waiting for a writer") {
    const std::string path = dir.path() + "/pipe";
    REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
    CHECK(std::string(FromFileError(path).what()) ==
          "ValidationError: Image: cannot read file '" + path + "': not a regular file");
  }
}

TEST_CASE("Image::FromFile refuses a file larger than kMaxImageBytes, with its size") {
  testing_support::TempDir dir;
  const std::string path = dir.Write("huge.jpg", "");
  REQUIRE(::truncate(path.c_str(), static_cast<off_t>(kMaxImageBytes) + 1) == 0);
  const ValidationError e = FromFileError(path);
  CHECK(e.field() == "Image.Bytes");
  CHECK(e.constraint() == "at most 5242880 bytes");
  CHECK(std::string(e.what()) == "ValidationError: Image.Bytes: file '" + path +
                                     "' has 5242881 bytes, more than the 5242880 bytes the "
                                     "service accepts");
}

}  // namespace

}  // namespace image_file_test
