#!/bin/bash
# Benchmark (issue 16): how available the agent keeps its routes while something keeps removing
# them, as a network manager's reload does: ROUTES routes, and `ip route flush proto 157` (every
# route the agent owns) once a second for SECONDS seconds.
# Usage (root): bench/availability.sh [ROUTES] [SECONDS]      default: 100 10
# Witness: `ip -ts monitor route`. A route's outage runs from its deletion's notification to its
# re-add's (to the end of the window if it never came back); availability is 1 - the outages'
# sum / (ROUTES x SECONDS); also the worst single outage, the median and p99 of the outages, and
# the daemon's own latency for its first repair after the start and for the others.
source "$(dirname "$(readlink -f "$0")")/daemon-common.sh"
routes=${1:-100}
seconds=${2:-10}

write_routes "$routes"
start_agent
await_installed "$routes"
start_monitor "$ns" route
for ((i = 0; i < seconds; i++)); do
  ip -n "$ns" route flush proto 157
  pause 1
done
stop_monitor

# "[ts] Deleted 10.0.0.0/28 via 172.31.64.1 dev eth2 proto 157", then "[ts] 10.0.0.0/28 via ... proto 157"
awk "$usec_awk"'
  !/ proto 157/ { next }
  { t = usec($1); if (!first) first = t; end = t }
  $2 == "Deleted" { if (!($3 in down)) down[$3] = t; deletions++; next }
  ($2 in down) { o = t - down[$2]; delete down[$2]; print o > "/dev/stderr"; sum += o; if (o > worst) worst = o; readds++ }
  END {
    for (d in down) { o = end - down[d]; sum += o; if (o > worst) worst = o; lost++ }
    printf "%d deletions seen, %d re-added, %d not back at the end; outages: sum %.1f ms, worst %.2f ms\n", deletions, readds, lost, sum / 1000, worst / 1000
    printf "availability of %d routes over %d s: %.3f %%   target (issue 16): >= 99.9 %%\n", n, s, 100 * (1 - sum / (n * s * 1e6))
  }' n="$routes" s="$seconds" "$work/monitor.log" 2>"$work/outages.us"
read -r p50 p99 max <<<"$(percentiles <"$work/outages.us")"
echo "outages: p50 ${p50} us, p99 ${p99} us, max ${max} us"
load_line
echo "agent: $(grep -c 'repaired routes=' "$work/agent.log" || true) repairs logged; RSS $(rss_kib) KiB"
# The daemon's own latency_us (from reading the first notification to the kernel's answers), on
# the summary line of each repair of more than 20 routes: the first after the start, then the rest.
grep -o 'repaired routes=.*latency_us=[0-9]*' "$work/agent.log" | sed 's/.*latency_us=//' >"$work/repairs.us" || true
if [ -s "$work/repairs.us" ]; then
  echo "agent's repair latency: first after the start $(head -1 "$work/repairs.us") us, the others' median $(tail -n +2 "$work/repairs.us" | sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }') us"
fi
witness_overruns
