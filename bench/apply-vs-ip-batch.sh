#!/bin/bash
# Benchmark: a cold `route-agent apply` of N routes (JVM start and YAML parsing included) against
# `ip -batch` adding the same routes, each in its own fresh notebook-like namespace.
# Usage (root): bench/apply-vs-ip-batch.sh [run] [N ...]      default: 10000 100000
#   run    times `route-agent run` instead (issue 16): from its launch to the log line of its
#          start-up reconcile ("reconciled changes=N cause=startup", written after the kernel's last
#          ack, stamped as the script reads it), metrics on; then stops it.
#   RUNS=n  rounds per N (default 3), each in fresh namespaces: ip -batch, then route-agent, so each
#     pair sees the same load; the medians and the median of the pairs' ratios are printed.
#   LAUNCHER=PATH  another launcher than agent/route-agent (the system JDK), e.g. the bundle's,
#     which is what operators install: target/bundle/route-agent-0.1.0-linux-x86_64/bin/route-agent
# Prints one line per N: both wall times, and route-agent's time as a fraction of ip's.
no_default_ns=1
source "$(dirname "$(readlink -f "$0")")/daemon-common.sh"
mode=apply
[ "${1:-}" != run ] || { mode=run; shift; }
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(10000 100000)
runs=${RUNS:-3}

load_line
echo "$mode: median of $runs paired rounds"
printf '%-8s %10s %12s %8s  %s\n' routes ip-batch route-agent ratio "ratios of the pairs"
for n in "${counts[@]}"; do
  write_routes "$n"
  awk '/^  - / { print "route add " $2 " via 172.31.64.1 dev eth2" }' "$routes_file" >"$work/ip-$n.batch"
  : >"$work/ip-$n.times"; : >"$work/agent-$n.times"; : >"$work/ratios-$n"
  for run in $(seq "$runs"); do
    ns_ip="ra-bench-ip-$$-$n-$run"; ns="ra-bench-agent-$$-$n-$run"
    new_ns "$ns_ip"
    new_ns "$ns"

    t0=$EPOCHREALTIME; ip -n "$ns_ip" -batch "$work/ip-$n.batch"; t1=$EPOCHREALTIME
    ip_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
    if [ "$mode" = apply ]; then
      t1=$EPOCHREALTIME
      ip netns exec "$ns" "$launcher" --config "$routes_file" apply >"$work/apply-$n.out"
      t2=$EPOCHREALTIME
      agent_s=$(awk -v b="$t1" -v c="$t2" 'BEGIN { print c - b }')
    else
      start_agent
      agent_s=$(await_log "reconciled changes=$n cause=startup" 300)
      got_running=$(ip -n "$ns" route | grep -c ' proto 157 ' || true)
      stop_agent
      cp "$work/agent.log" "$work/apply-$n.out"
      [ "$got_running" -eq "$n" ] || { echo "run: $got_running routes at its start-up line:" >&2; cat "$work/apply-$n.out" >&2; exit 1; }
    fi

    got_ip=$(ip -n "$ns_ip" route | grep -c ' via 172.31.64.1 ' || true)
    got_agent=$(ip -n "$ns" route | grep -c ' proto 157 ' || true)
    if [ "$got_ip" -ne "$n" ] || [ "$got_agent" -ne "$n" ]; then
      echo "expected $n routes; ip -batch installed $got_ip, route-agent $got_agent" >&2
      tail -5 "$work/apply-$n.out" >&2
      exit 1
    fi
    echo "$ip_s" >>"$work/ip-$n.times"; echo "$agent_s" >>"$work/agent-$n.times"
    awk -v i="$ip_s" -v r="$agent_s" 'BEGIN { printf "%.2f\n", r / i }' >>"$work/ratios-$n"
    ip netns del "$ns_ip"; ip netns del "$ns"
  done
  awk -v n="$n" -v i="$(median <"$work/ip-$n.times")" -v r="$(median <"$work/agent-$n.times")" \
    -v q="$(median <"$work/ratios-$n")" -v all="$(xargs <"$work/ratios-$n")" \
    'BEGIN { printf "%-8d %9.3fs %11.3fs %8.2f  %s\n", n, i, r, q, all }'
done
if [ "$mode" = apply ]; then
  echo "target (issue 16): cold apply of 100,000 routes <= 0.75x ip -batch"
else
  echo "target (issue 16): run, start to 100,000 routes converged, <= 1.0x ip -batch"
fi
