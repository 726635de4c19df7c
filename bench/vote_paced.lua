-- wrk script: votes as vote.lua casts them, paced: each connection waits
-- so that all together cast about VOTE_RATE votes a second (default 1000).
-- Run it with -t 1; the connections share the rate.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)")
dofile(here .. "vote.lua")

local rate = tonumber(os.getenv("VOTE_RATE") or "1000")
local connections = tonumber(os.getenv("VOTE_CONNECTIONS") or "4")

-- Each connection's turn comes every connections/rate seconds; a vote
-- takes a millisecond or two of that.
function delay()
  return math.max(0, math.floor(1000 * connections / rate) - 2)
end
