"""MonitorDockerContainerResourceNetwork.py: bytes and packets received and sent per second by each
running container, summed over its interfaces (docs/rules.md#network-rates)."""
from . import rates

# (kind option, direction option) -> (key prefix, Sample counter), in output order: rx before tx
RATES = {
    ("kb", "rx"): ("nw_rxkb", "rx_bytes"),
    ("kb", "tx"): ("nw_txkb", "tx_bytes"),
    ("pck", "rx"): ("nw_rxpck", "rx_packets"),
    ("pck", "tx"): ("nw_txpck", "tx_packets"),
}


def _value_options(parser):
    group = parser.add_argument_group("values (default: --kb, both directions)")
    group.add_argument("--kb", action="store_true",
                       help="nw_rxkb/nw_txkb:<container ID>: bytes per second (despite the name, as the "
                            "manual documents)")
    group.add_argument("--pck", action="store_true",
                       help="nw_rxpck/nw_txpck:<container ID>: packets per second; with --kb both kinds")
    group.add_argument("--rx", action="store_true", help="received (default: both directions)")
    group.add_argument("--tx", action="store_true", help="sent (default: both directions)")


def counters(args):
    """The (key prefix, counter) pairs to print: --kb unless --pck alone, both directions unless
    one is named; per container bytes before packets and rx before tx."""
    kinds = [kind for kind in ("kb", "pck") if getattr(args, kind)] or ["kb"]
    directions = [direction for direction in ("rx", "tx") if getattr(args, direction)] or ["rx", "tx"]
    return [value for (kind, direction), value in RATES.items() if kind in kinds and direction in directions]


COMMAND = rates.rate_command(
    "MonitorDockerContainerResourceNetwork.py",
    "Network traffic per second of each running Docker container, summed over its interfaces, as "
    "Hinemos custom-monitor lines `nw_rxkb:<container ID>,<bytes/s>` (and nw_txkb, nw_rxpck, "
    "nw_txpck), computed against the previous run's sample kept under -k (a first run samples twice, "
    "~1 s apart).",
    _value_options, counters)
