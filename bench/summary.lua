-- wrk's done() hook: one machine-readable line with the exact counts and latency
-- percentiles (microseconds), next to wrk's own text output. No per-request hook, so
-- it costs nothing while the load runs.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %.0f, "duration_us": %.0f, "bytes": %.0f, ' ..
    '"latency_us": {"mean": %.1f, "p50": %.0f, "p90": %.0f, "p99": %.0f, "max": %.0f}, ' ..
    '"errors": {"connect": %.0f, "read": %.0f, "write": %.0f, "timeout": %.0f, "status": %.0f}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
end
