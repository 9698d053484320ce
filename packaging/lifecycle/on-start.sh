#!/bin/bash
# route-agent: SageMaker notebook instance lifecycle configuration, "Start notebook" script.
# Paste it as the on-start script (see README.md, "Install on a SageMaker notebook instance").
# At every start (the root volume is fresh, /home/ec2-user/SageMaker is not) it unpacks the newest
# route-agent-*-linux-x86_64.tar.gz kept in /home/ec2-user/SageMaker/route-agent/ and runs its
# install.sh: the unit, the protocol name, the networkd drop-in, the launcher, and
# `systemctl enable --now --no-block route-agent`. It finishes in seconds, logs to its output (the
# notebook's CloudWatch log stream) and to route-agent/on-start.log, and always exits 0: a route
# problem is the agent's to report (journalctl -u route-agent), never a reason to fail the start.
# Test hook: ROUTE_AGENT_LIFECYCLE_ROOT=DIR works under DIR and passes --root DIR to install.sh.
# Options for install.sh: set ROUTE_AGENT_INSTALL_OPTS below (e.g. --no-networkd-dropin).
ROUTE_AGENT_INSTALL_OPTS=""

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
root=${ROUTE_AGENT_LIFECYCLE_ROOT:-}
dir=$root/home/ec2-user/SageMaker/route-agent
work=$root/opt/route-agent.unpack

main() {
  echo "route-agent on-start: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  tarball=$(ls -1 "$dir"/route-agent-*-linux-x86_64.tar.gz 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$tarball" ]; then
    echo "route-agent on-start: no route-agent-*-linux-x86_64.tar.gz in $dir; copy the bundle there (nothing installed)"
    return 0
  fi
  echo "route-agent on-start: installing from $tarball"
  rm -rf "$work" && mkdir -p "$work" || return 1
  tar -xzf "$tarball" -C "$work" || { echo "route-agent on-start: cannot unpack $tarball"; return 1; }
  bundle=$(ls -1d "$work"/route-agent-*/ 2>/dev/null | head -n 1)
  [ -n "$bundle" ] || { echo "route-agent on-start: $tarball holds no route-agent-*/ directory"; return 1; }
  # shellcheck disable=SC2086
  timeout 120 "$bundle/install.sh" ${root:+--root "$root"} $ROUTE_AGENT_INSTALL_OPTS
  status=$?
  rm -rf "$work"
  [ "$status" -eq 0 ] || { echo "route-agent on-start: install.sh failed (exit $status)"; return 1; }
  echo "route-agent on-start: done in ${SECONDS}s; the agent starts in the background: journalctl -u route-agent"
}

if [ -d "$dir" ]; then
  main 2>&1 | tee "$dir/on-start.log"
  status=${PIPESTATUS[0]}
else
  main 2>&1
  status=$?
fi
[ "$status" -eq 0 ] || echo "route-agent on-start: not installed (see above); the notebook starts anyway"
exit 0
