#!/usr/bin/env bash
# Runs wrk (closed loop, -t1 -cN) and `modelgate load --concurrency N` one after the other
# against the same `modelgate mock` of the fraud contract on 127.0.0.1, and prints throughput,
# p50 and p99 of both with their differences.
# Usage: bench/load/agree.sh BUILD_DIR [DURATION_S] [CONNECTIONS]
# Tolerance checked: the throughput and p50 of modelgate load are within 20 % of wrk's. The p99
# is printed but not checked, because on a 2-core machine that runs server and client together
# the tail varies more than that from run to run. Exit 0 within tolerance, 1 outside.
# Also printed, unchecked: each tool's user and system CPU time per request (from /usr/bin/time),
# which depends less on other load on the machine than throughput does, and the load average.
# The server is stopped by its PID when the script ends.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:?usage: agree.sh BUILD_DIR [DURATION_S] [CONNECTIONS]}"
duration="${2:-10}"
connections="${3:-16}"
binary="$build/modelgate"
tolerance_pct=20
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The fraud contract with its rate limits lifted, as bench/http/run.sh serves it, so both tools
# measure capacity instead of the 300 rps the contract admits.
contract="$work/fraud.yaml"
sed -e "s|throughput_rps: 300|throughput_rps: 10000000|" -e "s|burst_rps: 600|burst_rps: 20000000|" \
  "$root/examples/fraud/contract.yaml" > "$contract"

# One body for both tools; each gives every request its own idempotency key.
body='{"transaction_id":"tx_20261204_000123","amount":249.9,"currency":"EUR","features":{"merchant_category":"electronics","country_mismatch":true,"card_age_days":12,"txn_count_1h":3,"txn_count_24h":9,"hour_of_day":2},"idempotency_key":"7f2c9a1e-5b7d-4c1a-9e0f-000000000123"}'
printf '%s' "$body" > "$work/body.json"
printf '%s\n' "$body" > "$work/bodies.jsonl"

port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$binary" mock "$contract" --host 127.0.0.1 --port "$port" --threads 1 --no-access-log \
  --state-dir "" 2> "$work/mock.err" &
pids+=($!)
for _ in $(seq 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.05
done

BODY_FILE="$work/body.json" /usr/bin/time -f "%U %S" -o "$work/wrk.time" wrk -t1 -c"$connections" -d"${duration}s" --latency \
  -s "$root/bench/http/post.lua" "http://127.0.0.1:$port/v1/score" > "$work/wrk.out" 2>&1
# modelgate load exits 1 when the contract's targets are missed; the figures are what counts.
/usr/bin/time -f "%U %S" -o "$work/load.time" "$binary" load "$contract" --target "http://127.0.0.1:$port" --concurrency "$connections" \
  --duration "$duration" --bodies "$work/bodies.jsonl" --format json > "$work/load.json" || true

/usr/bin/python3 - "$work/wrk.out" "$work/load.json" "$tolerance_pct" "$work/wrk.time" \
  "$work/load.time" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
wrk_line = next(l for l in open(sys.argv[1]) if l.startswith("RESULT"))
wrk = dict(part.split("=") for part in wrk_line.split()[1:])
run = json.load(open(sys.argv[2]))["run"]
tolerance = float(sys.argv[3])
rows = [
    ("throughput_rps", float(wrk["rps"]), run["achieved_rps"], True),
    ("p50_ms", int(wrk["p50_us"]) / 1000, run["latency_ms"]["p50"], True),
    ("p99_ms", int(wrk["p99_us"]) / 1000, run["latency_ms"]["p99"], False),
]
ok = True
print(f"{'figure':<16}{'wrk':>12}{'load':>12}{'diff %':>10}  checked")
for name, theirs, ours, checked in rows:
    diff = (ours - theirs) / theirs * 100 if theirs else float("inf")
    within = abs(diff) <= tolerance
    ok = ok and (within or not checked)
    verdict = ("ok" if within else "OUTSIDE") if checked else "no"
    print(f"{name:<16}{theirs:>12.3f}{ours:>12.3f}{diff:>10.1f}  {verdict}")
def cpu_micros_per_request(path, requests):
    # /usr/bin/time writes "USER SYS" in seconds on its last line.
    user, system = map(float, open(path).read().split()[-2:])
    return user / requests * 1e6, system / requests * 1e6
wrk_cpu = cpu_micros_per_request(sys.argv[4], int(wrk["requests"]))
load_cpu = cpu_micros_per_request(sys.argv[5], run["responses"])
for index, name in enumerate(["user_us_per_req", "sys_us_per_req"]):
    print(f"{name:<16}{wrk_cpu[index]:>12.2f}{load_cpu[index]:>12.2f}{'':>10}  no")
print(f"wrk errors={wrk['errors']} non2xx={wrk['non2xx']}; load errors: "
      f"{run['http_errors']} {run['transport_errors']}; tolerance {tolerance:g} %; "
      f"load average {sys.argv[6]}")
sys.exit(0 if ok else 1)
PY
