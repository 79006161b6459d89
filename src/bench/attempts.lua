-- POST /api/v1/attempts with BENCH_BATCH (default 100) fresh attempts per request (new ids every time). The load generator
-- shares the cores with the service, so each body is one string.format per attempt: ids are unique per
-- run (start time), thread and request, not random.
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end

function init(args)
  key = os.getenv("BENCH_KEY")
  run = os.time() % 0x100000000
  sent = 0
  batch = tonumber(os.getenv("BENCH_BATCH") or "100")
end

local attempt = '{"id":"%08x-%04x-4000-8000-%012x","environment":"staging","operation":"connection",'
  .. '"duration_seconds":%d.%03d,"success":true,"service":"bench"}'

function request()
  local parts = {}
  for i = 1, batch do
    sent = sent + 1
    parts[i] = string.format(attempt, run, tid, sent, 1 + sent % 2, sent % 1000)
  end
  return wrk.format("POST", "/api/v1/attempts",
    { ["Content-Type"] = "application/json", ["X-API-Key"] = key }, "[" .. table.concat(parts, ",") .. "]")
end
