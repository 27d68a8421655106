#!/usr/bin/env bash
# Crash safety of ingest (issue 14): kill -9 an ingest at random moments and check what it left.
#
#   bench/crash.sh                        # 10 trials over a 20,000-document trial ingest
#   bench/crash.sh --trials 3 --docs 2000 # the CI run
#
# Options: --trials N (default 10), --docs N (generated documents of the trial ingest, default
# 20000; the pre-existing archive holds a quarter as many more), --ledger-copies N (copies of
# the real FRUS chapter, each under its own volume id, that make ledger-heavy documents;
# default docs/1000, at least 2), --seed N (kill moments; default: random), --bin FILE /
# --bench FILE (take these binaries instead of building), --no-build, --keep (keep the work
# dir), --pending fail|warn (see below; default fail).
# Environment: CRASH_WORK (work dir, default target/crash), CRASH_CORPUS (default ../shared/corpus).
#
# What it does: builds the release binaries; generates the documents with the bench generator
# (`chancery-bench generate`) and adds ledger-heavy copies of the real FRUS chapter (made at
# run time in the work dir, never committed); ingests a base archive (a quarter of the trial's
# size, plus the real FRUS excerpt) and enters ledger positions by hand: one `ledger add`
# and one proposal `ledger accept`ed. A reference run then ingests the trial set (base files
# again, new files, ledger copies, interleaved in one directory) into a copy of the base to
# learn its duration, its document count and every document's number of ledger positions.
# Each trial copies the base, starts the same ingest, kill -9s it at a random moment within
# the reference duration, and checks:
#   1. `PRAGMA integrity_check` and `foreign_key_check` of chancery.sqlite (sqlite3 CLI) are ok;
#   2. nothing acknowledged is lost: every document of the base is still stored, and the
#      positions entered by hand are still there and still accepted;
#   3. [#14 pending] no stored document lacks its ledger positions (finding 6: documents,
#      links and ledger entries committed apart);
#   4. [#14 pending] the committed index is at most two ingest batches (2,000 documents)
#      behind the store (today the index is committed once, at the end of an ingest);
#   5. a following ingest of the same files completes (exit 0, every document ingested), and
#      then store and index agree (`collections --json` and `search --json` totals, the index's
#      committed meta.json, the store's rows) and every document has its reference positions.
# Checks marked [#14 pending] need changes being made for issue 14; they fail on the main of
# the day this was written. `--pending warn` reports them without failing (CI uses it until
# those changes are merged). Prints one line per trial and the totals; exits 1 on any
# violation (2 on a setup error).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TRIALS=10
DOCS=20000
LEDGER_COPIES=""
SEED=""
BIN=""
BENCH=""
BUILD=1
KEEP=0
PENDING=fail
while [ $# -gt 0 ]; do
    case "$1" in
        --trials) TRIALS=$2; shift 2 ;;
        --docs) DOCS=$2; shift 2 ;;
        --ledger-copies) LEDGER_COPIES=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        --bin) BIN=$2; BUILD=0; shift 2 ;;
        --bench) BENCH=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --keep) KEEP=1; shift ;;
        --pending) PENDING=$2; shift 2 ;;
        -h|--help) sed -n '2,37p' "$0"; exit 0 ;;
        *) echo "crash.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
case "$PENDING" in fail|warn) ;; *) echo "crash.sh: --pending fail|warn" >&2; exit 2 ;; esac
BIN=${BIN:-$ROOT/target/release/chancery}
BENCH=${BENCH:-$ROOT/target/release/chancery-bench}
WORK=${CRASH_WORK:-$ROOT/target/crash}
CORPUS=${CRASH_CORPUS:-$ROOT/../shared/corpus}
BASE_DOCS=$(( DOCS / 4 ))
[ -n "$LEDGER_COPIES" ] || LEDGER_COPIES=$(( DOCS / 1000 < 2 ? 2 : DOCS / 1000 ))
[ -n "$SEED" ] || SEED=$(( $(date +%s) % 100000 ))
RANDOM=$SEED
SEARCH_ALL=""   # an empty query lists every searchable document
START=$(date +%s)
say() { echo "== $* ($(( $(date +%s) - START ))s)"; }
die() { echo "crash.sh: $*" >&2; exit 2; }

command -v sqlite3 >/dev/null || die "sqlite3 is needed (Debian package sqlite3)"
command -v python3 >/dev/null || die "python3 is needed"
[ -d "$CORPUS/frus" ] || die "no shared corpus at $CORPUS (set CRASH_CORPUS)"
CHAPTER=$CORPUS/frus/frus1955-57v23p1-ch1-1955-56.xml
EXCERPT=$CORPUS/frus/frus1955-57v23p1-excerpt.xml
[ -f "$CHAPTER" ] && [ -f "$EXCERPT" ] || die "the FRUS chapter and excerpt are missing from $CORPUS/frus"

if [ "$BUILD" = 1 ]; then
    say "build (release): chancery, chancery-bench"
    (cd "$ROOT" && cargo build --release --quiet -p chancery -p chancery-bench)
fi
[ -x "$BIN" ] || die "$BIN is missing"
[ -x "$BENCH" ] || die "$BENCH is missing (--bench FILE)"

rm -rf "$WORK"
mkdir -p "$WORK"
cleanup() {
    if [ -n "${INGEST_PID:-}" ]; then kill -9 "$INGEST_PID" 2>/dev/null || true; fi
    if [ "$KEEP" = 0 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

# --- corpus ------------------------------------------------------------------------------------
say "generate $BASE_DOCS base and $DOCS new documents, $LEDGER_COPIES ledger-heavy chapter copies"
"$BENCH" generate --docs "$BASE_DOCS" --seed 41 --out "$WORK/gen-base" 2>/dev/null
"$BENCH" generate --docs "$DOCS" --seed 42 --out "$WORK/gen-new" 2>/dev/null
mkdir -p "$WORK/base" "$WORK/trial"
for f in "$WORK"/gen-base/*.xml; do ln "$f" "$WORK/base/$(basename "$f")"; done
cp "$EXCERPT" "$WORK/base/"
# The trial set: the base files again (their documents are replaced), the new ones, and the
# ledger copies, in one directory so that the ingest (in file-name order) interleaves them.
for f in "$WORK"/base/*.xml; do ln "$f" "$WORK/trial/$(basename "$f")"; done
for f in "$WORK"/gen-new/*.xml; do
    name=$(basename "$f" .xml)
    [ -e "$WORK/trial/$name.xml" ] && name=$name-b
    ln "$f" "$WORK/trial/$name.xml"
done
for k in $(seq 1 "$LEDGER_COPIES"); do
    sed "s/frus1955-57v23p1/frus1955-57v23p1-copy$k/g" "$CHAPTER" >"$WORK/trial/frus1955-57v23p1-copy$k.xml"
done

# --- helpers -----------------------------------------------------------------------------------
sql() { sqlite3 -batch -noheader "$1/chancery.sqlite" "$2"; }
# Documents the committed index holds (its meta.json: each segment's docs less its deletes),
# read without opening the archive (which would rebuild a lagging index).
index_docs() {
    python3 - "$1/index/meta.json" <<'EOF'
import json, sys
try:
    meta = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    print(-1); sys.exit()
n = 0
for s in meta.get("segments", []):
    d = s.get("deletes") or {}
    n += s.get("max_doc", 0) - d.get("num_deleted_docs", 0)
print(n)
EOF
}
ingest_json_field() { python3 -c 'import json,sys; r=json.load(sys.stdin); print(r[sys.argv[1]] if not isinstance(r[sys.argv[1]], list) else len(r[sys.argv[1]]))' "$1"; }
positions_per_doc() {  # "doc<TAB>count" for every stored document, sorted
    sql "$1" "SELECT d.id, COUNT(p.id) FROM documents d LEFT JOIN ledger_positions p ON p.document = d.id GROUP BY d.id ORDER BY d.id;" | tr '|' '\t'
}
now_ms() { date +%s%3N; }

# --- the base archive with hand-entered positions -------------------------------------------
say "ingest the base archive"
BASE=$WORK/base-data
"$BIN" --data "$BASE" ingest "$WORK/base" --json >"$WORK/base-ingest.json" || die "base ingest failed"
BASE_COUNT=$(sql "$BASE" "SELECT COUNT(*) FROM documents;")
sql "$BASE" "SELECT id FROM documents ORDER BY id;" >"$WORK/base-ids.txt"
export CHANCERY_CURATOR=crash.sh
# By hand on a generated document (the generator writes nothing the extractor proposes).
HAND_DOC=$(grep -v '^frus1955-57v23p1/' "$WORK/base-ids.txt" | head -n 1)
"$BIN" --data "$BASE" ledger add --issue habomai-shikotan --party ussr --document "$HAND_DOC" \
    --paragraph 1 --stance "crash.sh: a position entered by hand" >/dev/null || die "ledger add failed"
PROPOSED=$(sql "$BASE" "SELECT id FROM ledger_positions WHERE status = 'proposed' ORDER BY id LIMIT 1;")
[ -n "$PROPOSED" ] || die "the base holds no proposed ledger position to accept"
"$BIN" --data "$BASE" ledger accept "$PROPOSED" >/dev/null || die "ledger accept failed"
sql "$BASE" "SELECT id FROM ledger_positions WHERE status = 'accepted' ORDER BY id;" >"$WORK/hand-ids.txt"
HAND=$(wc -l <"$WORK/hand-ids.txt")
[ "$HAND" -ge 2 ] || die "expected 2 hand-accepted positions, found $HAND"
echo "   base: $BASE_COUNT documents, $(sql "$BASE" "SELECT COUNT(*) FROM ledger_positions;") ledger positions, $HAND accepted by hand"

# --- the reference run -------------------------------------------------------------------------
say "reference run: the trial ingest to its end"
cp -a "$BASE" "$WORK/ref-data"
t0=$(now_ms)
"$BIN" --data "$WORK/ref-data" ingest "$WORK/trial" --json >"$WORK/ref-ingest.json" || die "the reference ingest failed"
REF_MS=$(( $(now_ms) - t0 ))
REF_COUNT=$(sql "$WORK/ref-data" "SELECT COUNT(*) FROM documents;")
REF_WITNESSES=$(sql "$WORK/ref-data" "SELECT COUNT(*) FROM witnesses;")
positions_per_doc "$WORK/ref-data" >"$WORK/ref-positions.tsv"
REF_POSITIONS=$(awk -F'\t' '{s+=$2} END {print s+0}' "$WORK/ref-positions.tsv")
REF_INGESTED=$(ingest_json_field ingested <"$WORK/ref-ingest.json")
echo "   reference: $REF_INGESTED documents ingested in $(( REF_MS / 1000 )).$(( REF_MS % 1000 / 100 ))s; $REF_COUNT stored ($REF_WITNESSES witnesses), $REF_POSITIONS ledger positions"
rm -rf "$WORK/ref-data"

# --- trials ------------------------------------------------------------------------------------
VIOLATIONS=0
PENDING_FAILS=0
SURVIVED=0
LOST_TOTAL=0
KILLED=0
fail() { VIOLATIONS=$((VIOLATIONS + 1)); PROBLEMS+=("$*"); }
pending() {
    PENDING_FAILS=$((PENDING_FAILS + 1))
    if [ "$PENDING" = fail ]; then VIOLATIONS=$((VIOLATIONS + 1)); fi
    PROBLEMS+=("[#14 pending] $*")
}
say "$TRIALS trials (kill moments seeded with $SEED)"
for trial in $(seq 1 "$TRIALS"); do
    PROBLEMS=()
    before=$VIOLATIONS
    DATA=$WORK/trial-data
    rm -rf "$DATA"
    cp -a "$BASE" "$DATA"
    # A moment within the reference duration (5% to 95%).
    delay_ms=$(( REF_MS * (5 + RANDOM % 91) / 100 ))
    "$BIN" --data "$DATA" ingest "$WORK/trial" --json >"$WORK/trial-ingest.json" 2>"$WORK/trial-ingest.err" &
    INGEST_PID=$!
    sleep "$(( delay_ms / 1000 )).$(printf '%03d' $(( delay_ms % 1000 )))"
    kill -9 "$INGEST_PID" 2>/dev/null || true
    rc=0
    wait "$INGEST_PID" 2>/dev/null || rc=$?
    INGEST_PID=""
    # 137: ended by the SIGKILL; anything else: the ingest had ended by itself.
    if [ "$rc" = 137 ]; then killed=1; KILLED=$((KILLED + 1)); else killed=0; fi
    when="killed at $(( delay_ms / 1000 )).$(( delay_ms % 1000 / 100 ))s"
    [ "$killed" = 1 ] || when="ended before the kill at $(( delay_ms / 1000 ))s"

    # 1. integrity
    integrity=$(sql "$DATA" "PRAGMA integrity_check;" 2>&1 | tr '\n' ' ')
    fk=$(sql "$DATA" "PRAGMA foreign_key_check;" 2>&1 | head -n 3 | tr '\n' ' ')
    [ "$integrity" = "ok " ] || fail "integrity_check: $integrity"
    [ -z "$fk" ] || fail "foreign_key_check: $fk"
    stored=$(sql "$DATA" "SELECT COUNT(*) FROM documents;")
    witnesses=$(sql "$DATA" "SELECT COUNT(*) FROM witnesses;")
    indexed=$(index_docs "$DATA")
    # 2. nothing acknowledged lost
    sql "$DATA" "SELECT id FROM documents ORDER BY id;" >"$WORK/trial-ids.txt"
    lost=$(comm -23 "$WORK/base-ids.txt" "$WORK/trial-ids.txt" | wc -l)
    LOST_TOTAL=$((LOST_TOTAL + lost))
    [ "$lost" = 0 ] || fail "$lost base documents lost (e.g. $(comm -23 "$WORK/base-ids.txt" "$WORK/trial-ids.txt" | head -n 1))"
    hand_ok=$(sql "$DATA" "SELECT COUNT(*) FROM ledger_positions WHERE status = 'accepted' AND id IN ($(sed "s/.*/'&'/" "$WORK/hand-ids.txt" | paste -sd,));")
    [ "$hand_ok" = "$HAND" ] || fail "hand-accepted positions: $hand_ok of $HAND still accepted"
    # 3. [pending] ledger entries complete for every stored document
    positions_per_doc "$DATA" >"$WORK/trial-positions.tsv"
    short=$(join -t $'\t' "$WORK/ref-positions.tsv" "$WORK/trial-positions.tsv" | awk -F'\t' '$3 < $2' | wc -l)
    short_pos=$(join -t $'\t' "$WORK/ref-positions.tsv" "$WORK/trial-positions.tsv" | awk -F'\t' '$3 < $2 {s += $2 - $3} END {print s+0}')
    [ "$short" = 0 ] || pending "$short stored documents lack $short_pos of their ledger positions (finding 6)"
    # 4. [pending] the committed index is not far behind the store
    lag=$(( stored - witnesses - indexed ))
    [ "$indexed" -ge 0 ] || fail "the index has no readable meta.json"
    [ "$lag" -le 2000 ] || pending "the committed index is $lag documents behind the store (at most 2,000 wanted)"
    # 5. a following ingest completes; then store and index agree
    t0=$(now_ms)
    if "$BIN" --data "$DATA" ingest "$WORK/trial" --json >"$WORK/follow.json" 2>"$WORK/follow.err"; then
        follow_ms=$(( $(now_ms) - t0 ))
        got=$(ingest_json_field ingested <"$WORK/follow.json")
        [ "$got" = "$REF_INGESTED" ] || fail "the following ingest ingested $got documents, not $REF_INGESTED"
        follow="follow-up ingest $(( follow_ms / 1000 )).$(( follow_ms % 1000 / 100 ))s ok"
    else
        fail "the following ingest failed: $(head -c 300 "$WORK/follow.err")"
        follow="follow-up ingest FAILED"
    fi
    after=$(sql "$DATA" "SELECT COUNT(*) FROM documents;")
    after_w=$(sql "$DATA" "SELECT COUNT(*) FROM witnesses;")
    [ "$after" = "$REF_COUNT" ] || fail "after the following ingest the store holds $after documents, not $REF_COUNT"
    meta_after=$(index_docs "$DATA")
    [ "$meta_after" = "$(( after - after_w ))" ] || fail "index meta.json holds $meta_after documents, the store $((after - after_w)) searchable"
    coll=$("$BIN" --data "$DATA" collections --json 2>/dev/null | python3 -c 'import json,sys; print(sum(c.get("count", c.get("documents", 0)) for c in json.load(sys.stdin)))' 2>/dev/null || echo "?")
    [ "$coll" = "$after" ] || fail "collections --json counts $coll documents, the store $after"
    found=$("$BIN" --data "$DATA" search "$SEARCH_ALL" --json --limit 1 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])' 2>/dev/null || echo "?")
    [ "$found" = "$(( after - after_w ))" ] || fail "search finds $found documents, the store holds $((after - after_w)) searchable"
    positions_per_doc "$DATA" >"$WORK/after-positions.tsv"
    cmp -s "$WORK/ref-positions.tsv" "$WORK/after-positions.tsv" \
        || fail "after the following ingest $(diff "$WORK/ref-positions.tsv" "$WORK/after-positions.tsv" | grep -c '^>') documents' ledger position counts differ from the reference"

    status=SURVIVED
    if [ "$VIOLATIONS" -gt "$before" ]; then status=VIOLATED; else SURVIVED=$((SURVIVED + 1)); fi
    echo "trial $trial: $status, $when; integrity ${integrity% }; stored $stored (base $BASE_COUNT, +$((stored - BASE_COUNT))), index lag $lag; base lost $lost; hand positions $hand_ok/$HAND; docs short of ledger positions $short; $follow"
    for p in "${PROBLEMS[@]}"; do echo "   - $p"; done
done

echo "== crash summary: $SURVIVED of $TRIALS trials survived ($KILLED killed mid-ingest), documents lost $LOST_TOTAL, pending-fix failures $PENDING_FAILS (--pending $PENDING), reference ingest $REF_INGESTED documents in $(( REF_MS / 1000 ))s, seed $SEED"
if [ "$VIOLATIONS" -gt 0 ]; then
    echo "crash.sh: $VIOLATIONS violation(s)" >&2
    exit 1
fi
