#!/usr/bin/env bash
# The real scholarly clients against `chancery serve` on the shared corpus (issue 17), a few
# minutes in CI:
#   1. OAI-PMH: ../shared/tools/scholarly-clients/oai_harvest_check.py (Sickle, the OAI-PMH 2.0
#      schema, every verb and error code, from/until, sets, resumption tokens), with one
#      document deleted first so that a deleted record is harvested too; the full harvest's
#      records/s printed.
#   2. Zotero: the kit's translation-server (zotero-setup.sh, npm registry only) saves FRUS d52,
#      the Kennan telegram, Wilson Center 300264 and a letter of three TEI editions; the items'
#      type, creators, title, container, volume, pages, dates and archive location are checked
#      (bench/zotero_check.py). Skipped with a note when SCHOLARLY_SKIP_ZOTERO=1.
#   3. CSL round trip: the CSL-JSON `chancery cite` emits, rendered by citeproc-py with the kit's
#      Chicago style, gives Chancery's own note (bench/csl_roundtrip.py), for FRUS d52, the
#      Kennan telegram, Wilson Center 300264 and one letter of three TEI editions.
#   4. Schemathesis (PyPI, bench/requirements-schemathesis.txt) against /api/openapi.json:
#      every operation, GET and POST (the writes with a test token), its default checks
#      (server errors, undocumented statuses and content types, responses against their
#      schemas, schema-valid requests refused, schema-invalid ones accepted); 0 failures.
# Needs python3 with venv; the venv is made under target/ (PyPI only).
#   bash bench/scholarly-clients.sh [--keep]
set -euo pipefail
cd "$(dirname "$0")/.."
KIT=../shared/tools/scholarly-clients
VENV=target/scholarly-venv
PORT=${SCHOLARLY_PORT:-18780}
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q -r "$KIT/requirements-scholarly-clients.txt" -r bench/requirements-schemathesis.txt
cargo build --locked -q -p chancery
BIN=target/debug/chancery
DATA=$(mktemp -d)
SERVER=
ZTS=target/zotero-kit
ZPORT=${SCHOLARLY_ZOTERO_PORT:-18781}
cleanup() {
    if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
    [ -d "$ZTS" ] && bash "$KIT/zotero-setup.sh" --stop "$ZTS" > /dev/null 2>&1 || true
    [ "${1:-}" = "--keep" ] || rm -rf "$DATA"
}
trap cleanup EXIT
"$BIN" --data "$DATA" ingest ../shared/corpus > "$DATA/ingest.log" 2>&1 || true
tail -2 "$DATA/ingest.log"
"$BIN" --data "$DATA" delete frus1955-57v23p1/d51

echo "== CSL round trip (citeproc-py, the kit's Chicago style)"
IDS=(frus1955-57v23p1/d52 frus1946v06/d475 wilson-center/300264 L03619
     cavriana/letters/1568-04-06 SrsGeneve_41_02_19)
"$BIN" --data "$DATA" cite "${IDS[@]}" --format csl-json > "$DATA/items.json"
"$BIN" --data "$DATA" cite "${IDS[@]}" --format chicago > "$DATA/notes.txt"
"$VENV/bin/python" bench/csl_roundtrip.py "$DATA/items.json" "$DATA/notes.txt" --style "$KIT/chicago-fullnote-bibliography.csl"

echo "== OAI-PMH harvest check (Sickle)"
# a test token for the write routes Schemathesis calls (the ledger of this throw-away archive)
TOKEN=schemathesis-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
printf 'schemathesis %s\n' "$TOKEN" > "$DATA/tokens"
chmod 600 "$DATA/tokens"
"$BIN" --data "$DATA" serve --addr "127.0.0.1:$PORT" --api-token-file "$DATA/tokens" --sources ../shared/corpus \
    > "$DATA/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/oai?verb=Identify" > /dev/null && break
    sleep 0.1
done
for prefix in oai_dc mods; do
    echo "-- metadataPrefix=$prefix"
    "$VENV/bin/python" "$KIT/oai_harvest_check.py" "http://127.0.0.1:$PORT/oai" --metadata-prefix "$prefix" \
        | grep -v '^  ok:' | sed -n '/== summary/,$p'
    [ "${PIPESTATUS[0]}" = 0 ]
done
if [ "${SCHOLARLY_SKIP_ZOTERO:-0}" = 1 ]; then
    echo "== Zotero translation-server: skipped (SCHOLARLY_SKIP_ZOTERO=1)"
else
    echo "== Zotero translation-server (the kit, offline translators)"
    bash "$KIT/zotero-setup.sh" "$ZTS" "$ZPORT" > "$DATA/zotero-setup.log" 2>&1 || { tail -20 "$DATA/zotero-setup.log"; exit 1; }
    "$VENV/bin/python" bench/zotero_check.py "http://127.0.0.1:$ZPORT" "http://127.0.0.1:$PORT"
fi
echo "== Schemathesis (/api/openapi.json; GET and POST, the writes with a test token)"
# Its default checks; --max-examples bounds the run (a few minutes in a debug build).
set +e
"$VENV/bin/schemathesis" run "http://127.0.0.1:$PORT/api/openapi.json" \
    -H "Authorization: Bearer $TOKEN" --max-examples "${SCHEMATHESIS_EXAMPLES:-30}" --seed 17 \
    --workers 1 --no-color --generation-database none --report junit --report-dir "$DATA/schemathesis" \
    > "$DATA/schemathesis.log" 2>&1
ST=$?
set -e
sed -n '/SUMMARY/,$p' "$DATA/schemathesis.log"
if [ "$ST" != 0 ]; then
    sed -n '/FAILURES/,/SUMMARY/p' "$DATA/schemathesis.log" | head -150
    echo "Schemathesis failed (exit $ST)"
    exit 1
fi
# the full harvest's speed: ListRecords oai_dc followed to the end
"$VENV/bin/python" - "http://127.0.0.1:$PORT/oai" <<'PY'
import sys, time
from sickle import Sickle
t = time.perf_counter()
n = sum(1 for _ in Sickle(sys.argv[1]).ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
dt = time.perf_counter() - t
print("full harvest: %d records in %.2f s = %.0f records/s (debug build)" % (n, dt, n / dt))
PY
