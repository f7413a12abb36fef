#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace modelgate::testing {

// Runs the modelgate binary as a child process. Start() adds `--port 0`, waits for the
// "listening on" line on standard error and reads the port from it. The destructor stops the
// child with SIGTERM, then SIGKILL after five seconds, so no test leaves a server behind.
class ServerProcess {
 public:
  explicit ServerProcess(std::vector<std::string> arguments);
  // Starts a server on the state folder of `previous`, as a restart of the same server does.
  void ShareStateWith(const ServerProcess& previous) { state_dir_ = previous.state_dir_; }
  // Stops the child with SIGKILL, as a crash would, and waits for it.
  void Kill();
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Returns false when the process exited or printed no address within the time limit.
  bool Start(std::chrono::seconds limit = std::chrono::seconds(20));
  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  // The folder passed as --state-dir.
  const std::string& state_dir() const { return state_dir_; }

  // Sends SIGTERM and waits up to `limit`; returns the exit status, or -1 when it did not exit.
  int Stop(std::chrono::milliseconds limit = std::chrono::milliseconds(5000));
  // What the process wrote to standard error and standard output so far.
  std::string Stderr() const;
  std::string Stdout() const;

 private:
  std::vector<std::string> arguments_;
  std::string stderr_path_;
  std::string stdout_path_;
  std::string state_dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

// Runs the binary to completion with `input` on standard input; returns the exit status and
// fills `output` with standard output.
int RunCommand(const std::vector<std::string>& arguments, const std::string& input,
               std::string& output);

// Path of a file in the source tree.
std::string SourcePath(const std::string& relative);

// The whole content of a file; empty when it cannot be read.
std::string ReadFile(const std::string& path);

// Copies the fraud example's contract to a temporary folder with its deadline and rate limits
// raised (10 s, 100,000 rps) and its model path made absolute, for tests about other clauses
// that must not fail because a loaded test machine is slow. `behavior` is YAML added at the
// top of the behavior section, indented by two spaces.
std::string RelaxedFraudContract(const std::string& behavior = "");

// Writes `text` to a new file in a fresh temporary folder and returns its path.
std::string WriteTempFile(const std::string& name, const std::string& text);

}  // namespace modelgate::testing
