-- wrk script: the ceiling, a small JSON body like a check-in, echoed back.
wrk.method = "POST"
wrk.body = '{"resident_code":"B00000001"}'
wrk.headers["Content-Type"] = "application/json"

dofile("Benchmarks/http/result.lua")
