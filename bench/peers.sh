#!/bin/bash
# Benchmark (issue 16): route-agent side by side with the peers a user would pick instead,
# keepalived (static_routes with a VRRP track_group: without one it never re-adds a deleted route)
# and BIRD 2 (a static protocol exported by the kernel protocol), in one sitting, each daemon in its
# own notebook-like namespace with the same desired routes (N /28s via 172.31.64.1 dev eth2), and
# the same witness, `ip -ts monitor`:
#  - start -> N routes installed: from a marker route added just before the launch to the last of
#    the N routes added;
#  - resident memory holding N routes, a few seconds after that (the sum of the daemon's processes:
#    keepalived's parent and its VRRP child; route-agent with metrics on);
#  - repair after `ip route del` of one route, deletion's notification -> re-add's, p50/p99;
#    BIRD re-adds only at its kernel scan (60 s by default); here its scan time is BIRD_SCAN
#    seconds (default 1), and its figure is where in that scan the deletion fell, not a reaction;
#  - link flap, `ip link set eth2 down` then up: the link-up notification -> the last re-add.
# Usage (root): bench/peers.sh [SMALL] [LARGE]      default: 1000 10000
#   start, memory and repair with LARGE routes; link flaps with SMALL and with LARGE routes.
#   FLAPS=n (default 3), DELETIONS=n (default 100; BIRD: 5, one per scan), BIRD_SCAN=s (default 1),
#   FLAP_TIMEOUT=s (default 30): a daemon whose routes are not all back by then gets ">s000 (k/N)"
#   (routes back at the deadline) in the table, and no more flaps of that size.
#   LAUNCHER=PATH as for the other scripts (the bundle's: what operators install).
# Installs keepalived and bird2 with apt-get when they are missing (services not started: the
# daemons run here in the foreground, in their namespaces, with their pid, control and
# configuration files in the scratch directory, and are stopped at the end).
no_default_ns=1
source "$(dirname "$(readlink -f "$0")")/daemon-common.sh"
small=${1:-1000}
large=${2:-10000}
flaps=${FLAPS:-3}
deletions=${DELETIONS:-100}
bird_scan=${BIRD_SCAN:-1}
flap_timeout=${FLAP_TIMEOUT:-30}
peers=(route-agent keepalived bird)

if ! command -v keepalived >/dev/null || ! command -v bird >/dev/null; then
  echo "installing keepalived and bird2 (apt-get; their services are not started here)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends keepalived bird2 >"$work/apt.log" 2>&1 ||
    { cat "$work/apt.log" >&2; exit 1; }
fi

# The desired routes, "10.A.B.C/28", one per line, and each daemon's configuration of them.
configure() {
  local n=$1
  write_routes "$n" # the agent's routes file ($routes_file)
  awk '/^  - / { print $2 }' "$routes_file" >"$work/destinations"
  {
    echo 'global_defs {'; echo '  router_id bench'; echo '}'
    # The VRRP instance speaks on eth0, whose veth peer stays in the namespace.
    printf 'vrrp_instance VI_1 {\n  state MASTER\n  interface eth0\n  virtual_router_id 51\n  priority 200\n  advert_int 1\n}\n'
    printf 'track_group G1 {\n  group {\n    VI_1\n  }\n}\n'
    echo 'static_routes {'
    awk '{ print "  " $1 " via 172.31.64.1 dev eth2 track_group G1" }' "$work/destinations"
    echo '}'
  } >"$work/keepalived.conf"
  {
    echo 'router id 192.0.2.10;'
    echo 'protocol device { scan time 60; }'
    echo "protocol kernel { ipv4 { import none; export all; }; scan time $bird_scan; }"
    echo 'protocol static { ipv4;'
    awk '{ print "  route " $1 " via 172.31.64.1;" }' "$work/destinations"
    echo '}'
  } >"$work/bird.conf"
}

peer_pid=
# Starts daemon $1 in namespace $ns.
start_peer() {
  case $1 in
    route-agent) launch_agent; peer_pid=$agent_pid ;;
    keepalived)
      ip netns exec "$ns" keepalived --dont-fork --log-console --vrrp -f "$work/keepalived.conf" \
        -p "$work/keepalived.pid" -r "$work/keepalived_vrrp.pid" -c "$work/keepalived_checkers.pid" \
        -b "$work/keepalived_bfd.pid" >"$work/keepalived.log" 2>&1 &
      peer_pid=$!; stop_pids+=("$peer_pid") ;;
    bird)
      ip netns exec "$ns" bird -f -c "$work/bird.conf" -s "$work/bird.ctl" -P "$work/bird.pid" >"$work/bird.log" 2>&1 &
      peer_pid=$!; stop_pids+=("$peer_pid") ;;
  esac
}
stop_peer() {
  if [ "$1" = route-agent ]; then stop_agent; else kill "$peer_pid" 2>/dev/null || true; wait "$peer_pid" 2>/dev/null || true; fi
  peer_pid=
}
# The daemon's resident memory, its processes summed (keepalived: parent and VRRP child), KiB.
peer_rss() {
  local pid sum=0
  for pid in $peer_pid $(pgrep -P "$peer_pid" || true); do
    sum=$((sum + $(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")))
  done
  echo "$sum"
}
installed() { ip -n "$ns" route | grep -c ' via 172.31.64.1 dev eth2' || true; }
# Waits (up to $2 seconds, default 120) until $1 of the desired routes are in the table, counting
# every half second; fails when they are not. The first count comes a second after the call (a
# launch, a link-up): `ip route` dumping the table took a core while route-agent was still adding
# (BIRD is done with 10,000 routes in ~0.15 s, route-agent in ~0.5). The figures come from the
# witness, not from the count.
await_routes() {
  pause 1
  local deadline=$((SECONDS + ${2:-120}))
  until [ "$(installed)" -eq "$1" ]; do
    kill -0 "$peer_pid" 2>/dev/null || { echo "the daemon exited" >&2; exit 1; }
    [ $SECONDS -lt "$deadline" ] || return 1
    pause 0.5
  done
}
# From $work/monitor.log: milliseconds from the first line matching $1 to the last desired route
# added.
since_last_add() {
  awk -v start="$1" "$usec_awk"'
    !t0 && $0 ~ start { t0 = usec($1); next }
    t0 && / via 172\.31\.64\.1 dev eth2/ && $2 != "Deleted" { last = usec($1) }
    END { if (t0 && last) printf "%.1f\n", (last - t0) / 1000; else print "?" }' "$work/monitor.log"
}

# One daemon, N routes, in a fresh namespace: start (and with LARGE routes memory and repair),
# then the flaps. Appends "measure daemon figure" lines to $work/results.
run_peer() {
  local d=$1 n=$2 f
  ns="ra-bench-$d-$$-$n"; new_ns "$ns"
  start_monitor "$ns" route
  [ "$d" != route-agent ] || start_stamper # before the marker: needed for the launch, not part of it
  ip -n "$ns" route add 198.51.100.7/32 dev eth0 # the marker: the launch follows
  start_peer "$d"
  await_routes "$n" || { echo "$d: not $n routes in 120 s ($(installed))" >&2; exit 1; }
  pause 0.5
  stop_monitor
  echo "start$n $d $(since_last_add ' 198\.51\.100\.7 dev eth0')" >>"$work/results"
  if [ "$n" = "$large" ]; then
    pause 3
    echo "rss$n $d $(peer_rss)" >>"$work/results"
    repair "$d"
  fi
  for ((f = 1; f <= flaps; f++)); do
    ip -n "$ns" link set eth2 down
    pause 1
    start_monitor "$ns" link route
    ip -n "$ns" link set eth2 up
    if ! await_routes "$n" "$flap_timeout"; then
      # Not back in time: say so, and flap no more (it would still be at it).
      stop_monitor
      echo "flap$n $d >${flap_timeout}000($(installed)/$n)" >>"$work/results"
      break
    fi
    pause 0.3
    stop_monitor
    echo "flap$n $d $(since_last_add ' eth2@.*[<,]UP[,>]')" >>"$work/results"
  done
  stop_peer "$d"
  ip netns del "$ns"
}

# Deletes the first desired route repeatedly and pairs each deletion's notification with the
# re-add's.
repair() {
  local d=$1 count=$deletions gap=0.02 route
  route=$(head -1 "$work/destinations")
  if [ "$d" = bird ]; then count=5; gap=$(awk -v s="$bird_scan" 'BEGIN { print s * 1.5 }'); fi
  start_monitor "$ns" route
  delete_repeatedly "$ns" "$route" "$count" "$gap"
  pause 0.3
  stop_monitor
  read -r p50 p99 max <<<"$(repair_times "$route" | percentiles)"
  echo "repair $d $(awk -v a="$p50" -v b="$p99" 'BEGIN { printf "%.2f/%.2f", a / 1000, b / 1000 }')" >>"$work/results"
}

: >"$work/results"
load_line
echo "keepalived: $(keepalived --version 2>&1 | head -1); BIRD: $(bird --version 2>&1); BIRD's kernel scan: ${bird_scan} s"
for n in "$large" "$small"; do
  configure "$n"
  for d in "${peers[@]}"; do
    echo "  $d, $n routes ..."
    run_peer "$d" "$n"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# The table: one row per measure, one column per daemon; several figures (flaps) as min-max.
cell() {
  awk -v m="$1" -v d="$2" '$1 == m && $2 == d { v[++n] = $3 }
    END { if (!n) { print "-"; exit }
          if (n == 1) { print v[1]; exit }
          for (i = 1; i <= n; i++) if (v[i] ~ /^>/) { print v[i]; exit }
          lo = hi = v[1]; for (i = 2; i <= n; i++) { if (v[i] + 0 < lo + 0) lo = v[i]; if (v[i] + 0 > hi + 0) hi = v[i] }
          print lo "-" hi }' "$work/results"
}
row() {
  local label=$1 m=$2 target=$3
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$(cell "$m" route-agent)" "$(cell "$m" keepalived)" "$(cell "$m" bird)" "$target"
}
echo
echo "| measure | route-agent | keepalived (+ track_group) | BIRD 2 (scan ${bird_scan} s) | target (issue 16) |"
echo "|---|---|---|---|---|"
row "repair after \`ip route del\`, witness p50/p99 ms ($large routes)" repair "p50 <= 0.15, p99 <= 1 ms"
row "link flap, $small routes, link-up -> last route, ms ($flaps flaps)" "flap$small" "<= BIRD's"
row "link flap, $large routes, link-up -> last route, ms ($flaps flaps)" "flap$large" "<= BIRD's"
row "start -> $large routes installed, ms" "start$large" "<= 2x BIRD's"
row "start -> $small routes installed, ms" "start$small" ""
rss_mib() { awk -v m="rss$large" -v d="$1" '$1 == m && $2 == d { printf "%.1f", $3 / 1024 }' "$work/results"; }
printf '| RSS holding %s routes, MiB | %s | %s | %s | <= 48 MiB |\n' "$large" "$(rss_mib route-agent)" "$(rss_mib keepalived)" "$(rss_mib bird)"
witness_overruns
