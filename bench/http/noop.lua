-- wrk script: POST /noop with exactly the bodies of classify.lua: the HTTP stack's ceiling.
-- The API maps /noop only with ServeNet:Benchmark:NoopEndpoint=true (HttpBenchmark sets it).
-- (Paths are relative to the repository root, where the benchmark runs wrk.)
dofile("bench/http/classify.lua")
