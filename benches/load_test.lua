-- wrk script of benches/load_test.sh: requests the tiles listed in a file (one
-- "z/x/y" a line), in order, each thread starting at its own offset, formatting each as
-- PREFIX .. z/x/y .. SUFFIX, with Accept-Encoding: gzip (and the analyst token if set).
--
-- Environment: LOAD_TILES (the list), LOAD_PREFIX ("/tiles/areas/"), LOAD_SUFFIX (".mvt"),
-- LOAD_TOKEN (optional bearer token), LOAD_LABEL (name printed in the result line),
-- LOAD_THREADS (wrk's -t, to spread the threads' starting offsets).
-- At the end it prints one line, for the shell script to parse:
--   RESULT label requests rps p50_ms p90_ms p99_ms max_ms connect read write timeout status bytes

local tiles = {}
local file = assert(io.open(os.getenv("LOAD_TILES"), "r"))
for line in file:lines() do
  if #line > 0 then tiles[#tiles + 1] = line end
end
file:close()

local prefix = os.getenv("LOAD_PREFIX") or "/tiles/areas/"
local suffix = os.getenv("LOAD_SUFFIX") or ".mvt"
local token = os.getenv("LOAD_TOKEN")
local label = os.getenv("LOAD_LABEL") or "server"

wrk.headers["Accept-Encoding"] = "gzip"
if token and #token > 0 then
  wrk.headers["Authorization"] = "Bearer " .. token
end

local thread_count = 0
function setup(thread)
  thread:set("offset", thread_count)
  thread_count = thread_count + 1
end

local i = 0
function init(args)
  -- Each thread walks the list from its own place, so threads do not ask in lockstep.
  local threads = tonumber(os.getenv("LOAD_THREADS") or "2")
  i = math.floor((offset or 0) * #tiles / threads)
end

function request()
  i = i % #tiles + 1
  return wrk.format("GET", prefix .. tiles[i] .. suffix)
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT %s %d %.1f %.3f %.3f %.3f %.3f %d %d %d %d %d %d\n",
    label, summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, e.status, summary.bytes))
end
