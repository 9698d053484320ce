#!/bin/bash
# Removes what install.sh installed: stops and disables the service, removes the unit, the
# protocol name, the networkd drop-in, the sysusers entry, the man page, the bash completion, the
# launcher link and /opt/route-agent.
# Leaves alone: the routes file and its directory on the persistent volume (the user's), the system
# user route-agent (a uid is never handed out again), and the routes the agent installed (they stay
# in the kernel until the next reboot or until deleted: ip route flush proto route-agent).
# Usage: uninstall.sh [--root DIR]    (with --root: under DIR, no systemctl)
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

root=
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root=${2:?--root needs a directory}; shift 2 ;;
    --root=*) root=${1#--root=}; shift ;;
    -h|--help) sed -n '2,8s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "uninstall.sh: unknown option $1 (see --help)" >&2; exit 1 ;;
  esac
done
[ -z "$root" ] || root=$(cd "$root" && pwd)
log() { echo "route-agent uninstall: $*"; }

if [ -z "$root" ] && [ -d /run/systemd/system ]; then
  systemctl disable --now route-agent.path route-agent.service 2>/dev/null || true
  systemctl stop route-agent-directory.target 2>/dev/null || true
  log "stopped and disabled route-agent.service"
fi
for f in /etc/systemd/system/route-agent.service /etc/systemd/system/route-agent.path \
  /etc/systemd/system/route-agent-directory.target /etc/sysusers.d/route-agent.conf \
  /etc/iproute2/rt_protos.d/route-agent.conf /etc/systemd/networkd.conf.d/route-agent.conf \
  /usr/local/share/man/man1/route-agent.1 /usr/share/bash-completion/completions/route-agent \
  /usr/local/bin/route-agent; do
  if [ -e "$root$f" ] || [ -L "$root$f" ]; then
    rm -f "$root$f"
    log "removed $f"
  fi
done
if [ -d "$root/opt/route-agent" ]; then
  # Renamed first: uninstall.sh may be running from there.
  mv "$root/opt/route-agent" "$root/opt/route-agent.old.$$"
  rm -rf "$root/opt/route-agent.old.$$"
  log "removed /opt/route-agent"
fi
if [ -z "$root" ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
fi
log "done; kept the routes file (/home/ec2-user/SageMaker/route-agent/) and the user route-agent"
