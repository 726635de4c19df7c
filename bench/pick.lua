-- Shared by the scripts that draw at random: pick_load reads a file's
-- lines into a list, pick draws one. Each wrk thread seeds its own draws.
function pick_load(file)
  local list = {}
  if file and #file > 0 then
    for line in io.lines(file) do
      if #line > 0 then list[#list + 1] = line end
    end
    assert(#list > 0, file .. " is empty")
  end
  return list
end

local address = tonumber(tostring({}):match("0x(%x+)") or "0", 16) or 0
math.randomseed(os.time() + address % 1000003)

function pick(list)
  return list[math.random(#list)]
end
