-- Shared by the write scripts, loaded after report.lua: remembers the first
-- few answers that were not 2xx (status and the start of the body) in each
-- thread, and prints them before report.lua's line, so a failed write run
-- says why.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = ""
  bad_count = 0
end

function response(status, headers, body)
  if status >= 300 and bad_count < 3 then
    bad_count = bad_count + 1
    bad = bad .. string.format("NON2XX %d %s\n", status, (body or ""):sub(1, 160):gsub("\n", " "))
  end
end

function print_bad()
  for _, t in ipairs(threads) do
    local b = t:get("bad")
    if b and #b > 0 then io.write(b) end
  end
end

local report = done
function done(summary, latency, requests)
  print_bad()
  report(summary, latency, requests)
end
