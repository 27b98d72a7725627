#!/usr/bin/env bash
# Installs the Debian packages Folio needs to build, run and test, skipping what is already there.
set -euo pipefail

packages=(
  pkg-config
  libxml2-dev libxslt1-dev          # CXML: RML parsing, XSLT
  libcairo2-dev libpango1.0-dev     # CCairo: PDF/PNG drawing, text shaping
  libgdk-pixbuf-2.0-dev             # CPixbuf: PNG, JPEG and GIF decoding
  librsvg2-dev                      # CRsvg: SVG images
  libpq-dev                         # CLibPQ: PostgreSQL data sources
  zlib1g-dev                        # the service: zlib results of the XML-RPC print protocol
  python3                           # the service tests: Python's xmlrpc.client and zipfile
  postgresql                        # a real server for the data-source tests (started on loopback)
  poppler-utils                     # pdftoppm/pdftotext/pdfinfo for the tests
  xsltproc                          # reference XSLT processor the XSLT tests compare with
  fonts-urw-base35                  # fonts poppler uses to rasterise reference PDFs in the compatibility test
  chromium                          # headless browser for the test of folio watch's preview page
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The compatibility test's scorer needs numpy.
python3 -c "import numpy" 2>/dev/null || python3 -m pip install --quiet numpy
