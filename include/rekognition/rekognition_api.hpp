// rekognition-cpp: the abstract interface of the operations, for mocking.
#ifndef REKOGNITION_REKOGNITION_API_HPP
#define REKOGNITION_REKOGNITION_API_HPP

#include <cstdio>
#include <string>

#include "rekognition/errors.hpp"
#include "rekognition/operations/detect_custom_labels.hpp"
#include "rekognition/operations/projects.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// The operations of the client as an interface. Code that calls Rekognition
/// takes a `RekognitionApi&`; production passes a Client, unit tests a fake
/// or a mock. Implementations say whether they are thread-safe (Client is).
///
/// DetectCustomLabels is pure virtual. The model lifecycle operations have
/// default implementations that throw Error with code "NotImplemented", so a
/// fake only needs the operations its code under test calls.
class RekognitionApi {
 public:
  virtual ~RekognitionApi() = default;
  /// Detects custom labels; see Client::DetectCustomLabels for what it throws.
  virtual DetectCustomLabelsResult DetectCustomLabels(const DetectCustomLabelsRequest& request) = 0;
  /// Describes projects (one page); see Client::DescribeProjects.
  virtual DescribeProjectsResult DescribeProjects(const DescribeProjectsRequest& request) {
    (void)request;
    throw NotImplemented("DescribeProjects");
  }
  /// Describes versions of a project (one page); see Client::DescribeProjectVersions.
  virtual DescribeProjectVersionsResult DescribeProjectVersions(
      const DescribeProjectVersionsRequest& request) {
    (void)request;
    throw NotImplemented("DescribeProjectVersions");
  }
  /// Starts a model version; see Client::StartProjectVersion.
  virtual StartProjectVersionResult StartProjectVersion(const StartProjectVersionRequest& request) {
    (void)request;
    throw NotImplemented("StartProjectVersion");
  }
  /// Stops a model version; see Client::StopProjectVersion.
  virtual StopProjectVersionResult StopProjectVersion(const StopProjectVersionRequest& request) {
    (void)request;
    throw NotImplemented("StopProjectVersion");
  }
  /// Reports a problem that cannot be thrown (e.g. a RunningModel that failed
  /// to stop its model in its destructor). Default: one line on stderr.
  /// Client sends it to ClientConfig::log when set. Must not throw.
  virtual void Warn(const std::string& line) noexcept {
    std::fprintf(stderr, "rekognition: %s\n", line.c_str());
  }

 private:
  static Error NotImplemented(const char* operation) {
    return Error(ErrorInfo{"NotImplemented",
                           std::string(operation) + " is not implemented by this RekognitionApi", 0,
                           "", 0, false});
  }
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_REKOGNITION_API_HPP
