# Sourced by ssh-testenv.sh and container-testenv.sh: a filesystem of its own for a test host.
# HIDDEN: the directories a host with its own filesystem sees empty: /tmp, /root, /home and the
# directory the project lies in (/work for /work/main); the project itself when it lies in a
# system directory.
PROJECT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TOP=/$(echo "$PROJECT" | cut -d/ -f2)
case $TOP in
  /tmp | /root | /home) HIDDEN="/tmp /root /home" ;;
  /usr | /bin | /sbin | /lib* | /etc | /opt | /var | /run | /srv | /mnt) HIDDEN="/tmp /root /home $PROJECT" ;;
  *) HIDDEN="/tmp /root /home $TOP" ;;
esac

# own_fs [DIR...]: run in a private mount namespace (unshare --mount --propagation private): hides
# $HIDDEN under empty tmpfs, keeping each DIR, and Node's install if it lies in one of them
# (read-only: the host has that Node).
own_fs() {
  local node_home keep="$*" readonly_node= k dir
  node_home=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
  for dir in $HIDDEN; do case $node_home/ in "$dir"/*) keep="$keep $node_home"; readonly_node=1 ;; esac; done
  mount -t tmpfs -o size=1m ferry-keep /mnt
  k=0
  for dir in $keep; do mkdir "/mnt/$k"; mount --bind "$dir" "/mnt/$k"; k=$((k + 1)); done
  for dir in $HIDDEN; do mount -t tmpfs -o "mode=$(stat -c %a "$dir")" ferry-own "$dir"; done
  k=0
  for dir in $keep; do mkdir -p "$dir"; mount --move "/mnt/$k" "$dir"; k=$((k + 1)); done
  [ -z "$readonly_node" ] || mount -o remount,bind,ro "$node_home"
  umount /mnt
}
