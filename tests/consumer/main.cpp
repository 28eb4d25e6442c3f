// A user's program: one call through the public API over the stub transport.
#include <rekognition/client.hpp>
#include <rekognition/testing/stub_transport.hpp>

#include <iostream>
#include <memory>

int CountLabelsElsewhere(rekognition::RekognitionApi& api,
                         const rekognition::DetectCustomLabelsRequest& request);

int main() {
  auto stub = std::make_shared<rekognition::StubTransport>();
  stub->Respond(
      200,
      R"({"CustomLabels":[{"Name":"logo","Confidence":91.5},{"Name":"box","Confidence":80}]})");
  rekognition::ClientConfig config;
  config.region = "us-east-1";
  config.credentials = rekognition::Credentials{"AKIDEXAMPLE", "secret", "", std::nullopt};
  config.transport = stub;
  rekognition::Client client(config);

  rekognition::DetectCustomLabelsRequest request;
  request.project_version_arn =
      "arn:aws:rekognition:us-east-1:111122223333:project/logos/version/logos.1/1714560000000";
  request.image = rekognition::Image::FromS3("bucket", "shelf.jpg");
  const int count = CountLabelsElsewhere(client, request);
  std::cout << "labels: " << count << " (rekognition-cpp " << rekognition::kVersion << ")\n";
  // What this translation unit saw of the client: its definitions
  // (header-only) or its declarations (compiled mode, outside the library).
  std::cout << (REKOGNITION_DECLARATIONS_ONLY ? "client: declarations only\n"
                                              : "client: definitions included\n");
  return count == 2 ? 0 : 1;
}
