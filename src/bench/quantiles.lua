-- wrk script of timeouts.sh: after a run, its requests and duration (µs), then its latency quantiles (µs), finer
-- towards the tail, so that the p50 and p99 of several runs together can be found (merge_quantiles in lib.sh).
done = function(summary, latency, requests)
  io.write(string.format("S %d %d\n", summary.requests, summary.duration))
  local function q(p)
    io.write(string.format("Q %.2f %.1f\n", p, latency:percentile(p)))
  end
  for i = 1, 49 do q(i) end
  for i = 500, 899 do q(i / 10) end
  for i = 9000, 9999 do q(i / 100) end
  io.write(string.format("Q 100.00 %.1f\n", latency.max))
end
