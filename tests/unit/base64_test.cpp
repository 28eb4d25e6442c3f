#include <openssl/evp.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "rekognition/detail/base64.hpp"

namespace base64_test {

namespace {

using rekognition::detail::Base64Decode;
using rekognition::detail::Base64Encode;
using rekognition::detail::Base64EncodeAppend;
using rekognition::detail::Base64EncodedLength;

std::string OpenSslEncode(const std::string& in) {
  std::vector<unsigned char> out(Base64EncodedLength(in.size()) + 1);
  const int n = EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(in.data()),
                                static_cast<int>(in.size()));
  return std::string(reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(n));
}

std::string RandomBytes(std::mt19937& rng, std::size_t n) {
  std::uniform_int_distribution<int> byte(0, 255);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(byte(rng));
  return out;
}

std::string Decoded(std::string_view in) {
  std::string out;
  REQUIRE(Base64Decode(in, out));
  return out;
}

bool Rejects(std::string_view in) {
  std::string out;
  return !Base64Decode(in, out);
}

}  // namespace

TEST_CASE("base64 encodes the RFC 4648 test vectors", "[base64]") {
  CHECK(Base64Encode("") == "");
  CHECK(Base64Encode("f") == "Zg==");
  CHECK(Base64Encode("fo") == "Zm8=");
  CHECK(Base64Encode("foo") == "Zm9v");
  CHECK(Base64Encode("foob") == "Zm9vYg==");
  CHECK(Base64Encode("fooba") == "Zm9vYmE=");
  CHECK(Base64Encode("foobar") == "Zm9vYmFy");
  CHECK(Base64Encode(std::string("\xff\xfe\xfd\x00\x3e\x3f", 6)) == "//79AD4/");
}

TEST_CASE("base64 encoded length is exact", "[base64]") {
  CHECK(Base64EncodedLength(0) == 0);
  CHECK(Base64EncodedLength(1) == 4);
  CHECK(Base64EncodedLength(2) == 4);
  CHECK(Base64EncodedLength(3) == 4);
  CHECK(Base64EncodedLength(4) == 8);
  CHECK(Base64EncodedLength(5242880) == 6990508);
  static_assert(Base64EncodedLength(6) == 8, "usable in constant expressions");
}

TEST_CASE("base64 append writes after existing content without reallocating", "[base64]") {
  std::string out = "{\"Bytes\":\"";
  const std::string data(3000, 'x');
  out.reserve(out.size() + Base64EncodedLength(data.size()) + 2);
  const char* buffer = out.data();
  Base64EncodeAppend(out, data);
  out += "\"}";
  CHECK(out.data() == buffer);
  CHECK(out.substr(0, 10) == "{\"Bytes\":\"");
  CHECK(out.substr(10, 4) == "eHh4");
  CHECK(out.size() == 10 + 4000 + 2);
  CHECK(out.substr(out.size() - 2) == "\"}");
}

TEST_CASE("base64 matches OpenSSL for every length up to 300 and for 1 MB", "[base64]") {
  std::mt19937 rng(12345);
  for (std::size_t n = 0; n <= 300; ++n) {
    const std::string data = RandomBytes(rng, n);
    INFO("length " << n);
    const std::string encoded = Base64Encode(data);
    REQUIRE(encoded == OpenSslEncode(data));
    REQUIRE(Decoded(encoded) == data);
  }
  const std::string big = RandomBytes(rng, 1024 * 1024 + 1);
  const std::string encoded = Base64Encode(big);
  CHECK(encoded == OpenSslEncode(big));
  CHECK(Decoded(encoded) == big);
}

TEST_CASE("base64 decodes the RFC 4648 test vectors", "[base64]") {
  CHECK(Decoded("") == "");
  CHECK(Decoded("Zg==") == "f");
  CHECK(Decoded("Zm8=") == "fo");
  CHECK(Decoded("Zm9v") == "foo");
  CHECK(Decoded("Zm9vYg==") == "foob");
  CHECK(Decoded("Zm9vYmE=") == "fooba");
  CHECK(Decoded("Zm9vYmFy") == "foobar");
  CHECK(Decoded("//79AD4/") == std::string("\xff\xfe\xfd\x00\x3e\x3f", 6));
}

TEST_CASE("base64 decoding is strict", "[base64]") {
  CHECK(Rejects("Z"));       // length not a multiple of 4
  CHECK(Rejects("Zm9"));     // missing padding
  CHECK(Rejects("Zm9vY"));   // stray character
  CHECK(Rejects("Zm9v\n"));  // whitespace
  CHECK(Rejects("Zm 9"));    // whitespace inside
  CHECK(Rejects("Zm9-"));    // URL-safe alphabet
  CHECK(Rejects("Zm9_"));
  CHECK(Rejects("Zm=v"));      // '=' in the middle of a group
  CHECK(Rejects("Zg==Zm9v"));  // padding before the end
  CHECK(Rejects("===="));
  CHECK(Rejects("Z==="));
  CHECK(Rejects("Zh=="));  // non-zero padding bits (canonical is Zg==)
  CHECK(Rejects("Zm9="));  // non-zero padding bits (canonical is Zm8=)
  CHECK(Rejects(std::string("Zm9\0", 4)));
  CHECK(Rejects("Zm9\xc3"));
  CHECK(Rejects("Zm9vYmFy\xff\xff\xff\xff"));
}

TEST_CASE("base64 decoder rejects every single corrupted character", "[base64]") {
  const std::string valid = Base64Encode("any carnal pleasure.");
  for (std::size_t i = 0; i < valid.size(); ++i) {
    for (const char bad : {'!', '-', '_', ' ', '\0', '.', '\x80'}) {
      std::string corrupt = valid;
      corrupt[i] = bad;
      INFO("position " << i << " char " << static_cast<int>(bad));
      CHECK(Rejects(corrupt));
    }
  }
}

}  // namespace base64_test
