-- POST /api/v1/attempts with 100 fresh attempts per request (new ids every time).
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + tid * 7919)
  key = os.getenv("BENCH_KEY")
end

local function uuid()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function(c)
    local v = (c == "x") and math.random(0, 0xf) or math.random(8, 0xb)
    return string.format("%x", v)
  end))
end

function request()
  local parts = {}
  for i = 1, 100 do
    parts[i] = '{"id":"' .. uuid() .. '","environment":"staging","operation":"connection","duration_seconds":'
      .. string.format("%.3f", 1 + math.random()) .. ',"success":true,"service":"bench"}'
  end
  return wrk.format("POST", "/api/v1/attempts",
    { ["Content-Type"] = "application/json", ["X-API-Key"] = key }, "[" .. table.concat(parts, ",") .. "]")
end
