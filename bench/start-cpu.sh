#!/bin/bash
# Benchmark (issue 16): what `route-agent run` spends to install ROUTES routes at its start and
# settle: the seconds from the launch to the gauge saying all are installed, the start-up
# reconcile's own latency (its log line), the JVM's CPU time (user + system) and VmRSS 8 s after,
# and the netlink overruns counted (the kernel dropped notifications for it).
# Usage (root): bench/start-cpu.sh [ROUTES]      default: 100000
source "$(dirname "$(readlink -f "$0")")/daemon-common.sh"
routes=${1:-100000}
write_routes "$routes"
start_agent
await_installed "$routes" 300
installed=$EPOCHREALTIME
sleep 8
ticks=$(getconf CLK_TCK)
load_line
echo "routes: $routes; installed $(awk -v a="$agent_t0" -v b="$installed" 'BEGIN { printf "%.2f", b - a }') s after the launch;" \
  "$(grep -o 'reconciled changes=[0-9]* cause=startup latency_ms=[0-9]*' "$work/agent.log" | head -1)"
echo "8 s later: CPU $(awk -v hz="$ticks" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$agent_pid/stat") s;" \
  "VmRSS $(awk '{ printf "%.1f", $1 / 1024 }' <<<"$(rss_kib)") MiB;" \
  "overruns $(metric route_agent_netlink_overruns_total); full reconciles $(metric 'route_agent_reconciles_total{result="success"}')"
