#!/usr/bin/env bash
# Coverage-guided fuzzing of Chancery's readers and parsers (issue 14), with cargo fuzz (libFuzzer)
# on the stable toolchain.
#
#   bench/fuzz.sh                          # every target, 60 s each (the CI budget)
#   bench/fuzz.sh --seconds 3600 read_any  # one target for an hour
#   bench/fuzz.sh --list                   # the targets
#
# Options: --seconds N (per target, default 60), --no-build, --fail-fast (start no further
# target after a crash; by default every target runs and the exit is 1 at the end),
# --parallel N (targets run at once, default 1; CI uses 2 on its 2 cores), --jobs N (libFuzzer
# workers per target, default 1), --asan (AddressSanitizer; slower, for the unsafe code of the
# dependencies), --quiet (only the summary).
# Environment: FUZZ_CORPUS (shared corpus, default ../shared/corpus), FUZZ_LOGS (default
# target/fuzz-logs), FUZZ_NICE (nice level, default 10).
#
# Why cargo fuzz: libfuzzer-sys builds libFuzzer from the C++ sources bundled in the crate
# (nothing downloaded at build time) and cargo fuzz needs only `-Z` flags that a stable rustc
# accepts with RUSTC_BOOTSTRAP=1. No sanitizer by default: the code under test is safe Rust,
# where a bug is a panic, which libFuzzer catches without one (and the targets run about 2x
# faster); --asan turns AddressSanitizer on. Debug assertions and overflow checks are on, so
# an arithmetic overflow is a finding too.
#
# Seeds are gathered from the shared corpus at run time by fuzz/seeds.py into fuzz/seeds/
# (git-ignored); what the fuzzer learns goes to fuzz/corpus/TARGET (git-ignored, kept between
# runs). A crash stops that target, its reproducer is printed (fuzz/artifacts/TARGET/...), and
# the script exits 1. Keep a fixed crash as a regression input: copy it into
# fuzz/regressions/TARGET/ (generated inputs only, never corpus text); the test
# crates/core/tests/fuzz_regressions.rs replays that folder in `cargo test --workspace`.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FUZZ=$ROOT/fuzz
SECONDS_EACH=60
BUILD=1
FAIL_FAST=0
JOBS=1
PARALLEL_TARGETS=1
SANITIZER=none
QUIET=0
TARGETS=()
ALL_TARGETS=(read_any read_frus_tei read_tei_letter read_wilson_json read_wilson_text read_plain_text
             pipeline query date archival filing)
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) SECONDS_EACH=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --fail-fast) FAIL_FAST=1; shift ;;
        --jobs) JOBS=$2; shift 2 ;;
        --parallel) PARALLEL_TARGETS=$2; shift 2 ;;
        --asan) SANITIZER=address; shift ;;
        --quiet) QUIET=1; shift ;;
        --list) printf '%s\n' "${ALL_TARGETS[@]}"; exit 0 ;;
        -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
        -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
        *) TARGETS+=("$1"); shift ;;
    esac
done
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL_TARGETS[@]}")
for t in "${TARGETS[@]}"; do
    [[ " ${ALL_TARGETS[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target $t (--list)" >&2; exit 2; }
done
CORPUS=${FUZZ_CORPUS:-$ROOT/../shared/corpus}
LOGS=${FUZZ_LOGS:-$ROOT/target/fuzz-logs}
NICE=${FUZZ_NICE:-10}
[ -d "$CORPUS" ] || { echo "fuzz.sh: no shared corpus at $CORPUS (set FUZZ_CORPUS)" >&2; exit 2; }

# Input size, per kind of target: whole files for the readers (larger files are represented
# by their documents, cut out by seeds.py), short strings for the parsers.
max_len() {
    case "$1" in
        read_*|pipeline) echo 65536 ;;
        query) echo 2048 ;;
        *) echo 4096 ;;
    esac
}
dict() {
    case "$1" in
        read_wilson_json) echo "$FUZZ/dict/json.dict" ;;
        read_*|pipeline) echo "$FUZZ/dict/xml.dict" ;;
        *) echo "$FUZZ/dict/$1.dict" ;;
    esac
}

if [ "$BUILD" = 1 ]; then
    command -v cargo-fuzz >/dev/null || {
        echo "fuzz.sh: cargo-fuzz is missing: cargo install cargo-fuzz --locked" >&2; exit 2; }
    echo "== build (cargo fuzz, sanitizer $SANITIZER, RUSTC_BOOTSTRAP=1 for its -Z flags)"
    # cargo fuzz build takes one target or none (all).
    if [ ${#TARGETS[@]} -eq 1 ]; then one=("${TARGETS[0]}"); else one=(); fi
    mkdir -p "$LOGS"
    if ! (cd "$FUZZ" && RUSTC_BOOTSTRAP=1 nice -n "$NICE" cargo fuzz build --sanitizer "$SANITIZER" "${one[@]}") \
        >"$LOGS/build.log" 2>&1; then
        tail -n 40 "$LOGS/build.log" >&2
        echo "fuzz.sh: build failed (log $LOGS/build.log)" >&2
        exit 2
    fi
fi
BIN_DIR=$FUZZ/target/x86_64-unknown-linux-gnu/release
for t in "${TARGETS[@]}"; do
    [ -x "$BIN_DIR/$t" ] || { echo "fuzz.sh: $BIN_DIR/$t is missing (build failed?)" >&2; exit 2; }
done

echo "== seeds from $CORPUS"
python3 "$FUZZ/seeds.py" "$CORPUS" "$FUZZ/seeds" | tr '\n' ' '; echo
mkdir -p "$LOGS"

PARALLEL=()
if [ "$JOBS" -gt 1 ]; then PARALLEL=(-jobs="$JOBS" -workers="$JOBS"); fi

# One target: libFuzzer for the budget, then a summary line in $LOGS/TARGET.summary; the
# exit code is libFuzzer's (0: no crash).
run_target() {
    local t=$1 log=$LOGS/$1.log rc
    mkdir -p "$FUZZ/corpus/$t" "$FUZZ/artifacts/$t" "$FUZZ/seeds/$t"
    [ "$QUIET" = 1 ] || echo "== $t: ${SECONDS_EACH}s (log $log)"
    set +e
    # -timeout: a single input taking 20 s is a finding (a hang or a quadratic path);
    # -rss_limit_mb: as is a single input needing more than 2 GB.
    (cd "$LOGS" && nice -n "$NICE" "$BIN_DIR/$t" \
        -max_total_time="$SECONDS_EACH" -max_len="$(max_len "$t")" -timeout=20 -rss_limit_mb=2048 \
        -dict="$(dict "$t")" -artifact_prefix="$FUZZ/artifacts/$t/" -print_final_stats=1 \
        "${PARALLEL[@]}" -close_fd_mask=1 \
        "$FUZZ/corpus/$t" "$FUZZ/seeds/$t") >"$log" 2>&1
    rc=$?
    set -e
    if [ "$JOBS" -gt 1 ]; then cat "$LOGS"/fuzz-*.log >>"$log" 2>/dev/null || true; rm -f "$LOGS"/fuzz-*.log; fi
    local execs rate rss last cov ft corp line artifact kind
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | awk '{s+=$1} END {print s+0}')
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | awk '{s+=$1} END {print s+0}')
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | sort -n | tail -n 1)
    last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1 || true)
    cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")
    line="$t: ${SECONDS_EACH}s, ${execs} execs (${rate}/s), cov ${cov:-?} ft ${ft:-?}, corpus ${corp:-?}, peak RSS ${rss:-?} MB"
    if [ "$rc" -ne 0 ]; then
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        kind=$(grep -m1 -oE 'ERROR: libFuzzer: [a-z-]+|panicked at [^:]*:[0-9]+' "$log" || echo "exit $rc")
        line="$line -- CRASH ($kind): reproducer ${artifact:-(see $log)}"
        {
            echo "!! $t crashed ($kind). Reproducer: ${artifact:-none written}"
            echo "!! replay: $BIN_DIR/$t ${artifact:-ARTIFACT}   (or: cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none $t ${artifact:-ARTIFACT})"
            grep -m1 -A12 -E 'panicked at|ERROR: libFuzzer' "$log" || tail -n 20 "$log"
        } >&2
    fi
    echo "$line" >"$LOGS/$t.summary"
    [ "$QUIET" = 1 ] || echo "   $line"
    return "$rc"
}

FAILED=()
declare -A RUNNING=()
for t in "${TARGETS[@]}"; do
    while [ ${#RUNNING[@]} -ge "$PARALLEL_TARGETS" ]; do
        wait -n -p done_pid || true
        rc=0; wait "$done_pid" 2>/dev/null || rc=$?
        for k in "${!RUNNING[@]}"; do
            if [ "${RUNNING[$k]}" = "$done_pid" ]; then unset "RUNNING[$k]"; fi
        done
    done
    if [ "$FAIL_FAST" = 1 ] && ls "$LOGS"/*.crashed >/dev/null 2>&1; then break; fi
    rm -f "$LOGS/$t.summary" "$LOGS/$t.crashed"
    ( run_target "$t" || touch "$LOGS/$t.crashed" ) &
    RUNNING[$t]=$!
done
wait
SUMMARY=()
for t in "${TARGETS[@]}"; do
    [ -f "$LOGS/$t.summary" ] && SUMMARY+=("$(cat "$LOGS/$t.summary")")
    [ -f "$LOGS/$t.crashed" ] && FAILED+=("$t")
done

echo "== fuzz summary (sanitizer $SANITIZER, $JOBS job(s) per target, $PARALLEL_TARGETS target(s) at a time)"
printf '%s\n' "${SUMMARY[@]}"
if [ ${#FAILED[@]} -gt 0 ]; then
    echo "fuzz.sh: FAILED: ${FAILED[*]}" >&2
    exit 1
fi
echo "fuzz.sh: no crash in ${#SUMMARY[@]} target(s)"
