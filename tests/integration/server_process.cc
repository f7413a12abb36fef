#include "server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace modelgate::testing {

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

namespace {

std::string TempFolder() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "modelgate-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) std::abort();
  return pattern;
}

// Spawns the binary with the given arguments and standard streams redirected to files.
pid_t Spawn(const std::vector<std::string>& arguments, const std::string& stdin_path,
            const std::string& stdout_path, const std::string& stderr_path) {
  std::vector<std::string> all = {MODELGATE_BINARY};
  all.insert(all.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& argument : all) argv.push_back(argument.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, stdin_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, stdout_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

// Waits for the child up to `limit`; returns its exit status, 128 + signal, or -1.
int WaitFor(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

}  // namespace

std::string SourcePath(const std::string& relative) {
  return std::string(MODELGATE_SOURCE_DIR) + "/" + relative;
}

std::string WriteTempFile(const std::string& name, const std::string& text) {
  std::string path = TempFolder() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

std::string RelaxedFraudContract(const std::string& behavior) {
  std::string text = ReadFile(SourcePath("examples/fraud/contract.yaml"));
  auto replace = [&text](const std::string& from, const std::string& to) {
    auto found = text.find(from);
    if (found == std::string::npos) std::abort();  // the example changed: update this helper
    text.replace(found, from.size(), to);
  };
  replace("timeout_ms: 120", "timeout_ms: 10000");
  replace("throughput_rps: 300", "throughput_rps: 100000");
  replace("burst_rps: 600", "burst_rps: 200000");
  replace("behavior:\n", "behavior:\n" + behavior);
  replace("artifact: model/fraud.json",
          "artifact: " + SourcePath("examples/fraud/model/fraud.json"));
  return WriteTempFile("contract.yaml", text);
}

ServerProcess::ServerProcess(std::vector<std::string> arguments)
    : arguments_(std::move(arguments)) {
  std::string folder = TempFolder();
  stderr_path_ = folder + "/stderr";
  stdout_path_ = folder + "/stdout";
  state_dir_ = folder + "/state";
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0 && Stop() < 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

bool ServerProcess::Start(std::chrono::seconds limit) {
  auto arguments = arguments_;
  // Each server gets its own state folder, so idempotency records never leak between tests.
  arguments.insert(arguments.end(),
                   {"--host", "127.0.0.1", "--port", "0", "--state-dir", state_dir_});
  pid_ = Spawn(arguments, "/dev/null", stdout_path_, stderr_path_);
  if (pid_ < 0) return false;
  auto deadline = std::chrono::steady_clock::now() + limit;
  const std::string marker = "listening on http://127.0.0.1:";
  while (std::chrono::steady_clock::now() < deadline) {
    std::string text = ReadFile(stderr_path_);
    auto found = text.find(marker);
    if (found != std::string::npos) {
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

int ServerProcess::Stop(std::chrono::milliseconds limit) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = WaitFor(pid_, limit);
  if (status >= 0) pid_ = -1;
  return status;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string ServerProcess::Stderr() const { return ReadFile(stderr_path_); }
std::string ServerProcess::Stdout() const { return ReadFile(stdout_path_); }

int RunCommand(const std::vector<std::string>& arguments, const std::string& input,
               std::string& output) {
  std::string folder = TempFolder();
  std::ofstream(folder + "/stdin") << input;
  pid_t pid = Spawn(arguments, folder + "/stdin", folder + "/stdout", folder + "/stderr");
  if (pid < 0) return -1;
  int status = WaitFor(pid, std::chrono::seconds(30));
  if (status < 0) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  output = ReadFile(folder + "/stdout") + ReadFile(folder + "/stderr");
  return status;
}

}  // namespace modelgate::testing
