-- wrk script: every request is a new reader's vote (no cookie, so gazette
-- makes a new visitor each time) on the article named by ARTICLE_ID, or on
-- one drawn from the file named by ARTICLE_IDS.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)")
dofile(here .. "report.lua")
dofile(here .. "writes.lua")
dofile(here .. "pick.lua")

-- ARTICLE_IDS, when set, names a file of article ids to draw from.
local fixed = os.getenv("ARTICLE_ID") or "1"
local ids = pick_load(os.getenv("ARTICLE_IDS"))
local function article()
  return #ids > 0 and pick(ids) or fixed
end

function request()
  local body = string.format('{"stars": %d}', math.random(1, 5))
  return wrk.format("POST", "/api/v1/articles/" .. article() .. "/rating",
    { ["Content-Type"] = "application/json" }, body)
end
