// The stub transport: scripted answers in order, recorded requests.
#include <rekognition/testing/stub_transport.hpp>

#include <catch2/catch.hpp>

using namespace rekognition;

namespace stub_transport_test {

TEST_CASE("stub transport answers in order and records requests", "[stub]") {
  StubTransport stub;
  stub.Respond(500, "first")
      .Fail(TransportErrorKind::kTimeout)
      .Handle([](const HttpRequest& request) {
        return HttpResult(HttpResponse{200, {}, "echo:" + std::string(request.body)});
      });
  CHECK(stub.pending() == 3);
  HttpRequest request;
  request.url = "http://x/";
  request.body = "payload";
  CHECK(std::get<HttpResponse>(stub.Send(request)).status == 500);
  CHECK(std::get<TransportFailure>(stub.Send(request)).kind == TransportErrorKind::kTimeout);
  CHECK(std::get<HttpResponse>(stub.Send(request)).body == "echo:payload");
  CHECK(stub.pending() == 0);
  auto unexpected = stub.Send(request);
  REQUIRE(std::holds_alternative<TransportFailure>(unexpected));
  CHECK(std::get<TransportFailure>(unexpected).message.find("no response was queued") !=
        std::string::npos);
  CHECK(stub.unexpected_calls() == 1);
  const auto requests = stub.requests();
  REQUIRE(requests.size() == 4);
  CHECK(requests[0].body == "payload");
  CHECK(requests[0].url == "http://x/");
}

}  // namespace stub_transport_test
