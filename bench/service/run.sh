#!/usr/bin/env bash
# Service benchmark: requests/s and p50/p99 latency of rendering the one-page invoice
# (samples/invoice.rml posted to POST /v1/render) at several concurrencies over loopback, then the
# time to complete one merged batch job of N one-picking records (pages/s), against a release
# build of `folio serve` started by this script on a free port.
#
#   bench/service/run.sh [--build] [--install-wrk] [--load wrk|python] [--folio PATH]
#                        [--duration SECONDS] [--concurrency "1 8 32"] [--batch N]
#
#   --build         swift build -c release --scratch-path .build-server-release --product folio first
#   --install-wrk   apt-get install -y wrk when wrk is missing (sudo when not root)
#   --load          load generator: wrk (default when installed) or python (bench/service/load.py)
#   --folio PATH    the folio executable (default .build-server-release/release/folio)
#
# Prints Markdown tables. With wrk, latencies are of every answer (429 `busy` answers included);
# PDFs/s counts the 200 answers only. The Python generator counts and times PDFs only.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/bench/service"
FOLIO="$ROOT/.build-server-release/release/folio"
DURATION=20
CONCURRENCY="1 8 32"
BATCH=1000
BUILD=0
INSTALL_WRK=0
LOAD=""

while [ $# -gt 0 ]; do
  case "$1" in
    --build) BUILD=1 ;;
    --install-wrk) INSTALL_WRK=1 ;;
    --load) LOAD="$2"; shift ;;
    --folio) FOLIO="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --concurrency) CONCURRENCY="$2"; shift ;;
    --batch) BATCH="$2"; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if [ "$BUILD" = 1 ]; then
  (cd "$ROOT" && swift build -c release --scratch-path .build-server-release --product folio)
fi
[ -x "$FOLIO" ] || { echo "no folio executable at $FOLIO (use --build or --folio)" >&2; exit 1; }

if [ "$INSTALL_WRK" = 1 ] && ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y wrk; else sudo apt-get install -y wrk; fi
fi
if [ -z "$LOAD" ]; then
  if command -v wrk >/dev/null; then LOAD=wrk; else LOAD=python; fi
fi

TMP=$(mktemp -d)
SERVER=""
cleanup() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
    kill -TERM "$SERVER"; wait "$SERVER" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

# The server: embedded queue in a fresh folder, the repository's packages and fonts, defaults
# otherwise (render threads = cores, 32 waiting renders).
"$FOLIO" serve --port 0 --templates "$ROOT/templates" --data-dir "$TMP/data" --log-level error \
  >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER=$!
for _ in $(seq 1 200); do
  grep -q '^listening on ' "$TMP/serve.out" 2>/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$TMP/serve.err" >&2; exit 1; }
  sleep 0.1
done
BASE=$(sed -n 's/^listening on //p' "$TMP/serve.out" | head -1)
[ -n "$BASE" ] || { echo "the server did not start" >&2; cat "$TMP/serve.err" >&2; exit 1; }

INVOICE="$ROOT/samples/invoice.rml"
# Warm-up, and a check that the answer is a one-page PDF.
for _ in $(seq 1 20); do
  curl -sf -o "$TMP/warm.pdf" -H 'Content-Type: application/xml' --data-binary @"$INVOICE" "$BASE/v1/render"
done
PAGES=$(pdfinfo "$TMP/warm.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
[ "${PAGES:-1}" = 1 ] || { echo "the invoice rendered to $PAGES pages, not 1" >&2; exit 1; }

cat >"$TMP/post.lua" <<LUA
local f = io.open("$INVOICE", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/xml"
local bad = 0
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
LUA

# wrk prints latencies with their unit (us, ms, s): in milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

echo "folio: $FOLIO"
echo "server: $BASE (render threads: $(nproc), load generator: $LOAD, ${DURATION}s per level)"
echo
echo "| concurrency | answers | non-200 | answers/s | PDFs/s | p50 ms | p99 ms |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for C in $CONCURRENCY; do
  if [ "$LOAD" = wrk ]; then
    T=$(( C < 2 ? C : 2 ))
    wrk -t "$T" -c "$C" -d "${DURATION}s" --timeout 60s --latency -s "$TMP/post.lua" "$BASE/v1/render" >"$TMP/wrk-$C.txt"
    REQS=$(awk '/requests in/ {print $1}' "$TMP/wrk-$C.txt")
    RPS=$(awk '/^Requests\/sec:/ {print $2}' "$TMP/wrk-$C.txt")
    P50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$TMP/wrk-$C.txt")")
    P99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$TMP/wrk-$C.txt")")
    ERRS=$(awk '/Non-2xx or 3xx responses:/ {n += $NF} /Socket errors:/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$TMP/wrk-$C.txt")
  else
    python3 "$HERE/load.py" load --url "$BASE/v1/render" --body "$INVOICE" --concurrency "$C" --duration "$DURATION" >"$TMP/py-$C.json"
    read -r REQS ERRS RPS P50 P99 < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["requests"], d["errors"], d["requests_per_s"], d["p50_ms"], d["p99_ms"])' "$TMP/py-$C.json")
  fi
  OKPS=$(awk -v r="$REQS" -v e="$ERRS" -v d="$DURATION" 'BEGIN { printf "%.2f", (r - e) / d }')
  echo "| $C | $REQS | $ERRS | $RPS | $OKPS | $P50 | $P99 |"
done
echo
echo "problems answered during the load (from /metrics):"
curl -sf "$BASE/metrics" | grep '^folio_errors_total' || echo "none"

# The batch: N copies of a one-picking packing list (the package sample cut to its first picking).
python3 - "$ROOT/templates/openerp_stock/samples/picking.data.xml" "$TMP/record.xml" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
first_end = text.index("</picking>") + len("</picking>")
rest_end = text.rindex("</picking>") + len("</picking>")
open(sys.argv[2], "w", encoding="utf-8").write(text[:first_end] + text[rest_end:])
PY
curl -sf -o "$TMP/one.pdf" -H 'Content-Type: application/xml' --data-binary @"$TMP/record.xml" \
  "$BASE/v1/reports/stock.picking.list/render"
ONE=$(pdfinfo "$TMP/one.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
# One record rendered alone, 20 times in a row (POST /v1/reports/stock.picking.list/render).
SINGLE=$( { time -p (for _ in $(seq 1 20); do curl -sf -o /dev/null -H 'Content-Type: application/xml' \
  --data-binary @"$TMP/record.xml" "$BASE/v1/reports/stock.picking.list/render"; done) ; } 2>&1 | awk '/^real/ {printf "%.1f", $2 * 1000 / 20}')
echo
echo "one record rendered alone: ${SINGLE} ms (mean of 20 sequential POST /v1/reports/stock.picking.list/render)"
echo "batch: $BATCH records of stock.picking.list ($(wc -c <"$TMP/record.xml") bytes of data XML, ${ONE:-?} page(s) each), merged"
python3 "$HERE/load.py" batch --base "$BASE" --report stock.picking.list --record "$TMP/record.xml" --count "$BATCH" >"$TMP/batch.json"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print("| documents | request MB | seconds | pages | pages/s | documents/s | result MB |")
print("|---:|---:|---:|---:|---:|---:|---:|")
print("| %d | %.1f | %.2f | %d | %.1f | %.1f | %.1f |" % (d["documents"], d["request_bytes"] / 1e6, d["seconds"], d["pages"],
      d["pages_per_s"], d["documents_per_s"], d["result_bytes"] / 1e6))
' "$TMP/batch.json"
