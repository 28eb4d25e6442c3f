// Vendoring: only rekognition.hpp is on the include path (copied alone).
#include <rekognition.hpp>

#include <iostream>

int CountLabelsElsewhere(rekognition::RekognitionApi& api,
                         const rekognition::DetectCustomLabelsRequest& request);

int main() {
  auto stub = std::make_shared<rekognition::StubTransport>();
  stub->Respond(200, R"({"CustomLabels":[{"Name":"logo","Confidence":91.5}]})");
  rekognition::ClientConfig config;
  config.region = "eu-west-1";
  config.credentials = rekognition::Credentials{"AKIDEXAMPLE", "secret", "", std::nullopt};
  config.transport = stub;
  rekognition::Client client(config);
  rekognition::DetectCustomLabelsRequest request;
  request.project_version_arn =
      "arn:aws:rekognition:eu-west-1:111122223333:project/logos/version/logos.1/1714560000000";
  request.image = rekognition::Image::FromS3("bucket", "shelf.jpg");
  const int count = CountLabelsElsewhere(client, request);
  std::cout << "labels: " << count << "\n";
  return count == 1 ? 0 : 1;
}
