#!/bin/bash
# Benchmark (issue 16): `route-agent status` on a one-route file, wall time, against a bare
# `java -Xshare:auto -version` of the same runtime: how far a one-shot command is from the JVM's
# own floor. Paired runs (farm-bench: A B A B ..., the ratio taken pair by pair), medians.
# Usage: bench/status-start.sh [RUNS=20]
# Runs the bundle's launcher when the bundle is built (what operators install: its runtime and
# AOT cache), else agent/route-agent. `status` only reads the routing table (a dump); it changes
# nothing, here or anywhere.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
bundle=$(ls -d "$top"/target/bundle/route-agent-*-linux-x86_64 2>/dev/null | head -1 || true)
if [ -z "${LAUNCHER:-}" ] && [ -n "$bundle" ]; then
  LAUNCHER=$bundle/bin/route-agent
fi
# shellcheck source=bench/launcher.sh
. "$top/bench/launcher.sh"
java=$(dirname "$launcher")/../runtime/bin/java
[ -x "$java" ] || java=$(command -v java)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'routes:\n  - "192.0.2.0/24 via 198.51.100.1 dev lo"\n' >"$work/routes.yaml"
echo "launcher: $launcher; runtime: $java"
farm-bench -n "$runs" --warmup 2 --timeout 600 --vs "$java -Xshare:auto -version" -- \
  "$launcher" --config "$work/routes.yaml" --state-dir "$work" status
