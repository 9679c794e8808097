-- wrk script: POST /noop with exactly the bodies of classify.lua: the HTTP stack's ceiling.
-- (Paths are relative to the repository root, where the benchmark runs wrk.)
dofile("bench/http/classify.lua")
