#!/bin/bash
# ssh-testenv.sh up|down -- real OpenSSH "remote hosts" for Ferry's remote tests (run as root).
# Adapted from ../shared/recipes/ssh. Hosts in $ROOT/ssh_config:
#   loopback1  sshd on 127.0.0.1:$PORT
#   nonode1    sshd on 127.0.0.1:$PORT+1 whose sessions get a PATH without node (a host with no Node)
#   wrongkey1  loopback1, but known_hosts holds another key for it (a changed host key)
#   remote1    sshd inside a network namespace (ferryr1) at 10.200.7.2:22, to cut the network under it
#   remote2    the same in another namespace (ferryr2, 10.200.8.2:22), never cut: the VS Code test's host,
#              which runs while linkcut.test.ts cuts and throttles remote1
# remote1 and remote2 have a filesystem of their own: /tmp, /root, /home and the directory the project
# lies in ($HIDDEN) are empty tmpfs there, so a program restored on them finds only what Ferry shipped
# (sshd's own directory and a fresh home for $RUSER are put back in). loopback1 and nonode1 share this
# machine's filesystem. The remote user is $RUSER (login shell /bin/sh, HOME $ROOT/home): a plain user
# whose shell reads no rc files, so timings measure SSH and Ferry, not someone's .bashrc.
# $ROOT/smalldisk is a 1 MiB tmpfs it owns (a full remote disk). `up` is idempotent and serialised by
# flock; an environment of an older layout ($LAYOUT) is rebuilt.
# A second environment beside the usual one: FERRY_SSH_TESTENV_DIR, _PORT, _USER, and _NS (the
# namespaces' prefix) and _NET (the first of their two /24s under 10.200) other than the defaults.
set -euo pipefail
ROOT=${FERRY_SSH_TESTENV_DIR:-/tmp/ferry-ssh-testenv}
NSPREFIX=${FERRY_SSH_TESTENV_NS:-ferryr}
NET=${FERRY_SSH_TESTENV_NET:-7}
NAMESPACES="${NSPREFIX}1 ${NSPREFIX}2"
PORT=${FERRY_SSH_TESTENV_PORT:-2322}
RUSER=${FERRY_SSH_TESTENV_USER:-ferry-remote}
LAYOUT=own-fs-1
cmd=${1:-up}
# What the own-filesystem hosts hide ($HIDDEN), and how (own_fs).
. "$(dirname "$0")/own-fs.sh"

if [ "$cmd" = own-fs-sshd ]; then
  # Run by `up` in a private mount namespace (unshare), in the host's network namespace: hides
  # $HIDDEN under empty tmpfs, keeping sshd's directory ($2), Node's install if it lies in one
  # (read-only: the host has that Node), and a fresh home for $RUSER, then starts sshd there.
  D=$2
  own_fs "$D"
  chmod 755 "$ROOT"
  mkdir -p "$ROOT/home"; chown "$RUSER:" "$ROOT/home"
  exec /usr/sbin/sshd -f "$D/sshd_config" -E "$D/sshd.log"
fi

exec 9>"/tmp/.ferry-ssh-testenv.lock"; flock 9

if [ "$cmd" = down ]; then
  for f in "$ROOT"/*/sshd.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  for NS in $NAMESPACES; do
    for p in $(ip netns pids "$NS" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    ip link del "vh-$NS" 2>/dev/null || true; ip netns del "$NS" 2>/dev/null || true
  done
  ip route del unreachable 10.200.0.0/16 2>/dev/null || true
  umount "$ROOT/smalldisk" 2>/dev/null || true
  userdel "$RUSER" 2>/dev/null || true
  rm -rf "$ROOT"; exit 0
fi

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
if [ "$(cat "$ROOT/ready" 2>/dev/null)" = "$LAYOUT" ] && alive "$ROOT/loopback1/sshd.pid" && alive "$ROOT/nonode1/sshd.pid" && alive "$ROOT/${NSPREFIX}1/sshd.pid" && alive "$ROOT/${NSPREFIX}2/sshd.pid"; then
  echo "ready: ssh -F $ROOT/ssh_config {loopback1,nonode1,wrongkey1,remote1,remote2}"; exit 0
fi
# A half-made environment (killed sshd, reboot of the namespace) or one of an older layout is rebuilt from scratch.
for f in "$ROOT"/*/sshd.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
for NS in $NAMESPACES; do for p in $(ip netns pids "$NS" 2>/dev/null); do kill "$p" 2>/dev/null || true; done; done
umount "$ROOT/smalldisk" 2>/dev/null || true
rm -rf "$ROOT"

command -v sshd >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server openssh-client iproute2 >/dev/null; }
mkdir -p /run/sshd "$ROOT"; chmod 755 "$ROOT"   # sshd reads authorized_keys as $RUSER
id "$RUSER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /bin/sh "$RUSER"
usermod --home "$ROOT/home" -p "*" "$RUSER";   # "*": no password, yet not a locked account (sshd refuses those)
 mkdir -p "$ROOT/home"; chown "$RUSER:" "$ROOT/home"
ssh-keygen -q -t ed25519 -N '' -f "$ROOT/id_ed25519" -C ferry-test-client
: > "$ROOT/known_hosts"; : > "$ROOT/ssh_config"

hostblock() { # alias addr port [extra ssh_config lines]
  cat >> "$ROOT/ssh_config" <<CFG
Host $1
  HostName $2
  Port $3
  User $RUSER
  IdentityFile $ROOT/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $ROOT/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  BatchMode yes
  ConnectTimeout 5
  ServerAliveInterval 1
  ServerAliveCountMax 3
${4:-}
CFG
}
mkhost() { # alias listen-addr port netns|'' [extra sshd_config lines]: a netns host has a filesystem of its own
  local A=$1 D=$ROOT/$1 ADDR=$2 PORT=$3 NSX=$4 EXTRA=${5:-}
  mkdir -p "$D"; ssh-keygen -q -t ed25519 -N '' -f "$D/host_ed25519" -C "$A"
  cp "$ROOT/id_ed25519.pub" "$D/authorized_keys"; chmod 644 "$D/authorized_keys"
  cat > "$D/sshd_config" <<CFG
Port $PORT
ListenAddress $ADDR
HostKey $D/host_ed25519
PidFile $D/sshd.pid
AuthorizedKeysFile $D/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
UsePAM no
StrictModes no
AllowTcpForwarding yes
ClientAliveInterval 2
ClientAliveCountMax 2
Subsystem sftp internal-sftp
LogLevel VERBOSE
# The suite opens many connections at once (two test files, each with its own masters): never drop one as a flood.
MaxStartups 200
MaxSessions 100
$EXTRA
CFG
  [ "$PORT" = 22 ] && HK=$ADDR || HK="[$ADDR]:$PORT"
  echo "$HK $(cut -d' ' -f1,2 "$D/host_ed25519.pub")" >> "$ROOT/known_hosts"
  hostblock "$A" "$ADDR" "$PORT"
  if [ -n "$NSX" ]; then
    ip netns exec "$NSX" unshare --mount --propagation private bash "$0" own-fs-sshd "$D"
  else
    /usr/sbin/sshd -f "$D/sshd_config" -E "$D/sshd.log"
  fi
}

mkhost loopback1 127.0.0.1 "$PORT" ''
# A PATH holding every tool of /usr/bin except node: the honest picture of a host without Node.
mkdir -p "$ROOT/nonode-bin"
for f in /usr/bin/* /bin/*; do b=${f##*/}; [ "$b" = node ] || [ -e "$ROOT/nonode-bin/$b" ] || ln -s "$f" "$ROOT/nonode-bin/$b"; done
mkhost nonode1 127.0.0.1 "$((PORT + 1))" '' "SetEnv PATH=$ROOT/nonode-bin"
# Same server as loopback1, looked up under another name whose recorded key is some other key.
ssh-keygen -q -t ed25519 -N '' -f "$ROOT/other_host_key" -C impostor
echo "wrongkey1 $(cut -d' ' -f1,2 "$ROOT/other_host_key.pub")" >> "$ROOT/known_hosts"
hostblock wrongkey1 127.0.0.1 "$PORT" "  HostKeyAlias wrongkey1"

nshost() { # alias netns subnet(10.200.N): sshd at 10.200.N.2:22 in its own network stack, reached over a veth pair
  local A=$1 NS=$2 NET=$3
  ip netns del "$NS" 2>/dev/null || true; ip link del "vh-$NS" 2>/dev/null || true
  # Another environment's subnet would make this host unreachable, not fail: say so instead.
  local taken; taken=$(ip -br addr | awk -v net="$NET.1/30" '$3 == net { print $1 }')
  if [ -n "$taken" ]; then echo "ssh-testenv: $NET.0/30 is in use by $taken: choose another FERRY_SSH_TESTENV_NET" >&2; exit 1; fi
  ip netns add "$NS"
  ip link add "vh-$NS" type veth peer name "vr-$NS"; ip link set "vr-$NS" netns "$NS"
  ip addr add "$NET.1/30" dev "vh-$NS"; ip link set "vh-$NS" up
  ip -n "$NS" addr add "$NET.2/30" dev "vr-$NS"; ip -n "$NS" link set "vr-$NS" up; ip -n "$NS" link set lo up
  mkhost "$NS" "$NET.2" 22 "$NS"
  sed -i "s/^Host $NS\$/Host $A $NS/" "$ROOT/ssh_config"
}
ip route add unreachable 10.200.0.0/16 2>/dev/null || true   # never leak 10.200/16 to the default route
nshost remote1 "${NSPREFIX}1" "10.200.$NET"
nshost remote2 "${NSPREFIX}2" "10.200.$((NET + 1))"

mkdir -p "$ROOT/smalldisk"; mount -t tmpfs -o size=1m,mode=0755,uid="$(id -u "$RUSER")" tmpfs "$ROOT/smalldisk"

# sshd forks into the background before it listens: wait until each answers (a loaded machine can take seconds),
# and say so if one never does rather than leave the first test to meet a refused connection.
for A in loopback1 nonode1 remote1 remote2; do
  for i in $(seq 300); do ssh -F "$ROOT/ssh_config" -o ControlMaster=no -o ControlPath=none "$A" true 2>/dev/null && continue 2; sleep 0.1; done
  echo "ssh-testenv: $A does not answer; its log:" >&2; tail -20 "$ROOT/${A/remote/$NSPREFIX}/sshd.log" >&2 || true; exit 1
done
echo "$LAYOUT" > "$ROOT/ready"
echo "ready: ssh -F $ROOT/ssh_config {loopback1,nonode1,wrongkey1,remote1,remote2}"
