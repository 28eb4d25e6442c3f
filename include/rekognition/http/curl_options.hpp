// rekognition-cpp: the settings of the libcurl transport, apart from the
// transport itself so that ClientConfig carries them without libcurl's headers.
#ifndef REKOGNITION_HTTP_CURL_OPTIONS_HPP
#define REKOGNITION_HTTP_CURL_OPTIONS_HPP

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

/// Settings of the libcurl transport.
struct CurlTransportOptions {
  /// Time allowed to establish the TCP and TLS connection (botocore default: 60 s).
  std::chrono::milliseconds connect_timeout{60000};
  /// Longest time without receiving a byte (status line, headers or body)
  /// once the request is sent, like botocore's read_timeout (default 60 s);
  /// sending counts as activity too. It bounds a stall, not a slow trickle:
  /// bound the whole call with ClientConfig::call_timeout. 0 disables it.
  std::chrono::milliseconds read_timeout{60000};
  /// Upper bound on the whole exchange; 0 means no bound beyond the above.
  std::chrono::milliseconds request_timeout{0};
  /// Verify the server certificate and host name (on by default).
  bool verify_tls = true;
  /// PEM file of trusted CAs (e.g. from AWS_CA_BUNDLE); empty uses the system store.
  std::string ca_bundle;
  /// Idle connections kept for reuse (keep-alive pool size).
  std::size_t max_idle_connections = 64;
  /// Largest response body accepted (default 4 MiB: DetectCustomLabels
  /// answers are far smaller). A larger body, announced by Content-Length or
  /// not, stops the transfer at once and is reported as kOther; memory for a
  /// response never grows beyond this.
  std::size_t max_response_bytes = std::size_t{4} << 20;
  /// When set and it becomes true, transfers in flight stop with kCancelled.
  std::shared_ptr<std::atomic<bool>> cancel;
};

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_HTTP_CURL_OPTIONS_HPP
