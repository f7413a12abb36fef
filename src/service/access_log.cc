#include "service/access_log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>

#include "json/writer.h"

namespace modelgate::service {
namespace {

std::shared_ptr<spdlog::logger>& AccessLogger() {
  static std::shared_ptr<spdlog::logger> logger;
  return logger;
}

// RFC 3339 UTC timestamp with milliseconds.
std::string Timestamp() {
  auto now = std::chrono::system_clock::now();
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[40];
  std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &parts);
  std::snprintf(text + length, sizeof text - length, ".%03dZ",
                static_cast<int>(millis.count() % 1000));
  return text;
}

}  // namespace

void EnableAccessLog() {
  auto logger = spdlog::stdout_logger_mt("access");
  logger->set_pattern("%v");
  AccessLogger() = std::move(logger);
}

bool AccessLogEnabled() { return AccessLogger() != nullptr; }

void LogAccess(const AccessRecord& record, const RequestContext& context) {
  const auto& logger = AccessLogger();
  if (!logger) return;
  std::string line;
  line.reserve(320 + context.log_members.size());
  json::Writer writer(line);
  writer.BeginObject();
  writer.Member("ts", Timestamp());
  writer.Member("request_id", context.request_id);
  writer.Member("trace_id", std::string_view(context.traceparent).substr(3, 32));
  writer.Member("service", record.service);
  writer.Member("contract_version", record.contract_version);
  writer.Member("model_version", record.model_version);
  writer.Member("route", record.route);
  writer.Member("status", record.status);
  writer.Member("code", record.code.empty() ? std::string_view("OK") : record.code);
  // Microsecond resolution is what the clock gives; more digits only add noise.
  writer.Member("latency_ms", std::round(record.seconds * 1e6) / 1000.0);
  line += context.log_members;
  writer.EndObject();
  logger->info(line);
}

}  // namespace modelgate::service
