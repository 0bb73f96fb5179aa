#!/bin/bash
# container-testenv.sh up|down -- containers for Ferry's container tests (run as root), made of
# namespaces as a container engine makes them: no engine runs on this machine or in CI. Each runs
# an init (pid 1 of its own pid namespace, reaping orphans as a container's init does) in its own
# mount namespace (empty /tmp, /root, /home and project directory, as own-fs.sh makes them), its
# own network namespace (loopback only: nothing reaches it but through exec), uts and ipc:
#   ferryc1  with the system's Node
#   ferryc2  without Node (every `node` on the PATH hidden)
# They are reached by the exec: form of --on, with nsenter as the prefix; $ROOT/NAME.on holds it:
#   --on "$(cat /tmp/ferry-container-testenv/ferryc1.on)"
# `up` is idempotent and serialised by flock.
set -euo pipefail
ROOT=${FERRY_CONTAINER_TESTENV_DIR:-/tmp/ferry-container-testenv}
CONTAINERS="ferryc1 ferryc2"
. "$(dirname "$0")/own-fs.sh"
cmd=${1:-up}

if [ "$cmd" = init ]; then
  # Run by `up` as the container's pid 1, in its new namespaces; $2 its name, $3 `nonode` or not.
  own_fs
  ip link set lo up
  hostname "$2"
  if [ "$3" = nonode ]; then for n in $(which -a node); do mount --bind /dev/null "$n"; done; fi
  # An init: bash reaps every child that ends, the runs orphaned under it among them.
  while :; do sleep 3600 & wait $! || true; done
fi

# The containers must not inherit the lock (9>&- where they start), or the next `up` waits forever.
exec 9>"/tmp/.ferry-container-testenv.lock"; flock 9
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

if [ "$cmd" = down ]; then
  for c in $CONTAINERS; do alive "$ROOT/$c.pid" && kill -KILL "$(cat "$ROOT/$c.pid")"; done
  rm -rf "$ROOT"; exit 0
fi

mkdir -p "$ROOT"
for c in $CONTAINERS; do
  alive "$ROOT/$c.pid" && continue
  kind=$([ "$c" = ferryc2 ] && echo nonode || echo node)
  setsid unshare --mount --net --uts --ipc --pid --fork --mount-proc --propagation private \
    bash "$0" init "$c" "$kind" </dev/null >"$ROOT/$c.log" 2>&1 9>&- &
  outer=$!
  # The init is unshare's child: its pid here is what nsenter targets.
  for i in $(seq 100); do
    init=$(cat "/proc/$outer/task/$outer/children" 2>/dev/null | awk '{print $1}')
    [ -n "$init" ] && break; sleep 0.05
  done
  [ -n "$init" ] || { echo "container-testenv: $c did not start; its log:" >&2; cat "$ROOT/$c.log" >&2; exit 1; }
  echo "$init" > "$ROOT/$c.pid"
  echo "exec:nsenter --target $init --mount --net --uts --ipc --pid --wd=/ --" > "$ROOT/$c.on"
  # Ready once its init hid the filesystem and named it.
  for i in $(seq 200); do [ "$(nsenter --target "$init" --uts hostname 2>/dev/null)" = "$c" ] && continue 2; sleep 0.05; done
  echo "container-testenv: $c is not ready; its log:" >&2; cat "$ROOT/$c.log" >&2; exit 1
done
echo "ready: --on \"\$(cat $ROOT/ferryc1.on)\" (ferryc1; ferryc2 has no Node)"
