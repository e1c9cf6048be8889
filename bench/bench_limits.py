#!/usr/bin/env python3
"""The limits of the reliability rules, measured on whole processes:

- a manager that answers 400 MB: peak RSS of the script (the reply is read up to 64 MiB);
- a daemon and a manager that trickle one byte per 0.2 s: wall time until the script gives up
  (--docker-timeout 3 / --hinemos-timeout 3; the default 10);
- N runs of one KEY_ID started at once: wall time until the last ends, and how many finished their
  run vs ended on the bounded lock wait (5 s).

Usage: python bench/bench_limits.py [N]   (default N=50)
"""
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from common import ROOT, print_table

REPLY_BYTES = 400 * 1024 * 1024


def script(name, *argv):
    return [sys.executable, str(ROOT / "bin" / f"{name}.py"), *map(str, argv)]


class _Huge(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"x" * (1024 * 1024)
        try:
            for _ in range(REPLY_BYTES // len(chunk)):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        except OSError:  # the client stopped reading: what we measure
            pass

    def log_message(self, *args):
        pass


def trickler():
    listener = socket.create_server(("127.0.0.1", 0))

    def serve(conn):
        try:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
            while True:
                time.sleep(0.2)
                conn.sendall(b" ")
        except OSError:
            conn.close()

    def accept():
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=serve, args=(conn,), daemon=True).start()
    threading.Thread(target=accept, daemon=True).start()
    return listener.getsockname()[1]


def peak_rss_mib(argv):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run(argv, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(before, after) / 1024, result


def wall(argv):
    start = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, text=True)
    return time.perf_counter() - start, result


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    rows = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Huge)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    rss, result = peak_rss_mib(script("RepositoryDockerNodeDelete", "-m",
                                      f"http://127.0.0.1:{server.server_address[1]}/HinemosWS", "-f", "h"))
    rows.append(["manager answers 400 MB", f"peak RSS {rss:.0f} MiB", f"exit {result.returncode}",
                 result.stderr.strip()[-60:]])
    server.shutdown()

    port = trickler()
    for label, argv in (
            ("daemon trickles, --docker-timeout 3",
             script("MonitorDockerContainerProcess", "-i", "127.0.0.1", "-p", port, "--docker-timeout", 3)),
            ("daemon trickles, defaults",
             script("MonitorDockerContainerProcess", "-i", "127.0.0.1", "-p", port)),
            ("manager trickles, --hinemos-timeout 3",
             script("RepositoryDockerNodeDelete", "-m", f"http://127.0.0.1:{port}/HinemosWS", "-f", "h",
                    "--hinemos-timeout", 3)),
    ):
        seconds, result = wall(argv)
        rows.append([label, f"{seconds:.1f} s", f"exit {result.returncode}", result.stderr.strip()[-60:]])

    with tempfile.TemporaryDirectory() as state_dir:
        argv = script("MonitorDockerContainerResourceDisk", "-i", "unix:///var/run/docker.sock", "-k",
                      "bench-pileup", "--state-dir", state_dir, "-n", "hdbench-none*")
        start = time.perf_counter()
        processes = [subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                     for _ in range(runs)]
        codes = [(p.wait(), p.stderr.read()) for p in processes]
        seconds = time.perf_counter() - start
        for process in processes:
            process.stderr.close()
        finished = sum(1 for code, _ in codes if code == 0)
        locked = sum(1 for code, err in codes if code == 1 and "locked" in err)
        rows.append([f"{runs} runs of one KEY_ID at once", f"{seconds:.1f} s until the last ends",
                     f"{finished} ran, {locked} lock timeouts", f"other: {runs - finished - locked}"])
    print_table(["case", "measured", "outcome", "stderr (end)"], rows)


if __name__ == "__main__":
    main()
