-- wrk script of the peer benchmarks: POST the body in the file named by BODY_FILE to every
-- request, and print the run's figures as one RESULT line.
--
-- When the body has an "idempotency_key" member, every request gets its own key
-- KEY_PREFIX .. counter, so the server runs the model for each one instead of replaying a stored
-- response. Run wrk with one thread (-t1): each thread has its own counter, so two threads would
-- send the same keys. Set KEY_PREFIX to a value unique to the run when one server takes
-- several runs.
local file = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
wrk.headers["Content-Type"] = "application/json"
file:close()

local key_prefix = os.getenv("KEY_PREFIX") or "bench-"
local counter = 0
local before, after = wrk.body:match('^(.*"idempotency_key":%s*")[^"]*(".*)$')
if before then
  request = function()
    counter = counter + 1
    return wrk.format(nil, nil, nil, before .. key_prefix .. counter .. after)
  end
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d rps=%.1f p50_us=%d p95_us=%d p99_us=%d errors=%d non2xx=%d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), summary.errors.connect +
    summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))
end
