#!/usr/bin/env bash
# fetch-echarts.sh re-fetches the inlined echarts build from the npm registry and
# checks it against SHA256SUMS. Run from anywhere; needs npm, tar and sha256sum.
#
#   reports/assets/fetch-echarts.sh          # fetch, verify, copy into reports/assets/
#   reports/assets/fetch-echarts.sh --check  # only verify the committed files
#
# The version is the one go-echarts v2.6.7 targets. Bumping it means editing
# VERSION, running this script with --update-sums, and refreshing the goldens
# (go test -tags duckdb_arrow ./reports/ -update).
set -euo pipefail
VERSION=5.4.3
here="$(cd "$(dirname "$0")" && pwd)"

check() { (cd "$here" && sha256sum --check --strict SHA256SUMS); }

case "${1:-}" in
  --check) check; exit ;;
  --update-sums|"") ;;
  *) echo "usage: $0 [--check|--update-sums]" >&2; exit 2 ;;
esac

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "echarts@${VERSION}" >/dev/null)
tar -xzf "$tmp/echarts-${VERSION}.tgz" -C "$tmp" \
  package/dist/echarts.min.js package/LICENSE package/NOTICE package/licenses/LICENSE-d3
cp "$tmp/package/dist/echarts.min.js" "$tmp/package/LICENSE" "$tmp/package/NOTICE" "$here/"
cp "$tmp/package/licenses/LICENSE-d3" "$here/LICENSE-d3"
if [ "${1:-}" = "--update-sums" ]; then
  (cd "$here" && sha256sum echarts.min.js LICENSE NOTICE LICENSE-d3 > SHA256SUMS)
fi
check
