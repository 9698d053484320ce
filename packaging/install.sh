#!/bin/bash
# Installs route-agent from the unpacked bundle this script sits in:
#   /opt/route-agent/                          the bundle (runtime, jar, launcher, scripts)
#   /usr/local/bin/route-agent                 -> /opt/route-agent/bin/route-agent
#   /etc/systemd/system/route-agent.service    the unit (enabled and started, --no-block)
#   /etc/systemd/system/route-agent.path, route-agent-directory.target: start it once the routes
#                                              directory exists, where it does not yet
#   /etc/sysusers.d/route-agent.conf           the system user the daemon runs as
#   /etc/iproute2/rt_protos.d/route-agent.conf protocol 157 = "route-agent" for `ip route`
#   /usr/local/share/man/man1/route-agent.1    the man page (`man route-agent`)
#   /usr/share/bash-completion/completions/route-agent  bash completion (where bash-completion,
#                                              from 2.1 on Amazon Linux 2, loads it on demand)
#   /etc/systemd/networkd.conf.d/route-agent.conf  unless --no-networkd-dropin (see below)
#   /home/ec2-user/SageMaker/route-agent/      made by ec2-user (setpriv) where it is missing and
#                                              ec2-user has a home; else the agent waits for it
#   /home/ec2-user/SageMaker/route-agent/routes.yaml   from the example, only if there is none
#   /home/ec2-user/SageMaker/route-agent/logs/     the agent's log directory
# That directory is the notebook user's: a symbolic link on the way to it is refused, none in it
# is followed, and routes.yaml is created as the directory's owner (setpriv).
# Usage: install.sh [--root DIR] [--no-networkd-dropin] [--routes-dir DIR]
#   --root DIR  lay everything out under DIR and call no systemctl (for tests and images).
# Idempotent: a second run changes nothing. Lifecycle scripts run with an uncertain PATH: this one
# sets its own (commands live in /bin or /usr/bin depending on the distribution's /usr merge).
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
umask 022

root=
networkd_dropin=yes
routes_dir=/home/ec2-user/SageMaker/route-agent
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root=${2:?--root needs a directory}; shift 2 ;;
    --root=*) root=${1#--root=}; shift ;;
    --no-networkd-dropin) networkd_dropin=no; shift ;;
    --routes-dir) routes_dir=${2:?--routes-dir needs a directory}; shift 2 ;;
    -h|--help) sed -n '2,23s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 1 ;;
  esac
done
if [ -n "$root" ]; then
  mkdir -p "$root"
  root=$(cd "$root" && pwd -P)
fi
case $routes_dir in
  /*) ;;
  *) echo "install.sh: --routes-dir must be an absolute path ($routes_dir)" >&2; exit 1 ;;
esac

src=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
prefix=/opt/route-agent
dest=$root$prefix
changed=no
log() { echo "route-agent install: $*"; }
die() { echo "install.sh: $*" >&2; exit 1; }

[ -x "$src/runtime/bin/java" ] && [ -f "$src/lib/route-agent.jar" ] && [ -f "$src/MANIFEST" ] \
  || die "run me from an unpacked route-agent bundle ($src has no runtime/ or lib/)"

# The routes directory belongs to an unprivileged user (ec2-user on a notebook), who may replace
# anything in it: root follows no symbolic link there. One on the way is refused before anything
# is installed; step 5 works from inside the directory, once it has checked where it is.
path=$root
for part in $(echo "${routes_dir#/}" | tr / ' '); do
  path=$path/$part
  [ ! -L "$path" ] || die "${path#"$root"} is a symbolic link: refusing to follow it as root; make it a real directory and run install.sh again"
done

# put SRC DEST MODE: installs a file unless DEST already has the same content and mode.
put() {
  if [ -f "$2" ] && [ "$(sha256sum <"$1")" = "$(sha256sum <"$2")" ] \
    && [ "$(stat -c %a "$2")" = "$3" ]; then
    return 0
  fi
  mkdir -p "$(dirname "$2")"
  install -m "$3" "$1" "$2.new.$$"
  mv -f "$2.new.$$" "$2"
  log "wrote ${2#"$root"}"
  changed=yes
}

# 1. The bundle. Replaced as a whole when it differs (an upgrade), by a rename, so that a running
# agent keeps the files it has open. cp -a keeps the times: the AOT cache checks the jar's.
if [ "$src" != "$dest" ]; then
  # MANIFEST: the sha256 of every file of the bundle, written by build-bundle.sh.
  if [ -f "$dest/MANIFEST" ] && [ "$(cat "$src/MANIFEST")" = "$(cat "$dest/MANIFEST")" ] \
    && (cd "$dest" && sha256sum --quiet --strict -c MANIFEST >/dev/null 2>&1); then
    log "${prefix} is up to date ($(cat "$dest/VERSION"))"
  else
    mkdir -p "$(dirname "$dest")"
    rm -rf "$dest.new" "$dest.old"
    cp -a "$src" "$dest.new"
    chown -hR 0:0 "$dest.new" 2>/dev/null || true
    [ -d "$dest" ] && mv "$dest" "$dest.old"
    mv "$dest.new" "$dest"
    rm -rf "$dest.old"
    log "installed the bundle $(cat "$dest/VERSION") in $prefix"
    changed=yes
  fi
fi

# 2. The launcher on PATH.
mkdir -p "$root/usr/local/bin"
if [ "$(readlink "$root/usr/local/bin/route-agent" || true)" != "$prefix/bin/route-agent" ]; then
  ln -sfn "$prefix/bin/route-agent" "$root/usr/local/bin/route-agent"
  log "linked /usr/local/bin/route-agent -> $prefix/bin/route-agent"
  changed=yes
fi

# 3. System files.
put "$dest/systemd/route-agent.service" "$root/etc/systemd/system/route-agent.service" 644
put "$dest/systemd/route-agent.path" "$root/etc/systemd/system/route-agent.path" 644
put "$dest/systemd/route-agent-directory.target" "$root/etc/systemd/system/route-agent-directory.target" 644
put "$dest/share/sysusers.conf" "$root/etc/sysusers.d/route-agent.conf" 644
put "$dest/share/rt_protos.conf" "$root/etc/iproute2/rt_protos.d/route-agent.conf" 644
put "$dest/share/man/man1/route-agent.1" "$root/usr/local/share/man/man1/route-agent.1" 644
put "$dest/share/bash-completion/completions/route-agent" "$root/usr/share/bash-completion/completions/route-agent" 644
dropin=$root/etc/systemd/networkd.conf.d/route-agent.conf
if [ "$networkd_dropin" = yes ]; then
  put "$dest/share/networkd.conf" "$dropin" 644
  log "networkd: ManageForeignRoutes=no and ManageForeignRoutingPolicyRules=no (in /etc/systemd/networkd.conf.d/route-agent.conf),"
  log "  so that systemd-networkd stops deleting the routes and rules it did not make whenever it"
  log "  reconfigures a link (amazon-ec2-net-utils has it do so when its files change, checked every 60 s)."
  log "  It takes effect when systemd-networkd next starts; until then the agent repairs such deletions"
  log "  within milliseconds. Leave it out with --no-networkd-dropin."
else
  if [ -f "$dropin" ]; then
    rm -f "$dropin"
    log "removed /etc/systemd/networkd.conf.d/route-agent.conf (--no-networkd-dropin)"
    changed=yes
  fi
  log "networkd: no drop-in (--no-networkd-dropin): systemd-networkd may delete the agent's routes and"
  log "  rules when it reconfigures a link; the agent puts them back within milliseconds."
fi

# 4. The system user (systemd-sysusers creates it only if it is missing).
if command -v systemd-sysusers >/dev/null; then
  systemd-sysusers ${root:+--root="$root"} route-agent.conf
elif ! getent passwd route-agent >/dev/null && [ -z "$root" ]; then
  useradd --system --no-create-home --home-dir / --shell /sbin/nologin --user-group route-agent
  log "created the system user route-agent"
  changed=yes
fi

# 5. The routes file, from the example only if there is none (never the user's), made by the user
# who owns the directory above it (ec2-user on a notebook, through setpriv), so that Jupyter can
# edit it and so that root writes nothing there through a link the user planted. The shell's
# working directory pins each directory once checked: a link swapped in later is not followed.
rdir=$root$routes_dir
parent=$(dirname "$rdir")
# A missing parent (a plain host has no SageMaker/) is made by the user who owns the deepest
# directory on the way that exists (ec2-user, when their home exists), never by root. Where that
# is root (no such user), nothing is made: the agent waits for the directory (route-agent.path).
if [ ! -e "$parent" ] && [ ! -L "$parent" ]; then
  top=$(dirname "$parent")
  while [ ! -e "$top" ] && [ ! -L "$top" ] && [ "$top" != "$root" ] && [ "$top" != / ]; do
    top=$(dirname "$top")
  done
  if [ -d "$top" ] && [ ! -L "$top" ] && [ "$(stat -c %u "$top")" != 0 ]; then
    cd "$top" && [ "$(pwd -P)" = "$top" ] || die "${top#"$root"} moved while install.sh ran; run it again"
    owner=$(stat -c %u:%g .)
    setpriv --reuid="${owner%:*}" --regid="${owner#*:}" --clear-groups -- mkdir -p -- "${parent#"$top"/}" \
      || die "cannot create $(dirname "$routes_dir") as the owner of ${top#"$root"} (uid ${owner%:*})"
    log "created $(dirname "$routes_dir") as the owner of ${top#"$root"} (uid ${owner%:*})"
    changed=yes
    cd /
  fi
fi
if [ -d "$parent" ]; then
  cd "$parent" && [ "$(pwd -P)" = "$parent" ] || die "$(dirname "$routes_dir") moved while install.sh ran; run it again"
  owner=$(stat -c %u:%g .)
  as_owner() { setpriv --reuid="${owner%:*}" --regid="${owner#*:}" --clear-groups -- "$@"; }
  name=$(basename "$rdir")
  if [ ! -d "$name" ] && [ ! -L "$name" ]; then
    as_owner mkdir "$name"
    log "created $routes_dir"
    changed=yes
  fi
  cd "$name" && [ "$(pwd -P)" = "$rdir" ] || die "$routes_dir is not a real directory; make it one and run install.sh again"
  if [ ! -e routes.yaml ] && [ ! -L routes.yaml ]; then
    as_owner sh -c 'set -C; cat > routes.yaml' <"$dest/share/routes.example.yaml"
    log "created $routes_dir/routes.yaml from the example: edit it, then run: route-agent plan"
    changed=yes
  else
    log "kept $routes_dir/routes.yaml"
  fi
  # The daemon (user route-agent, no CAP_DAC_OVERRIDE) writes its log file in logs/, ec2-user reads
  # it: a real directory, mode 755, the agent's. Anything else by that name (not a directory,
  # another mode, or the user's own) is put out of the way, a link removed (never followed), and a
  # new one made.
  if [ -L logs ]; then
    rm -f logs
    log "removed $routes_dir/logs, a symbolic link (not followed)"
  fi
  if [ -e logs ] && { [ ! -d logs ] || [ "$(stat -c %a logs)" != 755 ] \
    || { [ "${owner%:*}" != 0 ] && [ "$(stat -c %u logs)" = "${owner%:*}" ]; }; }; then
    aside=logs.moved-$(date -u +%Y%m%dT%H%M%SZ)
    mv -T logs "$aside" || die "cannot move $routes_dir/logs out of the way; remove it and run install.sh again"
    log "moved $routes_dir/logs aside to $aside (not a directory of mode 755 that the user does not own)"
  fi
  if [ ! -e logs ] && [ ! -L logs ]; then
    mkdir -m 0755 logs || die "cannot create $routes_dir/logs; run install.sh again"
    changed=yes
  fi
  # From here on, work from inside logs/, entered and checked once. The user owns the directory
  # around it and can rename or swap its names at any moment: a path through the name "logs" is
  # looked up again at each use, and a symbolic link swapped in for it between two uses would take
  # root's chown of logs/FILE anywhere (chown -h spares only the last component). The directory
  # itself, once it is not the user's and not writable by them, holds still.
  cd logs && [ "$(pwd -P)" = "$rdir/logs" ] && [ "$(stat -c %a .)" = 755 ] \
    && { [ "${owner%:*}" = 0 ] || [ "$(stat -c %u .)" != "${owner%:*}" ]; } \
    || die "$routes_dir/logs changed while install.sh ran; run it again"
  # The agent's uid can differ from one image to the next: its directory and its log files follow.
  # chown -h and find -P: a link is changed itself, never what it points to; -links 1: a hard link
  # to a file elsewhere is left alone.
  agent_ids=$(awk -F: '$1 == "route-agent" { print $3 ":" $4 }' "$root/etc/passwd" 2>/dev/null || true)
  if [ -n "$agent_ids" ]; then
    if [ "$(stat -c %u:%g .)" != "$agent_ids" ]; then
      chown "$agent_ids" .
      changed=yes
    fi
    find -P . -mindepth 1 -maxdepth 1 -type f -links 1 ! \( -uid "${agent_ids%:*}" -gid "${agent_ids#*:}" \) \
      -exec chown -h "$agent_ids" {} +
  fi
  cd /
else
  log "no $(dirname "$routes_dir") and no user's home to make it in (not a notebook instance?): create"
  log "  $routes_dir, owned by the user who edits routes.yaml, and put routes.yaml in it; the agent"
  log "  starts once it exists (route-agent.path)"
fi

# 6. Enable and start. --no-block: lifecycle scripts have a time limit, and the agent's start waits
# for nothing a script should wait for. With --root there is no systemd to talk to.
if [ -n "$root" ]; then
  log "--root $root: not calling systemctl"
elif [ ! -d /run/systemd/system ]; then
  log "systemd is not running here: start the agent yourself (route-agent run)"
else
  systemctl daemon-reload
  systemctl enable --quiet route-agent.service route-agent.path
  systemctl start --no-block route-agent.path
  if [ "$changed" = yes ]; then
    systemctl restart --no-block route-agent.service
    log "(re)started route-agent.service (--no-block); see: journalctl -u route-agent"
  else
    systemctl start --no-block route-agent.service
    log "route-agent.service enabled and started (--no-block)"
  fi
  if [ ! -d "$routes_dir" ]; then
    log "route-agent.service waits for $routes_dir: route-agent.path starts it once the directory exists"
  fi
fi
log "done"
