#!/bin/sh
# folio_stdout.sh FILE ARGS... - runs "$FOLIO ARGS... -o -" with standard output redirected into
# FILE, so that FILE grows as pages are produced (as an HTTP response does) and the probe sees
# when Folio's first bytes are out. (`-o FILE` writes a temporary file renamed at the end, so a
# half-written PDF never looks finished.)
out=$1
shift
exec "${FOLIO:?FOLIO is the folio binary}" "$@" -o - > "$out"
