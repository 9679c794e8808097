-- wrk script: POST /noop with the same bodies as classify.lua: the HTTP stack's ceiling.
local texts = {
  "A gorgeous, witty, seductive movie that never loses its grip.",
  "It's a dull, overlong mess with nothing new to say.",
  "The performances are strong, but the script is painfully thin.",
  "An absorbing character study by a director in full command of his craft.",
  "I can't recommend this tedious and predictable film to anyone.",
  "Funny, warm and wise -- the best comedy of the year.",
  "Not nearly as clever as it thinks it is.",
  "A moving portrait of a family falling apart, beautifully acted.",
}
local bodies = {}
for i, t in ipairs(texts) do bodies[i] = '{"text": "' .. t .. '"}' end
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  return wrk.format(nil, wrk.path, nil, bodies[(n % #bodies) + 1])
end
