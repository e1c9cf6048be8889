"""UDP pacing: a 256-message burst (an event monitor's first run) reaches a receiver that keeps the
kernel's default socket buffer and reads slowly; the same burst unpaced overflows that buffer."""
import socket
import threading
from datetime import datetime

import pytest

from hinemos_docker.syslog import UDP_BURST, SyslogSender, udp_send_offsets
from hinemos_docker.syslog_format import SyslogMessage

BURST = 256
READ_PAUSE = 0.001  # the receiver sleeps this long after every datagram: slower than the pacing
TEXT_BYTES = 600    # about one Docker event as compact JSON


class SlowReceiver:
    """A UDP socket on 127.0.0.1 with the default SO_RCVBUF, read by a thread that pauses after
    every datagram; `.payloads` are what it got."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.payloads = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        import time
        while True:
            try:
                self.payloads.append(self.sock.recv(65535))
            except (socket.timeout, TimeoutError):
                return  # quiet for 0.5 s: the burst is over
            time.sleep(READ_PAUSE)

    def wait(self):
        self.thread.join(timeout=30)
        self.sock.close()
        return self.payloads


@pytest.fixture
def receiver():
    return SlowReceiver()


def send_burst(port, paced):
    now = datetime.now().replace(microsecond=0)
    messages = [SyslogMessage(now, "docker_host1", f"{n:04d} " + "x" * TEXT_BYTES) for n in range(BURST)]
    with SyslogSender("127.0.0.1", port, paced=paced) as sender:
        sender.send(messages)


def test_the_receiver_keeps_the_kernels_default_buffer(receiver):
    with open("/proc/sys/net/core/rmem_default") as handle:
        default = int(handle.read())
    assert receiver.sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) == default
    receiver.wait()


def test_a_paced_burst_reaches_a_slow_receiver_whole_and_in_order(receiver):
    send_burst(receiver.port, paced=True)
    payloads = receiver.wait()
    numbers = [int(p.split(b"hinemos_docker: ")[1][:4]) for p in payloads]
    assert numbers == list(range(BURST))


def test_the_same_burst_unpaced_overflows_that_receiver(receiver):
    send_burst(receiver.port, paced=False)
    assert len(receiver.wait()) < BURST  # what pacing prevents: silent kernel drops


def test_offsets_send_a_small_run_at_once_then_one_per_interval():
    assert udp_send_offsets(3) == [0, 0, 0]
    offsets = udp_send_offsets(UDP_BURST + 3, burst=UDP_BURST, interval=0.5)
    assert offsets[:UDP_BURST] == [0] * UDP_BURST and offsets[UDP_BURST:] == [0.5, 1.0, 1.5]
