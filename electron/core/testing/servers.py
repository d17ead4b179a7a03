"""Test-only servers with the socket shapes production servers have, for the holder and oracle tests.

python3 servers.py MODE [PORT]. Prints one JSON line when ready ({"pid", "port", "workers", ...}),
then lives until stdin closes (the test is over). Forked workers watch their parent and exit with it,
so a crashed test never leaves sockets behind. Modes:
  prefork    bind + listen, fork 2 workers; all keep the listener (gunicorn, nginx, apache)
  handoff    bind + listen, fork 1 worker; on the stdin line "close" the parent closes its copy
             and stays alive (prints {"closed": true})
  reuseport  3 SO_REUSEPORT TCP listeners + 2 SO_REUSEPORT UDP sockets on one port, one process
  devices    one UDP port bound twice on 0.0.0.0, SO_BINDTODEVICE lo and d0 (dnsmasq style)
  v6         a v6only listener on [::] and a dual-stack one
  timewait   a connection the server side closes first, then the listener closes: the port is held
             by a TIME_WAIT socket only
"""

import json
import os
import socket
import sys
import time


def report(**fields):
    fields.setdefault("pid", os.getpid())
    print(json.dumps(fields), flush=True)


def exit_with_parent(ppid):
    while os.getppid() == ppid:
        time.sleep(0.2)
    os._exit(0)


def fork_worker():
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        exit_with_parent(parent)
    return pid


def listener(family=socket.AF_INET, host="127.0.0.1", port=0, reuseport=False, v6only=None):
    s = socket.socket(family, socket.SOCK_STREAM)
    if reuseport:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if v6only else 0)
    s.bind((host, port))
    s.listen(16)
    return s


def udp(host="127.0.0.1", port=0, reuseport=False, device=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if reuseport:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    if device:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, device.encode())
    s.bind((host, port))
    return s


def main():
    mode = sys.argv[1]
    keep = []
    if mode == "prefork":
        s = listener()
        keep.append(s)
        report(port=s.getsockname()[1], workers=[fork_worker(), fork_worker()])
    elif mode == "handoff":
        s = listener()
        report(port=s.getsockname()[1], workers=[fork_worker()])
        for line in sys.stdin:
            if line.strip() == "close":
                s.close()
                report(closed=True)
                break
    elif mode == "reuseport":
        first = listener(reuseport=True)
        port = first.getsockname()[1]
        keep += [first, listener(port=port, reuseport=True), listener(port=port, reuseport=True)]
        keep += [udp(port=port, reuseport=True), udp(port=port, reuseport=True)]
        report(port=port)
    elif mode == "devices":
        first = udp(host="0.0.0.0", device="lo")
        port = first.getsockname()[1]
        keep += [first, udp(host="0.0.0.0", port=port, device="d0")]
        report(port=port)
    elif mode == "v6":
        only = listener(socket.AF_INET6, "::", v6only=True)
        dual = listener(socket.AF_INET6, "::", v6only=False)
        keep += [only, dual]
        report(port=only.getsockname()[1], dualPort=dual.getsockname()[1])
    elif mode == "timewait":
        srv = listener()
        port = srv.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        conn, _ = srv.accept()
        conn.close()  # the server side closes first: its end (on the listening port) enters TIME_WAIT
        time.sleep(0.1)
        client.close()
        srv.close()
        report(port=port)
    else:
        raise SystemExit("unknown mode " + mode)
    sys.stdin.read()  # until the test closes our stdin
    os._exit(0)


main()
