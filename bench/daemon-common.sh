# Shared by the benchmarks (sourced, not run): notebook-like namespaces deleted at any exit, a
# routes file, `route-agent run` inside a namespace with its log lines stamped, a way to read its
# /metrics without curl, an `ip -ts monitor` witness, repeated deletions through one `ip -batch`,
# medians and percentiles.
# LAUNCHER=PATH: another launcher (bench/launcher.sh).
# AGENT_NICE=-10: the agent at the CPU priority its systemd unit gives it (Nice=-10); unset, at the
# shell's.
set -euo pipefail
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
top=$(readlink -f "$here/..")
[ "$(id -u)" -eq 0 ] || { echo "needs root (network namespaces)" >&2; exit 1; }
source "$here/launcher.sh"

ns="ra-bench-$$"
work=$(mktemp -d)
agent_pid=
monitor_pid=
stamp_pid=
namespaces=()   # every namespace made here (new_ns), deleted at exit
stop_pids=()    # other background processes to stop at exit (peers, loops)
cleanup() {
  [ -n "$monitor_pid" ] && kill "$monitor_pid" 2>/dev/null || true
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
  [ -n "$stamp_pid" ] && kill "$stamp_pid" 2>/dev/null || true
  for pid in ${stop_pids[@]+"${stop_pids[@]}"}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${stop_pids[@]+"${stop_pids[@]}"}; do wait "$pid" 2>/dev/null || true; done
  for n in ${namespaces[@]+"${namespaces[@]}"}; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
trap 'echo "${BASH_SOURCE[0]##*/}:$LINENO: failed: $BASH_COMMAND" >&2' ERR
# A notebook-like namespace NAME (agent/notebook-netns.sh), deleted at exit if not before.
new_ns() { namespaces+=("$1"); "$top/agent/notebook-netns.sh" "$1"; }
# The scripts that make their own namespaces set no_default_ns=1 before sourcing this file.
[ -n "${no_default_ns:-}" ] || new_ns "$ns"

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

# Starts `route-agent run` in namespace $ns on $routes_file, metrics on, extra arguments to `run`.
# Each line it writes lands in $work/agent.log prefixed with the moment it was read (the same clock
# as bash's $EPOCHREALTIME): "1764531234.123456 <line>"; $agent_t0 is the moment before the launch.
start_agent() {
  start_stamper
  launch_agent "$@"
}
# The stamper of the agent's lines, started and about to open their FIFO when this returns (the
# launch's open of the FIFO and the stamper's wait for each other). It is Python, not a bash
# `read` loop: bash reads a pipe one byte at a time, ~110 µs a line, and the pipe filled up behind
# it, so the agent's own log writes waited on the benchmark (a repair of 20 routes, 20 lines, held
# the next repair back by ~2 ms); Python takes a few µs. It starts before the agent, not beside
# it: a `python3` behind pyenv's shim takes ~0.4 s of CPU to start, and the JVM's own creation
# took twice its time with a Python starting on the other core (bench/README.md, "The
# benchmarks' own start-up beside the daemon's").
start_stamper() {
  rm -f "$work/agent.fifo" "$work/stamper.ready"; mkfifo "$work/agent.fifo" "$work/stamper.ready"
  : >"$work/agent.log" # now, not when the reader below gets to it: no line of an earlier run is left
  python3 -u -c 'import sys, time
open(sys.argv[1], "w").write("up\n")
for line in open(sys.argv[2], newline="\n"):
    sys.stdout.write("%.6f %s" % (time.time(), line))' "$work/stamper.ready" "$work/agent.fifo" \
    >>"$work/agent.log" &
  stamp_pid=$!
  local ready
  exec 7<>"$work/stamper.ready" # read and write: opening it does not wait for the stamper
  read -r -t 30 -u 7 ready || { echo "the log stamper (python3) did not start" >&2; exit 1; }
  exec 7<&-
}
# The launch itself, after start_stamper.
launch_agent() {
  agent_t0=$EPOCHREALTIME
  ip netns exec "$ns" ${AGENT_NICE:+nice -n "$AGENT_NICE"} "$launcher" --config "$routes_file" run \
    --lock-dir "$work/lock" --metrics-address 127.0.0.1:9469 --log-file none "$@" >"$work/agent.fifo" 2>&1 &
  agent_pid=$!
}
# Stops the agent (SIGTERM: it leaves its routes in place) and waits for its log to end.
stop_agent() {
  kill "$agent_pid" 2>/dev/null || true; wait "$agent_pid" 2>/dev/null || true; agent_pid=
  wait "$stamp_pid" 2>/dev/null || true
}
# Waits (up to $2 seconds, default 60) for a line of the agent's log matching the pattern $1
# (grep -E), checking every 10 ms with bash alone; prints the seconds from $agent_t0 to the moment
# the line was read.
await_log() {
  local deadline=$((SECONDS + ${2:-60})) hit
  until hit=$(grep -m1 -E "$1" "$work/agent.log"); do
    kill -0 "$agent_pid" 2>/dev/null || { echo "route-agent exited:" >&2; cat "$work/agent.log" >&2; exit 1; }
    [ $SECONDS -lt "$deadline" ] || { echo "no '$1' in the agent's log in time:" >&2; tail "$work/agent.log" >&2; exit 1; }
    pause 0.01
  done
  awk -v a="$agent_t0" -v b="${hit%% *}" 'BEGIN { printf "%.3f\n", b - a }'
}

# `ip -ts monitor OBJECTS...` in namespace $1 into $work/monitor.log, with a big receive buffer (a
# link-up re-adds thousands of routes in a few ms, which would overrun the default one). What it
# says of itself (an overrun: "No buffer space available") goes to $work/monitor.err.
start_monitor() {
  local in=$1; shift
  ip -n "$in" -ts -rcvbuf 67108864 monitor "$@" >"$work/monitor.log" 2>>"$work/monitor.err" &
  monitor_pid=$!
  pause 0.3 # let it subscribe
}
# A line saying how often the witnesses of this run overran (the kernel dropped notifications for
# them: ENOBUFS), or nothing: what they missed is missing from every figure taken from outside.
# The receive buffer asked for is capped by net.core.rmem_max, and 100,000 re-adds in a quarter of
# a second overrun it. Anything else a witness said is shown as it said it.
witness_overruns() {
  local n
  n=$(grep -c 'No buffer space' "$work/monitor.err" 2>/dev/null || true)
  if [ "${n:-0}" -gt 0 ]; then
    echo "the witness (ip -ts monitor) overran $n time(s) in this run: the figures from outside count only what it saw"
  fi
  grep -v 'No buffer space' "$work/monitor.err" 2>/dev/null || true
}
stop_monitor() { kill "$monitor_pid" 2>/dev/null || true; wait "$monitor_pid" 2>/dev/null || true; monitor_pid=; }
# An awk function for the scripts that read $work/monitor.log: usec("[2026-11-24T19:26:04.616123]")
# is microseconds since midnight.
usec_awk='function usec(ts,   t) { t = substr(ts, 2, length(ts) - 2); split(t, a, "T"); split(a[2], h, ":")
                             return (h[1] * 3600 + h[2] * 60 + h[3]) * 1e6 }'

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

# Deletes route $2 in namespace $1, $3 times, $4 seconds apart, from one long-lived `ip -batch` fed
# through a FIFO, so that no fork/exec per deletion (nor a poller) competes with the daemon for the
# two cores while it repairs.
delete_repeatedly() {
  local in=$1 route=$2 count=$3 gap=$4 i batch_pid
  rm -f "$work/commands"; mkfifo "$work/commands"
  ip -n "$in" -force -batch - <"$work/commands" >"$work/batch.log" 2>&1 &
  batch_pid=$!
  exec 7>"$work/commands"
  for ((i = 0; i < count; i++)); do
    echo "route del $route" >&7
    pause "$gap" # without a fork, just as the daemon repairs
  done
  exec 7>&-
  wait "$batch_pid" || true
}
# From $work/monitor.log ("[ts] Deleted 10.0.0.0/16 via ..." then "[ts] 10.0.0.0/16 via ..."): the
# microseconds from each deletion of route $1 to its re-add, one a line.
repair_times() {
  awk -v r="$1" "$usec_awk"'
    $2 == "Deleted" && $3 == r { deleted = usec($1); next }
    $2 == r && deleted { printf "%.0f\n", usec($1) - deleted; deleted = 0 }' "$work/monitor.log"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# The load average and the number of cores, for the line above each figure (the VM is shared).
load_line() { echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r), $launcher${AGENT_NICE:+ at nice $AGENT_NICE}"; }

# Prints p50 p99 max of the numbers on stdin (one per line).
percentiles() {
  sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "- - -"; exit }
    p50 = v[int((NR - 1) * 0.50) + 1]; p99 = v[int((NR - 1) * 0.99) + 1]
    printf "%s %s %s\n", p50, p99, v[NR] }'
}
