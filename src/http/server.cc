#include "http/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "http/session.h"

namespace modelgate::http {

namespace asio = boost::asio;
using asio::ip::tcp;

Server::Server(ServerOptions options, Handler& handler)
    : options_(std::move(options)), handler_(handler), acceptor_(io_) {
  if (options_.threads == 0) options_.threads = std::max(1u, std::thread::hardware_concurrency());
}

Server::~Server() = default;

void Server::Listen() {
  tcp::endpoint endpoint(asio::ip::make_address(options_.host), options_.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

void Server::Accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](boost::system::error_code ec,
                                                        tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted) return;  // the acceptor closed for shutdown
      // Running out of descriptors or similar: log it and keep serving what is connected.
      spdlog::warn("accept failed: {}", ec.message());
    } else {
      socket.set_option(tcp::no_delay(true), ec);
      auto session = std::make_shared<Session>(std::move(socket), options_, handler_, draining_);
      Register(session);
      session->Start();
    }
    if (!draining_.load()) Accept();
  });
}

void Server::Register(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(sessions_mutex_);
  // Forget closed sessions now and then so the list stays as long as the open connections.
  if (sessions_.size() >= 64 && sessions_.size() % 64 == 0) {
    std::erase_if(sessions_, [](const auto& weak) { return weak.expired(); });
  }
  sessions_.push_back(session);
}

void Server::Run() {
  asio::signal_set signals(io_, SIGTERM, SIGINT);
  signals.async_wait([this](boost::system::error_code ec, int signal) {
    if (ec) return;
    spdlog::info("received signal {}; draining connections for up to {} ms", signal,
                 options_.shutdown_grace.count());
    Drain();
  });
  Accept();
  std::vector<std::thread> workers;
  for (unsigned i = 1; i < options_.threads; ++i) workers.emplace_back([this] { io_.run(); });
  io_.run();
  for (auto& worker : workers) worker.join();
}

void Server::Shutdown() {
  asio::post(io_, [this] { Drain(); });
}

void Server::Drain() {
  if (draining_.exchange(true)) return;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(sessions_mutex_);
    for (const auto& weak : sessions_) {
      if (auto session = weak.lock()) open.push_back(std::move(session));
    }
  }
  for (const auto& session : open) session->CloseIfIdle();
  open.clear();
  drain_deadline_ = std::chrono::steady_clock::now() + options_.shutdown_grace;
  PollDrained();
}

void Server::PollDrained() {
  bool any_open = false;
  {
    std::lock_guard lock(sessions_mutex_);
    for (const auto& weak : sessions_) any_open = any_open || !weak.expired();
  }
  if (!any_open || std::chrono::steady_clock::now() >= drain_deadline_) {
    if (any_open) spdlog::warn("grace period over; closing the connections still open");
    io_.stop();
    return;
  }
  drain_timer_.expires_after(std::chrono::milliseconds(20));
  drain_timer_.async_wait([this](boost::system::error_code) { PollDrained(); });
}

}  // namespace modelgate::http
