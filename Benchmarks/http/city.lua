-- wrk script: check-ins spread over a whole city-sized store (Benchmarks/restart.sh):
-- each request checks in a resident drawn at random from C000000000 up to
-- SWABLINE_RESIDENTS at site bench0, with an Idempotency-Key, so the server
-- touches residents all over the file, as a district's gates do.
local token = os.getenv("SWABLINE_TOKEN")
local residents = tonumber(os.getenv("SWABLINE_RESIDENTS"))
local threads = 0

function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

local counter = 0

function init()
  math.randomseed(2022 + thread_id)
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/v1/sites/bench0/checkins", {
    ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = string.format("city-%d-%d", thread_id, counter),
  }, string.format('{"resident_code":"C%09d"}', math.random(0, residents - 1)))
end

dofile("Benchmarks/http/result.lua")
