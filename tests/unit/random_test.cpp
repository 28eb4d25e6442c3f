// The random source of invocation ids and jitter: OS-seeded, fresh after fork().
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstring>
#include <set>
#include <string>

#include "rekognition/detail/uuid.hpp"
#include "rekognition/retry/retry.hpp"

namespace random_test {

namespace {

// The first invocation id a forked child draws, read back through a pipe.
std::string UuidFromChild() {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const std::string id = rekognition::detail::RandomUuid();
    const ssize_t written = write(fds[1], id.data(), id.size());
    _exit(written == static_cast<ssize_t>(id.size()) ? 0 : 1);
  }
  close(fds[1]);
  char buffer[64] = {0};
  const ssize_t n = read(fds[0], buffer, sizeof buffer);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return std::string(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
}

}  // namespace

TEST_CASE("forked children draw invocation ids of their own", "[random]") {
  (void)rekognition::detail::RandomUuid();  // the parent's engine is seeded before the forks
  std::set<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.insert(UuidFromChild());
  ids.insert(rekognition::detail::RandomUuid());  // and the parent's next one
  CHECK(ids.size() == 5);
}

TEST_CASE("forked children draw jitter of their own", "[random]") {
  (void)rekognition::DefaultRandom();
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const double value = rekognition::DefaultRandom();
    _exit(write(fds[1], &value, sizeof value) == sizeof value ? 0 : 1);
  }
  close(fds[1]);
  double child = -1;
  REQUIRE(read(fds[0], &child, sizeof child) == sizeof child);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  const double parent = rekognition::DefaultRandom();
  CHECK(child >= 0.0);
  CHECK(child < 1.0);
  CHECK(child != parent);
}

}  // namespace random_test
