// rekognition-local: closing accepted connections from outside the HTTP server.
//
// cpp-httplib does not hand its connection sockets to handlers, and it keeps
// idle keep-alive connections open until their timeout even after stop().
// Both the "drop" fault and a prompt shutdown need to close such sockets, so
// they are found by their addresses among the process's descriptors (Linux).
#ifndef REKOGNITION_LOCAL_CONNECTIONS_HPP
#define REKOGNITION_LOCAL_CONNECTIONS_HPP

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstdlib>
#include <functional>

namespace rekognition_local {

namespace connections_detail {

inline int Port(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET)
    return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  if (address.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  return -1;
}

// Calls `visit(fd, local_port, peer_port)` for every connected TCP socket.
inline void ForEachConnectedSocket(const std::function<void(int, int, int)>& visit) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return;
  const int own = dirfd(dir);
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == own) continue;
    struct stat info {};
    if (fstat(static_cast<int>(fd), &info) != 0 || !S_ISSOCK(info.st_mode)) continue;
    sockaddr_storage local{}, peer{};
    socklen_t local_size = sizeof local, peer_size = sizeof peer;
    if (getsockname(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&local), &local_size) != 0)
      continue;
    if (getpeername(static_cast<int>(fd), reinterpret_cast<sockaddr*>(&peer), &peer_size) != 0)
      continue;
    visit(static_cast<int>(fd), Port(local), Port(peer));
  }
  closedir(dir);
}

}  // namespace connections_detail

/// Shuts down the connection between our `local_port` and the peer's
/// `peer_port`: the peer sees the connection closed with no answer. Only
/// safe for a connection the calling thread is serving (it cannot be closed
/// and its descriptor reused meanwhile).
inline bool DropConnection(int local_port, int peer_port) {
  bool dropped = false;
  connections_detail::ForEachConnectedSocket([&](int fd, int local, int peer) {
    if (local == local_port && peer == peer_port) {
      // A zero linger turns the close into a reset, as a crashed server's would be.
      linger no_linger{1, 0};
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &no_linger, sizeof no_linger);
      dropped = shutdown(fd, SHUT_RDWR) == 0;
    }
  });
  return dropped;
}

/// Shuts down every accepted connection on `local_port` (idle keep-alive
/// ones included) so the server's workers return at once. Call after the
/// server stopped accepting.
inline void ShutdownConnections(int local_port) {
  connections_detail::ForEachConnectedSocket([&](int fd, int local, int) {
    if (local == local_port) shutdown(fd, SHUT_RDWR);
  });
}

}  // namespace rekognition_local

#endif  // REKOGNITION_LOCAL_CONNECTIONS_HPP
