-- POST /api/v1/bypass-decisions: two infrastructure failures in staging.
function init(args)
  key = os.getenv("BENCH_KEY")
end

function request()
  return wrk.format("POST", "/api/v1/bypass-decisions",
    { ["Content-Type"] = "application/json", ["X-API-Key"] = key },
    '{"environment":"staging","critical_failures":2,"failure_types":["database_timeout"],'
      .. '"service":"bench","deployment":"bench","requested_by":"bench"}')
end
