#!/bin/sh
# System tools the tests use for real, installed from Debian's packages when missing:
# rapper (raptor2-utils), the second, independent RDF parser the export is checked with;
# chromium, the browser the HTML views are tested in.
set -e
need=""
command -v rapper >/dev/null 2>&1 || need="$need raptor2-utils"
# chromium: the real browser the viz pages are tested in (headless, driven by playwright)
[ -x /usr/bin/chromium ] || need="$need chromium"
# virtuoso-opensource: the triple store push and --store sparql:URL are tested against (scripts/virtuoso.sh)
command -v virtuoso-t >/dev/null 2>&1 || need="$need virtuoso-opensource"
# curl: one of the real clients the SPARQL endpoint is tested with (tests/test_endpoint.py)
command -v curl >/dev/null 2>&1 || need="$need curl"
if [ -n "$need" ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "installing:$need" >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $need >/dev/null \
    || { DEBIAN_FRONTEND=noninteractive $SUDO apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $need >/dev/null; }
fi
