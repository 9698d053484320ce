#!/bin/bash
# route-agent: SageMaker notebook instance lifecycle configuration, "Start notebook" script.
# Paste target/on-start.sh, which `mvn package` writes beside the tarball it built: that copy pins
# the tarball's sha256 below (packaging/lifecycle/on-start.sh, also in the tarball, is the template
# and installs nothing). See README.md, "Install on a SageMaker notebook instance".
# At every start (the root volume is fresh, /home/ec2-user/SageMaker is not) it looks at every
# *.tar.gz in /home/ec2-user/SageMaker/route-agent/ (a directory the notebook's user writes), copies
# it into a directory only root can write, checks the COPY's sha256 against the pinned one, and
# unpacks and installs only a copy that matches: nothing from that directory runs or is unpacked
# as root unverified, and nothing is written there. install.sh installs the unit, the protocol
# name, the networkd drop-in and the launcher, and starts the agent (--no-block). The script logs to
# its output (the notebook's CloudWatch log stream) and to /var/log/route-agent-on-start.log, and
# always exits 0: a missing tarball or a route problem never fails the notebook's start.
# Test hook: ROUTE_AGENT_LIFECYCLE_ROOT=DIR works under DIR and passes --root DIR to install.sh.
# Options for install.sh: set ROUTE_AGENT_INSTALL_OPTS below (e.g. --no-networkd-dropin).
ROUTE_AGENT_INSTALL_OPTS=""
# Filled in by `mvn package` (packaging/build-bundle.sh):
pinned_name=@ROUTE_AGENT_BUNDLE@
pinned_size=@ROUTE_AGENT_SIZE@
pinned_sha256=@ROUTE_AGENT_SHA256@

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
umask 022

# ---- Administrator policy (optional) ---------------------------------------------------------
# What the routes file may declare (README.md, "Running where users are not root"). Paste the
# policy between the two ROUTE_AGENT_POLICY lines: at every start it is written, root-owned 0644, to
# /etc/route-agent/policy.yaml, before the agent starts. Left empty, no policy file is written.
# The policy comes from this text only, never from the notebook's volume.
IFS= read -r -d '' policy <<'ROUTE_AGENT_POLICY'
ROUTE_AGENT_POLICY
# -----------------------------------------------------------------------------------------------

root=${ROUTE_AGENT_LIFECYCLE_ROOT:-}
dir=$root/home/ec2-user/SageMaker/route-agent
work=$root/opt/route-agent.unpack
logfile=$root/var/log/route-agent-on-start.log
say() { echo "route-agent on-start: $*"; }
# A file name from the user's directory as the log shows it: as it is, or, when it holds a control
# character (a newline would forge a line of this log), a C1 control or a bidi/line-separator
# character (UTF-8), quoted by printf %q, every such byte made visible.
shown() {
  local LC_ALL=C
  case $1 in
    *[[:cntrl:]]* | *$'\xc2'[$'\x80'-$'\x9f']* | *$'\xe2\x80'[$'\xa8'-$'\xae']* | *$'\xe2\x81'[$'\xa6'-$'\xa9']*)
      printf %q "$1" ;;
    *) printf %s "$1" ;;
  esac
}

# The policy: a fresh root-owned file renamed over the old one, only when the text differs.
write_policy() {
  [ -n "$policy" ] || return 0
  local etc=$root/etc/route-agent tmp
  mkdir -p "$etc" && chown -h 0:0 "$etc" && chmod 755 "$etc" || return 1
  if [ -f "$etc/policy.yaml" ] && [ ! -L "$etc/policy.yaml" ] \
    && printf '%s' "$policy" | cmp -s - "$etc/policy.yaml"; then
    say "/etc/route-agent/policy.yaml is up to date"
    return 0
  fi
  tmp=$(mktemp "$etc/.policy.yaml.XXXXXX") || return 1
  if printf '%s' "$policy" >"$tmp" && chown 0:0 "$tmp" && chmod 644 "$tmp" \
    && mv -f "$tmp" "$etc/policy.yaml"; then
    say "wrote /etc/route-agent/policy.yaml (the policy in this script)"
  else
    rm -f "$tmp"
    return 1
  fi
}

main() {
  say "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  write_policy || { say "cannot write /etc/route-agent/policy.yaml; not installing without it"; return 1; }
  case $pinned_sha256 in
    *[!0-9a-f]* | "")
      say "this is the template, it pins no tarball: paste the target/on-start.sh that mvn package writes (nothing installed)"
      return 0 ;;
  esac
  # A fresh directory only root can enter: what is copied there stays what was verified.
  rm -rf "$work" && mkdir -p "$(dirname "$work")" && mkdir -m 700 "$work" || return 1
  local f copy=$work/bundle.tar.gz found= sha
  for f in "$dir"/*.tar.gz; do
    # A regular file (not a link) of the pinned size; the copy's hash decides. dd opens it again
    # without following a link (O_NOFOLLOW: one swapped in since the test above would have root
    # open whatever it names, a device included) and without blocking (a FIFO), reads at most one
    # byte more than the pinned size, and timeout ends a read that blocks all the same.
    # SageMaker fails a start whose script runs 5 minutes: the search stops after 90 s.
    [ -f "$f" ] && [ ! -L "$f" ] || continue
    if [ "$SECONDS" -ge 90 ]; then
      say "stopped looking at $dir/*.tar.gz after 90 s"
      break
    fi
    if [ "$(stat -c %s -- "$f")" != "$pinned_size" ]; then
      say "ignored $(shown "$f"): not the tarball this script pins (another size)"
      continue
    fi
    rm -f "$copy"
    timeout 30 dd if="$f" of="$copy" iflag=nofollow,nonblock,count_bytes bs=65536 count="$((pinned_size + 1))" \
      2>/dev/null
    sha=$(sha256sum <"$copy" | cut -d' ' -f1)
    if [ "$sha" = "$pinned_sha256" ]; then
      found=$f
      break
    fi
    say "ignored $(shown "$f"): its sha256 is not the one this script pins"
  done
  if [ -z "$found" ]; then
    say "no tarball in $dir has the sha256 this script pins ($pinned_sha256): copy $pinned_name.tar.gz there (nothing installed)"
    rm -rf "$work"
    return 0
  fi
  local name
  name=$(shown "$found")
  say "installing from $name (sha256 $pinned_sha256, verified on a copy)"
  tar -xzf "$copy" -C "$work" --no-same-owner || { say "cannot unpack $name"; return 1; }
  [ -x "$work/$pinned_name/install.sh" ] || { say "$name holds no $pinned_name/install.sh"; return 1; }
  # shellcheck disable=SC2086
  timeout 120 "$work/$pinned_name/install.sh" ${root:+--root "$root"} $ROUTE_AGENT_INSTALL_OPTS
  local status=$?
  rm -rf "$work"
  [ "$status" -eq 0 ] || { say "install.sh failed (exit $status)"; return 1; }
  say "done in ${SECONDS}s; the agent starts in the background: journalctl -u route-agent"
}

# The log file sits where only root writes: a link there is removed, never followed.
mkdir -p "$(dirname "$logfile")"
[ -L "$logfile" ] && rm -f "$logfile"
{ main || say "not installed (see above); the notebook starts anyway"; } 2>&1 | tee -a "$logfile"
exit 0
