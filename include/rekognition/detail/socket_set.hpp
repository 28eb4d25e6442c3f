// rekognition-cpp: the sockets an I/O thread waits on, and for what: epoll(7)
// on Linux, so a wait costs the sockets that are ready rather than every
// socket watched; poll(2) on other POSIX systems.
#ifndef REKOGNITION_DETAIL_SOCKET_SET_HPP
#define REKOGNITION_DETAIL_SOCKET_SET_HPP

#include <poll.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#if defined(__linux__)
#include <sys/epoll.h>
#endif

#include "rekognition/detail/posix.hpp"
#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

namespace detail {

// What a socket is watched for, and what a wait found it ready for.
enum SocketEvent : unsigned {
  kSocketReadable = 1u,  // also reported when the peer hung up
  kSocketWritable = 2u,
  kSocketError = 4u,  // reported whatever was asked
};

// The interface both sets share. Descriptors stay the caller's, who must
// Forget one before closing it (libcurl's socket callback says REMOVE before
// it closes). Watch(fd, events) starts watching `fd` or changes what for;
// Forget(fd) stops. Wait waits at most `timeout` (0: just looks) and calls
// ready(fd, events) for each ready descriptor; the callback may Watch and
// Forget, and a descriptor forgotten meanwhile (even if its number is watched
// again for a new socket) is not reported from that wait. Wait returns how
// many were ready, or -1 when the wait failed (EINTR counts as 0).
// Level-triggered, as poll(2) is: a socket left ready is reported again.
// Neither set is thread-safe.

// Which socket a number stands for: every Watch of a number not watched
// already starts a new generation.
struct WatchedSocket {
  unsigned events;
  std::uint32_t generation;
};

// poll(2), for any POSIX system. A wait costs every descriptor watched.
class PollSocketSet {
 public:
  bool ok() const noexcept { return true; }

  bool Watch(int fd, unsigned events) {
    const auto [at, inserted] = watched_.try_emplace(fd, WatchedSocket{events, 0});
    at->second.events = events;
    if (inserted) at->second.generation = ++last_generation_;
    return true;
  }
  void Forget(int fd) { watched_.erase(fd); }
  std::size_t size() const noexcept { return watched_.size(); }

  template <typename Ready>
  int Wait(std::chrono::milliseconds timeout, Ready&& ready) {
    pollfds_.clear();
    generations_.clear();
    for (const auto& [fd, watched] : watched_) {
      short wanted = 0;
      if (watched.events & kSocketReadable) wanted |= POLLIN;
      if (watched.events & kSocketWritable) wanted |= POLLOUT;
      pollfds_.push_back(pollfd{fd, wanted, 0});
      generations_.push_back(watched.generation);
    }
    const int count = ::poll(pollfds_.data(), static_cast<nfds_t>(pollfds_.size()),
                             static_cast<int>(timeout.count()));
    if (count < 0) return errno == EINTR ? 0 : -1;
    // The callback may change the watched set; this wait's list stays as it is.
    for (std::size_t i = 0; i < pollfds_.size(); ++i) {
      const pollfd& entry = pollfds_[i];
      if (entry.revents == 0) continue;
      const auto it = watched_.find(entry.fd);
      if (it == watched_.end() || it->second.generation != generations_[i]) continue;
      unsigned events = 0;
      if (entry.revents & (POLLIN | POLLHUP)) events |= kSocketReadable;
      if (entry.revents & POLLOUT) events |= kSocketWritable;
      if (entry.revents & (POLLERR | POLLNVAL)) events |= kSocketError;
      ready(entry.fd, events);
    }
    return count;
  }

 private:
  std::unordered_map<int, WatchedSocket> watched_;
  std::uint32_t last_generation_ = 0;
  // Rebuilt by each wait, kept for their capacity.
  std::vector<pollfd> pollfds_;
  std::vector<std::uint32_t> generations_;
};

#if defined(__linux__)
// epoll(7): the kernel keeps the watched set, so a wait costs the ready
// descriptors only. Each registration carries its descriptor and generation.
class EpollSocketSet {
 public:
  EpollSocketSet() : epoll_(::epoll_create1(EPOLL_CLOEXEC)) {}

  // False when the kernel gave no epoll descriptor (then nothing is ready, ever).
  bool ok() const noexcept { return epoll_.get() >= 0; }

  bool Watch(int fd, unsigned events) {
    const auto [at, inserted] = watched_.try_emplace(fd, WatchedSocket{events, 0});
    at->second.events = events;
    if (inserted) at->second.generation = ++last_generation_;
    epoll_event change{};
    change.events =
        ((events & kSocketReadable) ? EPOLLIN : 0u) | ((events & kSocketWritable) ? EPOLLOUT : 0u);
    change.data.u64 = std::uint64_t{at->second.generation} << 32 | static_cast<std::uint32_t>(fd);
    int op = inserted ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    if (::epoll_ctl(epoll_.get(), op, fd, &change) == 0) return true;
    // A descriptor closed without Forget leaves the kernel's set by itself
    // (when nothing else holds it), and its number may come back for a new
    // socket: so an ADD may find it there still (EEXIST) and a MOD may not
    // (ENOENT). Either way, the other.
    if (errno != EEXIST && errno != ENOENT) return false;
    op = op == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    return ::epoll_ctl(epoll_.get(), op, fd, &change) == 0;
  }

  void Forget(int fd) {
    if (watched_.erase(fd) == 0) return;
    epoll_event unused{};  // kernels before 2.6.9 want a non-null pointer
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, &unused);
  }
  std::size_t size() const noexcept { return watched_.size(); }

  template <typename Ready>
  int Wait(std::chrono::milliseconds timeout, Ready&& ready) {
    if (!ok()) return -1;
    // At most this many per wait; level-triggering reports the rest next time.
    constexpr int kBatch = 64;
    epoll_event found[kBatch];
    const int count = ::epoll_wait(epoll_.get(), found, kBatch, static_cast<int>(timeout.count()));
    if (count < 0) return errno == EINTR ? 0 : -1;
    for (int i = 0; i < count; ++i) {
      const int fd = static_cast<int>(static_cast<std::uint32_t>(found[i].data.u64));
      const auto generation = static_cast<std::uint32_t>(found[i].data.u64 >> 32);
      const auto it = watched_.find(fd);
      if (it == watched_.end() || it->second.generation != generation) continue;
      const std::uint32_t got = found[i].events;
      unsigned events = 0;
      if (got & (EPOLLIN | EPOLLHUP)) events |= kSocketReadable;
      if (got & EPOLLOUT) events |= kSocketWritable;
      if (got & EPOLLERR) events |= kSocketError;
      ready(fd, events);
    }
    return count;
  }

 private:
  SubprocessFd epoll_;  // owns the epoll descriptor
  std::unordered_map<int, WatchedSocket> watched_;
  std::uint32_t last_generation_ = 0;
};

using SocketSet = EpollSocketSet;
#else
using SocketSet = PollSocketSet;
#endif

}  // namespace detail

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_DETAIL_SOCKET_SET_HPP
