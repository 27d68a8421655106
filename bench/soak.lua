-- wrk script of bench/soak.sh: a mix of the reading room's routes, read from a file of request
-- paths (one a line; a route's weight is how often it appears), each thread starting at a
-- different place; counts responses by status class and prints one summary the script parses.
--
--   wrk -t2 -c64 -d60s --latency -s bench/soak.lua http://127.0.0.1:PORT -- PATHS_FILE

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("id", #threads)
end

function init(args)
   paths = {}
   for line in io.lines(args[1]) do
      if #line > 0 then
         paths[#paths + 1] = line
      end
   end
   if #paths == 0 then
      error("soak.lua: no paths in " .. tostring(args[1]))
   end
   i = ((id or 1) * 7919) % #paths
   s2, s3, s4, s5, sx = 0, 0, 0, 0, 0
end

function request()
   i = i % #paths + 1
   return wrk.format("GET", paths[i])
end

function response(status, headers, body)
   if status < 300 then
      s2 = s2 + 1
   elseif status < 400 then
      s3 = s3 + 1
   elseif status < 500 then
      s4 = s4 + 1
   elseif status < 600 then
      s5 = s5 + 1
   else
      sx = sx + 1
   end
end

function done(summary, latency, requests)
   local c = { s2 = 0, s3 = 0, s4 = 0, s5 = 0, sx = 0 }
   for _, t in ipairs(threads) do
      for k, _ in pairs(c) do
         c[k] = c[k] + (t:get(k) or 0)
      end
   end
   local e = summary.errors
   io.write(string.format("soak: requests %d in %.1fs; 2xx %d, 3xx %d, 4xx %d, 5xx %d, other %d\n",
      summary.requests, summary.duration / 1e6, c.s2, c.s3, c.s4, c.s5, c.sx))
   io.write(string.format("soak: socket errors connect %d, read %d, write %d, timeout %d; non-2xx/3xx %d\n",
      e.connect, e.read, e.write, e.timeout, e.status))
   io.write(string.format("soak: latency ms p50 %.2f, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f\n",
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency:percentile(99.9) / 1000, latency.max / 1000))
end
