#!/usr/bin/env bash
# Refresh the front-end libraries bundled under src/recoupe/web/static/vendor/ from npm.
# Run by hand when upgrading (needs npm and the registry); the files are committed, so nothing is
# fetched at install or run time. Record the new versions and sha256 in VENDOR.md.
set -euo pipefail
cd "$(dirname "$0")/.."
VIS=${VIS:-8.5.4}
CY=${CY:-3.34.4}
SWAGGER=${SWAGGER:-5.35.0}
REDOC=${REDOC:-2.5.4}
dest=src/recoupe/web/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "vis-timeline@$VIS" "cytoscape@$CY" "swagger-ui-dist@$SWAGGER" "redoc@$REDOC" >/dev/null && for f in *.tgz; do mkdir "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done)
cp "$tmp/vis-timeline-$VIS/package/standalone/umd/vis-timeline-graph2d.min.js" "$dest/"
cp "$tmp/vis-timeline-$VIS/package/styles/vis-timeline-graph2d.min.css" "$dest/"
cp "$tmp/vis-timeline-$VIS/package/LICENSE.MIT.txt" "$dest/vis-timeline.LICENSE-MIT.txt"
cp "$tmp/vis-timeline-$VIS/package/LICENSE.Apache-2.0.txt" "$dest/vis-timeline.LICENSE-Apache-2.0.txt"
cp "$tmp/cytoscape-$CY/package/dist/cytoscape.min.js" "$dest/"
cp "$tmp/cytoscape-$CY/package/LICENSE" "$dest/cytoscape.LICENSE.txt"
# the API documentation pages (/docs, /redoc): Swagger UI and ReDoc, served from /static/vendor/
cp "$tmp/swagger-ui-dist-$SWAGGER/package/swagger-ui-bundle.js" "$dest/"
cp "$tmp/swagger-ui-dist-$SWAGGER/package/swagger-ui-bundle.js.LICENSE.txt" "$dest/"
cp "$tmp/swagger-ui-dist-$SWAGGER/package/swagger-ui.css" "$dest/"
cp "$tmp/swagger-ui-dist-$SWAGGER/package/LICENSE" "$dest/swagger-ui.LICENSE.txt"
cp "$tmp/swagger-ui-dist-$SWAGGER/package/NOTICE" "$dest/swagger-ui.NOTICE.txt"
cp "$tmp/redoc-$REDOC/package/bundles/redoc.standalone.js" "$dest/"
cp "$tmp/redoc-$REDOC/package/bundles/redoc.standalone.js.LICENSE.txt" "$dest/"
cp "$tmp/redoc-$REDOC/package/LICENSE" "$dest/redoc.LICENSE.txt"
(cd "$dest" && sha256sum ./*.js ./*.css)
