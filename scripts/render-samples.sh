#!/usr/bin/env bash
# Installs what is missing, builds Folio and renders every sample in samples/ into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product folio
mkdir -p out
status=0
for f in samples/*.rml; do
  name=$(basename "$f" .rml)
  if .build/release/folio render "$f" -o "out/$name.pdf"; then
    echo "out/$name.pdf: $(pdfinfo "out/$name.pdf" | awk '/^Pages:/ {print $2}') pages"
  else
    echo "FAILED: $f" >&2
    status=1
  fi
done
exit $status
