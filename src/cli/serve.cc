// `modelgate serve` and `modelgate mock`: load contracts, build one service per contract, and
// run the HTTP server until SIGTERM.
#include <spdlog/spdlog.h>

#include <boost/asio/thread_pool.hpp>

#include <iostream>
#include <thread>
#include <memory>
#include <string>
#include <vector>

#include "backend/factory.h"
#include "cli/commands.h"
#include "contract/loader.h"
#include "http/server.h"
#include "mock/mock_backend.h"
#include "service/access_log.h"
#include "service/gateway.h"
#include "service/log_fields.h"

namespace modelgate::cli {
namespace {

int exit_code = kExitOk;

struct ServeOptions {
  std::vector<std::string> contracts;
  http::ServerOptions server;
  std::uint64_t seed = 0;
  bool mock = false;
  bool access_log = true;
  std::string log_hmac_key_file;
  unsigned workers = 0;
  unsigned delay_ms = 0;
  double failure_rate = 0;
  double error_rate = 0;
  bool simulate_latency = false;
  std::string state_dir = ".modelgate-state";
};

std::unique_ptr<backend::Backend> MakeBackend(const contract::Contract& contract,
                                              const ServeOptions& options) {
  if (options.mock) {
    return std::make_unique<mock::MockBackend>(
        contract, options.seed, std::chrono::milliseconds(options.delay_ms), options.failure_rate,
        options.simulate_latency);
  }
  return backend::MakeBackend(contract);
}

unsigned WorkerCount(const ServeOptions& options) {
  if (options.workers > 0) return options.workers;
  return std::max(1u, std::thread::hardware_concurrency());
}

int Run(const ServeOptions& options) {
  std::vector<std::unique_ptr<service::Service>> services;
  // Model work with a deadline runs here, so server threads can answer TIMEOUT on time. The
  // pool is joined before the services it calls into are destroyed.
  boost::asio::thread_pool workers(WorkerCount(options));
  service::ServiceOptions service_options;
  service_options.workers = &workers;
  service_options.state_dir = options.state_dir;
  if (options.mock) service_options.faults = mock::FaultOptions{options.error_rate, true};
  try {
    service_options.log_hmac_key = service::LoadLogHmacKey(options.log_hmac_key_file);
  } catch (const std::exception& error) {
    std::cerr << "modelgate: " << error.what() << "\n";
    return kExitUsage;
  }
  for (const auto& path : options.contracts) {
    auto contract = contract::LoadContract(path);
    if (!contract.ok()) {
      std::cerr << contract.status().message() << "\n";
      return kExitUsage;
    }
    try {
      auto backend = MakeBackend(*contract, options);
      services.push_back(std::make_unique<service::Service>(*std::move(contract),
                                                            std::move(backend), service_options));
    } catch (const std::exception& error) {
      std::cerr << error.what() << "\n";
      return kExitUsage;
    }
  }
  try {
    std::vector<std::string> routes;
    for (const auto& service : services) routes.push_back(service->route());
    service::Gateway gateway(std::move(services));
    http::Server server(options.server, gateway);
    server.Listen();
    if (options.access_log) service::EnableAccessLog();
    gateway.SetReady(true);
    for (const auto& route : routes) spdlog::info("serving POST {}", route);
    spdlog::info("listening on http://{}:{}", options.server.host, server.port());
    server.Run();
    // Requests still in the pool have lost their connections; stop waiting for their timers.
    workers.stop();
    workers.join();
    spdlog::info("stopped");
  } catch (const std::exception& error) {
    std::cerr << "modelgate: " << error.what() << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

void AddTimeout(CLI::App& command, const std::string& name, std::chrono::milliseconds& value,
                const std::string& help) {
  command
      .add_option_function<std::int64_t>(
          name, [&value](std::int64_t ms) { value = std::chrono::milliseconds(ms); },
          help + ", in milliseconds (default " + std::to_string(value.count()) + ")")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{3'600'000}));
}

void AddCommand(CLI::App& app, bool mock) {
  auto options = std::make_shared<ServeOptions>();
  options->mock = mock;
  auto* command = app.add_subcommand(
      mock ? "mock" : "serve",
      mock ? "Serve contracts with generated responses that satisfy every response rule"
           : "Serve the models bound in contracts");
  command->add_option("contracts", options->contracts, "Contract files (YAML or JSON)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--host", options->server.host, "Address to listen on")
      ->capture_default_str();
  command->add_option("--port", options->server.port, "TCP port; 0 picks a free one")
      ->capture_default_str();
  command
      ->add_option("--threads", options->server.threads,
                   "Server threads; 0 uses one per hardware thread")
      ->capture_default_str();
  AddTimeout(*command, "--header-timeout-ms", options->server.header_timeout,
             "Time a client has to send a request line and headers");
  AddTimeout(*command, "--body-timeout-ms", options->server.body_timeout,
             "Time a client has to send the body after the headers");
  AddTimeout(*command, "--idle-timeout-ms", options->server.idle_timeout,
             "Time a kept-alive connection may wait for its next request");
  AddTimeout(*command, "--shutdown-grace-ms", options->server.shutdown_grace,
             "Time requests in flight get to finish after SIGTERM");
  command
      ->add_option("--workers", options->workers,
                   "Threads that run model work for requests with a deadline; 0 uses one per "
                   "hardware thread")
      ->capture_default_str();
  if (mock) {
    command->add_option("--seed", options->seed, "Seed of generated responses")
        ->capture_default_str();
    command
        ->add_option("--delay-ms", options->delay_ms,
                     "Time each generated response takes, in milliseconds, to simulate a model")
        ->capture_default_str()
        ->check(CLI::Range(0u, 600'000u));
    command
        ->add_option("--failure-rate", options->failure_rate,
                     "Share of request bodies (0 to 1) answered with MODEL_ERROR, to test clients "
                     "and fallbacks")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    command
        ->add_option("--error-rate", options->error_rate,
                     "Share of requests (0 to 1) answered with one of the contract's declared "
                     "429 and 5xx errors, to test clients' retries")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    command->add_flag("--simulate-latency", options->simulate_latency,
                      "Make each answer take a time drawn from a log-normal distribution fitted "
                      "to the contract's p50 and p95 latency targets");
  }
  command
      ->add_option("--state-dir", options->state_dir,
                   "Folder for the idempotency records, kept across restarts; empty keeps them "
                   "in memory only")
      ->capture_default_str();
  command
      ->add_option("--log-hmac-key-file", options->log_hmac_key_file,
                   "File holding the key that hashes PII fields in the access log; the "
                   "environment variable MODELGATE_LOG_HMAC_KEY takes precedence")
      ->check(CLI::ExistingFile);
  command->add_flag("!--no-access-log", options->access_log,
                    "Do not write the JSON access log to standard output");
  command->callback([options] { exit_code = Run(*options); });
}

}  // namespace

void AddServeCommands(CLI::App& app) {
  AddCommand(app, false);
  AddCommand(app, true);
}

int ExitCode() { return exit_code; }
void SetExitCode(int code) { exit_code = code; }

}  // namespace modelgate::cli
