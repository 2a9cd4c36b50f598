-- wrk report for bench/load_bench.py: one JSON line with requests, errors and percentiles.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "errors": %d, "p50_ms": %.2f, "p95_ms": %.2f}\n',
    summary.requests, summary.duration, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
