// Dynamic batching: validated requests wait in the batcher until their batch closes. Then one
// backend call computes them all, and each request gets its own response.
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "service/pipeline_state.h"
#include "service/service.h"

namespace modelgate::service {

void Service::StartBatching() {
  const auto& batching = contract_.behavior.batching;
  if (!batching.enabled || !options_.workers) return;
  std::size_t max_rows = batching.max_batch.value_or(
      contract_.constraints.max_batch.value_or(contract_.request.limits.max_batch.value_or(1)));
  batcher_ = std::make_unique<Batcher>(
      options_.workers->get_executor(), max_rows, batching.max_delay,
      [this](std::vector<std::shared_ptr<PendingRequest>> batch, std::size_t rows) {
        boost::asio::post(*options_.workers, [this, batch = std::move(batch), rows]() mutable {
          RunBatch(std::move(batch), rows);
        });
      });
}

// Without a batch field each request is one row and any requests merge. With one, requests
// merge only when every top-level member other than the batch field and the idempotency key is
// equal, an absent member counting as its declared default.
std::string Service::BatchGroupOf(simdjson::dom::element document) const {
  const auto& idempotency = contract_.behavior.idempotency;
  std::string group;
  if (contract_.request.batch_field.empty()) return group;
  for (const auto& field : contract_.request.fields) {
    if (field.name == contract_.request.batch_field) continue;
    if (idempotency.enabled && field.name == idempotency.field) continue;
    simdjson::dom::element value;
    group += field.name;
    if (document[field.name].get(value) == simdjson::SUCCESS) {
      group += '=' + simdjson::minify(value);
    } else if (field.default_json) {
      group += '=' + *field.default_json;
    }
    group += '\n';
  }
  return group;
}

void Service::Enqueue(const std::shared_ptr<PendingRequest>& pending,
                      simdjson::dom::element document, std::string key) {
  pending->idempotency_key = std::move(key);
  pending->batch_group = BatchGroupOf(document);
  pending->queued = true;
  batcher_->Add(pending->batch_group, pending->context.batch_size, pending);
  // The deadline may have passed between the check in Expire and the Add above.
  if (pending->answered.load()) Withdraw(pending);
  if (const auto& watch = pending->context.client_watch) {
    std::weak_ptr<PendingRequest> weak = pending;
    watch->OnGone([this, weak] {
      if (auto gone = weak.lock()) Disconnected(gone);
    });
  }
}

void Service::Disconnected(const std::shared_ptr<PendingRequest>& pending) {
  if (!pending->Claim()) return;
  metrics_.CountDisconnect();
  metrics_.EndRequest();
  spdlog::info("request {} left its batch: the client closed the connection",
               pending->context.request_id);
  Withdraw(pending);
  // The responder holds the connection; dropping it lets the connection close now rather than
  // when the deadline timer releases the request.
  pending->respond = nullptr;
}

void Service::Withdraw(const std::shared_ptr<PendingRequest>& pending) {
  if (!pending->queued.load() || !batcher_->Remove(pending->batch_group, pending)) return;
  if (concurrency_) concurrency_->Release();
  if (!pending->idempotency_key.empty()) store_->Abandon(pending->idempotency_key);
}

void Service::RunBatch(std::vector<std::shared_ptr<PendingRequest>> batch, std::size_t rows) {
  // Each request is parsed again here: its first parse lived in another thread's parser. One
  // parser per position keeps every document of the batch alive during the backend call.
  thread_local std::vector<std::unique_ptr<json::StrictParser>> parsers;
  while (parsers.size() < batch.size()) {
    parsers.push_back(std::make_unique<json::StrictParser>(RequestParseOptions()));
  }

  std::vector<backend::BatchInput> inputs;
  std::vector<std::size_t> positions;  // the batch position of each input
  std::vector<backend::BatchOutput> outputs(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const std::string& body = batch[i]->request.body();
    simdjson::dom::element document;
    json::ParseError error;
    if (!parsers[i]->Parse(body, document, error)) {
      // Unreachable, because Decode parsed the same body with the same options. A failure would
      // become MODEL_ERROR rather than a crash.
      outputs[i].status = absl::InternalError("the validated request no longer parses");
      continue;
    }
    inputs.push_back({document, body});
    positions.push_back(i);
  }
  std::vector<backend::BatchOutput> results(inputs.size());

  metrics_.CountInference();
  metrics_.ObserveModelBatch(rows);
  auto start = std::chrono::steady_clock::now();
  backend_->PredictBatch(inputs, results);
  metrics_.ObserveInference(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  for (std::size_t k = 0; k < positions.size(); ++k) outputs[positions[k]] = std::move(results[k]);

  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto& pending = batch[i];
    Answer answer = Complete(std::move(outputs[i]), pending->context, pending->request.version());
    if (!pending->idempotency_key.empty()) Remember(pending->idempotency_key, answer);
    Deliver(pending, std::move(answer));
  }
}

}  // namespace modelgate::service
