#!/bin/bash
# Benchmark: a cold `route-agent apply` of N routes (JVM start and YAML parsing included) against
# `ip -batch` adding the same routes, each in its own fresh notebook-like namespace.
# Usage (root): bench/apply-vs-ip-batch.sh [N ...]      default: 10000 100000
#   RUNS=n  runs per N, each in fresh namespaces (default 3); the medians are printed.
#   LAUNCHER=PATH  another launcher than agent/route-agent (the system JDK), e.g. the bundle's,
#     which is what operators install: target/bundle/route-agent-0.1.0-linux-x86_64/bin/route-agent
# Prints one line per N: both wall times, and route-agent's time as a fraction of ip's.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
top=$(readlink -f "$here/..")
[ "$(id -u)" -eq 0 ] || { echo "needs root (network namespaces)" >&2; exit 1; }
source "$here/launcher.sh"
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(10000 100000)

work=$(mktemp -d)
namespaces=()
cleanup() {
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }

# N distinct /28 destinations inside 10.0.0.0/8, as "10.A.B.C/28".
destinations() {
  awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "10.%d.%d.%d/28\n", int(i / 4096), int(i / 16) % 256, (i % 16) * 16 }'
}

runs=${RUNS:-3}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "$(nproc) cores, $(uname -r), $launcher, median of $runs runs"
printf '%-8s %10s %12s %8s\n' routes ip-batch route-agent ratio
for n in "${counts[@]}"; do
  destinations "$n" | awk '{ print "route add " $1 " via 172.31.64.1 dev eth2" }' > "$work/ip-$n.batch"
  { echo "routes:"; destinations "$n" | awk '{ print "  - \"" $1 " via 172.31.64.1 dev eth2\"" }'; } > "$work/routes-$n.yaml"
  : > "$work/ip-$n.times"; : > "$work/agent-$n.times"
  for run in $(seq "$runs"); do
    ns_ip="ra-bench-ip-$$-$n-$run"; ns_agent="ra-bench-agent-$$-$n-$run"
    namespaces+=("$ns_ip" "$ns_agent")
    "$top/agent/notebook-netns.sh" "$ns_ip"
    "$top/agent/notebook-netns.sh" "$ns_agent"

    t0=$(now); ip -n "$ns_ip" -batch "$work/ip-$n.batch"; t1=$(now)
    ip netns exec "$ns_agent" "$launcher" --config "$work/routes-$n.yaml" apply > "$work/apply-$n.out"
    t2=$(now)

    got_ip=$(ip -n "$ns_ip" route | grep -c ' via 172.31.64.1 ')
    got_agent=$(ip -n "$ns_agent" route | grep -c ' proto 157 ')
    if [ "$got_ip" -ne "$n" ] || [ "$got_agent" -ne "$n" ]; then
      echo "expected $n routes; ip -batch installed $got_ip, route-agent $got_agent" >&2
      tail -3 "$work/apply-$n.out" >&2
      exit 1
    fi
    awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }' >> "$work/ip-$n.times"
    awk -v b="$t1" -v c="$t2" 'BEGIN { print c - b }' >> "$work/agent-$n.times"
    ip netns del "$ns_ip"; ip netns del "$ns_agent"
  done
  awk -v n="$n" -v i="$(median < "$work/ip-$n.times")" -v r="$(median < "$work/agent-$n.times")" \
    'BEGIN { printf "%-8d %9.3fs %11.3fs %8.2f\n", n, i, r, r / i }'
done
