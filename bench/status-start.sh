#!/bin/bash
# Benchmark (issue 16): the one-shot commands against the JVM's own floor.
#  - `route-agent status` on a one-route file, wall time and peak RSS, against a bare
#    `java -Xshare:auto -version` of the same runtime, in alternated pairs (status, java, status,
#    java ...), the ratio taken pair by pair, medians;
#  - a cold `route-agent apply` of 10 routes in a fresh notebook-like namespace: wall and peak RSS.
# Peak RSS is /usr/bin/time's maximum resident set size of the process (the launcher execs java).
# Usage (root): bench/status-start.sh [RUNS=20]      (2 unreported warm-up rounds first)
# Runs the bundle's launcher when the bundle is built (what operators install: its runtime and
# AOT cache), else agent/route-agent. `status` only reads the routing table (a dump); it changes
# nothing, here or anywhere.
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
bundle=$(ls -d "$top"/target/bundle/route-agent-*-linux-x86_64 2>/dev/null | head -1 || true)
if [ -z "${LAUNCHER:-}" ] && [ -n "$bundle" ]; then
  export LAUNCHER=$bundle/bin/route-agent
fi
no_default_ns=1
source "$top/bench/daemon-common.sh"
java=$(dirname "$launcher")/../runtime/bin/java
[ -x "$java" ] || java=$(command -v java)
printf 'routes:\n  - "192.0.2.0/24 via 198.51.100.1 dev lo"\n' >"$work/one.yaml"
write_routes 10

# Runs the command, appends "WALL_SECONDS PEAK_KIB" to the file $1. Its exit status is not judged
# (`status` exits non-zero here: its one route is not installed); what it did is checked apart.
timed() {
  local out=$1 t0 t1; shift
  t0=$EPOCHREALTIME
  /usr/bin/time -f %M -o "$work/peak" "$@" >"$work/stdout" 2>"$work/stderr" || true
  t1=$EPOCHREALTIME
  awk -v a="$t0" -v b="$t1" -v p="$(tail -1 "$work/peak")" 'BEGIN { printf "%.4f %d\n", b - a, p }' >>"$out"
}
for f in status java apply; do : >"$work/$f"; done
for ((i = -2; i < runs; i++)); do
  [ $i -ge 0 ] || { out_status=/dev/null; out_java=/dev/null; out_apply=/dev/null; }
  [ $i -lt 0 ] || { out_status=$work/status; out_java=$work/java; out_apply=$work/apply; }
  timed "$out_status" "$launcher" --config "$work/one.yaml" --state-dir "$work" status
  grep -q 192.0.2.0/24 "$work/stdout" || { echo "status did not report its route:" >&2; cat "$work/stdout" "$work/stderr" >&2; exit 1; }
  timed "$out_java" "$java" -Xshare:auto -version
  ns="ra-bench-apply-$$-$i"; new_ns "$ns"
  timed "$out_apply" ip netns exec "$ns" "$launcher" --config "$routes_file" apply
  [ "$(ip -n "$ns" route | grep -c ' proto 157 ')" -eq 10 ] || { echo "apply did not install 10 routes" >&2; exit 1; }
  ip netns del "$ns"
done
paste -d' ' "$work/status" "$work/java" | awk '{ print $1 / $3 }' >"$work/ratios"
col() { awk -v c="$2" '{ print $c }' "$work/$1" | median; }
load_line
echo "runtime: $java; $runs alternated rounds, medians (min-max of the pairs' ratios: $(sort -n "$work/ratios" | sed -n '1p;$p' | xargs printf '%.2f '))"
awk -v sw="$(col status 1)" -v jw="$(col java 1)" -v r="$(median <"$work/ratios")" \
    -v sp="$(col status 2)" -v jp="$(col java 2)" -v aw="$(col apply 1)" -v ap="$(col apply 2)" 'BEGIN {
  printf "status, one route:   wall %4.0f ms  peak RSS %5.1f MiB\n", sw * 1000, sp / 1024
  printf "java -version:       wall %4.0f ms  peak RSS %5.1f MiB\n", jw * 1000, jp / 1024
  printf "status / java:       %.2fx (median of the pairs)          target (issue 16): <= 2x\n", r
  printf "apply, 10 routes:    wall %4.0f ms  peak RSS %5.1f MiB      target (issue 16): peak <= 48 MiB\n", aw * 1000, ap / 1024 }'
