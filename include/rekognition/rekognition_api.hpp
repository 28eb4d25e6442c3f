// rekognition-cpp: the abstract interface of the operations, for mocking.
#ifndef REKOGNITION_REKOGNITION_API_HPP
#define REKOGNITION_REKOGNITION_API_HPP

#include <cstdio>
#include <exception>
#include <future>
#include <optional>
#include <string>
#include <utility>

#include "rekognition/errors.hpp"
#include "rekognition/operations/detect_custom_labels.hpp"
#include "rekognition/operations/outcome.hpp"
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
///
/// Every operation also has two asynchronous forms: one returning a
/// std::future, one taking a Completion and returning a CallHandle that can
/// cancel the call. Their defaults run the blocking operation on the calling
/// thread and complete before returning, so a fake's blocking operations
/// serve its asynchronous callers too; Client overrides them with calls on
/// its I/O thread.
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
  // The asynchronous forms (see the class comment). The future holds the
  // result or the exception the blocking form throws; the completion gets
  // them as an Outcome.
  /// DetectCustomLabels, asynchronously: the future gets what DetectCustomLabels returns or throws.
  virtual std::future<DetectCustomLabelsResult> DetectCustomLabelsAsync(
      const DetectCustomLabelsRequest& request) {
    return Now<DetectCustomLabelsResult>([&] { return DetectCustomLabels(request); });
  }
  /// DetectCustomLabels, asynchronously: `done` gets the result or the error.
  virtual CallHandle DetectCustomLabelsAsync(const DetectCustomLabelsRequest& request,
                                             Completion<DetectCustomLabelsResult> done) {
    return Now<DetectCustomLabelsResult>([&] { return DetectCustomLabels(request); }, done);
  }
  /// DescribeProjects, asynchronously: the future gets what DescribeProjects returns or throws.
  virtual std::future<DescribeProjectsResult> DescribeProjectsAsync(
      const DescribeProjectsRequest& request) {
    return Now<DescribeProjectsResult>([&] { return DescribeProjects(request); });
  }
  /// DescribeProjects, asynchronously: `done` gets the result or the error.
  virtual CallHandle DescribeProjectsAsync(const DescribeProjectsRequest& request,
                                           Completion<DescribeProjectsResult> done) {
    return Now<DescribeProjectsResult>([&] { return DescribeProjects(request); }, done);
  }
  /// DescribeProjectVersions, asynchronously: the future gets what DescribeProjectVersions returns
  /// or throws.
  virtual std::future<DescribeProjectVersionsResult> DescribeProjectVersionsAsync(
      const DescribeProjectVersionsRequest& request) {
    return Now<DescribeProjectVersionsResult>([&] { return DescribeProjectVersions(request); });
  }
  /// DescribeProjectVersions, asynchronously: `done` gets the result or the error.
  virtual CallHandle DescribeProjectVersionsAsync(const DescribeProjectVersionsRequest& request,
                                                  Completion<DescribeProjectVersionsResult> done) {
    return Now<DescribeProjectVersionsResult>([&] { return DescribeProjectVersions(request); },
                                              done);
  }
  /// StartProjectVersion, asynchronously: the future gets what StartProjectVersion returns or
  /// throws.
  virtual std::future<StartProjectVersionResult> StartProjectVersionAsync(
      const StartProjectVersionRequest& request) {
    return Now<StartProjectVersionResult>([&] { return StartProjectVersion(request); });
  }
  /// StartProjectVersion, asynchronously: `done` gets the result or the error.
  virtual CallHandle StartProjectVersionAsync(const StartProjectVersionRequest& request,
                                              Completion<StartProjectVersionResult> done) {
    return Now<StartProjectVersionResult>([&] { return StartProjectVersion(request); }, done);
  }
  /// StopProjectVersion, asynchronously: the future gets what StopProjectVersion returns or throws.
  virtual std::future<StopProjectVersionResult> StopProjectVersionAsync(
      const StopProjectVersionRequest& request) {
    return Now<StopProjectVersionResult>([&] { return StopProjectVersion(request); });
  }
  /// StopProjectVersion, asynchronously: `done` gets the result or the error.
  virtual CallHandle StopProjectVersionAsync(const StopProjectVersionRequest& request,
                                             Completion<StopProjectVersionResult> done) {
    return Now<StopProjectVersionResult>([&] { return StopProjectVersion(request); }, done);
  }

  /// Reports a problem that cannot be thrown (e.g. a RunningModel that failed
  /// to stop its model in its destructor). Default: one line on stderr.
  /// Client sends it to ClientConfig::log when set. Must not throw.
  virtual void Warn(const std::string& line) noexcept {
    std::fprintf(stderr, "rekognition: %s\n", line.c_str());
  }

 private:
  // The default asynchronous forms: the blocking call, completed at once.
  template <typename R, typename F>
  static std::future<R> Now(F&& call) {
    std::promise<R> promise;
    try {
      promise.set_value(call());
    } catch (...) {
      promise.set_exception(std::current_exception());
    }
    return promise.get_future();
  }
  template <typename R, typename F>
  static CallHandle Now(F&& call, Completion<R>& done) {
    std::optional<Outcome<R>> outcome;
    try {
      outcome.emplace(Outcome<R>::Success(call()));
    } catch (...) {
      outcome.emplace(Outcome<R>::Failure(std::current_exception()));
    }
    if (done) done(std::move(*outcome));  // outside the try: runs once
    return CallHandle();
  }

  static Error NotImplemented(const char* operation) {
    return Error(ErrorInfo{"NotImplemented",
                           std::string(operation) + " is not implemented by this RekognitionApi", 0,
                           "", 0, false});
  }
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_REKOGNITION_API_HPP
