"""The stand-in Hinemos manager: a RepositoryEndpoint that behaves like the real one.

It is the demo's embedded default and the integration tests' peer. Its contract is the real
manager's (docs/hinemos-facts.md), served from the WSDL/XSD of 6.2 or 6.0 (wsdl/README.md).
Stdlib only.

    sandbox = start(port=0, data="/tmp/repo.json")   # serving in a background thread
    sandbox.base_url    # http://127.0.0.1:PORT/HinemosWS (7.x: http://127.0.0.1:PORT/HinemosWeb/api)
    sandbox.calls       # Counter of operations received (SOAP names; REST by the same names)
    start(port=0, latency_ms=20)   # every answer 20 ms late, like a manager across a network
    sandbox.stop()

Its receiving side (receiving/: the syslog receiver, system-log and custom-monitor judgement of a
real manager) reads this repository through its query operations.
"""
from .model import Fault
from .server import Sandbox, versions

__all__ = ["Fault", "Sandbox", "start", "versions"]


def start(port=0, data=None, version="6.2", user="hinemos", password="hinemos", host="127.0.0.1", **options):
    """Start a stand-in serving in a background thread; returns it (.base_url, .calls, .stop());
    `options` are Sandbox's (latency_ms: every answer that many ms after its request, ...)."""
    return Sandbox(port=port, data=data, version=version, user=user, password=password, host=host,
                   **options).start()
