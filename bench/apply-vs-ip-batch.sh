#!/bin/bash
# Benchmark: a cold `route-agent apply` of N routes (JVM start and YAML parsing included) against
# `ip -batch` adding the same routes, each in its own fresh notebook-like namespace.
# Usage (root): bench/apply-vs-ip-batch.sh [N ...]      default: 10000 100000
# Prints one line per N: both wall times, and route-agent's time as a fraction of ip's.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
top=$(readlink -f "$here/..")
[ "$(id -u)" -eq 0 ] || { echo "needs root (network namespaces)" >&2; exit 1; }
[ -f "$top/target/route-agent.jar" ] || (cd "$top" && mvn -B -q -DskipTests package)
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

printf '%-8s %10s %12s %8s\n' routes ip-batch route-agent ratio
for n in "${counts[@]}"; do
  destinations "$n" | awk '{ print "route add " $1 " via 172.31.64.1 dev eth2" }' > "$work/ip-$n.batch"
  { echo "routes:"; destinations "$n" | awk '{ print "  - \"" $1 " via 172.31.64.1 dev eth2\"" }'; } > "$work/routes-$n.yaml"

  ns_ip="ra-bench-ip-$$-$n"; ns_agent="ra-bench-agent-$$-$n"
  namespaces+=("$ns_ip" "$ns_agent")
  "$top/agent/notebook-netns.sh" "$ns_ip"
  "$top/agent/notebook-netns.sh" "$ns_agent"

  t0=$(now); ip -n "$ns_ip" -batch "$work/ip-$n.batch"; t1=$(now)
  ip netns exec "$ns_agent" "$top/agent/route-agent" --config "$work/routes-$n.yaml" apply > "$work/apply-$n.out"
  t2=$(now)

  got_ip=$(ip -n "$ns_ip" route | grep -c ' via 172.31.64.1 ')
  got_agent=$(ip -n "$ns_agent" route | grep -c ' proto 157 ')
  if [ "$got_ip" -ne "$n" ] || [ "$got_agent" -ne "$n" ]; then
    echo "expected $n routes; ip -batch installed $got_ip, route-agent $got_agent" >&2
    tail -3 "$work/apply-$n.out" >&2
    exit 1
  fi
  awk -v n="$n" -v a="$t0" -v b="$t1" -v c="$t2" \
    'BEGIN { printf "%-8d %9.3fs %11.3fs %8.2f\n", n, b - a, c - b, (c - b) / (b - a) }'
  ip netns del "$ns_ip"; ip netns del "$ns_agent"
done
