// SHA-256, HMAC-SHA256 and hex encoding against published test vectors
// (FIPS 180-2 examples, RFC 4231).
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "rekognition/detail/crypto.hpp"

namespace crypto_test {

namespace {

using rekognition::detail::ConstantTimeEquals;
using rekognition::detail::HexEncode;
using rekognition::detail::HmacSha256;
using rekognition::detail::Sha256;
using rekognition::detail::Sha256Hex;

}  // namespace

TEST_CASE("SHA-256 matches the FIPS 180-2 examples", "[crypto]") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(Sha256Hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("SHA-256 hashes exactly the bytes of the view", "[crypto]") {
  const std::string buffer = "xxabcxx";
  CHECK(Sha256Hex(std::string_view(buffer).substr(2, 3)) == Sha256Hex("abc"));
  const std::string with_nul("a\0b", 3);
  CHECK(Sha256Hex(with_nul) != Sha256Hex("a"));
  CHECK(HexEncode(Sha256("abc")) == Sha256Hex("abc"));
}

TEST_CASE("HMAC-SHA256 matches RFC 4231", "[crypto]") {
  SECTION("test case 1") {
    CHECK(HexEncode(HmacSha256(std::string(20, '\x0b'), "Hi There")) ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  }
  SECTION("test case 2: a key shorter than the output") {
    CHECK(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }
  SECTION("test case 6: a key longer than the block size") {
    CHECK(HexEncode(HmacSha256(std::string(131, '\xaa'),
                               "Test Using Larger Than Block-Size Key - Hash Key First")) ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  }
  SECTION("a digest as the key is the same as its bytes as the key") {
    const auto key = Sha256("key");
    const std::string key_bytes(reinterpret_cast<const char*>(key.data()), key.size());
    CHECK(HmacSha256(key, "data") == HmacSha256(key_bytes, "data"));
  }
}

TEST_CASE("hex encoding is lower case, two digits per byte", "[crypto]") {
  CHECK(HexEncode(std::string_view("\x00\x0f\xf0\xff\x5a", 5)) == "000ff0ff5a");
  CHECK(HexEncode(std::string_view()).empty());
}

TEST_CASE("constant-time comparison", "[crypto]") {
  CHECK(ConstantTimeEquals("abc", "abc"));
  CHECK(ConstantTimeEquals("", ""));
  CHECK_FALSE(ConstantTimeEquals("abc", "abd"));
  CHECK_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace crypto_test
