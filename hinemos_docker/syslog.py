"""Syslog edge: the one sender of the suite, RFC 3164 over UDP (default) or TCP (LF-framed, one
connection per run), and the one place where socket errors become SyslogError.

    with open_sender(args, warn) as sender:   # resolves and connects: nothing sent yet
        sender.send(messages)                 # SyslogMessage list, formatted by syslog_format
    # leaving the block confirms delivery as far as the transport allows

Python's SysLogHandler is not used: it writes no timestamp or HOSTNAME, and
receivers then take the message's first word as the HOSTNAME.
"""
import errno
import os
import select
import socket
import time

from . import syslog_format
from .errors import SyslogError

CONNECT_TIMEOUT = 10.0
# How long a TCP close waits for the receiver to close its side (rsyslog and Hinemos do so at once).
TCP_CLOSE_WAIT = 2.0
# How long the end of a UDP run waits for an ICMP port-unreachable (loopback answers at once).
UDP_ICMP_WAIT = 0.05
# UDP pacing: a receiver's socket buffer (Linux default 212992 bytes: ~170 of our datagrams) fills
# when a burst (an event monitor's first run: up to 256 messages) arrives faster than it reads, and
# the kernel drops the rest silently. The first UDP_BURST datagrams go at once (a status run of a
# few containers costs nothing); then one every UDP_INTERVAL seconds, on a fixed schedule so that
# oversleeping does not add up.
UDP_BURST = 32
UDP_INTERVAL = 0.002


def udp_send_offsets(count, burst=UDP_BURST, interval=UDP_INTERVAL):
    """Seconds after the start of a UDP run at which each of `count` datagrams may go. Pure."""
    return [max(0, index - burst + 1) * interval for index in range(count)]


def open_sender(args, warn):
    """A SyslogSender for the shared syslog options (-s, --syslog-protocol/-facility/-severity)."""
    host, port = args.syslog
    return SyslogSender(host, port, args.syslog_protocol, args.syslog_facility, args.syslog_severity,
                        warn)


class SyslogSender:
    """One destination; use as a context manager (see the module docstring)."""

    def __init__(self, host, port, protocol="udp", facility="user", severity="info", warn=None,
                 paced=True):
        self.host, self.port, self.protocol = host, port, protocol
        self.paced = paced  # False only to measure what pacing costs and saves (bench, tests)
        self.pri = syslog_format.priority(facility, severity)
        self.limit = syslog_format.MAX_TCP_MESSAGE if protocol == "tcp" else syslog_format.MAX_UDP_PACKET
        self.warn = warn or (lambda text: None)
        self.where = f"syslog destination {host}:{port}/{protocol}"
        self.sock = None

    def __enter__(self):
        kind = socket.SOCK_STREAM if self.protocol == "tcp" else socket.SOCK_DGRAM
        try:
            addresses = socket.getaddrinfo(self.host, self.port, type=kind)
        except (socket.gaierror, UnicodeError) as exc:
            raise SyslogError(f"cannot resolve the {self.where}: "
                              f"{getattr(exc, 'strerror', None) or exc}") from None
        try:
            if self.protocol == "tcp":
                self.sock = socket.create_connection((self.host, self.port), timeout=CONNECT_TIMEOUT)
            else:
                family, _, _, _, address = addresses[0]
                self.sock = socket.socket(family, socket.SOCK_DGRAM)
                # connected, so that an ICMP port-unreachable comes back as ECONNREFUSED
                self.sock.connect(address)
        except OSError as exc:
            self._close()
            raise self._error("cannot connect to", exc) from None
        return self

    def send(self, messages):
        """Format and send every message; one that exceeds the manager's limit is cut, with a warning."""
        packets = []
        for message in messages:
            data, cut = syslog_format.fit(syslog_format.format_packet(message, self.pri), self.limit)
            if cut:
                self.warn(f"syslog message for {message.hostname} cut to {self.limit} bytes "
                          f"(the Hinemos manager's {self.protocol} limit)")
            packets.append(data)
        try:
            if self.protocol == "tcp":
                self.sock.sendall(b"".join(packet + b"\n" for packet in packets))
            else:
                self._send_paced(packets)
        except OSError as exc:
            raise self._error("cannot send to", exc) from None

    def _send_paced(self, packets):
        offsets = udp_send_offsets(len(packets), interval=UDP_INTERVAL if self.paced else 0)
        start = time.monotonic()
        for packet, offset in zip(packets, offsets):
            delay = start + offset - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.sock.send(packet)

    def __exit__(self, exc_type, exc, traceback):
        try:
            if exc_type is None:
                self._confirm()
        finally:
            self._close()

    def _confirm(self):
        """UDP: report a pending ICMP port-unreachable. TCP: half-close and wait for the receiver to
        close too, so that a reset (receiver gone) is reported instead of silently losing messages."""
        try:
            if self.protocol == "tcp":
                self.sock.shutdown(socket.SHUT_WR)
                self.sock.settimeout(TCP_CLOSE_WAIT)
                while self.sock.recv(4096):
                    pass
            else:
                poller = select.poll()
                poller.register(self.sock, select.POLLERR)
                poller.poll(UDP_ICMP_WAIT * 1000)
                error = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if error:
                    raise OSError(error, os.strerror(error))
        except (socket.timeout, TimeoutError):
            pass  # the receiver keeps the connection open; everything was handed over
        except OSError as exc:
            raise self._error("delivery failed to", exc) from None

    def _error(self, what, exc):
        if exc.errno == errno.ECONNREFUSED:
            reason = "nothing listens there (connection refused / ICMP port unreachable)"
        elif isinstance(exc, (socket.timeout, TimeoutError)):
            reason = "timed out"
        else:
            reason = exc.strerror or str(exc) or type(exc).__name__
        return SyslogError(f"{what} the {self.where}: {reason}")

    def _close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None
