#!/bin/bash
# Benchmark: a link flap on an interface that carries many desired routes.
# Usage (root): bench/link-flap.sh [ROUTES] [FLAPS] [multipath]      default: 10000 5
#   bench/link-flap.sh 100000 3     issue 16: with 100,000 routes, against the kernel (below)
# `ip link set eth2 down` (the kernel drops every gateway route through eth2, without
# RTM_DELROUTE), waits until route-agent reports them waiting, then `ip link set eth2 up` and
# times until all ROUTES are back:
#  - from outside, `ip -ts monitor link route`: the link-up notification to the last re-added route;
#  - in process, the agent's last `... cause=link-up latency_ms=N` line (`re-added routes=N ...`
#    when it sent the routes back as they were, `reconciled changes=N ...` when it planned them):
#    from reading the first link or address notification (the wait for the end of its burst
#    included) to the kernel's last ack.
# The kernel's own time, the yardstick: a second namespace holds the same routes (proto 157, as the
# agent's); after each of the agent's flaps it is flapped the same way, twice, and the routes are
# re-added as soon as `ip link set eth2 up` has returned:
#  - by bench/kernel-add.py: every request encoded beforehand, sent packed into 64 KiB datagrams,
#    one ack for the last; rtnetlink does a datagram's work inside sendmsg, so its time (first send
#    -> last ack) is the kernel's own, what no program re-adding the routes can beat. The ratio for
#    issue 16's target (<= 1.2x) is the agent's in-process figure over this one;
#  - by `ip -batch` (one request, then its ack, per route): its wall time, as a familiar tool's.
# `ip -batch` is also timed from outside as the agent is (link-up notification -> last re-add: the
# fork and start of ip included, as the agent's wake-up and plan are; kernel-add.py's python start
# and encoding would dwarf its sends). Interleaved: all see the same load.
# Nothing else runs while a flap is timed: the script waits with bash's `read -t` (no forks) and
# counts the routes once afterwards.
# With `multipath`, each route has two next hops, via eth2 and via a second VPC-side veth eth3
# (172.31.80.10/20): the kernel keeps the routes with eth2's next hop `dead linkdown` and revives it
# by itself on link-up, so nothing is re-added; what is timed is the agent's reconcile of the
# link-up (route_agent_reconcile_seconds: the dump of ROUTES multipath routes, the plan, no change),
# and the script checks that the agent changed no route through either flap.
source "$(dirname "$(readlink -f "$0")")/daemon-common.sh"
routes=${1:-10000}
flaps=${2:-5}
mode=${3:-single}

if [ "$mode" = multipath ]; then
  ip -n "$ns" link add eth3 type veth peer name eth3-peer
  ip -n "$ns" link set eth3 up
  ip -n "$ns" link set eth3-peer up
  ip -n "$ns" addr add 172.31.80.10/20 dev eth3
  awk -v n="$routes" 'BEGIN { print "routes:"; for (i = 0; i < n; i++) printf "  - \"%d.%d.%d.%d/28 nexthop via 172.31.64.1 dev eth2 nexthop via 172.31.80.1 dev eth3\"\n", 10, int(i / 4096), int(i / 16) % 256, (i % 16) * 16 }' >"$routes_file"
  start_agent
  await_installed "$routes" 180
  echo "routes: $routes multipath (eth2, eth3); agent RSS after install: $(rss_kib) KiB"
  changes() { http_get /metrics | awk '/^route_agent_route_changes_total/ { s += $2 } END { print s + 0 }'; }
  # Waits until the successful reconciles exceed $1.
  await_reconciles() {
    local deadline=$((SECONDS + 30))
    until awk -v a="$(metric 'route_agent_reconciles_total{result="success"}')" -v b="$1" 'BEGIN { exit !(a > b) }'; do
      [ $SECONDS -lt "$deadline" ] || { echo "no reconcile after the flap:" >&2; tail "$work/agent.log" >&2; exit 1; }
      pause 0.05
    done
  }
  for ((f = 1; f <= flaps; f++)); do
    changed=$(changes)
    done_before=$(metric 'route_agent_reconciles_total{result="success"}')
    ip -n "$ns" link set eth2 down
    await_reconciles "$done_before"
    dead=$(ip -n "$ns" route | grep -c 'dev eth2 weight 1 dead linkdown' || true)
    count=$(metric 'route_agent_reconcile_seconds_count'); sum=$(metric 'route_agent_reconcile_seconds_sum')
    done_before=$(metric 'route_agent_reconciles_total{result="success"}')
    ip -n "$ns" link set eth2 up
    await_reconciles "$done_before"
    count2=$(metric 'route_agent_reconcile_seconds_count'); sum2=$(metric 'route_agent_reconcile_seconds_sum')
    still_dead=$(ip -n "$ns" route | grep -c ' dead' || true)
    reconcile_ms=$(awk -v a="$sum" -v b="$sum2" -v c="$count" -v d="$count2" 'BEGIN { printf "%.0f", (b - a) * 1000 / (d - c) }')
    echo "flap $f: $dead next hops dead on eth2 after link-down; link-up reconcile ${reconcile_ms} ms;" \
      "dead after it: $still_dead; routes changed by the agent: $(( $(changes) - changed ))"
  done
  echo "agent RSS: $(rss_kib) KiB; installed: $(metric 'route_agent_routes{state="installed"}')"
  exit 0
fi

write_routes "$routes"
kns="ra-bench-k-$$"
new_ns "$kns"
awk '/^  - / { print "route add " $2 " via 172.31.64.1 dev eth2 proto 157" }' "$routes_file" >"$work/readd.batch"
ip netns exec "$kns" "$top/bench/kernel-add.py" "$routes_file" >/dev/null
start_agent
await_installed "$routes" 300
load_line
echo "routes: $routes on eth2; agent RSS after install: $(rss_kib) KiB"

# From $work/monitor.log: milliseconds from the first eth2 notification with UP to the last route
# with proto 157 added, and how many were added.
last_readd() {
  awk "$usec_awk"'
    !up && $0 ~ / eth2@/ && $0 ~ /[<,]UP[,>]/ { up = usec($1) }
    up && / proto 157/ && !/^\[[^]]*\] Deleted/ { last = usec($1); n++ }
    END { if (up && last) printf "%.0f %d\n", (last - up) / 1000, n; else print "? 0" }
  ' "$work/monitor.log"
}
: >"$work/agent-monitor.ms"; : >"$work/agent-inproc.ms"; : >"$work/kernel-add.ms"
: >"$work/batch-monitor.ms"; : >"$work/batch-wall.ms"
# Flaps eth2 in the kernel's namespace and re-adds the routes with the command given ("$@", run in
# that namespace); prints "MONITOR_MS WALL_MS" (link-up -> last re-add, the command's wall time),
# after the command's own output. Checks that all routes are back.
kernel_flap() {
  local t0 t1 wall
  ip -n "$kns" link set eth2 down
  start_monitor "$kns" link route
  ip -n "$kns" link set eth2 up
  t0=$EPOCHREALTIME
  ip netns exec "$kns" "$@"
  t1=$EPOCHREALTIME
  pause 0.5
  stop_monitor
  [ "$(ip -n "$kns" route | grep -c ' proto 157' || true)" -eq "$routes" ] || { echo "kernel namespace: not all $routes routes back" >&2; exit 1; }
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
  echo "$(last_readd | cut -d' ' -f1) $wall"
}
for ((f = 1; f <= flaps; f++)); do
  ip -n "$ns" link set eth2 down
  await_installed 0 30
  start_monitor "$ns" link route
  ip -n "$ns" link set eth2 up
  pause 1
  await_installed "$routes" 60
  stop_monitor
  read -r ms seen <<<"$(last_readd)"
  in_process=$(grep 'cause=link-up latency_ms=' "$work/agent.log" | tail -1 | sed 's/.*latency_ms=//')

  out=$(kernel_flap "$top/bench/kernel-add.py" "$routes_file")
  kadd=$(head -1 <<<"$out" | cut -d' ' -f1)
  read -r bms bwall <<<"$(kernel_flap ip -n "$kns" -batch "$work/readd.batch")"
  echo "flap $f: agent: link-up -> last re-add ${ms} ms (monitor saw $seen re-adds); in process ${in_process} ms;" \
    "kernel's own ${kadd} ms; ip -batch: link-up -> last ${bms} ms, wall ${bwall} ms"
  echo "$ms" >>"$work/agent-monitor.ms"; echo "$in_process" >>"$work/agent-inproc.ms"
  echo "$kadd" >>"$work/kernel-add.ms"
  echo "$bms" >>"$work/batch-monitor.ms"; echo "$bwall" >>"$work/batch-wall.ms"
done
am=$(median <"$work/agent-monitor.ms"); ai=$(median <"$work/agent-inproc.ms")
ka=$(median <"$work/kernel-add.ms")
bm=$(median <"$work/batch-monitor.ms"); bw=$(median <"$work/batch-wall.ms")
awk -v am="$am" -v ai="$ai" -v ka="$ka" -v bm="$bm" -v bw="$bw" -v n="$routes" -v f="$flaps" 'BEGIN {
  printf "medians of %d flaps, %d routes, link-up -> last re-add from outside: agent %.0f ms, ip -batch %.0f ms\n", f, n, am, bm
  printf "agent in process %.0f ms / the kernel'"'"'s own time %.0f ms: %.2fx   (/ ip -batch'"'"'s wall %.0f ms: %.2fx)\n", ai, ka, ai / ka, bw, ai / bw
  print "target (issue 16, 100,000 routes): <= 1.2x the kernel'"'"'s own time to re-add them" }'
echo "agent RSS: $(rss_kib) KiB; reconcile log: $(grep -c 'cause=link-up' "$work/agent.log") lines with cause=link-up"
grep -E "reconciled changes=|re-added routes=|repaired routes=" "$work/agent.log" | tail -3
witness_overruns
