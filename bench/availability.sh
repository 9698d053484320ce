#!/bin/bash
# Benchmark (issue 16): how available the agent keeps its routes while something keeps removing
# them, as a network manager's reload does: ROUTES routes, and `ip route flush proto 157` (every
# route the agent owns) once a second for SECONDS seconds.
# Usage (root): bench/availability.sh [ROUTES] [SECONDS]      default: 100 10
# Witness: `ip -ts monitor route`. A route's outage runs from its deletion's notification to its
# re-add's (to the end of the window if it never came back); availability is 1 - the outages'
# sum / (ROUTES x SECONDS); also the worst single outage, the median and p99 of the outages, and
# the daemon's own latency for its first repair after the start and for the others.
# First, with no agent, the witness's own floor: the same routes deleted and added back each
# second by one process, the adds sent as soon as the kernel has acked the deletes
# (bench/kernel-add.py --flush-rounds). The witness stamps each line as it prints it, a few µs a
# line, so outages that last well under a millisecond in the kernel look like the time it takes to
# print a flush's lines: what a repair that waits for nothing scores in this sitting (a slower
# witness can make a later repair's flush look shorter; bench/README.md, eighth session).
source "$(dirname "$(readlink -f "$0")")/daemon-common.sh"
routes=${1:-100}
seconds=${2:-10}

# Reads $work/monitor.log: "[ts] Deleted 10.0.0.0/28 via 172.31.64.1 dev eth2 proto 157", then
# "[ts] 10.0.0.0/28 via ... proto 157". Prints the availability's lines, prefixed with $1, and the
# outages' sum flush by flush (a deletion 200 ms after the last one starts a flush); leaves each
# outage's µs in $work/outages.us.
outages() {
  awk "$usec_awk"'
    !/ proto 157/ { next }
    { t = usec($1); if (!first) first = t; end = t }
    $2 == "Deleted" {
      if (!flushes || t - last > 200000) flushes++
      last = t
      if (!($3 in down)) { down[$3] = t; flush[$3] = flushes }
      deletions++; next }
    ($2 in down) { o = t - down[$2]; per[flush[$2]] += o; delete down[$2]; print o > "/dev/stderr"; sum += o; if (o > worst) worst = o; readds++ }
    END {
      for (d in down) { o = end - down[d]; per[flush[d]] += o; sum += o; if (o > worst) worst = o; lost++ }
      printf "%s%d deletions seen, %d re-added, %d not back at the end; outages: sum %.1f ms, worst %.2f ms\n", p, deletions, readds, lost, sum / 1000, worst / 1000
      printf "%savailability of %d routes over %d s: %.3f %%%s\n", p, n, s, 100 * (1 - sum / (n * s * 1e6)), target
      printf "%soutages flush by flush, ms:", p
      for (f = 1; f <= flushes; f++) printf " %.0f", per[f] / 1000
      printf "\n"
    }' p="$1" target="$2" n="$routes" s="$seconds" "$work/monitor.log" 2>"$work/outages.us"
  local p50 p99 max
  read -r p50 p99 max <<<"$(percentiles <"$work/outages.us")"
  echo "${1}outages: p50 ${p50} us, p99 ${p99} us, max ${max} us"
}

write_routes "$routes"
ip netns exec "$ns" "$top/bench/kernel-add.py" "$routes_file" >/dev/null
start_monitor "$ns" route
rounds=$(ip netns exec "$ns" "$top/bench/kernel-add.py" "$routes_file" 157 --flush-rounds "$seconds")
stop_monitor
grep -v ' 0 refused' <<<"$rounds" | sed 's/^/floor: the kernel refused some: /' || true # a floor it was not
echo "the witness's floor: no agent, each second the routes deleted and added back at once by one process"
outages "floor: " ""
ip -n "$ns" route flush proto 157

start_agent
await_installed "$routes"
start_monitor "$ns" route
for ((i = 0; i < seconds; i++)); do
  ip -n "$ns" route flush proto 157
  pause 1
done
stop_monitor
outages "" "   target (issue 16): >= 99.9 %"
load_line
echo "agent: $(grep -c 'repaired routes=' "$work/agent.log" || true) repairs logged; RSS $(rss_kib) KiB"
# The daemon's own latency_us (from reading the first notification to the kernel's answers), on
# the summary line of each repair of more than 20 routes: the first after the start, then the rest.
grep -o 'repaired routes=.*latency_us=[0-9]*' "$work/agent.log" | sed 's/.*latency_us=//' >"$work/repairs.us" || true
if [ -s "$work/repairs.us" ]; then
  echo "agent's repair latency: first after the start $(head -1 "$work/repairs.us") us, the others' median $(tail -n +2 "$work/repairs.us" | sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }') us"
fi
witness_overruns
