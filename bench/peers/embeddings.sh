#!/usr/bin/env bash
# Compares `modelgate serve` of the embeddings contract with the FastAPI + fastText peer
# (embed_fastapi/app.py) on one machine in one run, at batches of 1, 16 and 32 texts. Prints one
# table: per server and batch size, requests/s and texts/s with p50, p95 and p99, and each
# server's peak resident set size (VmHWM) over all its runs.
#
# Usage: bench/peers/embeddings.sh BUILD_DIR [DURATION_S]
#   BUILD_DIR   a build folder with modelgate (cmake --build --preset release)
#   DURATION_S  seconds of each wrk run (default 10), at EMBED_CONNECTIONS connections
#               (default 4) after a 2-second warm-up
# Settings from the environment:
#   EMBED_MODEL      fastText model (default examples/embeddings/model/embeddings.bin)
#   EMBED_CONTRACT   contract modelgate serves (default examples/embeddings/contract.yaml)
#   SKIP_MODELGATE   1 runs the peer alone, for a model without its contract
#
# modelgate runs one server thread and one worker thread; the peer runs one uvicorn worker.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build="${1:?usage: embeddings.sh BUILD_DIR [DURATION_S]}"
duration="${2:-10}"
binary="$build/modelgate"
model="${EMBED_MODEL:-$repo_root/examples/embeddings/model/embeddings.bin}"
source_contract="${EMBED_CONTRACT:-$repo_root/examples/embeddings/contract.yaml}"
connections="${EMBED_CONNECTIONS:-4}"
batch_sizes=(1 16 32)
servers=()
[ -f "$model" ] || fail "$model not found; build the embeddings example or set EMBED_MODEL"
model="$(realpath "$model")"
if [ "${SKIP_MODELGATE:-0}" != 1 ]; then
  [ -x "$binary" ] || fail "$binary not found; build with cmake --build --preset release"
  [ -f "$source_contract" ] || fail "$source_contract not found; set EMBED_CONTRACT"
  servers+=(modelgate)
fi
servers+=(fastapi)

node "$peers_dir/embed_bodies.js" "$work" "${batch_sizes[@]}" >&2
echo "embeddings: batches ${batch_sizes[*]}, $connections connections, ${duration} s each" >&2

# Runs every batch size against the running server and records its peak RSS in $work/NAME.rss.
run_batches() {  # NAME URL
  local size line
  run_wrk "$2" "$work/body-1.json" "$connections" 2 "$1-warmup-" > /dev/null
  for size in "${batch_sizes[@]}"; do
    line="$(run_wrk "$2" "$work/body-$size.json" "$connections" "$duration" "$1-b$size-")"
    echo "  $1 batch=$size $line" >&2
    echo "$1 $size $line" >> "$work/sweep"
  done
  peak_rss_kib > "$work/$1.rss"
}

for server in "${servers[@]}"; do
  port="$(free_port)"
  if [ "$server" = modelgate ]; then
    # Both servers load the same model file.
    contract="$work/embeddings.yaml"
    relax_contract "$source_contract" "$contract"
    sed -i -E "s|^( *artifact: *).*|\1$model|" "$contract"
    start_server modelgate "$binary" serve "$contract" --host 127.0.0.1 --port "$port" \
      --threads 1 --workers 1 --no-access-log --state-dir ""
  else
    # The peer reports the contract's model version when the contract is served too.
    version_option=()
    if [ "${SKIP_MODELGATE:-0}" != 1 ]; then
      version_option=(--model-version "$("$python" -c 'import sys, yaml
print(yaml.safe_load(open(sys.argv[1]))["model"]["version"])' "$source_contract")")
    fi
    start_server fastapi env PYTHONPATH="$peers_dir" "$python" -m embed_fastapi.app \
      --model "$model" "${version_option[@]}" --host 127.0.0.1 --port "$port"
  fi
  wait_ready "$server" "http://127.0.0.1:$port/v1/embed" "$work/body-32.json"
  run_batches "$server" "http://127.0.0.1:$port/v1/embed"
  stop_server
done

echo
echo "Embeddings: $connections connections, wrk -t1, ${duration} s per batch size"
echo
echo "| server | batch | requests/s | texts/s | p50 | p95 | p99 | errors | peak RSS |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
declare -A labels=([modelgate]="modelgate serve" [fastapi]="FastAPI + fastText")
for server in "${servers[@]}"; do
  awk -v server="$server" -v label="${labels[$server]}" -v rss_kib="$(cat "$work/$server.rss")" '
    $1 == server {
      for (i = 3; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
      if (f["requests"] == 0) {
        printf "| %s | %d | no request finished; run longer | | | | | %d | %.0f MiB |\n",
          label, $2, f["errors"] + f["non2xx"], rss_kib / 1024
        next
      }
      printf "| %s | %d | %.1f | %.0f | %.2f ms | %.2f ms | %.2f ms | %d | %.0f MiB |\n",
        label, $2, f["rps"], f["rps"] * $2, f["p50_us"] / 1000, f["p95_us"] / 1000,
        f["p99_us"] / 1000, f["errors"] + f["non2xx"], rss_kib / 1024
    }
  ' "$work/sweep"
done
echo
for server in "${servers[@]}"; do
  echo "${labels[$server]}: reply to a batch of 32 is $(wc -c < "$work/$server.reply") bytes"
done
