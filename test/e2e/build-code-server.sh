#!/usr/bin/env bash
# Builds code-server (VS Code served to a browser) from the npm registry, without the install
# scripts that download binaries, and caches it outside the repo.
#
# Usage: test/e2e/build-code-server.sh        prints the built code-server folder on its last line
#
# The cache is ${XDG_CACHE_HOME:-$HOME/.cache}/rust-memory/code-server-<version>-node<ABI>. It is
# built in a temporary folder beside it and renamed into place only when every step succeeded,
# with a marker file written last, so a half-built cache is never used. A fresh machine builds it
# from nothing (about 15-25 minutes on 2 cores); later runs reuse it in a second.
#
# Needs: Node 20 with its headers (/usr/include/node), npm's bundled node-gyp, a C++ toolchain,
# python3, libkrb5-dev (for `kerberos`) and ripgrep (/usr/bin/rg). `.ci/run` installs them.
# Env: CODE_SERVER_VERSION (default 4.100.3: the 4.96-4.100 line runs on Node 20),
#      RUST_MEMORY_CODE_SERVER_CACHE (overrides the cache root).
set -euo pipefail

version="${CODE_SERVER_VERSION:-4.100.3}"
abi="$(node -p 'process.versions.modules')"
root="${RUST_MEMORY_CODE_SERVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rust-memory}"
dest="$root/code-server-$version-node$abi"
marker="$dest/.rust-memory-built"

log() { echo "[build-code-server] $*" >&2; }

mkdir -p "$root"
# One build at a time per cache (two test files may ask at once); the second one waits and
# then finds the cache.
exec 9>"$root/.lock-code-server-$version"
flock 9
if [[ -f "$marker" ]]; then
  log "cached: $dest"
  echo "$dest"
  exit 0
fi

# --- prerequisites: fail early with a clear message
missing=()
command -v rg >/dev/null || missing+=("ripgrep (rg)")
[[ -f /usr/include/krb5.h || -f /usr/include/krb5/krb5.h ]] || missing+=("libkrb5-dev")
command -v make >/dev/null || missing+=("make")
command -v g++ >/dev/null || missing+=("g++")
command -v python3 >/dev/null || missing+=("python3")
node_prefix="$(dirname "$(dirname "$(command -v node)")")"
[[ -f "$node_prefix/include/node/node_api.h" ]] || missing+=("Node headers in $node_prefix/include/node")
npm_root="$(npm root -g)"
gyp="$npm_root/npm/node_modules/node-gyp/bin/node-gyp.js"
[[ -f "$gyp" ]] || missing+=("npm's node-gyp at $gyp")
if ((${#missing[@]})); then
  log "missing: ${missing[*]}"
  log "on Debian: apt-get install -y libkrb5-dev ripgrep build-essential python3"
  exit 1
fi

rm -rf "$dest"
work="$(mktemp -d "$root/.building-code-server-$version.XXXXXX")"
trap 'rm -rf "$work"' EXIT
start=$SECONDS
# Heavy steps share 2 cores with others: keep them polite.
nice_run() { nice -n 19 "$@"; }
export JOBS=1 MAKEFLAGS=-j1
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

# --- fetch the published package (its lib/vscode is the built VS Code server)
log "npm pack code-server@$version"
(cd "$work" && npm pack --silent "code-server@$version" >/dev/null)
tar -xzf "$work/code-server-$version.tgz" -C "$work"
pkg="$work/package"

# --- code-server's own dependencies. Its postinstall.sh would run the networked install of
# lib/vscode, so scripts are off; argon2's own install (node-pre-gyp) then falls back to building
# from source when its prebuilt download is unreachable.
log "npm install in package/ ($((SECONDS - start))s)"
(cd "$pkg" && nice_run npm install --omit=dev --ignore-scripts --no-package-lock >&2)
log "npm rebuild argon2 ($((SECONDS - start))s)"
(cd "$pkg" && nice_run npm rebuild argon2 --foreground-scripts >&2)
ls "$pkg"/node_modules/argon2/lib/binding/*/argon2.node >/dev/null

# --- VS Code's dependencies without their install scripts (they download binaries)
vs="$pkg/lib/vscode"
log "npm install --ignore-scripts in lib/vscode ($((SECONDS - start))s)"
(cd "$vs" && nice_run npm install --omit=dev --ignore-scripts --no-package-lock >&2)

# --- build each native module against this machine's Node
for m in @parcel/watcher @vscode/deviceid @vscode/spdlog kerberos native-watchdog node-pty; do
  dir="$vs/node_modules/$m"
  if [[ ! -f "$dir/binding.gyp" ]]; then
    log "no binding.gyp in $m: skipped"
    continue
  fi
  log "node-gyp rebuild $m ($((SECONDS - start))s)"
  (cd "$dir" && nice_run node "$gyp" rebuild --nodedir="$node_prefix" >&2)
done

# --- what lib/vscode's postinstall would have done
mkdir -p "$vs/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$vs/node_modules/@vscode/ripgrep/bin/rg"
ln -sfn node_modules "$vs/node_modules.asar"
ln -sfn code-linux.sh "$vs/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$vs/bin/helpers/browser.sh"
log "npm install --ignore-scripts in lib/vscode/extensions ($((SECONDS - start))s)"
(cd "$vs/extensions" && nice_run npm install --omit=dev --ignore-scripts --no-package-lock >&2)

# --- smoke check: the entry point loads and reports its version
# (its config and logs go to the scratch folder, not to ~/.config and ~/.local/share)
printf 'auth: none\n' > "$work/config.yaml"
got="$(cd "$pkg" && CODE_SERVER_CONFIG="$work/config.yaml" XDG_DATA_HOME="$work/xdg-data" \
  node out/node/entry.js --version 2>&1 | grep -m1 -o "^$version[^ ]*" || true)"
[[ -n "$got" ]] || { log "code-server --version did not print $version"; exit 1; }

echo "code-server $version built $(date -u +%FT%TZ) in $((SECONDS - start))s on node $(node -v)" > "$pkg/.rust-memory-built"
mv -T "$pkg" "$dest"
log "built in $((SECONDS - start))s: $dest"
echo "$dest"
