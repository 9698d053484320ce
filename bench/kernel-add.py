#!/usr/bin/env python3
"""The kernel's own time to add routes, as a yardstick for the benchmarks (issue 16).

Usage: kernel-add.py ROUTES_FILE [PROTOCOL] [--flush-rounds N]
       run inside the namespace (ip netns exec NS ...)

Reads the benchmarks' one-line routes ("  - 10.0.0.0/28 via 172.31.64.1 dev eth2", IPv4), encodes an
RTM_NEWROUTE request for each (NLM_F_CREATE | NLM_F_EXCL, as `ip route add`; protocol PROTOCOL,
default 157 as route-agent's) before any timing, then sends them packed into 64 KiB datagrams,
asking for an ack on the last one only, and prints the milliseconds from the first sendmsg to that
ack and how many requests the kernel refused. rtnetlink handles a datagram's requests inside the
sender's sendmsg, one after the other, so this is the kernel's work and little else: no program that
adds the same routes can be faster (`ip -batch` waits for an ack after each route).

With --flush-rounds N the routes are in place already: N times, one second apart, it deletes them
all (RTM_DELROUTE, packed the same way) and adds them back as soon as the kernel has acked the
deletes, and prints each round's time and how many requests the kernel refused.
No program that puts back what a flush deleted can do it sooner: what a witness sees of these
outages is its floor for a repair that waits for nothing (bench/availability.sh).
"""
import socket
import struct
import sys
import time

RTM_NEWROUTE, RTM_DELROUTE, NLMSG_ERROR = 24, 25, 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 0x1, 0x4, 0x200, 0x400
RTA_DST, RTA_OIF, RTA_GATEWAY = 1, 4, 5
SO_SNDBUFFORCE, SO_RCVBUFFORCE = 32, 33


def attr(kind, payload):
    return struct.pack("HH", 4 + len(payload), kind) + payload


def request(kind, seq, dst, length, gateway, oif, protocol, flags):
    body = struct.pack("BBBBBBBBI", socket.AF_INET, length, 0, 0, 254, protocol, 0, 1, 0)
    body += attr(RTA_DST, socket.inet_aton(dst)) + attr(RTA_GATEWAY, socket.inet_aton(gateway))
    body += attr(RTA_OIF, struct.pack("I", oif))
    return struct.pack("IHHII", 16 + len(body), kind, flags, seq, 0) + body


def datagrams(routes, kind, flags, protocol, first_seq):
    """The requests of one kind for all routes, packed into 64 KiB datagrams; an ack asked on the last."""
    packed, current = [], []
    size = 0
    last_seq = first_seq + len(routes) - 1
    for seq, (dst, length, gateway, oif) in enumerate(routes, first_seq):
        message = request(kind, seq, dst, length, gateway, oif, protocol,
                          NLM_F_REQUEST | flags | (NLM_F_ACK if seq == last_seq else 0))
        if size + len(message) > 65536:
            packed.append(b"".join(current))
            current, size = [], 0
        current.append(message)
        size += len(message)
    packed.append(b"".join(current))
    return packed, last_seq


def exchange(s, packed, last_seq):
    """Sends the datagrams; returns how many requests the kernel refused, once it acked the last."""
    for datagram in packed:
        s.send(datagram)
    refused = 0
    while True:
        data = s.recv(1 << 20)
        offset = 0
        while offset < len(data):
            length, kind, _, seq, _ = struct.unpack_from("IHHII", data, offset)
            if kind == NLMSG_ERROR:
                (error,) = struct.unpack_from("i", data, offset + 16)
                refused += error != 0
                if seq == last_seq:
                    return refused
            offset += (length + 3) & ~3


def main():
    args = sys.argv[1:]
    rounds = 0
    if "--flush-rounds" in args:
        at = args.index("--flush-rounds")
        rounds = int(args[at + 1])
        del args[at:at + 2]
    protocol = int(args[1]) if len(args) > 1 else 157
    routes = []
    with open(args[0]) as f:
        for line in f:
            words = line.split()
            if len(words) >= 6 and words[0] == "-" and words[2] == "via" and words[4] == "dev":
                dst, length = words[1].split("/")
                routes.append((dst, int(length), words[3], socket.if_nametoindex(words[5])))
    adds, last_add = datagrams(routes, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, protocol, 1)

    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, 1 << 20)
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 << 20)  # room for the refusals, if any
    s.bind((0, 0))
    if rounds:
        deletes, last_delete = datagrams(routes, RTM_DELROUTE, 0, protocol, last_add + 1)
        for _ in range(rounds):
            start = time.monotonic()
            refused = exchange(s, deletes, last_delete) + exchange(s, adds, last_add)
            elapsed = time.monotonic() - start
            print(f"{elapsed * 1000:.2f} ms to delete and add back {len(routes)} routes, {refused} refused")
            time.sleep(1)
        return
    start = time.monotonic()
    refused = exchange(s, adds, last_add)
    elapsed = time.monotonic() - start
    print(f"{elapsed * 1000:.1f} ms {len(routes)} routes {refused} refused {len(adds)} datagrams")


if __name__ == "__main__":
    main()
