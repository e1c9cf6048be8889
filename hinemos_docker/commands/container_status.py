"""MonitorDockerContainerStatus.py: the State of each container, sent as one syslog message per
container.

HOSTNAME: a running container's message carries its 12-character ID (its container node); every
other state carries the Docker host as -i names it (its host node). The repository sync switches a
stopped container's node off, and the real manager drops a message whose HOSTNAME names a node that
is off, so the manual's rule (the ID for every state, --always-container-hostname) loses exactly
the messages that matter once the sync has run (docs/rules.md#container-state-messages).

The State comes from one GET /containers/json?all=1 (its Status converted as
docs/rules.md#container-state says, the same rule as MonitorDockerHostStatus --count) rather than
one inspect per container: the same four words for every container state, in one call whatever the
number of containers.
"""
from datetime import datetime
from functools import partial

from .. import cli, containers, events, syslog
from ..syslog_format import SyslogMessage, report_line


def container_states(listed, container_id=None, container_name=None):
    """[(12-character ID, State)] of the selected containers, in API order."""
    return [(containers.short_id(c["Id"]), containers.container_state(c))
            for c in containers.select(listed, container_id, container_name)]


def state_message(when, container_id, state, host, always_container):
    """The syslog message of one container's state: HOSTNAME = the container ID when it runs (or
    always, by the manual's rule), else the Docker host, whose node stays managed."""
    hostname = container_id if always_container or state == "running" else host
    return SyslogMessage(when, hostname, f"{container_id} {state}")


def _hostname_option(parser):
    parser.add_argument("--always-container-hostname", action="store_true",
                        help="send every state with HOSTNAME = the container ID, as the manual does "
                             "(default: only running; other states carry the Docker host of -i, "
                             "because the Hinemos manager drops messages for the unmanaged node "
                             "the repository sync makes of a stopped container)")


def main(args, console):
    from ..docker_engine import connect
    engine = connect(args)
    # checked with every HOSTNAME when the messages are formatted, before anything is sent
    host = events.syslog_hostname(args.docker_ip, engine.endpoint.base_url)
    listed = engine.containers(all=True)
    states = container_states(listed, args.container_id, args.container_name)
    now = datetime.now().replace(microsecond=0)
    with syslog.open_sender(args, console.warn) as sender:
        sender.send([state_message(now, cid, state, host, args.always_container_hostname)
                     for cid, state in states])
    for cid, state in states:
        console.print(report_line(now, cid, state))
    return 0


COMMAND = cli.Command(
    prog="MonitorDockerContainerStatus.py",
    description="State of Docker containers for a Hinemos system-log monitor: one syslog message "
                "'<id12> <state>' per container (state running, paused, restarting or exited; "
                "HOSTNAME = the 12-character container ID when running, else the Docker host of -i) "
                "and the line 'YYYY-MM-DD HH:MM:SS <id12> <state>' on stdout.",
    options=[cli.docker_options, cli.container_options, cli.run_timeout_option,
             partial(cli.syslog_options, required=True), _hostname_option],
    main=main,
)
