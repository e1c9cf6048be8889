"""RepositoryDockerNodeAdd/Delete/Update.py: keep the Hinemos repository in sync with the
containers of one Docker host (docs/rules.md#sync-idempotent).

acquire (the container list, the repository snapshot) -> plan (pure) -> apply: each step's
messages are printed before its call, so a fault mid-run shows where the run stopped; a rerun
converges because every plan only adds what is missing and changes what differs.
"""
import socket
from datetime import datetime
from urllib.parse import urlsplit

from .. import cli, messages, repository, repository_plan
from ..errors import UsageError

LOCAL_ADDRESS = "127.0.0.1"


def host_address(endpoint):
    """The Docker host's IPv4 address for the nodes (docs/rules.md#host-ipv4): a host name is resolved, since
    the manager accepts only a dotted IPv4; a unix socket is this machine."""
    if endpoint.base_url.startswith("unix://"):
        return LOCAL_ADDRESS
    host = urlsplit(endpoint.base_url).hostname
    try:
        return socket.gethostbyname(host)
    except (OSError, UnicodeError):
        raise UsageError(f"cannot resolve the Docker host '{host}' to an IPv4 address "
                         "(Hinemos nodes need one)") from None


def apply(plan, client, say):
    """Print each step's messages, then make its call through the client."""
    for step in plan.steps:
        for line in step.lines:
            say(line)
        if step.call is not None:
            getattr(client, step.call.operation)(*step.call.args)


def _sync(action):
    def main(args, console):
        from ..docker_engine import connect as connect_docker
        from ..hinemos_manager import connect as connect_manager
        from ..manager_http import from_args as manager_http
        japanese = messages.is_japanese()

        def say(line):
            console.print(line.render(japanese))

        say(messages.message("started"))
        user, password = cli.hinemos_credentials(args)
        say(messages.message("logging_in"))
        client = connect_manager(args.hinemos_url, user, password, api=args.hinemos_api,
                                 http=manager_http(args))
        try:
            say(messages.message("endpoint", url=client.endpoint_url))
            say(messages.message("username", user=user))
            # read first: wrong credentials (SOAP has no login call) show before the Docker listing
            tree = client.facility_tree()

            engine = connect_docker(args)
            desired = repository.desired_state(args.host_facility_id, host_address(engine.endpoint),
                                               engine.containers(all=True), datetime.now())
            for line in repository_plan.container_lines(action, desired):
                say(line)
            repo = repository.repository_from_tree(tree)
            repo = repo.with_nodes({fid: client.node(fid)
                                    for fid in repository.nodes_to_read(action, desired, repo)})
            apply(repository_plan.PLANS[action](desired, repo), client, say)
        finally:
            client.close()
        say(messages.message("completed"))
        return 0
    return main


OPTIONS = [cli.docker_options, cli.hinemos_options, cli.host_facility_option]


def error_text(exc):
    """Error lines in the language of the progress lines."""
    return messages.error_line(exc, messages.is_japanese())

EPILOG = ("Messages are in Japanese when the locale (LC_ALL, LC_MESSAGES, LANG) is ja, in English "
          "otherwise. Exit status: 0 normal, 1 abnormal.")

ADD = cli.Command(
    prog="RepositoryDockerNodeAdd.py",
    description="Register the containers of a Docker host as Hinemos nodes: create the scopes "
                "docker_container, docker_host, docker_map and HOST_FACILITY_ID_scope, the host node "
                "and one node per container (running: managed, others: not), and assign them, plus "
                "each container to the existing scopes of its hinemosAssignScopeId label. Only what is "
                "missing is created, so reruns and further hosts are safe.",
    options=OPTIONS, main=_sync("add"), epilog=EPILOG, error_text=error_text)

DELETE = cli.Command(
    prog="RepositoryDockerNodeDelete.py",
    description="Delete the container nodes of a Docker host (node variable DOCKER_HOST = "
                "HOST_FACILITY_ID) whose container no longer exists. Scopes, host nodes and other "
                "hosts' nodes are never deleted.",
    options=OPTIONS, main=_sync("delete"), epilog=EPILOG, error_text=error_text)

UPDATE = cli.Command(
    prog="RepositoryDockerNodeUpdate.py",
    description="Update the container nodes of a Docker host: node variable DOCKER_STATUS and the "
                "management flag from the container state (only running containers are managed), "
                "node name, host name and node variables of a container recreated under the same "
                "name, and assignments to the existing scopes of the hinemosAssignScopeId label "
                "(never released).",
    options=OPTIONS, main=_sync("update"), epilog=EPILOG, error_text=error_text)
