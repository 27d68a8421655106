#!/usr/bin/env bash
# Benchmarks of issue 4: Chancery against bare tantivy, SQLite FTS5, PostgreSQL and ripgrep, and
# `chancery serve` under wrk.
#
#   bench/run.sh --size 10k            # 1k | 10k | 100k | 1m: writes bench/results/<size>/ and BENCHMARKS.md
#   bench/run.sh --size 1k --smoke     # CI smoke run: no installs, results in target/, exits non-zero when
#                                      # an engine errors, engines disagree on single-word counts, or a
#                                      # serving run has errors or no requests
#
# Options: --reps N (timed rounds over the query set), --rg-reps N, --no-build, --keep (keep the work dir
# and every engine's files; otherwise each engine's files are removed once measured).
# Environment: BENCH_WORK (work dir, default target/bench/<size>), BENCH_COMMIT (else git rev-parse),
# BENCH_MIN_FREE_GB (free space required to start; default 32 at 1m, 4 at 100k, 1 otherwise),
# BENCH_PG_PORT (default 55432), BENCH_SERVE_PORT (default 18080), BENCH_SERVE_WAIT (seconds, default 120).
#
# It installs what it needs when missing (ripgrep, PostgreSQL, wrk, from Debian's packages) unless --smoke:
# the smoke run uses only what is installed and says what it skipped. PostgreSQL runs as a throw-away
# cluster in a temporary directory on 127.0.0.1, as the `postgres` user when run as root; `chancery serve`
# runs on 127.0.0.1 over the Chancery data directory (wrk: 10 s a run, 1 s with --smoke); both are
# stopped on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZE=10k
SMOKE=0
REPS=""
RG_REPS=""
BUILD=1
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --size) SIZE=$2; shift 2 ;;
        --smoke) SMOKE=1; shift ;;
        --reps) REPS=$2; shift 2 ;;
        --rg-reps) RG_REPS=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
case "$SIZE" in
    1k) DOCS=1000 ;;
    10k) DOCS=10000 ;;
    100k) DOCS=100000 ;;
    1m) DOCS=1000000 ;;
    *) echo "run.sh: --size must be 1k, 10k, 100k or 1m" >&2; exit 2 ;;
esac
if [ -z "$REPS" ]; then
    if [ "$SMOKE" = 1 ]; then REPS=2; elif [ "$DOCS" -ge 100000 ]; then REPS=10; else REPS=20; fi
fi
if [ -z "$RG_REPS" ]; then
    if [ "$SMOKE" = 1 ]; then RG_REPS=1; else RG_REPS=2; fi
fi
if [ "$SMOKE" = 1 ]; then SERVE_SECS=1; else SERVE_SECS=10; fi
SERVE_WAIT=${BENCH_SERVE_WAIT:-120}

WORK=${BENCH_WORK:-$ROOT/target/bench/$SIZE}
if [ "$SMOKE" = 1 ]; then RESULTS=$WORK/results; else RESULTS=$ROOT/bench/results/$SIZE; fi
QUERIES=$ROOT/bench/queries.txt
BIN=$ROOT/target/release/chancery
BENCH=$ROOT/target/release/chancery-bench
START=$(date -u +%s)
LOAD_START=$(cut -d" " -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
say() { echo "== $* ($(( $(date -u +%s) - START ))s)"; }

# --- tools -------------------------------------------------------------------------------------
APT_UPDATED=0
apt_install() {
    command -v apt-get >/dev/null || { echo "run.sh: apt-get not available to install $*" >&2; return 1; }
    if [ "$APT_UPDATED" = 0 ]; then apt-get update -qq; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

SKIPPED=()
if ! command -v rg >/dev/null; then
    if [ "$SMOKE" = 1 ]; then SKIPPED+=("ripgrep (not installed)"); else apt_install ripgrep; fi
fi
if ! command -v wrk >/dev/null; then
    if [ "$SMOKE" = 1 ]; then :; else apt_install wrk; fi   # the smoke run notes it as skipped below
fi
if [ -z "$(pg_bindir)" ] || [ ! -x "$(pg_bindir)/postgres" ]; then
    if [ "$SMOKE" = 1 ]; then SKIPPED+=("PostgreSQL (not installed)"); else apt_install postgresql; fi
fi
[ -x /usr/bin/time ] || { if [ "$SMOKE" = 1 ]; then :; else apt_install time; fi; }
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time is needed (Debian package time)" >&2; exit 1; }

# --- build -------------------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
    say "build (release): chancery, chancery-bench"
    (cd "$ROOT" && cargo build --release --quiet -p chancery -p chancery-bench)
fi

mkdir -p "$WORK" "$RESULTS"
rm -f "$RESULTS"/*.json
FAILED=()

# --- disk --------------------------------------------------------------------------------------
# Peak use at 1M documents: corpus 5.1 GB, Chancery 8.1 GB, plain texts ~9 GB, then the largest
# of SQLite FTS5 (7.7 GB) and PostgreSQL; each engine's files are removed once measured (unless
# --keep). A run that fills the disk loses its results, so it does not start short of space.
case $SIZE in 1m) NEED_GB=32 ;; 100k) NEED_GB=4 ;; *) NEED_GB=1 ;; esac
NEED_GB=${BENCH_MIN_FREE_GB:-$NEED_GB}
mkdir -p "$WORK"
FREE_GB=$(df -Pk "$WORK" | awk 'NR == 2 { print int($4 / 1048576) }')
if [ -n "$FREE_GB" ] && [ "$FREE_GB" -lt "$NEED_GB" ]; then
    echo "run.sh: $FREE_GB GB free under $WORK; a $SIZE run needs about $NEED_GB GB (set BENCH_MIN_FREE_GB to override)" >&2
    exit 1
fi
# Remove a measured engine's files (sizes are already in its results).
prune() { if [ "$KEEP" = 0 ]; then rm -rf "$@"; fi; }

# --- corpus ------------------------------------------------------------------------------------
say "generate $DOCS documents"
"$BENCH" generate --docs "$DOCS" --out "$WORK/corpus"
CORPUS_BYTES=$(sed -n 's/.*"bytes": \([0-9]*\).*/\1/p' "$WORK/corpus/manifest.json")

# --- Chancery: end-to-end ingest with the real binary, then queries in process --------------------
say "chancery ingest (end to end, /usr/bin/time -v)"
"$BENCH" chancery-ingest --bin "$BIN" --corpus "$WORK/corpus" --data "$WORK/chancery-data" \
    --result "$RESULTS/chancery.json" || FAILED+=("chancery ingest")
say "chancery queries (in process, $REPS rounds)"
"$BENCH" chancery-query --data "$WORK/chancery-data" --queries "$QUERIES" --reps "$REPS" \
    --result "$RESULTS/chancery.json" || FAILED+=("chancery queries")
say "chancery queries without building hits (limit 0: count + facets, no snippets or stored documents)"
"$BENCH" chancery-query --data "$WORK/chancery-data" --queries "$QUERIES" --reps "$REPS" --limit 0 \
    --result "$RESULTS/chancery-nohits.json" || FAILED+=("chancery queries (limit 0)")

# --- the bound and the plain texts ---------------------------------------------------------------
say "parse-and-tokenize bound (quick-xml)"
"$BENCH" bound --corpus "$WORK/corpus" --result "$RESULTS/bound.json" || FAILED+=("bound")
say "extract plain texts with Chancery's reader"
"$BENCH" extract --corpus "$WORK/corpus" --out "$WORK"
prune "$WORK/corpus"  # the engines below read the plain texts; Chancery has stored its copy

# --- other engines -----------------------------------------------------------------------------
say "bare tantivy"
"$BENCH" tantivy --records "$WORK/records.jsonl" --dir "$WORK/tantivy" --queries "$QUERIES" --reps "$REPS" \
    --result "$RESULTS/tantivy.json" || FAILED+=("tantivy")
prune "$WORK/tantivy"
say "SQLite FTS5"
"$BENCH" fts5 --records "$WORK/records.jsonl" --db "$WORK/fts5.sqlite" --queries "$QUERIES" --reps "$REPS" \
    --result "$RESULTS/fts5.json" || FAILED+=("fts5")
prune "$WORK/fts5.sqlite" "$WORK/fts5.sqlite-wal" "$WORK/fts5.sqlite-shm"
if command -v rg >/dev/null; then
    say "ripgrep ($RG_REPS rounds)"
    "$BENCH" rg --rg "$(command -v rg)" --corpus-txt "$WORK/corpus.txt" --queries "$QUERIES" --reps "$RG_REPS" \
        --result "$RESULTS/ripgrep.json" || FAILED+=("ripgrep")
fi

PGDIR=""
SERVER_PID=""
pg_as() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
stop_pg() {
    if [ -n "$PGDIR" ] && [ -d "$PGDIR/data" ]; then
        pg_as "$(pg_bindir)/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$PGDIR"
    fi
}
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            kill -TERM "$SERVER_PID" 2>/dev/null || true
            for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
            kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null || true
        fi
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
cleanup() {
    stop_server
    stop_pg
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ -n "$(pg_bindir)" ] && [ -x "$(pg_bindir)/postgres" ]; then
    say "PostgreSQL ($(basename "$(dirname "$(pg_bindir)")"), throw-away cluster on 127.0.0.1)"
    PGPORT=${BENCH_PG_PORT:-55432}
    PGDIR=$(mktemp -d /tmp/chancery-bench-pg.XXXXXX)
    chmod 755 "$PGDIR"
    if [ "$(id -u)" = 0 ]; then chown postgres "$PGDIR"; fi
    pg_as "$(pg_bindir)/initdb" -D "$PGDIR/data" -U bench -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
    pg_as "$(pg_bindir)/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w -o \
        "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c maintenance_work_mem=1GB \
         -c work_mem=64MB -c max_wal_size=8GB -c effective_cache_size=8GB" start >/dev/null
    "$BENCH" pg --records "$WORK/records.jsonl" --conn "host=127.0.0.1 port=$PGPORT user=bench dbname=postgres" \
        --queries "$QUERIES" --reps "$REPS" --result "$RESULTS/postgres.json" || FAILED+=("postgres")
    stop_pg
    PGDIR=""
fi

# --- serving: wrk against `chancery serve` on loopback ----------------------------------------------
# After the in-process Chancery queries (the server opens the same data directory: the SQLite store
# in WAL mode and a tantivy reader, no index writer) and after PostgreSQL has stopped.
if command -v wrk >/dev/null; then
    SERVE_PORT=${BENCH_SERVE_PORT:-18080}
    SERVE_LOG=$WORK/serve.log
    say "chancery serve + wrk (127.0.0.1:$SERVE_PORT, ${SERVE_SECS}s a run, 1/16/64 connections)"
    "$BIN" --data "$WORK/chancery-data" serve --addr "127.0.0.1:$SERVE_PORT" >"$SERVE_LOG" 2>&1 &
    SERVER_PID=$!
    # `serve` moves to a free port when the one asked for is taken, and says so: take the
    # address it prints, then wait until it accepts connections.
    SERVE_ADDR=""
    for _ in $(seq 1 "$((SERVE_WAIT * 5))"); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
        SERVE_ADDR=$(sed -n 's|^Chancery reading room: http://\([^/]*\)/.*|\1|p' "$SERVE_LOG" | head -n 1)
        if [ -n "$SERVE_ADDR" ] && (exec 3<>"/dev/tcp/${SERVE_ADDR%:*}/${SERVE_ADDR##*:}") 2>/dev/null; then
            break
        fi
        SERVE_ADDR=""
        sleep 0.2
    done
    if [ -z "$SERVE_ADDR" ]; then
        echo "run.sh: chancery serve did not answer within ${SERVE_WAIT}s; its output:" >&2
        cat "$SERVE_LOG" >&2 || true
        FAILED+=("serve (server did not start)")
    else
        [ "$SERVE_ADDR" = "127.0.0.1:$SERVE_PORT" ] || echo "note: port $SERVE_PORT was taken; the server uses $SERVE_ADDR"
        "$BENCH" serve --url "http://$SERVE_ADDR" --pid "$SERVER_PID" --queries "$QUERIES" --duration "$SERVE_SECS" \
            --expect "$RESULTS/chancery.json" --result "$RESULTS/serve.json" || FAILED+=("serve")
    fi
    stop_server
else
    SKIPPED+=("serving (wrk not installed)")
fi

# --- record the run ----------------------------------------------------------------------------
json_str() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
COMMIT=${BENCH_COMMIT:-$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)}
CPU=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
MEM=$(free -g 2>/dev/null | awk '/Mem:/{print $2 " GiB"}')
OS=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")
CMD="bench/run.sh --size $SIZE"
[ "$SMOKE" = 1 ] && CMD="$CMD --smoke"
NOTES="\"page cache warm (files just written); PostgreSQL: shared_buffers=1GB, maintenance_work_mem=1GB, fsync on\""
LOAD_END=$(cut -d" " -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
NOTES="$NOTES, \"load average (1, 5, 15 min) at start: $LOAD_START; at end: $LOAD_END (the machine may be shared)\""
for s in ${SKIPPED[@]+"${SKIPPED[@]}"}; do NOTES="$NOTES, \"skipped: $(json_str "$s")\""; done
cat > "$RESULTS/machine.json" <<EOF
{
  "size": "$SIZE", "docs": $DOCS, "command": "$(json_str "$CMD")", "commit": "$(json_str "$COMMIT")",
  "date": "$(date -u +%Y-%m-%dT%H:%MZ)", "cpu": "$(json_str "${CPU:-unknown}")", "cores": $(nproc),
  "memory": "$(json_str "${MEM:-unknown}")", "os": "$(json_str "${OS:-unknown}")", "reps": $REPS, "rg_reps": $RG_REPS,
  "corpus_bytes": ${CORPUS_BYTES:-0}, "notes": [$NOTES]
}
EOF

say "cross-engine check"
"$BENCH" check --results "$RESULTS" || FAILED+=("cross-engine check")
if [ "$SMOKE" = 0 ]; then
    say "report: BENCHMARKS.md"
    "$BENCH" report --results "$ROOT/bench/results" --out "$ROOT/BENCHMARKS.md"
fi
for s in ${SKIPPED[@]+"${SKIPPED[@]}"}; do echo "skipped: $s"; done
if [ "$KEEP" = 0 ] && [ "$SMOKE" = 1 ]; then rm -rf "$WORK"; fi
if [ ${#FAILED[@]} -gt 0 ]; then
    echo "run.sh: FAILED: ${FAILED[*]}" >&2
    exit 1
fi
say "done"
