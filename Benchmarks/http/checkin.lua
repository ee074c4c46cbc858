-- wrk script: every request checks in a resident never seen before, so each
-- one is a new durable write, at that resident's own site (bench{i % sites})
-- with that site's staff token, and carries an Idempotency-Key, as a page or
-- a phone on a bad network does. Each wrk thread takes its own range of codes.
local counter = 0
local threads = 0
local tokens = {}
for token in string.gmatch(os.getenv("SWABLINE_TOKENS"), "[^,]+") do tokens[#tokens + 1] = token end
local per_thread = tonumber(os.getenv("SWABLINE_PER_THREAD"))
-- Where this run's codes start: several wrk processes (one per node) and several runs take disjoint ranges.
local offset = tonumber(os.getenv("SWABLINE_OFFSET") or "0")

-- setup runs in the main Lua state; thread:set makes `thread_id` a global of that thread's state.
function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

function request()
  local index = offset + thread_id * per_thread + counter
  local site = index % #tokens
  counter = counter + 1
  return wrk.format("POST", string.format("/v1/sites/bench%d/checkins", site),
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[site + 1],
      ["Idempotency-Key"] = string.format("checkin-%d", index) },
    string.format('{"resident_code":"B%08d"}', index))
end

dofile("Benchmarks/http/result.lua")
