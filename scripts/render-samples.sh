#!/usr/bin/env bash
# Installs what is missing, builds Folio and renders every sample in samples/ and every report of
# the bundled packages (templates/, from their sample data) into out/.
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
# Package reports: the indented lines of `folio packages list` are "  NAME (KIND)".
for report in $(.build/release/folio packages list --templates templates | awk '/^  / {print $1}'); do
  if .build/release/folio render --templates templates --report "$report" -o "out/$report.pdf"; then
    echo "out/$report.pdf: $(pdfinfo "out/$report.pdf" | awk '/^Pages:/ {print $2}') pages"
  else
    echo "FAILED: report $report" >&2
    status=1
  fi
done
exit $status
