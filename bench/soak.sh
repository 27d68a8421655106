#!/usr/bin/env bash
# Soak test of `chancery serve` (issue 14): mixed routes under wrk, bad clients, and an ingest
# into the same data directory, all at once, on loopback.
#
#   bench/soak.sh                   # 300 s over a 10,000-document archive plus the real corpus
#   bench/soak.sh --seconds 20 --docs 1000   # the CI run
#
# Options: --seconds N (load duration, default 300), --docs N (generated documents served,
# default 10000; the ingest that runs meanwhile adds a quarter as many), --connections N (wrk,
# default 64), --slow N (clients sending their headers a byte a second, default 20), --idle N
# (clients that connect and never send, default 200), --hangups N (clients that ask for the
# largest page and hang up mid-response, in a loop, default 8), --max-rss-mb N (peak VmHWM
# allowed, default 2048), --bin FILE / --bench FILE, --no-build, --keep, --pending fail|warn.
# Environment: SOAK_WORK (default target/soak), SOAK_CORPUS (default ../shared/corpus),
# SOAK_PORT (default 18180; a free one is taken when it is busy).
#
# Checks (exit 1 on any violation, 2 on a setup error):
#   - the server is alive at the end                      [#14 pending when it died of SIGPIPE]
#   - wrk saw no non-2xx/3xx response and no socket error (connect, read, write, timeout)
#   - peak memory (VmHWM) under --max-rss-mb
#   - the ingest beside the server completed (exit 0)
#   - [#14 pending] after the ingest, the server's search finds what its pages list
#     (/api/search total = /api/collections total within 10 s: finding 5)
#   - [#14 pending] with --seconds 60 or more: the server closed every slow and idle client
#     by the end (header and idle timeouts: finding 4)
# "[#14 pending]" marks what the main of the day this was written fails (the changes are being
# made for issue 14); `--pending warn` reports them without failing (CI uses it until those
# changes are merged). The deliberately bad clients' own failures are reported, not counted as
# errors.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=300
DOCS=10000
CONNS=64
SLOW=20
IDLE=200
HANGUPS=8
MAX_RSS_MB=2048
BIN=""
BENCH=""
BUILD=1
KEEP=0
PENDING=fail
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) SECS=$2; shift 2 ;;
        --docs) DOCS=$2; shift 2 ;;
        --connections) CONNS=$2; shift 2 ;;
        --slow) SLOW=$2; shift 2 ;;
        --idle) IDLE=$2; shift 2 ;;
        --hangups) HANGUPS=$2; shift 2 ;;
        --max-rss-mb) MAX_RSS_MB=$2; shift 2 ;;
        --bin) BIN=$2; BUILD=0; shift 2 ;;
        --bench) BENCH=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --keep) KEEP=1; shift ;;
        --pending) PENDING=$2; shift 2 ;;
        -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
        *) echo "soak.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
case "$PENDING" in fail|warn) ;; *) echo "soak.sh: --pending fail|warn" >&2; exit 2 ;; esac
BIN=${BIN:-$ROOT/target/release/chancery}
BENCH=${BENCH:-$ROOT/target/release/chancery-bench}
WORK=${SOAK_WORK:-$ROOT/target/soak}
CORPUS=${SOAK_CORPUS:-$ROOT/../shared/corpus}
PORT=${SOAK_PORT:-18180}
START=$(date +%s)
say() { echo "== $* ($(( $(date +%s) - START ))s)"; }
die() { echo "soak.sh: $*" >&2; exit 2; }
command -v wrk >/dev/null || die "wrk is needed (Debian package wrk)"
command -v python3 >/dev/null || die "python3 is needed"
command -v sqlite3 >/dev/null || die "sqlite3 is needed (Debian package sqlite3)"
[ -d "$CORPUS/frus" ] || die "no shared corpus at $CORPUS (set SOAK_CORPUS)"

if [ "$BUILD" = 1 ]; then
    say "build (release): chancery, chancery-bench"
    (cd "$ROOT" && cargo build --release --quiet -p chancery -p chancery-bench)
fi
[ -x "$BIN" ] || die "$BIN is missing"
[ -x "$BENCH" ] || die "$BENCH is missing (--bench FILE)"

SERVER_PID=""
INGEST_PID=""
SAMPLER_PID=""
CLIENTS_PID=""
stop() {  # stop a process of ours by its id
    local pid=$1
    [ -n "$pid" ] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    stop "$CLIENTS_PID"; stop "$INGEST_PID"; stop "$SAMPLER_PID"; stop "$SERVER_PID"
    if [ "$KEEP" = 0 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rm -rf "$WORK"
mkdir -p "$WORK"
DATA=$WORK/data

# --- the archive -------------------------------------------------------------------------------
say "generate $DOCS documents (+ $(( DOCS / 4 )) for the ingest during the run) and ingest them with the real corpus"
"$BENCH" generate --docs "$DOCS" --seed 51 --out "$WORK/gen" 2>/dev/null
"$BENCH" generate --docs "$(( DOCS / 4 ))" --seed 52 --out "$WORK/gen-extra" 2>/dev/null
rm -f "$WORK/gen/manifest.json" "$WORK/gen-extra/manifest.json"
"$BIN" --data "$DATA" ingest "$WORK/gen" "$CORPUS" --json >"$WORK/ingest.json" 2>"$WORK/ingest.err" || true
STORED=$(sqlite3 "$DATA/chancery.sqlite" "SELECT COUNT(*) FROM documents;")
[ "$STORED" -gt "$DOCS" ] || die "the archive holds $STORED documents after the first ingest (see $WORK/ingest.err)"
echo "   archive: $STORED documents"

# --- the request mix ---------------------------------------------------------------------------
python3 - "$DATA/chancery.sqlite" "$ROOT/bench/queries.txt" "$WORK/paths.txt" <<'EOF'
import random, sqlite3, sys, urllib.parse
db, queries_file, out = sys.argv[1:]
random.seed(14)
con = sqlite3.connect(db)
ids = [r[0] for r in con.execute("SELECT id FROM documents ORDER BY id")]
colls = [r[0] for r in con.execute("SELECT DISTINCT collection_id FROM documents WHERE collection_id IS NOT NULL")]
issues = [r[0] for r in con.execute("SELECT DISTINCT issue FROM ledger_positions")] or ["habomai-shikotan"]
words = []
for line in open(queries_file, encoding="utf-8"):
    if line.strip() and not line.startswith("#"):
        words.append(line.rstrip("\n").split("\t")[2])
words += ["Habomai Shikotan", "Khrushchev", "Dulles", "joint declaration", "Хрущёв", "lettera"]
q = lambda s: urllib.parse.quote(s, safe="")
p = lambda s: urllib.parse.quote(s, safe="/")
mix = []
for _ in range(40): mix.append("/doc/" + p(random.choice(ids)))
for _ in range(5): mix.append("/api/doc/" + p(random.choice(ids)))
for _ in range(15): mix.append("/search?q=" + q(random.choice(words)))
for _ in range(15): mix.append("/api/search?q=" + q(random.choice(words)))
for _ in range(8): mix.append("/collection/" + p(random.choice(colls)))
for _ in range(5): mix.append("/related/" + p(random.choice(ids)))
for _ in range(3): mix.append("/timeline?q=" + q(random.choice(words)))
for _ in range(2): mix.append("/api/timeline?q=" + q(random.choice(words)))
mix += ["/issues", "/api/issues"] + ["/issue/" + q(i) for i in issues[:3]]
mix += ["/static/style.css", "/static/app.js", "/static/favicon.svg"] * 2 + ["/", "/"]
random.shuffle(mix)
open(out, "w").write("\n".join(mix) + "\n")
EOF
echo "   request mix: $(wc -l <"$WORK/paths.txt") paths (documents, search HTML and API, collections, related, timeline, issues, static)"

# --- the server --------------------------------------------------------------------------------
say "chancery serve on 127.0.0.1:$PORT"
"$BIN" --data "$DATA" serve --addr "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
ADDR=""
for _ in $(seq 1 600); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    ADDR=$(sed -n 's|^Chancery reading room: http://\([^/]*\)/.*|\1|p' "$WORK/serve.log" | head -n 1)
    if [ -n "$ADDR" ] && (exec 3<>"/dev/tcp/${ADDR%:*}/${ADDR##*:}") 2>/dev/null; then break; fi
    ADDR=""
    sleep 0.2
done
[ -n "$ADDR" ] || { cat "$WORK/serve.log" >&2; die "chancery serve did not start"; }
URL=http://$ADDR
# The largest page of the mix, for the clients that hang up mid-response.
BIG=$(python3 - "$URL" "$WORK/paths.txt" <<'EOF'
import sys, urllib.request
url, paths = sys.argv[1], [l.strip() for l in open(sys.argv[2]) if l.strip()]
best = (0, "/")
for path in sorted(set(paths)):
    try:
        n = len(urllib.request.urlopen(url + path, timeout=30).read())
    except Exception:
        continue
    best = max(best, (n, path))
print(f"{best[1]}\t{best[0]}")
EOF
)
BIG_PATH=${BIG%%$'\t'*}
echo "   largest page: $BIG_PATH (${BIG##*$'\t'} bytes)"

# Memory, every second: seconds, VmRSS kB, VmHWM kB.
( t=0; while kill -0 "$SERVER_PID" 2>/dev/null; do
    awk -v t=$t '/^VmRSS/ {r=$2} /^VmHWM/ {h=$2} END {if (r) print t, r, h}' "/proc/$SERVER_PID/status" 2>/dev/null || true
    t=$((t + 1)); sleep 1
  done ) >"$WORK/rss.txt" &
SAMPLER_PID=$!

# --- the bad clients ---------------------------------------------------------------------------
cat >"$WORK/clients.py" <<'EOF'
"""Deliberately bad clients for bench/soak.sh: slow (headers a byte a second), idle (connect,
never send) and hang-ups (ask for a large page, read a little, reset the connection)."""
import json, socket, struct, sys, threading, time
host, port, secs, slow_n, idle_n, hang_n, big = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
deadline = time.time() + secs
t0 = time.time()
res = {"slow": [], "idle": [], "hangups": 0, "hangup_refused": 0, "connect_failures": 0}
lock = threading.Lock()

def connect():
    s = socket.create_connection((host, port), timeout=10)
    s.settimeout(None)
    return s

def slow():
    out = {"closed_by_server_after": None}
    try:
        s = connect()
    except OSError:
        with lock: res["connect_failures"] += 1
        return
    req = f"GET /search?q=soviet HTTP/1.1\r\nHost: {host}\r\nUser-Agent: soak-slow-client\r\nAccept: */*\r\n".encode()
    i = 0
    while time.time() < deadline:
        try:
            s.send(req[i % len(req):i % len(req) + 1])
            i += 1
            s.settimeout(1.0)
            try:
                if s.recv(65536) == b"":
                    out["closed_by_server_after"] = round(time.time() - t0, 1); break
            except socket.timeout:
                pass
        except OSError:
            out["closed_by_server_after"] = round(time.time() - t0, 1); break
    s.close()
    with lock: res["slow"].append(out)

def idle(socks):
    for _ in range(idle_n):
        try:
            socks.append([connect(), None])
        except OSError:
            with lock: res["connect_failures"] += 1
    while time.time() < deadline:
        for entry in socks:
            if entry[1] is None:
                entry[0].setblocking(False)
                try:
                    if entry[0].recv(1) == b"":
                        entry[1] = round(time.time() - t0, 1)
                except BlockingIOError:
                    pass
                except OSError:
                    entry[1] = round(time.time() - t0, 1)
        time.sleep(1)
    for s, closed in socks:
        res["idle"].append({"closed_by_server_after": closed})
        s.close()

def hangup():
    # A small receive window keeps the server in the middle of writing the page when the
    # connection is reset (the case that ends a server that does not ignore SIGPIPE).
    while time.time() < deadline:
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.settimeout(10)
            s.connect((host, port))
        except OSError:
            with lock: res["hangup_refused"] += 1
            time.sleep(0.5)
            continue
        try:
            s.sendall(f"GET {big} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            s.recv(1024)
            time.sleep(0.2)
        except OSError:
            pass
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
        with lock: res["hangups"] += 1
        time.sleep(0.05)

threads = [threading.Thread(target=slow) for _ in range(slow_n)]
threads += [threading.Thread(target=hangup) for _ in range(hang_n)]
socks = []
threads.append(threading.Thread(target=idle, args=(socks,)))
for t in threads: t.start()
for t in threads: t.join()
json.dump(res, sys.stdout)
EOF
say "load for ${SECS}s: wrk $CONNS connections; $SLOW slow, $IDLE idle, $HANGUPS hang-up clients; an ingest from $(( SECS / 4 ))s"
python3 "$WORK/clients.py" "${ADDR%:*}" "${ADDR##*:}" "$SECS" "$SLOW" "$IDLE" "$HANGUPS" "$BIG_PATH" >"$WORK/clients.json" 2>"$WORK/clients.err" &
CLIENTS_PID=$!
# The ingest into the same data directory, a quarter into the run.
( sleep $(( SECS / 4 )); t0=$(date +%s%3N)
  rc=0; "$BIN" --data "$DATA" ingest "$WORK/gen-extra" --json >"$WORK/extra.json" 2>"$WORK/extra.err" || rc=$?
  echo "$rc $(( $(date +%s%3N) - t0 ))" >"$WORK/extra.rc" ) &
INGEST_PID=$!
wrk -t2 -c"$CONNS" -d"${SECS}s" --latency --timeout 10s -s "$ROOT/bench/soak.lua" "$URL" -- "$WORK/paths.txt" \
    >"$WORK/wrk.txt" 2>&1 || true
wait "$CLIENTS_PID" 2>/dev/null || true; CLIENTS_PID=""
wait "$INGEST_PID" 2>/dev/null || true; INGEST_PID=""

# --- checks ------------------------------------------------------------------------------------
VIOLATIONS=0
PENDING_FAILS=0
fail() { VIOLATIONS=$((VIOLATIONS + 1)); echo "FAIL: $*"; }
pending() {
    PENDING_FAILS=$((PENDING_FAILS + 1))
    if [ "$PENDING" = fail ]; then VIOLATIONS=$((VIOLATIONS + 1)); fi
    echo "FAIL [#14 pending]: $*"
}
say "results"
grep '^soak:' "$WORK/wrk.txt" || { cat "$WORK/wrk.txt"; fail "wrk printed no summary"; }
REQUESTS=$(sed -n 's/^soak: requests \([0-9]*\).*/\1/p' "$WORK/wrk.txt")
NON2XX=$(sed -n 's/.*non-2xx\/3xx \([0-9]*\).*/\1/p' "$WORK/wrk.txt")
read -r E_CONNECT E_READ E_WRITE E_TIMEOUT < <(sed -n 's/^soak: socket errors connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p' "$WORK/wrk.txt") || true
P50=$(sed -n 's/^soak: latency ms p50 \([0-9.]*\).*/\1/p' "$WORK/wrk.txt")
P99=$(sed -n 's/.* p99 \([0-9.]*\),.*/\1/p' "$WORK/wrk.txt")
PEAK_KB=$(awk '{ if ($3 > m) m = $3 } END { print m + 0 }' "$WORK/rss.txt")
LAST_RSS_KB=$(tail -n 1 "$WORK/rss.txt" | awk '{print $2 + 0}')

if kill -0 "$SERVER_PID" 2>/dev/null; then
    ALIVE=yes
else
    rc=0; wait "$SERVER_PID" 2>/dev/null || rc=$?
    SERVER_PID=""
    ALIVE="no (exit $rc)"
    if [ "$rc" = 141 ]; then
        pending "the server died of SIGPIPE (exit 141) while clients hung up (finding 1); its last words: $(tail -n 2 "$WORK/serve.log" | tr '\n' ' ')"
    else
        fail "the server died (exit $rc); its last words: $(tail -n 3 "$WORK/serve.log" | tr '\n' ' ')"
    fi
fi
[ "${NON2XX:-1}" = 0 ] || fail "${NON2XX:-?} responses were not 2xx/3xx"
for e in E_CONNECT E_READ E_WRITE E_TIMEOUT; do
    [ "${!e:-1}" = 0 ] || fail "wrk socket errors: ${e#E_} ${!e:-?}"
done
[ "$PEAK_KB" -le $(( MAX_RSS_MB * 1024 )) ] || fail "peak memory $(( PEAK_KB / 1024 )) MB above $MAX_RSS_MB MB"

read -r EXTRA_RC EXTRA_MS <"$WORK/extra.rc" 2>/dev/null || { EXTRA_RC="?"; EXTRA_MS=0; }
[ "$EXTRA_RC" = 0 ] || fail "the ingest beside the server failed (exit $EXTRA_RC): $(head -c 300 "$WORK/extra.err" | tr '\n' ' ')"
# [pending] what the pages list, search finds: both totals from the server itself.
AGREE=""
if [ "$ALIVE" = yes ]; then
    for _ in $(seq 1 10); do
        AGREE=$(python3 - "$URL" <<'EOF'
import json, sys, urllib.request
url = sys.argv[1]
get = lambda p: json.load(urllib.request.urlopen(url + p, timeout=30))
colls = get("/api/collections")
listed = sum(c.get("count", c.get("documents", 0)) for c in (colls if isinstance(colls, list) else colls.get("collections", [])))
found = get("/api/search?q=&size=1")["total"]
print(f"{listed} {found}")
EOF
        ) || AGREE="? ?"
        [ "${AGREE% *}" = "${AGREE#* }" ] && break
        sleep 1
    done
    [ "${AGREE% *}" = "${AGREE#* }" ] || pending "after the ingest the pages list ${AGREE% *} documents, search finds ${AGREE#* } (finding 5: serve never reloads its searcher)"
fi
SLOW_CLOSED=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(sum(1 for s in r["slow"] if s["closed_by_server_after"] is not None), len(r["slow"]), sum(1 for s in r["idle"] if s["closed_by_server_after"] is not None), len(r["idle"]), r["hangups"], r["hangup_refused"], r["connect_failures"])' "$WORK/clients.json" 2>/dev/null || echo "? ? ? ? ? ? ?")
read -r SC ST IC IT HU HR CF <<<"$SLOW_CLOSED"
if [ "$SECS" -ge 60 ]; then
    [ "$SC" = "$ST" ] || pending "the server closed $SC of $ST slow clients (no header timeout: finding 4)"
    [ "$IC" = "$IT" ] || pending "the server closed $IC of $IT idle clients (no idle timeout: finding 4)"
fi

echo "soak summary: ${SECS}s, $STORED documents served, $CONNS connections; requests ${REQUESTS:-?}, non-2xx/3xx ${NON2XX:-?}, socket errors connect ${E_CONNECT:-?} read ${E_READ:-?} write ${E_WRITE:-?} timeout ${E_TIMEOUT:-?}; latency p50 ${P50:-?} ms p99 ${P99:-?} ms; peak VmHWM $(( PEAK_KB / 1024 )) MB, last VmRSS $(( LAST_RSS_KB / 1024 )) MB; server alive $ALIVE"
echo "soak clients: slow closed by server $SC/$ST, idle closed by server $IC/$IT, hang-ups $HU (refused $HR), bad-client connect failures $CF; ingest beside the server: exit $EXTRA_RC in $(( EXTRA_MS / 1000 ))s; pages list / search finds: ${AGREE:-server down}"
echo "soak: $VIOLATIONS violation(s), $PENDING_FAILS pending-fix failure(s) (--pending $PENDING)"
[ "$VIOLATIONS" = 0 ] || exit 1
