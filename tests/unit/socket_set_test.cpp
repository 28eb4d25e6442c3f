// The socket sets the asynchronous client's I/O thread waits on: the poll(2)
// set and, on Linux, the epoll(7) set, held to the same behaviour.
#include <rekognition/detail/socket_set.hpp>

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <netinet/in.h>
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
  REQUIRE(::fcntl(number, F_GETFD) == -1);  // free: dup2 would close what holds it
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
  // Watch again: the set still has the number, the kernel's epoll set not.
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

TEMPLATE_TEST_CASE(
    "a socket set does not report a forgotten socket's event to a new one of its number",
    "[socket_set]", SOCKET_SET_TYPES) {
  TestType set;
  REQUIRE(set.ok());
  SocketPair one, two, replacement;
  REQUIRE(set.Watch(one.fds[0], detail::kSocketReadable));
  REQUIRE(set.Watch(two.fds[0], detail::kSocketReadable));
  Send(one.fds[1]);
  Send(two.fds[1]);
  // Whichever comes first closes the other and watches a new, silent socket
  // under the other's number, as libcurl may when it replaces a connection:
  // the old socket's readiness, found by the same wait, is not reported.
  std::vector<int> reported;
  int number = -1;
  set.Wait(std::chrono::milliseconds(1000), [&](int fd, unsigned) {
    reported.push_back(fd);
    if (reported.size() > 1) return;
    SocketPair& other = fd == one.fds[0] ? two : one;
    number = other.fds[0];
    set.Forget(number);
    ::close(number);
    other.fds[0] = -1;
    RenumberFirst(replacement, number);
    REQUIRE(set.Watch(number, detail::kSocketReadable));
  });
  CHECK(reported.size() == 1);
  // The new socket has nothing to read (the first one is reported again).
  REQUIRE(number >= 0);
  const auto next = WaitOnce(set, std::chrono::milliseconds(0));
  CHECK(next.count(number) == 0);
  CHECK(next.count(reported.front()) == 1);
}

TEMPLATE_TEST_CASE("a socket set reports a reset connection as an error", "[socket_set]",
                   SOCKET_SET_TYPES) {
  TestType set;
  REQUIRE(set.ok());
  // A loopback TCP connection whose accepting end closes with a reset.
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(listener >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  REQUIRE(::listen(listener, 1) == 0);
  const int client = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  const int accepted = ::accept(listener, nullptr, nullptr);
  REQUIRE(accepted >= 0);
  const linger reset{1, 0};
  REQUIRE(::setsockopt(accepted, SOL_SOCKET, SO_LINGER, &reset, sizeof reset) == 0);
  ::close(accepted);
  ::close(listener);

  REQUIRE(set.Watch(client, detail::kSocketWritable));
  const auto ready = WaitOnce(set, std::chrono::milliseconds(1000));
  set.Forget(client);
  ::close(client);
  REQUIRE(ready.size() == 1);
  CHECK((ready.begin()->second & detail::kSocketError) != 0);
}

#undef SOCKET_SET_TYPES

}  // namespace socket_set_test
