#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace modelgate::testing {

// Runs tests/integration/peers/broken_server.py under /usr/bin/python3 on a free loopback port.
// Start() waits for its "listening on" line; the destructor stops it with SIGTERM, then
// SIGKILL after five seconds.
class PythonPeer {
 public:
  explicit PythonPeer(std::vector<std::string> arguments);
  ~PythonPeer();
  PythonPeer(const PythonPeer&) = delete;
  PythonPeer& operator=(const PythonPeer&) = delete;

  // Returns false when the peer exited or printed no address within 20 seconds.
  bool Start();
  std::uint16_t port() const { return port_; }
  std::string Output() const;  // standard output and standard error so far

 private:
  std::vector<std::string> arguments_;
  std::string folder_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace modelgate::testing
