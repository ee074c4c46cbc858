-- wrk script: a whole gate and its station, at the rate a site produces
-- requests. Run with as many threads as connections (wrk -tN -cN): each
-- thread is one gate with one connection, sending one request at a time,
-- at its own site bench{thread_id} (so SITES >= N), station s1:
--
--   open a pooled tube, check 10 new residents in, call the next group,
--   scan each called resident into the tube, seal it; again.
--
-- That is 10 check-ins, about 10 samples, a call, an open and a seal: what
-- a gate with one station sends for ten people. Every POST carries an
-- Idempotency-Key, as the pages always do and a phone on a bad network must.
-- Residents come from the site's own roster rows: index = offset + site +
-- sites * n (make_site.py puts resident i at site i % sites).
local tokens = {}
for token in string.gmatch(os.getenv("SWABLINE_TOKENS"), "[^,]+") do tokens[#tokens + 1] = token end
local offset = tonumber(os.getenv("SWABLINE_OFFSET") or "0")
local run = os.getenv("SWABLINE_RUN") or "r"
local threads = 0

function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

local step, tube_number, resident_number, checked, called, sampled, keys = "open", 0, 0, 0, {}, 0, 0

local function tube()
  return string.format("BT%s-%d-%d", run, thread_id, tube_number)
end

local function post(path, body)
  keys = keys + 1
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[thread_id + 1],
    ["Idempotency-Key"] = string.format("%s-%d-%d", run, thread_id, keys),
  }, body)
end

function request()
  local site = string.format("bench%d", thread_id)
  if step == "open" then
    return post("/v1/sites/" .. site .. "/tubes", string.format('{"tube":"%s","station":"s1"}', tube()))
  elseif step == "checkin" then
    local index = offset + thread_id + #tokens * resident_number
    return post("/v1/sites/" .. site .. "/checkins", string.format('{"resident_code":"B%08d"}', index))
  elseif step == "call" then
    return post("/v1/sites/" .. site .. "/stations/s1/call", "{}")
  elseif step == "sample" then
    return post("/v1/tubes/" .. tube() .. "/samples", string.format('{"resident_code":"%s"}', called[sampled + 1]))
  else
    return post("/v1/tubes/" .. tube() .. "/seal", "{}")
  end
end

-- The next step follows from the answer to this one; a refused step moves on
-- (wrk counts it as an error), so a gate never stalls.
function response(status, headers, body)
  if step == "open" then
    step, checked = "checkin", 0
  elseif step == "checkin" then
    resident_number = resident_number + 1
    checked = checked + 1
    if checked == 10 then step = "call" end
  elseif step == "call" then
    called, sampled = {}, 0
    for code in string.gmatch(body or "", '"resident_code":"([^"]+)"') do called[#called + 1] = code end
    step = #called > 0 and "sample" or "seal"
  elseif step == "sample" then
    sampled = sampled + 1
    if sampled == #called then step = "seal" end
  else
    tube_number = tube_number + 1
    step = "open"
  end
end

dofile("Benchmarks/http/result.lua")
