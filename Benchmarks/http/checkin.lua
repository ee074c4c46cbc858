-- wrk script: every request checks in a resident never seen before, so each
-- one is a new durable write. Each wrk thread takes its own range of codes.
local counter = 0
local thread_id = 0
local token = os.getenv("SWABLINE_TOKEN")
local per_thread = tonumber(os.getenv("SWABLINE_PER_THREAD"))

function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end

function request()
  local body = string.format('{"resident_code":"B%08d"}', thread_id * per_thread + counter)
  counter = counter + 1
  return wrk.format("POST", "/v1/sites/bench/checkins",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end

dofile("Benchmarks/http/result.lua")
