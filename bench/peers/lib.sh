# Shared functions of the peer benchmark scripts; source it after `set -euo pipefail`.
#
# Every server listens on 127.0.0.1 on a free port, and every process started here is stopped
# by its PID when the script exits. Settings from the environment:
#   CONNECTIONS      wrk connection counts to sweep (default "1 2 4 8 16 32 64")
#   READY_TIMEOUT_S  seconds a server may take to return 200 to its first request (default 120)

peers_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$peers_dir/../.." && pwd)"
python=/usr/bin/python3
connections_list="${CONNECTIONS:-1 2 4 8 16 32 64}"
ready_timeout_s="${READY_TIMEOUT_S:-120}"
work="$(mktemp -d)"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
# Exit on Ctrl-C and SIGTERM through the EXIT trap, so the servers stop too.
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

free_port() {
  "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Starts a server in the background with its output in $work/NAME.log; sets server_pid.
# Usage: start_server NAME COMMAND...
start_server() {
  local name="$1"
  shift
  "$@" > "$work/$name.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
}

# Waits until URL returns 200 to a POST of BODY_FILE and stores the reply in $work/NAME.reply.
# Fails with the server's log when the server exits or does not respond in time.
# Usage: wait_ready NAME URL BODY_FILE
wait_ready() {
  local name="$1" url="$2" body="$3" status deadline=$((SECONDS + ready_timeout_s))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      cat "$work/$name.log" >&2
      fail "$name exited before responding to $url"
    fi
    status="$(curl -s -o "$work/$name.reply" -w '%{http_code}' --max-time 10 -X POST \
      -H 'Content-Type: application/json' --data-binary @"$body" "$url" || true)"
    if [ "$status" = 200 ]; then return 0; fi
    if [ "$status" != 000 ]; then
      cat "$work/$name.reply" >&2
      fail "$name returned HTTP $status to $url instead of 200"
    fi
    sleep 0.2
  done
  cat "$work/$name.log" >&2
  fail "$name did not return 200 to $url within ${ready_timeout_s} s; raise READY_TIMEOUT_S"
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}

# Prints the peak resident set size (VmHWM) of the server in KiB.
peak_rss_kib() {
  awk '/^VmHWM:/ {print $2}' "/proc/$server_pid/status"
}

# Writes a copy of a contract that modelgate can serve from $work: the model artifact becomes an
# absolute path, and the rate limits are lifted so that runs measure capacity instead of the
# contract's admitted rate. Every other clause, the deadline included, stays in force.
# Usage: relax_contract SOURCE DESTINATION
relax_contract() {
  local source_dir
  source_dir="$(cd "$(dirname "$1")" && pwd)"
  sed -E -e "s|^( *artifact: *)([^/ ][^ ]*)|\1$source_dir/\2|" \
    -e 's|throughput_rps: *[0-9]+|throughput_rps: 10000000|' \
    -e 's|burst_rps: *[0-9]+|burst_rps: 20000000|' "$1" > "$2"
}

# Prints constraints.latency_ms.p95 of a contract, in milliseconds.
contract_p95_ms() {
  "$python" -c 'import sys, yaml
print(yaml.safe_load(open(sys.argv[1]))["constraints"]["latency_ms"]["p95"])' "$1"
}

# Runs wrk (one thread, bounded by DURATION) with sweep.lua and prints its RESULT line without
# the word RESULT. Usage: run_wrk URL BODY_FILE CONNECTIONS DURATION_S KEY_PREFIX
run_wrk() {
  local url="$1" body="$2" connections="$3" duration="$4" output
  output="$(BODY_FILE="$body" KEY_PREFIX="$5" timeout $((duration + 30)) \
    wrk -t1 -c"$connections" -d"${duration}s" --timeout 5s -s "$peers_dir/sweep.lua" "$url" 2>&1)" ||
    fail "wrk failed against $url: $output"
  grep '^RESULT' <<< "$output" | cut -d' ' -f2- || fail "wrk printed no RESULT line: $output"
}

# Runs wrk at each connection count of $connections_list after a 2-second warm-up, prints each
# run to standard error and appends "SERVER CONNECTIONS RESULT..." lines to $work/sweep.
# Usage: sweep SERVER URL BODY_FILE DURATION_S
sweep() {
  local server="$1" url="$2" body="$3" duration="$4" connections line
  run_wrk "$url" "$body" 4 2 "$server-warmup-" > /dev/null
  for connections in $connections_list; do
    line="$(run_wrk "$url" "$body" "$connections" "$duration" "$server-c$connections-")"
    echo "  $server c=$connections $line" >&2
    echo "$server $connections $line" >> "$work/sweep"
  done
}

# Prints the table row of SERVER, headed LABEL: the highest requests/s among its runs without
# errors whose p95 stays within the target, with that run's connection count and latencies.
# Usage: best_row SERVER LABEL P95_TARGET_MS
best_row() {
  awk -v server="$1" -v label="$2" -v target_us="$(($3 * 1000))" '
    $1 == server {
      for (i = 3; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
      if (f["errors"] == 0 && f["non2xx"] == 0 && f["p95_us"] <= target_us && f["rps"] > best) {
        best = f["rps"]; row = sprintf("| %s | %d | %s | %.2f ms | %.2f ms | %.2f ms |", label,
          best, $2, f["p50_us"] / 1000, f["p95_us"] / 1000, f["p99_us"] / 1000)
      }
    }
    END { print row != "" ? row : "| " label " | none within the p95 target | | | | |" }
  ' "$work/sweep"
}
