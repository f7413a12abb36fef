-- wrk script: POST the request body in the file named by the BODY_FILE environment variable.
local file = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
wrk.headers["Content-Type"] = "application/json"
file:close()

-- Every request gets its own idempotency key, so the server runs the model for each one
-- instead of replaying the first answer.
local counter = 0
local prefix, suffix = wrk.body:match('^(.*"idempotency_key":")[^"]*(".*)$')
if prefix then
  request = function()
    counter = counter + 1
    return wrk.format(nil, nil, nil, prefix .. "bench-" .. counter .. suffix)
  end
end

-- Print the figures the benchmark page records, as one machine-readable line.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d rps=%.0f p50_us=%d p99_us=%d errors=%d non2xx=%d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50),
    latency:percentile(99), summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, summary.errors.status))
end
