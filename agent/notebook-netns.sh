#!/bin/bash
# Creates a network namespace that looks like a SageMaker notebook with VPC access:
#   eth0  192.0.2.10/24, holding the default route (the service side; TEST-NET-1 addresses)
#   eth2  172.31.64.10/20 (the customer VPC; its router is 172.31.64.1)
# Each interface is a veth whose peer stays in the namespace, so nothing leaves it.
# Usage: notebook-netns.sh NAME     (delete with: ip netns del NAME)
set -euo pipefail
ns=${1:?usage: notebook-netns.sh NAME}
ip netns add "$ns"
# No IPv6 duplicate address detection: each link's link-local address is in place when the link
# is up, rather than a second later with a notification that takes the agent a full reconcile in
# the middle of whatever a test or the demo is doing (a real interface comes up long before).
ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip -n "$ns" link set lo up
ip -n "$ns" link add eth0 type veth peer name eth0-peer
ip -n "$ns" link add eth2 type veth peer name eth2-peer
for dev in eth0 eth0-peer eth2 eth2-peer; do
  ip -n "$ns" link set "$dev" up
done
ip -n "$ns" addr add 192.0.2.10/24 dev eth0
ip -n "$ns" addr add 172.31.64.10/20 dev eth2
ip -n "$ns" route add default via 192.0.2.1 dev eth0
