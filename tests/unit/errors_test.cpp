// The exception hierarchy and the code-to-class mapping.
#include <rekognition/errors.hpp>

#include <catch2/catch.hpp>

#include <functional>

using namespace rekognition;

namespace errors_test {

namespace {
template <typename Expected>
void CheckMapsTo(const std::string& code, int status = 400) {
  INFO(code);
  try {
    ThrowServiceError(ErrorInfo{code, "the message", status, "req-1", 2, false});
  } catch (const Expected& e) {
    CHECK(e.code() == code);
    CHECK(e.message() == "the message");
    CHECK(e.http_status() == status);
    CHECK(e.request_id() == "req-1");
    CHECK(e.attempts() == 2);
    return;
  } catch (...) {
  }
  FAIL("wrong exception type for " << code);
}
}  // namespace

TEST_CASE("every modeled error maps to its own class", "[errors]") {
  CheckMapsTo<AccessDeniedException>("AccessDeniedException");
  CheckMapsTo<ImageTooLargeException>("ImageTooLargeException");
  CheckMapsTo<InternalServerError>("InternalServerError", 500);
  CheckMapsTo<InvalidImageFormatException>("InvalidImageFormatException");
  CheckMapsTo<InvalidParameterException>("InvalidParameterException");
  CheckMapsTo<InvalidS3ObjectException>("InvalidS3ObjectException");
  CheckMapsTo<LimitExceededException>("LimitExceededException");
  CheckMapsTo<ProvisionedThroughputExceededException>("ProvisionedThroughputExceededException");
  CheckMapsTo<ResourceNotFoundException>("ResourceNotFoundException");
  CheckMapsTo<ResourceNotReadyException>("ResourceNotReadyException");
  CheckMapsTo<ThrottlingException>("ThrottlingException");
}

TEST_CASE("authentication errors sit under AuthError", "[errors]") {
  CheckMapsTo<InvalidSignatureException>("InvalidSignatureException", 403);
  CheckMapsTo<SignatureDoesNotMatch>("SignatureDoesNotMatch", 403);
  CheckMapsTo<UnrecognizedClientException>("UnrecognizedClientException", 403);
  CheckMapsTo<InvalidClientTokenId>("InvalidClientTokenId", 403);
  CheckMapsTo<ExpiredTokenException>("ExpiredTokenException", 403);
  CheckMapsTo<AccessDenied>("AccessDenied", 403);
  for (const char* code :
       {"InvalidSignatureException", "SignatureDoesNotMatch", "UnrecognizedClientException",
        "InvalidClientTokenId", "ExpiredTokenException", "AccessDenied"}) {
    INFO(code);
    CHECK_THROWS_AS(ThrowServiceError(ErrorInfo{code, "m", 403, "", 1, false}), AuthError);
  }
  CHECK_THROWS_AS(ThrowServiceError(ErrorInfo{"AccessDeniedException", "m", 400, "", 1, false}),
                  ServiceError);
}

TEST_CASE("unknown codes become a plain ServiceError; retryable follows the code and status",
          "[errors]") {
  try {
    ThrowServiceError(ErrorInfo{"BrandNewError", "m", 400, "", 1, true});
    FAIL("no throw");
  } catch (const AuthError&) {
    FAIL("unknown code mapped to AuthError");
  } catch (const ServiceError& e) {
    CHECK(e.code() == "BrandNewError");
    CHECK_FALSE(e.retryable());  // the caller's flag is recomputed from the table
  }
  try {
    ThrowServiceError(ErrorInfo{"BrandNewError", "m", 503, "", 3, false});
  } catch (const ServiceError& e) {
    CHECK(e.retryable());
  }
  try {
    ThrowServiceError(ErrorInfo{"ThrottlingException", "slow down", 400, "", 3, false});
  } catch (const ThrottlingException& e) {
    CHECK(e.retryable());
  }
}

TEST_CASE("what() reads code, message, status and request id", "[errors]") {
  Error error(ErrorInfo{"ThrottlingException", "Rate exceeded", 400, "abc-123", 3, true});
  CHECK(std::string(error.what()) ==
        "ThrottlingException: Rate exceeded (HTTP 400, request id abc-123)");
  ValidationError validation("MinConfidence", "0 <= MinConfidence <= 100",
                             "MinConfidence: 101 is above 100");
  CHECK(validation.field() == "MinConfidence");
  CHECK(validation.code() == "ValidationError");
  CHECK(validation.http_status() == 0);
  CHECK(std::string(validation.what()) == "ValidationError: MinConfidence: 101 is above 100");
}

TEST_CASE("transport errors carry kind, native code and retryable", "[errors]") {
  TransportError timeout(TransportFailure{TransportErrorKind::kTimeout, 28, "timed out"}, 3);
  CHECK(timeout.kind() == TransportErrorKind::kTimeout);
  CHECK(timeout.native_code() == 28);
  CHECK(timeout.attempts() == 3);
  CHECK(timeout.retryable());
  CHECK(timeout.code() == "Timeout");
  TransportError cancelled(TransportFailure{TransportErrorKind::kCancelled, 42, "stop"}, 1);
  CHECK_FALSE(cancelled.retryable());
}

}  // namespace errors_test
