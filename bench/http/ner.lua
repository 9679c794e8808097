-- wrk script: POST /ner with realistic news sentences, one text per request, rotating.
local texts = {
  "Angela Merkel visited Paris on Monday to meet French President Emmanuel Macron.",
  "Shares of Microsoft rose 3 percent in New York after the earnings report.",
  "EU rejects German call to boycott British lamb.",
  "The United Nations said on Tuesday that aid convoys had reached Sarajevo.",
  "Manchester United beat Arsenal 2-1 at Old Trafford on Saturday.",
  "Peter Blackburn, a spokesman for the European Commission, declined to comment.",
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
