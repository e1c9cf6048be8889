"""python -m hinemos_docker.sandbox.receiving: the stand-in manager's receiving side from a shell.

  syslog --data FILE [--port N]   listen on 127.0.0.1 (UDP and TCP, one port number; 0: a free
                                  one) with the system-log settings registered in the stand-in
                                  (else the manual's CONTAINER_STATUS and CONTAINER_EVENT) against
                                  the repository it keeps in FILE; the first line is
                                  `udp PORT tcp PORT`, then one line per notification (and per
                                  message that raised none) until SIGTERM or SIGINT
  judge MONITOR_ID FACILITY_ID    read a custom monitor's stdout on stdin and print the
        [--data FILE]             notifications a manager raises for the node FACILITY_ID
        [--buffer BYTES]          under the setting MONITOR_ID (e.g. CONTAINER_CPU) registered
                                  in the stand-in of FILE, else the manual's
"""
import argparse
import signal
import sys
import threading

from .. import store
from . import custom, registered, systemlog
from .receiver import SyslogReceiver, file_repository


def _syslog(args):
    if args.manual_scope:
        monitors = [systemlog.container_status_monitor("docker_container"),
                    systemlog.container_event_monitor()]
    else:
        monitors = registered.of_state(store.load(args.data))[0]
    printed = threading.Lock()

    def show(text):
        with printed:
            print(text, flush=True)

    receiver = SyslogReceiver(file_repository(args.data), monitors, port=args.port,
                              on_notification=lambda n: show(n.line()),
                              on_unnotified=lambda message, why: show(f"[-] {message.message}: {why}"))

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    with receiver:
        show(f"udp {receiver.udp_port} tcp {receiver.tcp_port}")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


def _judge(args):
    monitors = registered.of_state(store.load(args.data))[1] if args.data else custom.MANUAL_MONITORS
    monitor = monitors.get(args.monitor_id)
    if monitor is None:
        print(f"unknown monitor {args.monitor_id} (one of {', '.join(monitors)})", file=sys.stderr)
        return 1
    stdout = sys.stdin.buffer.read()
    for notification in custom.judge(monitor.with_buffer(args.buffer), args.facility_id, stdout):
        print(notification.line())
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m hinemos_docker.sandbox.receiving",
                                     description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    listen = commands.add_parser("syslog")
    listen.add_argument("--data", required=True, help="the stand-in's data file")
    listen.add_argument("--port", type=int, default=0, help="UDP and TCP port on 127.0.0.1 (default: free)")
    listen.add_argument("--manual-scope", action="store_true",
                        help="the manual's settings, CONTAINER_STATUS on scope docker_container as the "
                             "manual sets it (instead of the registered ones)")
    judge = commands.add_parser("judge")
    judge.add_argument("monitor_id")
    judge.add_argument("facility_id")
    judge.add_argument("--data", help="the stand-in's data file: judge with the settings registered in it")
    judge.add_argument("--buffer", type=int, default=custom.DEFAULT_BUFFER,
                       help="the agent's monitor.custom.buffer (default 512)")
    args = parser.parse_args(argv)
    return _syslog(args) if args.command == "syslog" else _judge(args)


if __name__ == "__main__":
    sys.exit(main())
