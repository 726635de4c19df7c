-- wrk script: every request posts a new comment on the article named by
-- ARTICLE_ID, as a commenter with an approved history (so it appears at
-- once and the article's count changes in the same transaction).
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)")
dofile(here .. "report.lua")
dofile(here .. "writes.lua")

local id = os.getenv("ARTICLE_ID") or "1"
local email = os.getenv("COMMENT_EMAIL") or "reader@example.com"
local n = 0

function request()
  n = n + 1
  local body = string.format(
    '{"name": "Bench Reader", "email": "%s", "body": "Comment number %d from the benchmark, %d."}',
    email, n, math.random(1, 1000000))
  return wrk.format("POST", "/api/v1/articles/" .. id .. "/comments",
    { ["Content-Type"] = "application/json" }, body)
end
