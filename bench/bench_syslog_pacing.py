#!/usr/bin/env python3
"""What UDP pacing costs and saves: wall time of SyslogSender sending N event-sized (600-byte)
messages to 127.0.0.1, paced and unpaced, and how many of them a receiver that keeps the default
socket buffer and pauses 1 ms after each datagram got. Median of several runs."""
import socket
import statistics
import sys
import threading
import time
from datetime import datetime

from common import ROOT, print_table

sys.path.insert(0, str(ROOT))
from hinemos_docker.syslog import SyslogSender  # noqa: E402
from hinemos_docker.syslog_format import SyslogMessage  # noqa: E402

RUNS = 5
READ_PAUSE = 0.001


def slow_receive(sock, got):
    sock.settimeout(0.5)
    while True:
        try:
            sock.recv(65535)
        except (socket.timeout, TimeoutError):
            return
        got.append(1)
        time.sleep(READ_PAUSE)


def one_run(count, paced):
    """(seconds the send took, datagrams the slow receiver got)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    got = []
    reader = threading.Thread(target=slow_receive, args=(sock, got))
    reader.start()
    now = datetime.now().replace(microsecond=0)
    messages = [SyslogMessage(now, "docker_host1", "x" * 600) for _ in range(count)]
    start = time.perf_counter()
    with SyslogSender("127.0.0.1", sock.getsockname()[1], paced=paced) as sender:
        sender.send(messages)
    elapsed = time.perf_counter() - start
    reader.join()
    sock.close()
    return elapsed, len(got)


def main():
    rows = []
    for count in (4, 32, 64, 128, 256):
        results = {paced: [one_run(count, paced) for _ in range(RUNS)] for paced in (False, True)}
        ms = {p: statistics.median(t for t, _ in r) * 1000 for p, r in results.items()}
        received = {p: min(n for _, n in r) for p, r in results.items()}
        rows.append([count, f"{ms[False]:.1f}", f"{ms[True]:.1f}", f"{ms[True] - ms[False]:.1f}",
                     f"{received[False]}/{count}", f"{received[True]}/{count}"])
    print_table(["messages", "unpaced ms", "paced ms", "pacing cost ms", "slow reader got (unpaced, worst)",
                 "slow reader got (paced, worst)"], rows)


if __name__ == "__main__":
    main()
