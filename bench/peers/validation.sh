#!/usr/bin/env bash
# Compares `modelgate mock` of the fraud contract with a Node fastify + ajv server that validates
# the same request JSON Schema and returns a fixed reply of the same bytes, on one machine in one
# run. Prints one table with, per server, the highest requests/s whose p95 stays within the
# contract's p95 target and the latencies there.
#
# Usage: bench/peers/validation.sh BUILD_DIR [DURATION_S]
#   BUILD_DIR   a build folder with modelgate (cmake --build --preset release)
#   DURATION_S  seconds of each wrk run (default 10). Each server takes one run per connection
#               count of CONNECTIONS (default "1 2 4 8 16 32 64") after a 2-second warm-up.
#
# The fastify server reads the request body schema and body size limit from `modelgate openapi`
# of the same contract, and its reply is the mock's reply to the benchmark request. modelgate runs one server thread and one worker
# thread; fastify runs in one Node process without cluster. Needs `npm ci --prefix
# bench/peers/fastify` (scripts/install-npm.sh runs it).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build="${1:?usage: validation.sh BUILD_DIR [DURATION_S]}"
duration="${2:-10}"
binary="$build/modelgate"
fastify_dir="$peers_dir/fastify"
[ -x "$binary" ] || fail "$binary not found; build with cmake --build --preset release"
[ -d "$fastify_dir/node_modules/fastify" ] ||
  fail "fastify is not installed; run npm ci --prefix bench/peers/fastify"

contract="$work/fraud.yaml"
relax_contract "$repo_root/examples/fraud/contract.yaml" "$contract"
p95_target_ms="$(contract_p95_ms "$contract")"
body="$work/body.json"
printf '%s' '{"transaction_id":"tx_20261204_000123","amount":249.9,"currency":"EUR","features":{"merchant_category":"electronics","country_mismatch":true,"card_age_days":12,"txn_count_1h":3,"txn_count_24h":9,"hour_of_day":2},"idempotency_key":"7f2c9a1e-5b7d-4c1a-9e0f-000000000123"}' > "$body"

"$binary" openapi "$contract" -o "$work/openapi.json"

echo "validation: sweeping connections $connections_list, ${duration} s each" >&2

port="$(free_port)"
start_server modelgate "$binary" mock "$contract" --host 127.0.0.1 --port "$port" \
  --threads 1 --workers 1 --no-access-log --state-dir ""
wait_ready modelgate "http://127.0.0.1:$port/v1/score" "$body"
sweep modelgate "http://127.0.0.1:$port/v1/score" "$body" "$duration"
stop_server

port="$(free_port)"
start_server fastify node "$fastify_dir/server.js" --openapi "$work/openapi.json" \
  --reply "$work/modelgate.reply" --host 127.0.0.1 --port "$port" --path /v1/score
wait_ready fastify "http://127.0.0.1:$port/v1/score" "$body"
cmp -s "$work/modelgate.reply" "$work/fastify.reply" || fail "fastify's reply differs from the mock's"
sweep fastify "http://127.0.0.1:$port/v1/score" "$body" "$duration"
stop_server

echo
echo "Validation and HTTP: highest requests/s with p95 within ${p95_target_ms} ms" \
  "(wrk -t1, ${duration} s per run, replies of $(wc -c < "$work/modelgate.reply") bytes)"
echo
echo "| server | requests/s | connections | p50 | p95 | p99 |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
best_row modelgate "modelgate mock (1 thread, 1 worker)" "$p95_target_ms"
best_row fastify "fastify + ajv (1 Node process)" "$p95_target_ms"
