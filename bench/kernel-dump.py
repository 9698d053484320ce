#!/usr/bin/env python3
"""The kernel's own time to dump its routes, as a yardstick for a resync (issue 16).

Usage: kernel-dump.py [ROUNDS]      run inside the namespace (ip netns exec NS ...)

Asks for a dump of the IPv4 and the IPv6 routes (RTM_GETROUTE with NLM_F_DUMP, as a resync does),
reads every datagram and walks only the messages' headers, ROUNDS times (default 5), and prints the
median milliseconds and the routes counted. No program reads the table faster: a resync that also
decodes each route and compares it costs more than this.
"""
import socket
import statistics
import struct
import sys
import time

RTM_GETROUTE, NLMSG_DONE, NLMSG_ERROR = 26, 3, 2
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300


def dump(sock, family, seq):
    rtmsg = struct.pack("BBBBBBBBI", family, 0, 0, 0, 0, 0, 0, 0, 0)
    sock.send(struct.pack("IHHII", 16 + len(rtmsg), RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, seq, 0) + rtmsg)
    routes = 0
    while True:
        data = sock.recv(1 << 20)
        offset = 0
        while offset < len(data):
            length, kind = struct.unpack_from("IH", data, offset)
            if kind == NLMSG_DONE:
                return routes
            if kind == NLMSG_ERROR:
                sys.exit("the kernel refused the dump")
            routes += 1
            offset += (length + 3) & ~3


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    times = []
    for seq in range(1, rounds + 1):
        start = time.perf_counter()
        routes = dump(sock, socket.AF_INET, 2 * seq) + dump(sock, socket.AF_INET6, 2 * seq + 1)
        times.append((time.perf_counter() - start) * 1000)
    print("%.1f ms %d" % (statistics.median(times), routes))


main()
