#!/usr/bin/env bash
# Compares `modelgate serve` of the fraud contract with the FastAPI + pydantic + XGBoost peer
# (fraud_fastapi/app.py) on one machine in one run. Prints one table with, per server, the
# highest requests/s whose p95 stays within the contract's p95 target and the latencies there.
#
# Usage: bench/peers/fraud.sh BUILD_DIR [DURATION_S]
#   BUILD_DIR   a build folder with modelgate and the trained model (cmake --build --preset release)
#   DURATION_S  seconds of each wrk run (default 10). Each server takes one run per connection
#               count of CONNECTIONS (default "1 2 4 8 16 32 64") after a 2-second warm-up.
#
# Both servers get one core's worth of serving: modelgate one server thread and one worker
# thread, the peer one uvicorn worker process. Every request carries its own idempotency key.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build="${1:?usage: fraud.sh BUILD_DIR [DURATION_S]}"
duration="${2:-10}"
binary="$build/modelgate"
model="$repo_root/examples/fraud/model/fraud.json"
[ -x "$binary" ] || fail "$binary not found; build with cmake --build --preset release"
[ -f "$model" ] || fail "$model not found; the build trains it (cmake --build --preset release)"

contract="$work/fraud.yaml"
relax_contract "$repo_root/examples/fraud/contract.yaml" "$contract"
p95_target_ms="$(contract_p95_ms "$contract")"
body="$work/body.json"
printf '%s' '{"transaction_id":"tx_20261204_000123","amount":249.9,"currency":"EUR","features":{"merchant_category":"electronics","country_mismatch":true,"card_age_days":12,"txn_count_1h":3,"txn_count_24h":9,"hour_of_day":2},"idempotency_key":"7f2c9a1e-5b7d-4c1a-9e0f-000000000123"}' > "$body"

echo "fraud: sweeping connections $connections_list, ${duration} s each" >&2

# Idempotency records stay in memory: a durable record costs one fsync per new key, which
# measures the disk rather than the server.
port="$(free_port)"
start_server modelgate "$binary" serve "$contract" --host 127.0.0.1 --port "$port" \
  --threads 1 --workers 1 --no-access-log --state-dir ""
wait_ready modelgate "http://127.0.0.1:$port/v1/score" "$body"
sweep modelgate "http://127.0.0.1:$port/v1/score" "$body" "$duration"
stop_server

port="$(free_port)"
start_server fastapi env PYTHONPATH="$peers_dir" "$python" -m fraud_fastapi.app \
  --model "$model" --host 127.0.0.1 --port "$port"
wait_ready fastapi "http://127.0.0.1:$port/v1/score" "$body"
# Both must do the same work: the same score (to 1e-6) and reasons for the benchmark request.
"$python" -c 'import json, sys
ours, peer = (json.load(open(path)) for path in sys.argv[1:])
same = abs(ours["risk_score"] - peer["risk_score"]) <= 1e-6 and ours["reasons"] == peer["reasons"]
sys.exit(0 if same else f"the peer scored {peer}, modelgate {ours}")' \
  "$work/modelgate.reply" "$work/fastapi.reply"
sweep fastapi "http://127.0.0.1:$port/v1/score" "$body" "$duration"
stop_server

echo
echo "Fraud scoring: highest requests/s with p95 within ${p95_target_ms} ms (wrk -t1, ${duration} s per run)"
echo
echo "| server | requests/s | connections | p50 | p95 | p99 |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
best_row modelgate "modelgate serve (1 thread, 1 worker)" "$p95_target_ms"
best_row fastapi "FastAPI + xgboost (1 uvicorn worker)" "$p95_target_ms"
