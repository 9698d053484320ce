#!/bin/bash
# Benchmark: a link flap on an interface that carries many desired routes.
# Usage (root): bench/link-flap.sh [ROUTES] [FLAPS] [multipath]      default: 10000 5
# `ip link set eth2 down` (the kernel drops every gateway route through eth2, without
# RTM_DELROUTE), waits until route-agent reports them waiting, then `ip link set eth2 up` and
# times until all ROUTES are back:
#  - from outside, `ip -ts monitor link route`: the link-up notification to the last re-added route;
#  - in process, the agent's `reconciled ... cause=link-up latency_ms=N` line: from reading the
#    first link or address notification (5 ms of damping included) to the kernel's last ack.
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
start_agent
await_installed "$routes" 120
echo "routes: $routes on eth2; agent RSS after install: $(rss_kib) KiB"

for ((f = 1; f <= flaps; f++)); do
  ip -n "$ns" link set eth2 down
  await_installed 0 30
  # A big receive buffer: 10,000 notifications in a few ms would overrun the default one.
  ip -n "$ns" -ts -rcvbuf 67108864 monitor link route >"$work/monitor.log" &
  monitor_pid=$!
  sleep 0.3
  ip -n "$ns" link set eth2 up
  pause 1
  await_installed "$routes" 30
  kill "$monitor_pid"; wait "$monitor_pid" 2>/dev/null || true; monitor_pid=
  # The first eth2 notification with UP after `link set up`, and the last route with proto 157.
  monitored=$(awk '
    function usec(ts,   t) { t = substr(ts, 2, length(ts) - 2); split(t, a, "T"); split(a[2], h, ":")
                             return (h[1] * 3600 + h[2] * 60 + h[3]) * 1e6 }
    !up && $0 ~ / eth2@/ && $0 ~ /[<,]UP[,>]/ { up = usec($1) }
    up && / proto 157/ && !/^\[[^]]*\] Deleted/ { last = usec($1); n++ }
    END { if (up && last) printf "%.0f %d\n", (last - up) / 1000, n; else print "? 0" }
  ' "$work/monitor.log")
  read -r ms seen <<<"$monitored"
  in_process=$(grep 'cause=link-up latency_ms=' "$work/agent.log" | tail -1 | sed 's/.*latency_ms=//')
  echo "flap $f: link-up -> last re-add ${ms} ms (monitor saw $seen re-adds); in process ${in_process} ms"
done
echo "agent RSS: $(rss_kib) KiB; reconcile log: $(grep -c 'cause=link-up' "$work/agent.log") lines with cause=link-up"
grep -E "reconciled changes=|repaired routes=" "$work/agent.log" | tail -3
