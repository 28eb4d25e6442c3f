// The socket sets the asynchronous client's I/O thread waits on: the poll(2)
// set and, on Linux, the epoll(7) set, held to the same behaviour.
#include <rekognition/http/socket_set.hpp>

#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <memory>
#include <utility>
#include <vector>

using namespace rekognition;

namespace socket_set_test {

namespace {

// A connected pair of local stream sockets, closed at the end.
struct SocketPair {
  SocketPair() { REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0); }
  ~SocketPair() { Close(); }
  SocketPair(const SocketPair&) = delete;
  SocketPair& operator=(const SocketPair&) = delete;
  void Close() {
    for (int& fd : fds)
      if (fd >= 0) {
        ::close(fd);
        fd = -1;
      }
  }
  int fds[2] = {-1, -1};
};

// Gives the first socket of `pair` the descriptor number `number` (closed
// now), as the kernel does when it hands out a freed number again.
void RenumberFirst(SocketPair& pair, int number) {
  if (pair.fds[1] == number) std::swap(pair.fds[0], pair.fds[1]);  // the ends are alike
  if (pair.fds[0] == number) return;
  REQUIRE(::dup2(pair.fds[0], number) == number);
  ::close(pair.fds[0]);
  pair.fds[0] = number;
}

void Send(int fd, const char* bytes = "x") { REQUIRE(::write(fd, bytes, 1) == 1); }

// What one wait reported: descriptor -> events (each at most once).
template <typename Set>
std::map<int, unsigned> WaitOnce(Set& set, std::chrono::milliseconds timeout) {
  std::map<int, unsigned> ready;
  const int count = set.Wait(timeout, [&](int fd, unsigned events) {
    CHECK(ready.count(fd) == 0);
    ready[fd] = events;
  });
  CHECK(count >= static_cast<int>(ready.size()));
  return ready;
}

#if defined(__linux__)
#define SOCKET_SET_TYPES detail::PollSocketSet, detail::EpollSocketSet
#else
#define SOCKET_SET_TYPES detail::PollSocketSet
#endif

}  // namespace

TEMPLATE_TEST_CASE("a socket set reports what is ready, as often as it stays ready", "[socket_set]",
                   SOCKET_SET_TYPES) {
  TestType set;
  REQUIRE(set.ok());
  SocketPair pair;
  const int a = pair.fds[0];
  REQUIRE(set.Watch(a, detail::kSocketReadable));
  CHECK(set.size() == 1);

  // Nothing to read yet.
  CHECK(WaitOnce(set, std::chrono::milliseconds(0)).empty());

  Send(pair.fds[1]);
  auto ready = WaitOnce(set, std::chrono::milliseconds(1000));
  REQUIRE(ready.size() == 1);
  CHECK(ready.at(a) == detail::kSocketReadable);
  // Level-triggered: not read, so reported again.
  CHECK(WaitOnce(set, std::chrono::milliseconds(0)).count(a) == 1);
  char byte = 0;
  REQUIRE(::read(a, &byte, 1) == 1);
  CHECK(WaitOnce(set, std::chrono::milliseconds(0)).empty());

  // Watching for writing instead (a change, not a second registration).
  REQUIRE(set.Watch(a, detail::kSocketWritable));
  CHECK(set.size() == 1);
  ready = WaitOnce(set, std::chrono::milliseconds(0));
  REQUIRE(ready.size() == 1);
  CHECK(ready.at(a) == detail::kSocketWritable);

  // Both.
  Send(pair.fds[1]);
  REQUIRE(set.Watch(a, detail::kSocketReadable | detail::kSocketWritable));
  ready = WaitOnce(set, std::chrono::milliseconds(0));
  REQUIRE(ready.size() == 1);
  CHECK(ready.at(a) == (detail::kSocketReadable | detail::kSocketWritable));

  // Watched for nothing: data waiting is not reported.
  REQUIRE(set.Watch(a, 0));
  CHECK(WaitOnce(set, std::chrono::milliseconds(0)).empty());

  // Forgotten: nothing is reported, and forgetting twice is harmless.
  REQUIRE(set.Watch(a, detail::kSocketReadable));
  set.Forget(a);
  set.Forget(a);
  CHECK(set.size() == 0);
  CHECK(WaitOnce(set, std::chrono::milliseconds(0)).empty());
}

TEMPLATE_TEST_CASE("a socket set reports a hang-up as readable, and only the ready sockets",
                   "[socket_set]", SOCKET_SET_TYPES) {
  TestType set;
  REQUIRE(set.ok());
  std::vector<std::unique_ptr<SocketPair>> pairs;
  for (int i = 0; i < 300; ++i) {
    pairs.push_back(std::make_unique<SocketPair>());
    REQUIRE(set.Watch(pairs.back()->fds[0], detail::kSocketReadable));
  }
  CHECK(set.size() == 300);
  // More ready than the epoll set takes in one wait (64): the rest come next.
  for (int i = 0; i < 100; ++i) Send(pairs[static_cast<std::size_t>(i) * 3]->fds[1]);
  std::map<int, unsigned> seen;
  for (int wait = 0; wait < 4 && seen.size() < 100; ++wait)
    for (const auto& [fd, events] : WaitOnce(set, std::chrono::milliseconds(0))) {
      seen[fd] |= events;
      char byte = 0;
      REQUIRE(::read(fd, &byte, 1) == 1);
    }
  REQUIRE(seen.size() == 100);
  for (int i = 0; i < 100; ++i)
    CHECK(seen.at(pairs[static_cast<std::size_t>(i) * 3]->fds[0]) == detail::kSocketReadable);

  // The peer closes: the socket reads as readable (end of stream).
  const int lonely = pairs[1]->fds[0];
  ::close(pairs[1]->fds[1]);
  pairs[1]->fds[1] = -1;
  auto ready = WaitOnce(set, std::chrono::milliseconds(1000));
  REQUIRE(ready.size() == 1);
  CHECK((ready.at(lonely) & detail::kSocketReadable) != 0);

  // A hang-up is reported even for a socket watched for nothing else.
  set.Forget(lonely);
  const int quiet = pairs[2]->fds[0];
  REQUIRE(set.Watch(quiet, 0));
  CHECK(WaitOnce(set, std::chrono::milliseconds(0)).empty());
  ::close(pairs[2]->fds[1]);
  pairs[2]->fds[1] = -1;
  ready = WaitOnce(set, std::chrono::milliseconds(1000));
  REQUIRE(ready.size() == 1);
  CHECK((ready.at(quiet) & detail::kSocketReadable) != 0);
}

TEMPLATE_TEST_CASE(
    "a socket set copes with a descriptor closed while watched and its number reused",
    "[socket_set]", SOCKET_SET_TYPES) {
  TestType set;
  REQUIRE(set.ok());
  auto first = std::make_unique<SocketPair>();
  const int number = first->fds[0];
  REQUIRE(set.Watch(number, detail::kSocketReadable));
  // Closed without Forget (the kernel drops it from an epoll set by itself).
  first.reset();
  SocketPair second;
  RenumberFirst(second, number);
  // Watch again (the set still thinks it knows the number), then forget and re-add.
  REQUIRE(set.Watch(number, detail::kSocketReadable));
  Send(second.fds[1]);
  auto ready = WaitOnce(set, std::chrono::milliseconds(1000));
  REQUIRE(ready.size() == 1);
  CHECK(ready.at(number) == detail::kSocketReadable);

  // Forgotten after the close: no error, and a new Watch of the number works.
  second.Close();
  set.Forget(number);
  CHECK(set.size() == 0);
  SocketPair third;
  RenumberFirst(third, number);
  REQUIRE(set.Watch(number, detail::kSocketReadable));
  Send(third.fds[1]);
  ready = WaitOnce(set, std::chrono::milliseconds(1000));
  REQUIRE(ready.size() == 1);
  CHECK(ready.at(number) == detail::kSocketReadable);
}

TEMPLATE_TEST_CASE("a socket set's callback may forget a descriptor of the same wait",
                   "[socket_set]", SOCKET_SET_TYPES) {
  TestType set;
  REQUIRE(set.ok());
  SocketPair one, two;
  REQUIRE(set.Watch(one.fds[0], detail::kSocketReadable));
  REQUIRE(set.Watch(two.fds[0], detail::kSocketReadable));
  Send(one.fds[1]);
  Send(two.fds[1]);
  // Whichever comes first forgets the other, as libcurl may while it handles
  // one socket: the other is then not reported.
  std::vector<int> reported;
  const int count = set.Wait(std::chrono::milliseconds(1000), [&](int fd, unsigned) {
    reported.push_back(fd);
    set.Forget(fd == one.fds[0] ? two.fds[0] : one.fds[0]);
  });
  CHECK(count >= 1);
  CHECK(reported.size() == 1);
}

}  // namespace socket_set_test
