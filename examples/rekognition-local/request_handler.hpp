// rekognition-local: answers one awsJson1_1 request as Rekognition would.
// Free of any HTTP server type, so the whole decision is testable in-process.
#ifndef REKOGNITION_LOCAL_REQUEST_HANDLER_HPP
#define REKOGNITION_LOCAL_REQUEST_HANDLER_HPP

#include <rekognition/detail/crypto.hpp>
#include <rekognition/operations/json_codec.hpp>
#include <rekognition/operations/validation.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <string>
#include <thread>
#include <utility>

#include "fault_injector.hpp"
#include "fixture_store.hpp"
#include "lifecycle_operations.hpp"
#include "model_lifecycle.hpp"
#include "sigv4_verifier.hpp"

namespace rekognition_local {

/// The operations served, by their X-Amz-Target.
enum class Operation {
  kUnknown,
  kDetectCustomLabels,
  kDescribeProjects,
  kDescribeProjectVersions,
  kStartProjectVersion,
  kStopProjectVersion,
};

inline Operation FindOperation(const std::string& target) {
  static const std::pair<const char*, Operation> kTargets[] = {
      {"RekognitionService.DetectCustomLabels", Operation::kDetectCustomLabels},
      {"RekognitionService.DescribeProjects", Operation::kDescribeProjects},
      {"RekognitionService.DescribeProjectVersions", Operation::kDescribeProjectVersions},
      {"RekognitionService.StartProjectVersion", Operation::kStartProjectVersion},
      {"RekognitionService.StopProjectVersion", Operation::kStopProjectVersion},
  };
  for (const auto& [name, operation] : kTargets)
    if (target == name) return operation;
  return Operation::kUnknown;
}

/// The answer to one request.
struct Reply {
  int status = 200;
  std::string body;
  std::string error_code;  // empty on success
  bool drop = false;       // close the connection instead of answering
  // For the request log only.
  std::string operation = "-";
  std::string access_key_id = "-";
  Fault fault = Fault::kNone;
  std::size_t label_count = 0;
};

/// The Coral namespace of a front-end error: model validation has its own.
inline std::string CoralNamespace(const std::string& code) {
  return code == "ValidationException" ? "com.amazon.coral.validate" : "com.amazon.coral.service";
}

/// The x-amzn-ErrorType header of an error code. Front-end errors carry
/// Coral's namespace, as AWS sends them; clients cut at ':'.
inline std::string ErrorTypeHeader(const std::string& code) {
  return code + ":http://internal.amazon.com/coral/" + CoralNamespace(code) + "/";
}

/// {"__type": CODE, "message"|"Message": MESSAGE}. Errors raised before the
/// operation runs (authentication, routing) come from the front end, which
/// namespaces the type and writes "message"; the service's own exceptions
/// are bare and write "Message", like Rekognition.
inline std::string ErrorBody(const std::string& code, const std::string& message, bool front_end) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("__type");
  const std::string type = front_end ? CoralNamespace(code) + "#" + code : code;
  writer.String(type.c_str(), static_cast<rapidjson::SizeType>(type.size()));
  writer.Key(front_end ? "message" : "Message");
  writer.String(message.c_str(), static_cast<rapidjson::SizeType>(message.size()));
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

class RequestHandler {
 public:
  /// Throws std::invalid_argument when a served ARN is not a model version ARN.
  RequestHandler(FixtureStore fixtures, SigV4Verifier verifier, const FaultOptions& faults,
                 const LifecycleOptions& lifecycle = {}, ModelLifecycle::Log log = nullptr)
      : fixtures_(std::move(fixtures)),
        verifier_(std::move(verifier)),
        faults_(faults),
        models_(fixtures_.initial_statuses(), lifecycle, std::move(log)) {}

  /// Authenticates, injects faults, validates and answers `request`.
  /// Thread-safe.
  Reply Handle(const IncomingRequest& request) {
    Reply reply;
    const std::string* target = rekognition::FindHeader(request.headers, "X-Amz-Target");
    reply.operation = target ? target->substr(0, 80) : "-";
    const Operation operation = target ? FindOperation(*target) : Operation::kUnknown;
    if (request.method != "POST" || operation == Operation::kUnknown)
      return Error(std::move(reply), 400, "UnknownOperationException",
                   target == nullptr ? "Missing X-Amz-Target header"
                                     : "Unknown operation " + reply.operation,
                   true);
    reply.operation = target->substr(target->find('.') + 1);

    if (auto failure = verifier_.Verify(request, &reply.access_key_id))
      return Error(std::move(reply), failure->status, failure->code, failure->message, true);

    if (operation == Operation::kDetectCustomLabels && faults_.latency_ms() > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(faults_.latency_ms()));
    reply.fault = faults_.Next();
    switch (reply.fault) {
      case Fault::kThrottle:
        // The model marks ThrottlingException a server fault: HTTP 500.
        return Error(std::move(reply), 500, "ThrottlingException", "Rate exceeded", false);
      case Fault::kInternalError:
        return Error(std::move(reply), 500, "InternalServerError",
                     "Amazon Rekognition experienced a service issue. Try your call again.", false);
      case Fault::kServiceUnavailable:
        return Error(std::move(reply), 503, "ServiceUnavailableException", "Service Unavailable",
                     true);
      case Fault::kDrop:
        reply.drop = true;
        return reply;
      case Fault::kNone:
        break;
    }
    switch (operation) {
      case Operation::kDescribeProjects:
        return Answer(std::move(reply), DescribeProjects(request.body, models_));
      case Operation::kDescribeProjectVersions:
        return Answer(std::move(reply), DescribeProjectVersions(request.body, models_));
      case Operation::kStartProjectVersion:
        return Answer(std::move(reply), StartProjectVersion(request.body, models_));
      case Operation::kStopProjectVersion:
        return Answer(std::move(reply), StopProjectVersion(request.body, models_));
      case Operation::kDetectCustomLabels:
      case Operation::kUnknown:
        break;
    }
    return Detect(std::move(reply), request.body);
  }

  const FixtureStore& fixtures() const { return fixtures_; }
  ModelLifecycle& models() { return models_; }

 private:
  static Reply Error(Reply reply, int status, const std::string& code, const std::string& message,
                     bool front_end) {
    reply.status = status;
    reply.error_code = code;
    reply.body = ErrorBody(code, message, front_end);
    return reply;
  }

  static Reply Answer(Reply reply, OperationAnswer answer) {
    if (!answer.error_code.empty())
      return Error(std::move(reply), answer.status, answer.error_code, answer.message,
                   answer.front_end);
    reply.body = std::move(answer.body);
    return reply;
  }

  Reply Detect(Reply reply, std::string_view body) {
    rekognition::DetectCustomLabelsRequest request;
    std::string error;
    if (!rekognition::detail::ParseRequest(body, request, error))
      return Error(std::move(reply), 400, "SerializationException", error, false);
    // Every rule, the documented Custom Labels image limits included: a
    // client that turns its own checks off still meets them here.
    if (auto failure = rekognition::CheckRequest(request))
      return Error(std::move(reply), 400, rekognition::ToString(failure->kind), failure->message,
                   false);
    if (!fixtures_.Serves(request.project_version_arn))
      return Error(std::move(reply), 400, "ResourceNotFoundException",
                   "The project version " + request.project_version_arn + " does not exist.",
                   false);
    const auto status = models_.Status(request.project_version_arn);
    if (status && *status != "RUNNING")
      return Error(std::move(reply), 400, "ResourceNotReadyException",
                   "The project version " + request.project_version_arn + " is " + *status +
                       ", not RUNNING. Start it with StartProjectVersion.",
                   false);

    const FixtureStore::Labels* labels = nullptr;
    if (const auto bytes = request.image.Bytes()) {
      labels = fixtures_.Find(rekognition::detail::Sha256Hex(*bytes));
      if (labels == nullptr) labels = fixtures_.default_labels();
    } else {
      const rekognition::S3Object& object = *request.image.s3_object;
      const std::string uri = "s3://" + object.bucket + "/" + object.name;
      if (object.version) labels = fixtures_.Find(uri + "?versionId=" + *object.version);
      if (labels == nullptr) labels = fixtures_.Find(uri);
      if (labels == nullptr)
        return Error(
            std::move(reply), 400, "InvalidS3ObjectException",
            "Unable to get object metadata from S3. Check object key, region and/or access "
            "permissions.",
            false);
    }
    rekognition::DetectCustomLabelsResult result;
    if (labels != nullptr)
      result.custom_labels =
          SelectLabels(*labels, request.min_confidence.value_or(fixtures_.default_min_confidence()),
                       request.max_results);
    reply.label_count = result.custom_labels.size();
    reply.body = rekognition::detail::SerializeResult(result);
    return reply;
  }

  FixtureStore fixtures_;
  SigV4Verifier verifier_;
  FaultInjector faults_;
  ModelLifecycle models_;
};

}  // namespace rekognition_local

#endif  // REKOGNITION_LOCAL_REQUEST_HANDLER_HPP
