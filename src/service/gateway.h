#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http/server.h"
#include "service/service.h"

namespace modelgate::service {

// Routes requests to the services by path and answers the operational endpoints: /healthz,
// /readyz, /metrics, /v1/contract and /openapi.json. Unknown paths get NOT_FOUND, wrong methods
// METHOD_NOT_ALLOWED with Allow, wrong content types UNSUPPORTED_MEDIA_TYPE, and a
// Content-Length over the route's payload limit PAYLOAD_TOO_LARGE before the body is read.
class Gateway : public http::Handler {
 public:
  // Throws std::invalid_argument when two services share a route.
  explicit Gateway(std::vector<std::unique_ptr<Service>> services);

  http::HeaderDecision OnHeader(const http::RequestHeader& header) override;
  void OnRequest(http::Request&& request, http::Responder respond,
                 std::shared_ptr<http::ClientWatch> watch) override;
  http::Response OnTransportError(http::TransportError error,
                                  const http::RequestHeader* header) override;

  // Marks the gateway ready: /readyz answers 200 from then on.
  void SetReady(bool ready) { ready_ = ready; }

 private:
  Service* Find(std::string_view path) const;
  http::Response Reject(std::string_view code, std::string detail,
                        const http::RequestHeader& header, Service* service) const;
  http::Response Operational(std::string_view path, const http::RequestHeader& header) const;
  std::string ContractDocument() const;
  http::Response OpenApiResponse(const http::RequestHeader& header,
                                 const RequestContext& context) const;

  std::vector<std::unique_ptr<Service>> services_;
  std::map<std::string, Service*, std::less<>> routes_;
  std::atomic<bool> ready_{false};
};

// The path of a request target without its query string.
std::string_view PathOf(std::string_view target);

}  // namespace modelgate::service
