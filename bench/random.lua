-- wrk script: each request reads a path drawn at random from the file named
-- by PATHS (one path a line), so that answers kept by a cache are seldom
-- asked for again.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)")
dofile(here .. "report.lua")
dofile(here .. "pick.lua")

-- Paths may hold UTF-8 (Arabic slugs): sent percent-encoded, as links are.
local paths = {}
for i, p in ipairs(pick_load(os.getenv("PATHS"))) do
  paths[i] = p:gsub("[\128-\255]", function(c) return string.format("%%%02X", c:byte()) end)
end

function request()
  return wrk.format("GET", pick(paths))
end
