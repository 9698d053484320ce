#!/bin/bash
# Benchmark: a link flap on an interface that carries many desired routes.
# Usage (root): bench/link-flap.sh [ROUTES] [FLAPS]      default: 10000 5
# `ip link set eth2 down` (the kernel drops every gateway route through eth2, without
# RTM_DELROUTE), waits until route-agent reports them waiting, then `ip link set eth2 up` and
# times until all ROUTES are back:
#  - from outside, `ip -ts monitor link route`: the link-up notification to the last re-added route;
#  - in process, the agent's `reconciled ... cause=link-up latency_ms=N` line: from reading the
#    first link or address notification (5 ms of damping included) to the kernel's last ack.
# Nothing else runs while a flap is timed: the script waits with bash's `read -t` (no forks) and
# counts the routes once afterwards.
source "$(dirname "$(readlink -f "$0")")/daemon-common.sh"
routes=${1:-10000}
flaps=${2:-5}

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
