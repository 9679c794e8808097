-- wrk script: POST /classify and /ner in turn (the sentences of classify.lua and ner.lua), one text per request.
local reviews = {
  "A gorgeous, witty, seductive movie that never loses its grip.",
  "It's a dull, overlong mess with nothing new to say.",
  "The performances are strong, but the script is painfully thin.",
  "Funny, warm and wise -- the best comedy of the year.",
}
local news = {
  "Angela Merkel visited Paris on Monday to meet French President Emmanuel Macron.",
  "Shares of Microsoft rose 3 percent in New York after the earnings report.",
  "The United Nations said on Tuesday that aid convoys had reached Sarajevo.",
  "Manchester United beat Arsenal 2-1 at Old Trafford on Saturday.",
}
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  if n % 2 == 0 then
    return wrk.format(nil, "/classify", nil, '{"text": "' .. reviews[(n / 2) % #reviews + 1] .. '"}')
  end
  return wrk.format(nil, "/ner", nil, '{"text": "' .. news[((n - 1) / 2) % #news + 1] .. '"}')
end
