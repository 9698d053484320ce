# Shared by the daemon benchmarks (sourced, not run): a notebook-like namespace, a routes file,
# `route-agent run` inside it, and a way to read its /metrics without curl.
# LAUNCHER=PATH: another launcher (bench/launcher.sh).
set -euo pipefail
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
top=$(readlink -f "$here/..")
[ "$(id -u)" -eq 0 ] || { echo "needs root (network namespaces)" >&2; exit 1; }
source "$here/launcher.sh"

ns="ra-bench-$$"
work=$(mktemp -d)
agent_pid=
monitor_pid=
cleanup() {
  [ -n "$monitor_pid" ] && kill "$monitor_pid" 2>/dev/null || true
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
"$top/agent/notebook-netns.sh" "$ns"

# The routes file alone in its directory, as install.sh lays it out: the agent watches that
# directory, and the logs, FIFOs and monitor output below would wake its watcher at every line.
routes_file="$work/conf/routes.yaml"
mkdir "$work/conf"

# Waits $1 seconds with bash's `read -t` on a FIFO that nobody writes: no `sleep` process is
# forked (~1 ms of CPU) while the agent is being timed.
mkfifo "$work/never"
exec 8<>"$work/never"
pause() { read -r -t "$1" -u 8 || true; }

# N distinct /28 destinations inside 10.0.0.0/8 through eth2's VPC router, as a routes file.
write_routes() {
  awk -v n="$1" 'BEGIN { print "routes:"; for (i = 0; i < n; i++) printf "  - %d.%d.%d.%d/28 via 172.31.64.1 dev eth2\n", 10, int(i / 4096), int(i / 16) % 256, (i % 16) * 16 }' >"$routes_file"
}

# GET PATH from the agent's HTTP server inside the namespace (bash's /dev/tcp, no curl).
http_get() {
  ip netns exec "$ns" bash -c "exec 3<>/dev/tcp/127.0.0.1/9469 && printf 'GET $1 HTTP/1.0\r\n\r\n' >&3 && cat <&3" 2>/dev/null | tr -d '\r'
}
# The value of one sample of /metrics, e.g. metric 'route_agent_routes{state="installed"}'.
metric() {
  http_get /metrics | awk -v s="$1" 'index($0, s " ") == 1 { print $2 }'
}

start_agent() {
  ip netns exec "$ns" "$launcher" --config "$routes_file" run \
    --lock-dir "$work/lock" --metrics-address 127.0.0.1:9469 --log-file none "$@" >"$work/agent.log" 2>&1 &
  agent_pid=$!
}

# Waits (up to $2 seconds, default 60) until route_agent_routes{state="installed"} is $1.
await_installed() {
  local want=$1 deadline=$((SECONDS + ${2:-60}))
  until [ "$(metric 'route_agent_routes{state="installed"}' 2>/dev/null)" = "$want.0" ]; do
    kill -0 "$agent_pid" 2>/dev/null || { echo "route-agent exited:" >&2; cat "$work/agent.log" >&2; exit 1; }
    [ $SECONDS -lt "$deadline" ] || { echo "not $want routes installed in time:" >&2; tail "$work/agent.log" >&2; exit 1; }
    sleep 0.1
  done
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$agent_pid/status"; }

# Prints p50 p99 max of the numbers on stdin (one per line).
percentiles() {
  sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "- - -"; exit }
    p50 = v[int((NR - 1) * 0.50) + 1]; p99 = v[int((NR - 1) * 0.99) + 1]
    printf "%s %s %s\n", p50, p99, v[NR] }'
}
