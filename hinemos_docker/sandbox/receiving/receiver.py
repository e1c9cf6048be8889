"""The stand-in manager's syslog listeners: UDP and TCP on 127.0.0.1 (port 0: a free one), each
packet parsed and judged by the system-log monitor settings against the repository, the
notifications kept for tests and the demo.

Like the manager: a UDP datagram is read into 8192 bytes and the socket keeps the kernel's default
receive buffer (monitor.systemlog.receive.udp.buffer unset); the listeners only queue what they
read (at most 2048 waiting, monitor.systemlog.filter.queue.size; more are discarded) and one worker
judges the queued messages against one reading of the repository; TCP frames end at LF (no octet
counting); text is UTF-8.

    with SyslogReceiver(live_repository(sandbox), [container_status_monitor()]) as receiver:
        ... send to receiver.udp_port / receiver.tcp_port ...
        receiver.wait_for(lambda n: n.priority == "critical")
        receiver.notifications, receiver.unnotified
"""
import os
import queue
import socket
import socketserver
import threading
import time
from contextlib import contextmanager
from datetime import datetime

from .. import store
from ..facilities import Repository
from . import syslog_parser, systemlog

UDP_READ_SIZE = 8192
QUEUE_SIZE = 2048
CHARSET = "utf-8"


def live_repository(sandbox):
    """Run queries on the repository of a running stand-in, under its lock."""
    @contextmanager
    def reading():
        with sandbox.lock:
            yield sandbox.repository
    return reading


def file_repository(path):
    """Run queries on the repository a stand-in persists in `path`, reloaded when it changes."""
    loaded = {}

    @contextmanager
    def reading():
        stamp = os.stat(path).st_mtime_ns
        if loaded.get("stamp") != stamp:
            state = store.load(path)
            version = (state or {}).get("version", "6.2")
            loaded.update(stamp=stamp, repository=Repository(version, state=state))
        yield loaded["repository"]
    return reading


class SyslogReceiver:
    """UDP and TCP listeners judging every message; use as a context manager or start()/stop()."""

    def __init__(self, reading, monitors, host="127.0.0.1", port=0, on_notification=None,
                 on_unnotified=None):
        self.reading = reading
        self.monitors = list(monitors)
        self.on_notification = on_notification  # called with each Notification
        self.on_unnotified = on_unnotified      # called with (ParsedSyslog, why)
        self.notifications = []  # Notification, in arrival order
        self.unnotified = []     # (ParsedSyslog, why), for messages that raised nothing
        self.received = 0        # packets judged
        self.discarded = 0       # packets discarded because the queue was full
        self.changed = threading.Condition()
        self.queue = queue.Queue(QUEUE_SIZE)
        self._snapshot = (None, None)  # (version, systemlog.Snapshot), renewed when it changes
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind((host, port))
        self.udp_port = self.udp.getsockname()[1]
        self.tcp = socketserver.ThreadingTCPServer((host, port), _TcpFrames)
        self.tcp.daemon_threads = True
        self.tcp.receiver = self
        self.tcp_port = self.tcp.server_address[1]
        self._threads = []

    def start(self):
        self._threads = [threading.Thread(target=self._read_udp, name="syslog-udp", daemon=True),
                         threading.Thread(target=self._judge_queued, name="syslog-filter", daemon=True),
                         threading.Thread(target=self.tcp.serve_forever, kwargs={"poll_interval": 0.05},
                                          name="syslog-tcp", daemon=True)]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self):
        self.tcp.shutdown()
        self.tcp.server_close()
        self.udp.close()  # ends _read_udp
        self.queue.put(None)  # ends _judge_queued once the queue is worked off
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _read_udp(self):
        while True:
            try:
                data, (address, _port) = self.udp.recvfrom(UDP_READ_SIZE)
            except OSError:
                return
            self.accept(data, address)

    def accept(self, data, sender):
        """Queue one packet from `sender` (an IP address), parsed at its arrival."""
        message = syslog_parser.parse(data.decode(CHARSET, "replace"), sender, datetime.now())
        try:
            self.queue.put_nowait(message)
        except queue.Full:
            with self.changed:
                self.discarded += 1

    def _judge_queued(self):
        while True:
            batch = [self.queue.get()]
            while not self.queue.empty():
                batch.append(self.queue.get_nowait())
            messages = [m for m in batch if m is not None]
            if messages:
                self._judge(messages)
            if len(messages) < len(batch):
                return

    def _judge(self, messages):
        """Judge queued messages against one reading of the repository."""
        with self.reading() as repository:
            version = systemlog.Snapshot.version(repository, self.monitors)
            if self._snapshot[0] != version:
                self._snapshot = (version, systemlog.Snapshot(repository, self.monitors))
        snapshot = self._snapshot[1]
        results = [(m, *systemlog.evaluate(m, self.monitors, snapshot)) for m in messages]
        with self.changed:
            for message, notifications, why in results:
                self.received += 1
                self.notifications += notifications
                if why:
                    self.unnotified.append((message, why))
            self.changed.notify_all()
        for message, notifications, why in results:
            for notification in notifications:
                if self.on_notification:
                    self.on_notification(notification)
            if why and self.on_unnotified:
                self.on_unnotified(message, why)

    def wait_for(self, predicate, count=1, timeout=5.0):
        """The notifications matching `predicate` once `count` of them arrived (or at timeout)."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                matching = [n for n in self.notifications if predicate(n)]
                remaining = deadline - time.monotonic()
                if len(matching) >= count or remaining <= 0:
                    return matching
                self.changed.wait(remaining)

    def wait_received(self, count, timeout=5.0):
        """Until `count` packets were judged (or timeout); returns how many were."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while self.received < count and time.monotonic() < deadline:
                self.changed.wait(deadline - time.monotonic())
            return self.received


class _TcpFrames(socketserver.StreamRequestHandler):
    """One TCP connection: every LF-terminated frame is one message."""

    def handle(self):
        for line in self.rfile:
            frame = line.rstrip(b"\n")
            if frame:
                self.server.receiver.accept(frame, self.client_address[0])
