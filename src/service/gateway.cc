#include "service/gateway.h"

#include <boost/beast/core/string.hpp>
#include <charconv>
#include <stdexcept>

#include "contract/export.h"
#include "contract/standard_errors.h"
#include "json/writer.h"
#include "metrics/service_metrics.h"
#include "service/access_log.h"
#include "service/responses.h"
#include "tools/openapi.h"

namespace modelgate::service {
namespace {

namespace beast_http = http::beast_http;
namespace beast = boost::beast;

constexpr std::string_view kOperationalPaths[] = {"/healthz", "/readyz", "/metrics", "/v1/contract",
                                                  "/openapi.json"};

bool IsOperational(std::string_view path) {
  for (auto known : kOperationalPaths) {
    if (path == known) return true;
  }
  return false;
}

// application/json, with parameters such as charset, or a +json media type (RFC 6839).
bool IsJsonMediaType(std::string_view value) {
  std::string type(value.substr(0, value.find(';')));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type == "application/json" ||
         (type.starts_with("application/") && type.ends_with("+json"));
}

// The path with every byte outside printable ASCII percent-encoded, so messages and log lines
// stay valid UTF-8 whatever the client sent.
std::string PrintablePath(std::string_view path) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (unsigned char c : path) {
    if (c > 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string_view PathOf(std::string_view target) { return target.substr(0, target.find('?')); }

Gateway::Gateway(std::vector<std::unique_ptr<Service>> services) : services_(std::move(services)) {
  for (const auto& service : services_) {
    const auto& route = service->route();
    if (IsOperational(route)) {
      throw std::invalid_argument(service->contract().file + ": route " + route +
                                  " is reserved for an operational endpoint");
    }
    if (!routes_.emplace(route, service.get()).second) {
      throw std::invalid_argument(service->contract().file + ": route " + route +
                                  " is already served by " + routes_[route]->contract().file);
    }
  }
}

Service* Gateway::Find(std::string_view path) const {
  auto found = routes_.find(path);
  return found == routes_.end() ? nullptr : found->second;
}

http::Response Gateway::Reject(std::string_view code, std::string detail,
                               const http::RequestHeader& header, Service* service) const {
  const contract::ErrorSpec* error =
      service ? service->contract().FindError(code) : contract::FindStandardError(code);
  auto context = MakeContext(header);
  auto response =
      ProblemResponse(*error, problem::WithDetail(std::move(detail)), context, header.version());
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - context.start).count();
  std::string route = PrintablePath(PathOf({header.target().data(), header.target().size()}));
  AccessRecord record;
  record.route = route;
  record.status = error->status;
  record.code = code;
  record.seconds = seconds;
  if (service) {
    service->Decorate(response);
    service->metrics().Record(code, error->status, seconds);
    record.service = service->contract().name;
    record.contract_version = service->contract().version;
  }
  LogAccess(record, context);
  return response;
}

http::HeaderDecision Gateway::OnHeader(const http::RequestHeader& header) {
  std::string_view path = PathOf({header.target().data(), header.target().size()});
  http::HeaderDecision decision;
  if (header.version() == 11 && header.count(beast_http::field::host) != 1) {
    decision.reject =
        Reject("INVALID_INPUT", "an HTTP/1.1 request needs exactly one Host header (RFC 9112)",
               header, nullptr);
    return decision;
  }
  if (IsOperational(path)) {
    if (header.method() != beast_http::verb::get && header.method() != beast_http::verb::head) {
      decision.reject = Reject("METHOD_NOT_ALLOWED", std::string(path) + " accepts GET and HEAD",
                               header, nullptr);
      decision.reject->set(beast_http::field::allow, "GET, HEAD");
    }
    decision.body_limit = 0;
    return decision;
  }
  Service* service = Find(path);
  if (!service) {
    std::string routes;
    for (const auto& [route, unused] : routes_) routes += (routes.empty() ? "" : ", ") + route;
    decision.reject =
        Reject("NOT_FOUND", "no operation at " + PrintablePath(path) + "; served: POST " + routes,
               header, nullptr);
    return decision;
  }
  if (header.method() != beast_http::verb::post) {
    decision.reject =
        Reject("METHOD_NOT_ALLOWED", std::string(path) + " accepts POST only", header, service);
    decision.reject->set(beast_http::field::allow, "POST");
    return decision;
  }
  auto content_type = header[beast_http::field::content_type];
  if (!IsJsonMediaType({content_type.data(), content_type.size()})) {
    decision.reject = Reject(
        "UNSUPPORTED_MEDIA_TYPE",
        "the body must be JSON; send Content-Type: application/json" +
            (content_type.empty() ? std::string() : " (got " + std::string(content_type) + ")"),
        header, service);
    return decision;
  }
  auto encoding = header[beast_http::field::content_encoding];
  if (!encoding.empty() && !beast::iequals(encoding, "identity")) {
    decision.reject =
        Reject("UNSUPPORTED_MEDIA_TYPE",
               "compressed bodies are not accepted (Content-Encoding: " + std::string(encoding) +
                   "); send the JSON uncompressed",
               header, service);
    return decision;
  }
  decision.body_limit = service->body_limit();
  auto length = header[beast_http::field::content_length];
  std::uint64_t declared = 0;
  if (!length.empty() &&
      std::from_chars(length.data(), length.data() + length.size(), declared).ec == std::errc() &&
      declared > decision.body_limit) {
    decision.reject =
        Reject("PAYLOAD_TOO_LARGE",
               "the body has " + std::to_string(declared) + " bytes; the maximum is " +
                   std::to_string(decision.body_limit) + " bytes (inclusive)",
               header, service);
  }
  return decision;
}

void Gateway::OnRequest(http::Request&& request, http::Responder respond,
                        std::shared_ptr<http::ClientWatch> watch) {
  std::string_view path = PathOf({request.target().data(), request.target().size()});
  Service* service = Find(path);
  if (!service) return respond(Operational(path, request.base()));
  auto context = MakeContext(request.base());
  context.client_watch = std::move(watch);
  service->Handle(std::move(request), std::move(context), respond);
}

http::Response Gateway::Operational(std::string_view path,
                                    const http::RequestHeader& header) const {
  auto context = MakeContext(header);
  unsigned version = header.version();
  http::Response response;
  if (path == "/healthz") {
    response = JsonResponse(200, R"({"status":"ok"})", "application/json", context, version);
  } else if (path == "/readyz") {
    bool ready = ready_.load();
    response = JsonResponse(ready ? 200 : 503,
                            ready ? R"({"status":"ready"})" : R"({"status":"starting"})",
                            "application/json", context, version);
  } else if (path == "/metrics") {
    std::vector<const metrics::ServiceMetrics*> all;
    for (const auto& service : services_) all.push_back(&service->metrics());
    response =
        JsonResponse(200, metrics::RenderAll(all), "text/plain; version=0.0.4", context, version);
  } else if (path == "/openapi.json") {
    response = OpenApiResponse(header, context);
  } else {
    response = JsonResponse(200, ContractDocument(), "application/json", context, version);
  }
  if (header.method() == beast_http::verb::head) {
    response.content_length(response.body().size());
    response.body().clear();
  }
  return response;
}

// Returns the OpenAPI document of the only served contract, or of the one whose route the query
// `?route=/v1/score` names. Without that query, several contracts give an index of documents.
http::Response Gateway::OpenApiResponse(const http::RequestHeader& header,
                                        const RequestContext& context) const {
  unsigned version = header.version();
  if (services_.size() == 1) {
    return JsonResponse(200, tools::ExportOpenApi(services_[0]->contract()), "application/json",
                        context, version);
  }
  std::string_view target(header.target().data(), header.target().size());
  auto query = target.find("?route=");
  if (query != std::string_view::npos) {
    if (Service* service = Find(target.substr(query + 7))) {
      return JsonResponse(200, tools::ExportOpenApi(service->contract()), "application/json",
                          context, version);
    }
  }
  std::string index;
  json::Writer writer(index);
  writer.BeginObject();
  writer.Key("documents");
  writer.BeginObject();
  for (const auto& [route, service] : routes_) writer.Member(route, "/openapi.json?route=" + route);
  writer.EndObject();
  writer.EndObject();
  return JsonResponse(query == std::string_view::npos ? 200 : 404, std::move(index),
                      "application/json", context, version);
}

std::string Gateway::ContractDocument() const {
  if (services_.size() == 1) return contract::ExportPublicContract(services_[0]->contract());
  std::string out = R"({"contracts":[)";
  for (std::size_t i = 0; i < services_.size(); ++i) {
    if (i > 0) out += ',';
    out += contract::ExportPublicContract(services_[i]->contract());
  }
  out += "]}";
  return out;
}

http::Response Gateway::OnTransportError(http::TransportError error,
                                         const http::RequestHeader* header) {
  http::RequestHeader empty;
  const http::RequestHeader& known = header ? *header : empty;
  Service* service =
      header ? Find(PathOf({header->target().data(), header->target().size()})) : nullptr;
  switch (error) {
    case http::TransportError::kHeaderTooLarge:
      return Reject("HEADERS_TOO_LARGE",
                    "the request line and headers exceed the server's limit; send fewer or "
                    "shorter headers",
                    known, nullptr);
    case http::TransportError::kTooManyHeaders:
      return Reject("HEADERS_TOO_LARGE", "the request has too many header fields", known, nullptr);
    case http::TransportError::kBodyTooLarge:
      return Reject("PAYLOAD_TOO_LARGE",
                    "the body exceeds the maximum of " +
                        std::to_string(service ? service->body_limit() : 0) + " bytes (inclusive)",
                    known, service);
    case http::TransportError::kMalformed:
      break;
  }
  return Reject("INVALID_INPUT", "the HTTP request is malformed", known, service);
}

}  // namespace modelgate::service
