#!/usr/bin/env bash
# Measures dynamic batching on the fraud model: the same open-loop offered load against
# `modelgate serve` without and with `behavior.batching`, one run each per rate, and prints the
# achieved throughput, p50, p95 and p99 side by side.
#
# Usage: bench/batching/run.sh BUILD_DIR [DURATION_S] [RATES]
#   BUILD_DIR   a release build folder with modelgate and the trained fraud model
#   DURATION_S  seconds of each `modelgate load` run (default 10)
#   RATES       offered rates in requests per second (default "500 1000 2000 4000")
#
# Both servers run one server thread and one worker thread, so the model is the bottleneck that
# batching can relieve. Rate limits are lifted; the deadline (120 ms) stays in force. Every
# request carries its own idempotency key, so each one runs the model.
set -euo pipefail
source "$(dirname "$0")/../peers/lib.sh"

build="${1:?usage: run.sh BUILD_DIR [DURATION_S] [RATES]}"
duration="${2:-10}"
rates="${3:-500 1000 2000 4000}"
binary="$build/modelgate"
[ -x "$binary" ] || fail "$binary not found; build with cmake --build --preset release"
[ -f "$repo_root/examples/fraud/model/fraud.json" ] ||
  fail "the fraud model is missing; the build trains it (cmake --build --preset release)"

plain="$work/plain.yaml"
batched="$work/batched.yaml"
relax_contract "$repo_root/examples/fraud/contract.yaml" "$plain"
sed 's|^behavior:$|behavior:\n  batching: {max_batch: 32, max_delay_ms: 2}|' "$plain" > "$batched"
grep -q 'max_delay_ms: 2' "$batched" || fail "could not add batching to the contract"
body="$work/body.json"
printf '%s' '{"transaction_id":"tx_1","amount":249.9,"currency":"EUR","features":{"merchant_category":"electronics","card_age_days":12},"idempotency_key":"k-1"}' > "$body"

# Prints "achieved_rps p50 p95 p99 errors" of one load run.
measure() {
  local url="$1" rate="$2"
  "$binary" load "$plain" --target "$url" --rate "$rate" --duration "$duration" \
    --connections 256 --format json --max-error-rate 1 > "$work/load.json" || true
  "$python" -c 'import json, sys
run = json.load(open(sys.argv[1]))["run"]
latency = run["latency_ms"]
errors = sum(run["http_errors"].values()) + sum(run["transport_errors"].values())
print("%.0f %.2f %.2f %.2f %d" % (run["achieved_rps"], latency["p50"], latency["p95"],
                                 latency["p99"], errors))' \
    "$work/load.json"
}

declare -A results
for variant in plain batched; do
  port="$(free_port)"
  start_server "$variant" "$binary" serve "$work/$variant.yaml" --host 127.0.0.1 --port "$port" \
    --threads 1 --workers 1 --no-access-log --state-dir ""
  wait_ready "$variant" "http://127.0.0.1:$port/v1/score" "$body"
  for rate in $rates; do
    results[$variant,$rate]="$(measure "http://127.0.0.1:$port" "$rate")"
    echo "  $variant $rate rps: ${results[$variant,$rate]}" >&2
  done
  rows="$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^modelgate_model_batch_rows_(sum|count)/ {print $2}' | paste -sd' ')"
  echo "  $variant rows per model call (sum count): $rows" >&2
  stop_server
done

echo
echo "Fraud scoring, open-loop load (modelgate load, ${duration} s per run), 1 server thread, 1 worker"
echo
echo "| offered rps | batching | achieved rps | p50 ms | p95 ms | p99 ms | errors |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"
for rate in $rates; do
  for variant in plain batched; do
    read -r achieved p50 p95 p99 errors <<< "${results[$variant,$rate]}"
    label=$([ "$variant" = batched ] && echo "max 32 rows, 2 ms" || echo "off")
    echo "| $rate | $label | $achieved | $p50 | $p95 | $p99 | $errors |"
  done
done
