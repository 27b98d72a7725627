#!/usr/bin/env bash
# bench/run.sh - the ledger benchmark: Folio side by side with floor.c (Cairo + Pango, no layout
# engine) and, when installed, z3c.rml + ReportLab, Apache FOP and WeasyPrint, in one run.
#
#   bench/run.sh [--install-peers] [--no-build] [N ...]     default sizes: 1000 10000 100000
#
# For every size and system: wall time, pages/s, peak RSS (/usr/bin/time), time to the PDF's
# first bytes (probe.py), PDF size, and a check that the last page shows the grand total.
# Results go to bench/results/ (results.csv, probe.csv, machine.txt, summary.md).
#
#   --install-peers   apt-get install fop (+ JRE) and pip install z3c.rml, ReportLab, WeasyPrint
#                     into bench/.venv-peers (needs root or sudo, and the network)
#   --no-build        use the existing release build of Folio
# Environment: PEERS (default: every installed peer + floor), REPS (default 3), LIMIT_S (skip a
# peer at a size whose extrapolated time exceeds it, default 600), FOLIO (the folio binary).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
INSTALL=0 BUILD=1 SIZES=()
for a in "$@"; do
  case $a in
    --install-peers) INSTALL=1 ;;
    --no-build) BUILD=0 ;;
    -h|--help) sed -n 2,16p "$0"; exit 0 ;;
    *) SIZES+=("$a") ;;
  esac
done
[ ${#SIZES[@]} -eq 0 ] && SIZES=(1000 10000 100000)
export VENV=${VENV:-$HERE/.venv-peers}

if [ "$INSTALL" = 1 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends xsltproc fop default-jre-headless poppler-utils time gcc \
      pkg-config libcairo2-dev libpango1.0-dev libxml2-dev fonts-liberation2 python3 python3-venv
  [ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install 'z3c.rml==5.2' 'reportlab==5.1.0' 'weasyprint==70.0'
fi

SCRATCH=${SCRATCH:-$ROOT/.build}
if [ -z "${FOLIO:-}" ]; then
  [ "$BUILD" = 1 ] && (cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product folio)
  FOLIO=$SCRATCH/release/folio
fi
[ -x "$FOLIO" ] || { echo "no folio binary at $FOLIO (build with: swift build -c release)" >&2; exit 1; }

# Peers that are installed; floor.c always runs (it is built by run_peers.sh).
if [ -z "${PEERS+x}" ]; then
  PEERS="floor"
  [ -x "$VENV/bin/rml2pdf" ] && PEERS="$PEERS rml"
  command -v fop >/dev/null && PEERS="$PEERS fo"
  [ -x "$VENV/bin/weasyprint" ] && PEERS="$PEERS html"
fi
export PEERS
export FOLIO PROBE=1 OUT=${OUT:-results}
cd "$HERE"
mkdir -p "$OUT"
# Folio runs the chunked form of the report (the data read a chunk of records at a time, the RML
# streamed into the layout); 'folio-nocount' is the same report without "of Y" in the footer, for
# the time to the first pages of a report that needs no counting pass.
sed 's| of <getName id="lastPage" default="?"/>||' ledger_rml_chunked.xsl > "$OUT/ledger_rml_chunked_nocount.xsl"
export EXTRA_PEERS="folio=$HERE/folio_stdout.sh {pdf} render --xsl $HERE/ledger_rml_chunked.xsl --data {xml};folio-nocount=$HERE/folio_stdout.sh {pdf} render --xsl $HERE/$OUT/ledger_rml_chunked_nocount.xsl --data {xml}"
echo "folio: $FOLIO; peers: $PEERS; sizes: ${SIZES[*]}"
./run_peers.sh "${SIZES[@]}"
python3 "$HERE/summarize.py" "$OUT" | tee "$OUT/summary.md"
