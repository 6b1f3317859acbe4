#!/usr/bin/env bash
# Re-downloads the pinned GraphiQL/React files from the npm registry into this folder and checks
# each one against the sha256 below, so that an update is deliberate: to move to other versions,
# change the versions AND the hashes (print them with `sha256sum`), run this, and review the diff.
#
#   assets/graphiql/update.sh            download, verify, copy
#   assets/graphiql/update.sh --check    download, verify, and compare with the committed files
set -euo pipefail

GRAPHIQL=3.8.3   # the last GraphiQL with a self-contained UMD bundle (v4+ is ESM only)
REACT=18.3.1     # react and react-dom, production UMD builds (React 19 no longer ships UMD)
ESBUILD=0.25.12  # minifies graphiql's bundle, which 3.8.3 ships unminified despite its name

declare -A SHA256=(
  # graphiql.min.js as the registry has it, before minifying
  [graphiql.min.js]=22faab94067b695e5f7959619fbe686ebcc8955002a0c97d986bcbba4ad4bc2c
  [graphiql.min.css]=b1868247f8e0502cd869e581f5f3cb55b334862e7f51b1d6cbace11059b9adc2
  [react.production.min.js]=d949f1c3687aedadcedac85261865f29b17cd273997e7f6b2bfc53b2f9d4c4dd
  [react-dom.production.min.js]=35f4f974f4b2bcd44da73963347f8952e341f83909e4498227d4e26b98f66f0d
  [LICENSES.txt]=9845b9f8527c3a5be07592515e517fcc8429ba948527f8df5ec248184dc66047
)

mode=${1:-}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$tmp"
# npm pack checks each tarball against the registry's integrity hash.
npm pack --silent "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" >/dev/null
for pkg in "graphiql-$GRAPHIQL" "react-$REACT" "react-dom-$REACT"; do
  mkdir "$pkg" && tar -xzf "$pkg.tgz" -C "$pkg"
done

mkdir out
cp "graphiql-$GRAPHIQL/package/graphiql.min.js" out/
cp "graphiql-$GRAPHIQL/package/graphiql.min.css" out/
cp "react-$REACT/package/umd/react.production.min.js" out/
cp "react-dom-$REACT/package/umd/react-dom.production.min.js" out/
{
  first=1
  for spec in "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT"; do
    name=${spec%@*} version=${spec#*@}
    [ $first = 1 ] || printf '\n\n'
    first=0
    printf '==== %s %s (npm: %s) ====\n\n' "$name" "$version" "$spec"
    cat "$name-$version/package/LICENSE"
  done
} > out/LICENSES.txt

status=0
for f in "${!SHA256[@]}"; do
  actual=$(sha256sum "out/$f" | cut -d' ' -f1)
  if [ "$actual" != "${SHA256[$f]}" ]; then
    echo "sha256 mismatch for $f: expected ${SHA256[$f]}, got $actual" >&2
    status=1
  fi
done
[ $status = 0 ] || { echo "Nothing copied. If the new versions are intended, update the hashes in $0." >&2; exit 1; }

# 3.5 MB of webpack output to 1.5 MB; licence comments are kept.
mv out/graphiql.min.js graphiql.js
npx --yes "esbuild@$ESBUILD" graphiql.js --minify --log-level=error --outfile=out/graphiql.min.js

if [ "$mode" = --check ]; then
  for f in "${!SHA256[@]}"; do
    cmp -s "out/$f" "$here/$f" || { echo "$here/$f differs from the registry's copy" >&2; status=1; }
  done
  [ $status = 0 ] && echo "All ${#SHA256[@]} files match graphiql@$GRAPHIQL, react@$REACT, react-dom@$REACT."
  exit $status
fi

for f in "${!SHA256[@]}"; do cp "out/$f" "$here/$f"; done
echo "Copied ${#SHA256[@]} verified files from graphiql@$GRAPHIQL, react@$REACT, react-dom@$REACT into $here."
