// Test support: a Catch2 main() for tests that need reference peers (moto_server,
// boto3, the aws CLI). Missing peers skip the test with exit code 77 and the
// reason, or fail it when REKOGNITION_REQUIRE_PEERS=1 (as CI sets).
#ifndef REKOGNITION_TESTS_PEERS_HPP
#define REKOGNITION_TESTS_PEERS_HPP

#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "process.hpp"

namespace testing_support {

constexpr int kSkipExitCode = 77;

/// Checks that every program in `programs` is on PATH and every Python module
/// in `modules` imports, then runs the Catch2 session.
inline int RunWithPeers(int argc, char** argv, const std::vector<std::string>& programs,
                        const std::vector<std::string>& modules) {
  std::string missing;
  for (const auto& program : programs)
    if (!OnPath(program)) missing += " " + program + " (not on PATH)";
  if (!modules.empty()) {
    std::string imports = "import ";
    for (std::size_t i = 0; i < modules.size(); ++i) imports += (i ? ", " : "") + modules[i];
    if (!OnPath("python3") ||
        RunProcess({"python3", "-c", imports}, {}, std::chrono::seconds(60)).exit_code != 0)
      missing += " python modules (" + imports + " failed)";
  }
  if (!missing.empty()) {
    const char* required = std::getenv("REKOGNITION_REQUIRE_PEERS");
    const bool must_have = required && std::string(required) == "1";
    std::printf("%s: reference peers missing:%s\n", must_have ? "FAILED" : "SKIPPED",
                missing.c_str());
    return must_have ? 1 : kSkipExitCode;
  }
  return Catch::Session().run(argc, argv);
}

}  // namespace testing_support

#define REKOGNITION_PEERS_MAIN(programs, modules)                        \
  int main(int argc, char** argv) {                                      \
    return testing_support::RunWithPeers(argc, argv, programs, modules); \
  }

#endif  // REKOGNITION_TESTS_PEERS_HPP
