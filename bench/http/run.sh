#!/usr/bin/env bash
# Runs wrk against nginx (a fixed JSON reply of the same size) and against modelgate serving the
# fraud contract, one after the other with the same settings, and prints one line per target.
# Usage: bench/http/run.sh BUILD_DIR [DURATION_S] [CONNECTIONS]
# Every server listens on 127.0.0.1 and is stopped by its PID when the run ends.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:?usage: run.sh BUILD_DIR [DURATION_S] [CONNECTIONS]}"
duration="${2:-10}"
connections="${3:-32}"
binary="$build/modelgate"
work="$(mktemp -d)"
# The fraud contract with its rate limits lifted, so the benchmark measures capacity instead of
# the 300 rps the contract admits; its deadline and every other clause stay in force.
contract="$work/fraud.yaml"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

sed -e "s|artifact: model/fraud.json|artifact: $root/examples/fraud/model/fraud.json|" \
  -e "s|throughput_rps: 300|throughput_rps: 10000000|" -e "s|burst_rps: 600|burst_rps: 20000000|" \
  "$root/examples/fraud/contract.yaml" > "$contract"

body="$work/body.json"
printf '%s' '{"transaction_id":"tx_20261204_000123","amount":249.9,"currency":"EUR","features":{"merchant_category":"electronics","country_mismatch":true,"card_age_days":12,"txn_count_1h":3,"txn_count_24h":9,"hour_of_day":2},"idempotency_key":"7f2c9a1e-5b7d-4c1a-9e0f-000000000123"}' > "$body"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() {
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "nothing listens on 127.0.0.1:$1" >&2
  return 1
}

run_wrk() {  # name port
  wrk -t1 -c"$connections" -d"${duration}s" --latency -s "$here/post.lua" \
    "http://127.0.0.1:$2/v1/score" > "$work/$1.wrk" 2>&1
  echo "$1 $(grep '^RESULT' "$work/$1.wrk" | cut -d' ' -f2-)"
}

start_modelgate() {  # command (mock or serve); sets port
  port="$(free_port)"
  # Idempotency records stay in memory: a durable record costs one fsync per new key, which
  # measures the disk, not the gateway.
  "$binary" "$@" "$contract" --host 127.0.0.1 --port "$port" --threads 1 --no-access-log \
    --state-dir "" \
    2> "$work/modelgate.err" &
  pids+=($!)
  wait_port "$port"
  curl -s -X POST -H 'Content-Type: application/json' --data-binary @"$body" \
    "http://127.0.0.1:$port/v1/score" > "$work/reply.json"
}

export BODY_FILE="$body"

# modelgate mock: HTTP, parsing, validation, generation, response check and encoding.
start_modelgate mock
run_wrk modelgate-mock "$port"
reply_size=$(wc -c < "$work/reply.json")
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

# nginx with a fixed reply of the same size as the mock's.
reply="$(python3 -c "import sys; print('{\"risk_score\":0.5,\"reasons\":[],\"pad\":\"' + 'x'*max(0,$reply_size-43) + '\"}', end='')")"
nginx_port="$(free_port)"
mkdir -p "$work/nginx"
sed -e "s|@DIR@|$work/nginx|g" -e "s|@PORT@|$nginx_port|g" -e "s|@REPLY@|$reply|g" \
  "$here/nginx.conf.in" > "$work/nginx/nginx.conf"
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=($!)
wait_port "$nginx_port"
run_wrk nginx "$nginx_port"
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

# modelgate serve with the XGBoost model, once per way of computing reason codes: XGBoost's
# approximate contributions and its exact SHAP values.
if [ -f "$root/examples/fraud/model/fraud.json" ]; then
  for method in approximate exact; do
    sed -e "s|method: approximate|method: $method|" "$work/fraud.yaml" > "$work/fraud-$method.yaml"
    contract="$work/fraud-$method.yaml"
    start_modelgate serve
    run_wrk "modelgate-serve-$method" "$port"
    kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
  done
fi
echo "reply_bytes=$reply_size duration_s=$duration connections=$connections"
