// rekognition-cpp: the sockets an I/O thread waits on, and for what: epoll(7)
// on Linux, so a wait costs the sockets that are ready rather than every
// socket watched; poll(2) on other POSIX systems.
#ifndef REKOGNITION_HTTP_SOCKET_SET_HPP
#define REKOGNITION_HTTP_SOCKET_SET_HPP

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#if defined(__linux__)
#include <fcntl.h>
#include <sys/epoll.h>
#endif

#include "rekognition/version.hpp"

REKOGNITION_NAMESPACE_BEGIN

namespace detail {

// What a socket is watched for, and what a wait found it ready for.
enum SocketEvent : unsigned {
  kSocketReadable = 1u,  // also reported when the peer hung up
  kSocketWritable = 2u,
  kSocketError = 4u,  // reported whatever was asked
};

// The interface both sets share (descriptors are the caller's: a set never
// closes one). Watch(fd, events) starts watching `fd` or changes what for;
// Forget(fd) stops, and is harmless for a descriptor already closed. Wait
// waits at most `timeout` (0: just looks) and calls ready(fd, events) for
// each ready descriptor; the callback may Watch and Forget. It returns how
// many were ready, or -1 when the wait failed (EINTR counts as 0).
// Level-triggered, as poll(2) is: a socket left ready is reported again.
// Neither is thread-safe.

// poll(2), for any POSIX system. A wait costs every descriptor watched.
class PollSocketSet {
 public:
  bool ok() const noexcept { return true; }

  bool Watch(int fd, unsigned events) {
    watched_[fd] = events;
    return true;
  }
  void Forget(int fd) { watched_.erase(fd); }
  std::size_t size() const noexcept { return watched_.size(); }

  template <typename Ready>
  int Wait(std::chrono::milliseconds timeout, Ready&& ready) {
    pollfds_.clear();
    for (const auto& [fd, events] : watched_) {
      short wanted = 0;
      if (events & kSocketReadable) wanted |= POLLIN;
      if (events & kSocketWritable) wanted |= POLLOUT;
      pollfds_.push_back(pollfd{fd, wanted, 0});
    }
    const int count = ::poll(pollfds_.data(), static_cast<nfds_t>(pollfds_.size()),
                             static_cast<int>(timeout.count()));
    if (count < 0) return errno == EINTR ? 0 : -1;
    // The callback may change the watched set; this wait's list stays as it is.
    for (const pollfd& entry : pollfds_) {
      // Forgotten by the callback of an earlier descriptor of this wait.
      if (entry.revents == 0 || watched_.find(entry.fd) == watched_.end()) continue;
      unsigned events = 0;
      if (entry.revents & (POLLIN | POLLHUP)) events |= kSocketReadable;
      if (entry.revents & POLLOUT) events |= kSocketWritable;
      if (entry.revents & (POLLERR | POLLNVAL)) events |= kSocketError;
      ready(entry.fd, events);
    }
    return count;
  }

 private:
  std::unordered_map<int, unsigned> watched_;
  std::vector<pollfd> pollfds_;  // rebuilt by each wait, kept for its capacity
};

#if defined(__linux__)
// epoll(7): the kernel keeps the watched set, so a wait costs the ready
// descriptors only.
class EpollSocketSet {
 public:
  EpollSocketSet() : epoll_(::epoll_create1(EPOLL_CLOEXEC)) {}
  ~EpollSocketSet() {
    if (epoll_ >= 0) ::close(epoll_);
  }
  EpollSocketSet(const EpollSocketSet&) = delete;
  EpollSocketSet& operator=(const EpollSocketSet&) = delete;

  // False when the kernel gave no epoll descriptor (then nothing is ready, ever).
  bool ok() const noexcept { return epoll_ >= 0; }

  bool Watch(int fd, unsigned events) {
    epoll_event change{};
    change.events =
        ((events & kSocketReadable) ? EPOLLIN : 0u) | ((events & kSocketWritable) ? EPOLLOUT : 0u);
    change.data.fd = fd;
    const auto [at, inserted] = watched_.emplace(fd, events);
    if (!inserted) at->second = events;
    // A descriptor closed while watched leaves the kernel's set by itself,
    // and its number may come back for a new socket: so an ADD may find it
    // there still (EEXIST) and a MOD may not (ENOENT). Either way, the other.
    int op = inserted ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    if (::epoll_ctl(epoll_, op, fd, &change) == 0) return true;
    if (errno != EEXIST && errno != ENOENT) return false;
    op = op == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    return ::epoll_ctl(epoll_, op, fd, &change) == 0;
  }

  void Forget(int fd) {
    if (watched_.erase(fd) == 0) return;
    epoll_event unused{};  // kernels before 2.6.9 want a non-null pointer
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, &unused);  // EBADF once closed: already out
  }
  std::size_t size() const noexcept { return watched_.size(); }

  template <typename Ready>
  int Wait(std::chrono::milliseconds timeout, Ready&& ready) {
    if (epoll_ < 0) return -1;
    // At most this many per wait; level-triggering reports the rest next time.
    constexpr int kBatch = 64;
    epoll_event found[kBatch];
    const int count = ::epoll_wait(epoll_, found, kBatch, static_cast<int>(timeout.count()));
    if (count < 0) return errno == EINTR ? 0 : -1;
    for (int i = 0; i < count; ++i) {
      const int fd = found[i].data.fd;
      // Forgotten by the callback of an earlier descriptor of this wait.
      if (watched_.find(fd) == watched_.end()) continue;
      const std::uint32_t got = found[i].events;
      unsigned events = 0;
      if (got & (EPOLLIN | EPOLLHUP | EPOLLRDHUP)) events |= kSocketReadable;
      if (got & EPOLLOUT) events |= kSocketWritable;
      if (got & EPOLLERR) events |= kSocketError;
      ready(fd, events);
    }
    return count;
  }

 private:
  int epoll_;
  std::unordered_map<int, unsigned> watched_;  // what each descriptor is watched for
};

using SocketSet = EpollSocketSet;
#else
using SocketSet = PollSocketSet;
#endif

}  // namespace detail

REKOGNITION_NAMESPACE_END

#endif  // REKOGNITION_HTTP_SOCKET_SET_HPP
