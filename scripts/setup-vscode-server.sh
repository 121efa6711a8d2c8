#!/usr/bin/env bash
# Installs a real VS Code for the extension-host tests: code-server 4.139.1 (= VS Code 1.139.1, whose Node
# extension host runs our language client) + Node 24 from npm, and headless Chromium from Debian apt.
# Only the npm registry and apt are used (no Microsoft update server). Idempotent: a second run is ~0 s.
# Usage: scripts/setup-vscode-server.sh [DIR]   (default: $VSCODE_SERVER_DIR, else <repo>/.vscode-server-test)
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${1:-${VSCODE_SERVER_DIR:-$REPO/.vscode-server-test}}"
CS_VERSION=4.139.1
NODE_MAJOR=24
# node-gyp must build VS Code's native modules against Debian's Node headers, never download them.
export npm_config_nodedir="${npm_config_nodedir:-/usr}"

missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"        # headless browser for the workbench
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing="$missing libkrb5-dev"     # GSSAPI headers for VS Code's kerberos module
if [ -n "$missing" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing from apt:$missing"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing
fi

# The last step (postinstall) writes this lock file, so its presence means a complete install.
if [ -x "$DIR/node_modules/.bin/node" ] \
   && [ -f "$DIR/node_modules/code-server/lib/vscode/node_modules/.package-lock.json" ] \
   && [ "$(cat "$DIR/.installed" 2>/dev/null)" = "$CS_VERSION" ]; then
  echo "code-server $CS_VERSION already installed in $DIR"
  exit 0
fi

mkdir -p "$DIR"
cd "$DIR"
# Its own package.json, else npm walks up and installs into the enclosing project.
[ -f package.json ] || echo '{"name":"vscode-server-test","private":true}' > package.json
# code-server's postinstall refuses any Node but 24; the npm "node" package ships that binary.
npm install --no-audit --no-fund "node@$NODE_MAJOR"
export PATH="$DIR/node_modules/.bin:$PATH"
# --ignore-scripts: argon2's install script fails ("cross-env: Permission denied") and argon2 is only
# used for password auth; the harness runs --auth none.
npm install --no-audit --no-fund --ignore-scripts "code-server@$CS_VERSION"
cd node_modules/code-server
# postinstall installs VS Code's own dependencies (native builds); it reads the Node major from the user agent.
npm_config_user_agent="npm/$(npm --version) node/$(node --version) linux x64" sh ./postinstall.sh
echo "$CS_VERSION" > "$DIR/.installed"
# The version from package.json: `entry.js --version` would write ~/.config/code-server/config.yaml.
echo "installed: code-server $(node -p 'require("./package.json").version') in $DIR"
