#include "contract_test_peer.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "server_process.h"

extern char** environ;

namespace modelgate::testing {
namespace {

// Waits up to `limit` for the child; returns true when it exited.
bool Reap(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

PythonPeer::PythonPeer(std::vector<std::string> arguments) : arguments_(std::move(arguments)) {
  folder_ = std::filesystem::path(WriteTempFile("peer", "")).parent_path().string();
}

PythonPeer::~PythonPeer() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  if (!Reap(pid_, std::chrono::seconds(5))) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

bool PythonPeer::Start() {
  std::vector<std::string> all = {"/usr/bin/python3",
                                  SourcePath("tests/integration/peers/broken_server.py"), "0"};
  all.insert(all.end(), arguments_.begin(), arguments_.end());
  std::vector<char*> argv;
  for (auto& argument : all) argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::string out = folder_ + "/output";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  int spawned = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    pid_ = -1;
    return false;
  }
  const std::string marker = "listening on 127.0.0.1:";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string text = ReadFile(out);
    auto found = text.find(marker);
    if (found != std::string::npos && text.find('\n', found) != std::string::npos) {
      port_ = static_cast<std::uint16_t>(std::atoi(text.c_str() + found + marker.size()));
      return port_ != 0;
    }
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::string PythonPeer::Output() const { return ReadFile(folder_ + "/output"); }

}  // namespace modelgate::testing
