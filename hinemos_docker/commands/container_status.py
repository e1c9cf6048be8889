"""MonitorDockerContainerStatus.py: the State of each container, sent as one syslog message per
container whose HOSTNAME is the 12-character ID, i.e. the container node
(docs/rules.md#container-state-messages).

The State comes from one GET /containers/json?all=1 (its Status converted as
docs/rules.md#container-state says, the same rule as MonitorDockerHostStatus --count) rather than
one inspect per container: the same four words for every container state, in one call whatever the
number of containers.
"""
from datetime import datetime
from functools import partial

from .. import cli, containers, syslog
from ..syslog_format import SyslogMessage, report_line


def container_states(listed, container_id=None, container_name=None):
    """[(12-character ID, State)] of the selected containers, in API order."""
    return [(containers.short_id(c["Id"]), containers.container_state(c))
            for c in containers.select(listed, container_id, container_name)]


def main(args, console):
    from ..docker_engine import connect
    listed = connect(args).containers(all=True)
    states = container_states(listed, args.container_id, args.container_name)
    now = datetime.now().replace(microsecond=0)
    with syslog.open_sender(args, console.warn) as sender:
        sender.send([SyslogMessage(now, cid, f"{cid} {state}") for cid, state in states])
    for cid, state in states:
        console.print(report_line(now, cid, state))
    return 0


COMMAND = cli.Command(
    prog="MonitorDockerContainerStatus.py",
    description="State of Docker containers for a Hinemos system-log monitor: one syslog message "
                "'<id12> <state>' per container (HOSTNAME = the 12-character container ID; state "
                "running, paused, restarting or exited) and the line "
                "'YYYY-MM-DD HH:MM:SS <id12> <state>' on stdout.",
    options=[cli.docker_options, cli.container_options, partial(cli.syslog_options, required=True)],
    main=main,
)
