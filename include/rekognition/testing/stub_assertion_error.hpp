// rekognition-cpp: the failure the test doubles (Stubber, ReplayTransport)
// report when the code under test did not call the service as expected.
#ifndef REKOGNITION_TESTING_STUB_ASSERTION_ERROR_HPP
#define REKOGNITION_TESTING_STUB_ASSERTION_ERROR_HPP

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// One request member that differs from what a test expected. Values are
/// already formatted for reading: strings quoted, unset optionals as
/// "(not set)", image bytes as size and SHA-256 prefix.
struct FieldDifference {
  std::string field;     ///< AWS member name, e.g. "MinConfidence"
  std::string expected;  ///< what the test queued
  std::string actual;    ///< what the code under test sent
};

/// Thrown by the test doubles when the code under test made a call the test
/// did not expect: a request that differs from the queued expectation, a
/// call with nothing queued, an unknown operation, or responses left over.
///
/// Deliberately NOT a rekognition::Error: production code that catches
/// rekognition::Error (to log and carry on) cannot swallow a failed test
/// expectation by accident. It derives from std::logic_error so any test
/// framework prints what() for it. what() lists every differing field on its
/// own line; differences() gives them as data. Never contains image bytes.
class StubAssertionError : public std::logic_error {
 public:
  /// An assertion failure with a full message and, for request mismatches,
  /// the differing fields.
  explicit StubAssertionError(const std::string& message,
                              std::vector<FieldDifference> differences = {})
      : std::logic_error(message), differences_(std::move(differences)) {}

  /// The fields that differ (empty when the failure is not a mismatch).
  const std::vector<FieldDifference>& differences() const noexcept { return differences_; }

 private:
  std::vector<FieldDifference> differences_;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_TESTING_STUB_ASSERTION_ERROR_HPP
