-- wrk script: every request posts a new comment on the article named by
-- ARTICLE_ID, as a commenter with an approved history (so it appears at
-- once and the article's count changes in the same transaction). With
-- ARTICLE_IDS, each comment goes to an article drawn from that file.
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
local email = os.getenv("COMMENT_EMAIL") or "reader@example.com"
local n = 0

function request()
  n = n + 1
  local body = string.format(
    '{"name": "Bench Reader", "email": "%s", "body": "Comment number %d from the benchmark, %d."}',
    email, n, math.random(1, 1000000))
  return wrk.format("POST", "/api/v1/articles/" .. article() .. "/comments",
    { ["Content-Type"] = "application/json" }, body)
end
