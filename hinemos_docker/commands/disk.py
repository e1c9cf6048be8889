"""MonitorDockerContainerResourceDisk.py: bytes read and written per second by each running
container, summed over its block devices (docs/rules.md#disk-rates)."""
from . import rates

# option -> (key prefix, Sample counter)
DIRECTIONS = {"read": ("disk_read", "disk_read"), "write": ("disk_write", "disk_write")}


def _direction_options(parser):
    group = parser.add_argument_group("values (default: both)")
    group.add_argument("--read", action="store_true",
                       help="disk_read:<container ID>: bytes read per second")
    group.add_argument("--write", action="store_true",
                       help="disk_write:<container ID>: bytes written per second")


def counters(args):
    """The (key prefix, counter) pairs to print: those asked for, both when neither is."""
    chosen = [name for name in DIRECTIONS if getattr(args, name)] or list(DIRECTIONS)
    return [DIRECTIONS[name] for name in chosen]


COMMAND = rates.rate_command(
    "MonitorDockerContainerResourceDisk.py",
    "Disk I/O (bytes per second, summed over devices) of each running Docker container as Hinemos "
    "custom-monitor lines `disk_read:<container ID>,<rate>` and `disk_write:<container ID>,<rate>`, "
    "computed against the previous run's sample kept under -k (a first run samples twice, ~1 s apart).",
    _direction_options, counters)
