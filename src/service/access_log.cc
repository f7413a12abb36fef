#include "service/access_log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "json/writer.h"

namespace modelgate::service {
namespace {

std::shared_ptr<spdlog::logger>& AccessLogger() {
  static std::shared_ptr<spdlog::logger> logger;
  return logger;
}

}  // namespace

void EnableAccessLog() {
  auto logger = spdlog::stdout_logger_mt("access");
  logger->set_pattern("%v");
  AccessLogger() = std::move(logger);
}

void LogAccess(std::string_view route, int status, std::string_view code, double seconds,
               const RequestContext& context) {
  const auto& logger = AccessLogger();
  if (!logger) return;
  std::string line;
  line.reserve(256);
  json::Writer writer(line);
  writer.BeginObject();
  auto now = std::chrono::system_clock::now().time_since_epoch();
  writer.Member("ts_ms", static_cast<std::int64_t>(
                             std::chrono::duration_cast<std::chrono::milliseconds>(now).count()));
  writer.Member("request_id", context.request_id);
  writer.Member("traceparent", context.traceparent);
  writer.Member("route", route);
  writer.Member("status", status);
  writer.Member("code", code.empty() ? std::string_view("OK") : code);
  writer.Member("duration_ms", seconds * 1000.0);
  writer.EndObject();
  logger->info(line);
}

}  // namespace modelgate::service
