-- wrk script: every request is a new reader's vote (no cookie, so gazette
-- makes a new visitor each time) on the article named by ARTICLE_ID.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)")
dofile(here .. "report.lua")
dofile(here .. "writes.lua")

local id = os.getenv("ARTICLE_ID") or "1"

function request()
  local body = string.format('{"stars": %d}', math.random(1, 5))
  return wrk.format("POST", "/api/v1/articles/" .. id .. "/rating",
    { ["Content-Type"] = "application/json" }, body)
end
