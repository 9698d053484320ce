#!/usr/bin/env python3
"""The kernel's own time to add routes, as a yardstick for the benchmarks (issue 16).

Usage: kernel-add.py ROUTES_FILE [PROTOCOL]      run inside the namespace (ip netns exec NS ...)

Reads the benchmarks' one-line routes ("  - 10.0.0.0/28 via 172.31.64.1 dev eth2", IPv4), encodes an
RTM_NEWROUTE request for each (NLM_F_CREATE | NLM_F_EXCL, as `ip route add`; protocol PROTOCOL,
default 157 as route-agent's) before any timing, then sends them packed into 64 KiB datagrams,
asking for an ack on the last one only, and prints the milliseconds from the first sendmsg to that
ack and how many requests the kernel refused. rtnetlink handles a datagram's requests inside the
sender's sendmsg, one after the other, so this is the kernel's work and little else: no program that
adds the same routes can be faster (`ip -batch` waits for an ack after each route).
"""
import socket
import struct
import sys
import time

RTM_NEWROUTE, NLMSG_ERROR = 24, 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 0x1, 0x4, 0x200, 0x400
RTA_DST, RTA_OIF, RTA_GATEWAY = 1, 4, 5
SO_SNDBUFFORCE, SO_RCVBUFFORCE = 32, 33


def attr(kind, payload):
    return struct.pack("HH", 4 + len(payload), kind) + payload


def request(seq, dst, length, gateway, oif, protocol, flags):
    body = struct.pack("BBBBBBBBI", socket.AF_INET, length, 0, 0, 254, protocol, 0, 1, 0)
    body += attr(RTA_DST, socket.inet_aton(dst)) + attr(RTA_GATEWAY, socket.inet_aton(gateway))
    body += attr(RTA_OIF, struct.pack("I", oif))
    return struct.pack("IHHII", 16 + len(body), RTM_NEWROUTE, flags, seq, 0) + body


def main():
    protocol = int(sys.argv[2]) if len(sys.argv) > 2 else 157
    routes = []
    with open(sys.argv[1]) as f:
        for line in f:
            words = line.split()
            if len(words) >= 6 and words[0] == "-" and words[2] == "via" and words[4] == "dev":
                dst, length = words[1].split("/")
                routes.append((dst, int(length), words[3], socket.if_nametoindex(words[5])))
    datagrams, current = [], []
    size = 0
    for seq, (dst, length, gateway, oif) in enumerate(routes, 1):
        flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | (NLM_F_ACK if seq == len(routes) else 0)
        message = request(seq, dst, length, gateway, oif, protocol, flags)
        if size + len(message) > 65536:
            datagrams.append(b"".join(current))
            current, size = [], 0
        current.append(message)
        size += len(message)
    datagrams.append(b"".join(current))

    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, 1 << 20)
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 << 20)  # room for the refusals, if any
    s.bind((0, 0))
    refused = 0
    start = time.monotonic()
    for datagram in datagrams:
        s.send(datagram)
    done = False
    while not done:
        data = s.recv(1 << 20)
        offset = 0
        while offset < len(data):
            length, kind, _, seq, _ = struct.unpack_from("IHHII", data, offset)
            if kind == NLMSG_ERROR:
                (error,) = struct.unpack_from("i", data, offset + 16)
                refused += error != 0
                done = done or seq == len(routes)
            offset += (length + 3) & ~3
    elapsed = time.monotonic() - start
    print(f"{elapsed * 1000:.1f} ms {len(routes)} routes {refused} refused {len(datagrams)} datagrams")


if __name__ == "__main__":
    main()
