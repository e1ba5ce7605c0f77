#!/bin/sh
# Refresh the YASGUI bundled with the query page (graph/server/static/yasgui/) from the npm registry.
#
#   scripts/refresh-yasgui.sh            # the version pinned below
#   scripts/refresh-yasgui.sh 4.6.3      # another version (then run the query page's tests)
#
# @zazuko/yasgui is installed with the machine's npm into a temporary folder (no install scripts run),
# and only its built bundle is copied: yasgui.min.js (YASGUI, YASQE, YASR and the libraries they bundle)
# and yasgui.min.css, without their source-map comments (the maps are not shipped). Written beside them:
# LICENSE (YASGUI's), THIRD-PARTY-LICENSES.txt (every package npm installed with it: name, version,
# licence and the licence text it ships) and VERSIONS (what was copied, its SHA-256, npm's integrity).
set -eu
VERSION="${1:-4.6.2}"
PACKAGE="@zazuko/yasgui"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$HERE/graph/static/yasgui"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/refresh-yasgui.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT INT TERM

command -v npm >/dev/null 2>&1 || { echo "refresh-yasgui: npm is needed (apt-get install npm)" >&2; exit 2; }
cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts --save-exact "$PACKAGE@$VERSION" >/dev/null
BUILD="$WORK/node_modules/$PACKAGE/build"
[ -f "$BUILD/yasgui.min.js" ] && [ -f "$BUILD/yasgui.min.css" ] \
  || { echo "refresh-yasgui: $PACKAGE@$VERSION has no build/yasgui.min.js and .css" >&2; exit 1; }

mkdir -p "$DEST"
# the bundles end with a sourceMappingURL comment naming a .map file that is not shipped
sed -e 's|^//# sourceMappingURL=.*$||' "$BUILD/yasgui.min.js" > "$DEST/yasgui.min.js"
sed -e 's|/\*# sourceMappingURL=[^*]*\*/||' "$BUILD/yasgui.min.css" > "$DEST/yasgui.min.css"

node - "$WORK" "$DEST" "$PACKAGE" "$VERSION" <<'EOF'
const fs = require("fs"), path = require("path"), crypto = require("crypto");
const [work, dest, pkgName, version] = process.argv.slice(2);
const modules = path.join(work, "node_modules");
const lock = JSON.parse(fs.readFileSync(path.join(work, "package-lock.json"), "utf8"));
const top = lock.packages["node_modules/" + pkgName];
const own = JSON.parse(fs.readFileSync(path.join(modules, pkgName, "package.json"), "utf8"));
const sha = (f) => crypto.createHash("sha256").update(fs.readFileSync(path.join(dest, f))).digest("hex");

// YASGUI's own licence: the npm packages declare MIT in package.json but ship no licence file,
// so the MIT text is written here with the holders package.json names.
if (own.license !== "MIT") { console.error(`refresh-yasgui: ${pkgName} now declares '${own.license}', not MIT; review it`); process.exit(1); }
const holders = [own.author && (own.author.name || own.author), ...(own.contributors || []).map((c) => c.name || c)]
  .filter(Boolean).map((h) => String(h).replace(/\s*<[^>]*>/, "")).join(", ");
fs.writeFileSync(path.join(dest, "LICENSE"), `YASGUI (${pkgName} ${version}, including @zazuko/yasqe and @zazuko/yasr)
Licence: MIT, as declared by the package's package.json ("license": "MIT"); the npm package ships
no licence file, so the MIT licence text follows with the holders its package.json names.
Source: ${own.homepage || ""}

MIT License

Copyright (c) ${holders}

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`);

// every package npm installed with it (the bundle carries the ones YASGUI uses at run time)
const rows = [], texts = [];
for (const [key, meta] of Object.entries(lock.packages).sort()) {
  if (!key.startsWith("node_modules/")) continue;
  const dir = path.join(work, key), name = key.replace(/^.*node_modules\//, "");
  const pj = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const licence = pj.license || (pj.licenses || []).map((l) => l.type || l).join(" OR ") || "(none declared)";
  rows.push(`${name} ${pj.version} ${licence}`);
  const files = fs.readdirSync(dir).filter((f) => /^(licen[cs]e|copying)/i.test(f)).sort();
  texts.push(`==== ${name} ${pj.version} (${licence}) ====\n` +
    (files.length ? files.map((f) => fs.readFileSync(path.join(dir, f), "utf8").trim()).join("\n\n")
                  : "(the package ships no licence file; its package.json declares the licence above)") + "\n");
}
fs.writeFileSync(path.join(dest, "THIRD-PARTY-LICENSES.txt"),
  `Packages npm installed with ${pkgName}@${version}; yasgui.min.js bundles the ones YASGUI uses at run time.\n\n` +
  texts.join("\n"));
fs.writeFileSync(path.join(dest, "VERSIONS"),
  `# Bundled by scripts/refresh-yasgui.sh from the npm registry; do not edit by hand.\n` +
  `package ${pkgName} ${version} MIT\n` +
  `tarball ${pkgName.split("/").pop()}-${version}.tgz, from the npm registry npm is set to use\n` +
  `integrity ${top.integrity}\n` +
  `file yasgui.min.js sha256 ${sha("yasgui.min.js")} (build/yasgui.min.js, source-map comment removed)\n` +
  `file yasgui.min.css sha256 ${sha("yasgui.min.css")} (build/yasgui.min.css, source-map comment removed)\n` +
  `# installed with it (name version licence):\n` + rows.map((r) => `dependency ${r}\n`).join(""));
EOF
echo "refresh-yasgui: $PACKAGE@$VERSION -> $DEST" >&2
