"""python -m hinemos_docker.sandbox: run the stand-in manager until SIGTERM or SIGINT.

The first line of stdout is the base URL (e.g. http://127.0.0.1:PORT/HinemosWS, or for 7.x
http://127.0.0.1:PORT/HinemosWeb/api), flushed at once,
so a caller that started it with --port 0 can read where it listens.
"""
import argparse
import signal
import ssl
import sys

from ..cli import whole_number_of
from .server import Sandbox, versions
from .store import StoreError


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m hinemos_docker.sandbox",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080, help="TCP port; 0 picks a free one (default 8080)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--data", required=True, help="JSON file holding the repository (created if absent)")
    parser.add_argument("--version", default="6.2", choices=versions(),
                        help="Hinemos version: 6.0 and 6.2 serve SOAP web services, 7.0 and 7.1 the REST "
                             "API (default 6.2)")
    parser.add_argument("--user", default="hinemos", help="login user (default hinemos)")
    parser.add_argument("--password", default="hinemos", help="login password (default hinemos)")
    parser.add_argument("--latency-ms", type=whole_number_of("milliseconds"), default=0, metavar="N",
                        help="answer every call N ms after it arrives, calls in flight together waiting "
                             "together, as a manager across a network does (default 0)")
    parser.add_argument("--verbose", action="store_true", help="log every HTTP request on stderr")
    parser.add_argument("--notification", action="append", default=[], metavar="NOTIFY_ID",
                        help="an event notification the manager has (created if missing; repeatable), "
                             "e.g. EVENT_FOR_POLLING, which the manual's monitor settings name")
    parser.add_argument("--tls-cert", metavar="FILE", help="serve HTTPS with this certificate (PEM)")
    parser.add_argument("--tls-key", metavar="FILE", help="the certificate's private key (PEM)")
    args = parser.parse_args(argv)
    try:
        sandbox = Sandbox(port=args.port, data=args.data, version=args.version, user=args.user,
                          password=args.password, host=args.host, verbose=args.verbose,
                          latency_ms=args.latency_ms, tls_cert=args.tls_cert,
                          tls_key=args.tls_key or args.tls_cert)
    except (OSError, StoreError, ValueError, ssl.SSLError) as e:
        print(f"hinemos-sandbox: cannot start: {e}", file=sys.stderr)
        return 1

    for notify_id in args.notification:
        if notify_id not in sandbox.settings.notifications:
            sandbox.add_notification(notify_id)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(sandbox.base_url, flush=True)
    try:
        sandbox.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
