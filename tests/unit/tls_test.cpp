// Real TLS over loopback: a server with a certificate made at test time must
// fail verification by default and pass with its CA bundle, given in code
// (transport_options.ca_bundle) or through AWS_CA_BUNDLE.
#include <httplib.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <rekognition/client.hpp>
#include "library_internals.hpp"  // also in compiled mode
#include <rekognition/http/curl_transport.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "rekognition_local.hpp"

using namespace rekognition;

namespace tls_test {

namespace {

// Writes a fresh self-signed certificate for 127.0.0.1 (a P-256 key, valid
// for an hour, usable as its own CA) and its key as PEM files in `dir`.
void MakeSelfSignedCertificate(const std::string& cert_path, const std::string& key_path) {
  EVP_PKEY* key = nullptr;
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> context(
      EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nullptr), &EVP_PKEY_CTX_free);
  REQUIRE(context);
  REQUIRE(EVP_PKEY_keygen_init(context.get()) == 1);
  REQUIRE(EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context.get(), NID_X9_62_prime256v1) == 1);
  REQUIRE(EVP_PKEY_keygen(context.get(), &key) == 1);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> owned_key(key, &EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), &X509_free);
  REQUIRE(cert);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, cert.get(), cert.get(), nullptr, nullptr, 0);
  for (const auto& [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1"},
                                   std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &v3, nid, const_cast<char*>(value));
    REQUIRE(extension != nullptr);
    X509_add_ext(cert.get(), extension, -1);
    X509_EXTENSION_free(extension);
  }
  REQUIRE(X509_sign(cert.get(), key, EVP_sha256()) > 0);
  FILE* out = std::fopen(cert_path.c_str(), "w");
  REQUIRE(out != nullptr);
  PEM_write_X509(out, cert.get());
  std::fclose(out);
  out = std::fopen(key_path.c_str(), "w");
  REQUIRE(out != nullptr);
  PEM_write_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(out);
}

// An HTTPS server on 127.0.0.1 answering every POST with an empty label list.
class TlsServer {
 public:
  TlsServer(const std::string& cert, const std::string& key) : server_(cert.c_str(), key.c_str()) {
    REQUIRE(server_.is_valid());
    server_.Post("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"CustomLabels":[]})", "application/x-amz-json-1.1");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~TlsServer() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::SSLServer server_;
  int port_ = 0;
  std::thread thread_;
};

DetectCustomLabelsRequest S3Request() {
  DetectCustomLabelsRequest request;
  request.project_version_arn =
      "arn:aws:rekognition:us-east-1:111122223333:project/p/version/v/1714560000000";
  request.image = Image::FromS3("bucket", "key.png");
  return request;
}

ClientConfig TlsClientConfig(const std::string& url, std::map<std::string, std::string> env) {
  ClientConfig config;
  config.region = "us-east-1";
  config.endpoint_url = url;
  config.credentials = Credentials{"AKIDEXAMPLE", "secret", "", std::nullopt};
  config.environment = FixedEnvironment(std::move(env));
  config.sleep = [](std::chrono::milliseconds) {};
  return config;
}

}  // namespace

TEST_CASE("TLS: a self-signed server fails verification unless its CA bundle is given", "[tls]") {
  testing_support::TempDir dir;
  const std::string cert = dir.path() + "/cert.pem";
  const std::string key = dir.path() + "/key.pem";
  MakeSelfSignedCertificate(cert, key);
  TlsServer server(cert, key);

  HttpRequest request;
  request.url = server.url() + "/";
  request.headers = {{"Content-Type", "application/x-amz-json-1.1"}};
  request.body = "{}";

  // Verification is on by default: the handshake fails, typed as TLS.
  CurlTransport strict;
  auto result = strict.Send(request);
  REQUIRE(std::holds_alternative<TransportFailure>(result));
  CHECK(std::get<TransportFailure>(result).kind == TransportErrorKind::kTlsFailure);

  // With the certificate as the CA bundle, the same server is trusted.
  CurlTransportOptions options;
  options.ca_bundle = cert;
  CurlTransport trusting(options);
  result = trusting.Send(request);
  REQUIRE(std::holds_alternative<HttpResponse>(result));
  CHECK(std::get<HttpResponse>(result).status == 200);

  // Through the client: a TLS failure is not retried ...
  try {
    Client(TlsClientConfig(server.url(), {})).DetectCustomLabels(S3Request());
    FAIL("no exception");
  } catch (const TransportError& e) {
    CHECK(e.kind() == TransportErrorKind::kTlsFailure);
    CHECK(e.attempts() == 1);
  }
  // ... and AWS_CA_BUNDLE makes it pass, as does transport_options.ca_bundle.
  CHECK(Client(TlsClientConfig(server.url(), {{"AWS_CA_BUNDLE", cert}}))
            .DetectCustomLabels(S3Request())
            .attempts == 1);
  ClientConfig in_code = TlsClientConfig(server.url(), {});
  in_code.transport_options.ca_bundle = cert;
  CHECK(Client(in_code).DetectCustomLabels(S3Request()).custom_labels.empty());

  // A bundle holding another CA does not trust this server.
  const std::string other = dir.path() + "/other.pem";
  MakeSelfSignedCertificate(other, dir.path() + "/other-key.pem");
  CHECK_THROWS_AS(Client(TlsClientConfig(server.url(), {{"AWS_CA_BUNDLE", other}}))
                      .DetectCustomLabels(S3Request()),
                  TransportError);
}

}  // namespace tls_test
