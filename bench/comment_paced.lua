-- wrk script: comments as comment.lua posts them, paced: each connection
-- waits so that all together post about COMMENT_RATE comments a second
-- (default 20). Run it with -t 1; the connections share the rate.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)")
dofile(here .. "comment.lua")

local rate = tonumber(os.getenv("COMMENT_RATE") or "20")
local connections = tonumber(os.getenv("COMMENT_CONNECTIONS") or "2")

function delay()
  return math.max(0, math.floor(1000 * connections / rate) - 2)
end
