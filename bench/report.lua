-- wrk script: at the end, print one machine-readable line with the
-- throughput, the median and 99th percentile latency (milliseconds), the
-- number of responses with a status of 400 or more (wrk counts those) and
-- the number of socket errors.
--
-- Reads pass nginx's cache by, as the newsroom's do (with its session
-- cookie), so that the figures are gazette's own; BENCH_BYPASS=0 reads
-- through the cache, as readers do.
if os.getenv("BENCH_BYPASS") ~= "0" then
  wrk.headers["Cookie"] = "gz_session=bench-passes-the-cache"
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "BENCH requests=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d socket_errors=%d\n",
    summary.requests,
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    e.status,
    e.connect + e.read + e.write + e.timeout))
end
